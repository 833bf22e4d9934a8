package data

import (
	"errors"
	"testing"
	"time"
)

// TestTeamsRefs: a conversation reference is stored, replaced, marked
// unreachable once, reachable again when seen again, and the latest
// channel's found — on both databases.
func TestTeamsRefs(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		ctx := t.Context()
		clock := &fakeNow{t: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)}
		st, _ := newState(t, dsn, "a", clock)
		if _, err := st.TeamsRef(ctx, "19:x@thread.tacv2"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("missing ref: %v, want ErrNotFound", err)
		}
		if _, err := st.LatestTeamsChannelRef(ctx); !errors.Is(err, ErrNotFound) {
			t.Fatalf("latest with none: %v, want ErrNotFound", err)
		}
		a := TeamsRef{Channel: "19:a@thread.tacv2", Conversation: "19:a@thread.tacv2", ServiceURL: "https://smba.example/amer/", Tenant: "t1", Team: "team1", Kind: "channel"}
		chat := TeamsRef{Channel: "a:1chat", Conversation: "a:1chat", ServiceURL: "https://smba.example/amer/", Tenant: "t1", Kind: "personal"}
		st.SaveTeamsRef(ctx, a)
		clock.add(time.Minute)
		st.SaveTeamsRef(ctx, chat)
		a.ServiceURL = "https://smba.example/emea/"
		clock.add(time.Minute)
		if err := st.SaveTeamsRef(ctx, a); err != nil {
			t.Fatal(err)
		}
		got, err := st.TeamsRef(ctx, a.Channel)
		if err != nil || got != a {
			t.Fatalf("ref = %+v, %v; want %+v", got, err, a)
		}
		if latest, err := st.LatestTeamsChannelRef(ctx); err != nil || latest.Channel != a.Channel {
			t.Fatalf("latest channel = %+v, %v; want %s (a chat is not a channel)", latest, err, a.Channel)
		}
		first, _ := st.MarkTeamsUnreachable(ctx, a.Channel)
		again, _ := st.MarkTeamsUnreachable(ctx, a.Channel)
		if !first || again {
			t.Fatalf("unreachable: first %v, again %v; want true, false", first, again)
		}
		if got, _ := st.TeamsRef(ctx, a.Channel); !got.Unreachable {
			t.Fatal("not marked unreachable")
		}
		if _, err := st.LatestTeamsChannelRef(ctx); !errors.Is(err, ErrNotFound) {
			t.Fatalf("latest with the only channel unreachable: %v, want ErrNotFound", err)
		}
		st.SaveTeamsRef(ctx, a)
		if got, _ := st.TeamsRef(ctx, a.Channel); got.Unreachable {
			t.Fatal("seen again, still unreachable")
		}
	})
}
