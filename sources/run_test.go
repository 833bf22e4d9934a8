package sources_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/sources"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// TestRunSyncsOnSchedule: Run syncs at start (the latest scheduled time
// not yet synced) and then at each scheduled time, on the fake clock.
func TestRunSyncsOnSchedule(t *testing.T) {
	wh := newWarehouse(t)
	wh.insert(genRows(day0, 5, []string{"google_ads"}, 2))
	st := sqliteStore(t)
	clk := &fakeClock{now: time.Date(2026, 10, 6, 6, 59, 30, 0, time.UTC)}
	state := openState(t, filepath.Join(t.TempDir(), "state.db"), "a", clk)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clk.onSleep = func(time.Duration) {
		if clk.Now().After(time.Date(2026, 10, 6, 8, 0, 30, 0, time.UTC)) {
			cancel()
		}
	}
	s, err := sources.NewSyncer(configOf(wh.config(t, "")), st, state, sources.WithClock(clk), sources.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Run(ctx); err != nil {
		t.Fatal(err)
	}
	rec, _, err := st.LastSync(context.Background(), "warehouse")
	if err != nil || rec.Syncs != 3 {
		t.Errorf("%d syncs (%v), want 3: at start for 06:00, then 07:00 and 08:00", rec.Syncs, err)
	}
}

// TestDeadReplicasSyncFinished: a replica that claimed a sync and died is
// taken over by another once its lease has run out.
func TestDeadReplicasSyncFinished(t *testing.T) {
	ctx := context.Background()
	wh := newWarehouse(t)
	rows := genRows(day0, 5, []string{"google_ads"}, 2)
	wh.insert(rows)
	st := sqliteStore(t)
	dir := t.TempDir()
	clk := &fakeClock{now: time.Date(2026, 10, 6, 7, 0, 10, 0, time.UTC)}
	dead := openState(t, filepath.Join(dir, "state.db"), "dead", clk)
	if err := dead.Heartbeat(ctx); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 10, 6, 7, 0, 0, 0, time.UTC)
	if won, err := dead.Claim(ctx, sources.ClaimKey("warehouse", at)); err != nil || !won {
		t.Fatal(won, err)
	}
	live := openState(t, filepath.Join(dir, "state.db"), "live", clk)
	s, err := sources.NewSyncer(configOf(wh.config(t, "")), st, live, sources.WithClock(clk), sources.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Tick(ctx, clk.Now()); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := st.LastSync(ctx, "warehouse"); ok {
		t.Fatal("synced while the claimant's lease was good")
	}
	clk.now = clk.now.Add(2 * data.DefaultLease)
	if err := live.Heartbeat(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Tick(ctx, clk.Now()); err != nil {
		t.Fatal(err)
	}
	if rec, _, _ := st.LastSync(ctx, "warehouse"); rec.Syncs != 1 {
		t.Errorf("%d syncs after the takeover, want 1", rec.Syncs)
	}
	sameSums(t, stored(t, st), expected(rows))
}

// folderRunner stands for a drop folder's watcher: each run reports the
// files it refused in that run.
type folderRunner struct{ runs []sources.Report }

func (f *folderRunner) Run(context.Context) (sources.Report, error) {
	if len(f.runs) == 0 {
		return sources.Report{Source: "drops"}, nil
	}
	r := f.runs[0]
	f.runs = f.runs[1:]
	return r, nil
}

// TestFolderKindRunsItsRunner: a folder source needs a Runner registered
// for its kind; its refused files are said once, to its report channel.
func TestFolderKindRunsItsRunner(t *testing.T) {
	cfg, err := sources.Parse("sources.yaml", []byte("sources:\n  - name: drops\n    kind: folder\n    path: /srv/drops\n    report_channel: slack:C0DATA\n    schedule: \"*/5 * * * *\"\n"), env)
	if err != nil {
		t.Fatal(err)
	}
	st := sqliteStore(t)
	if _, err := sources.NewSyncer(cfg, st, nil, sources.WithLogger(quiet)); err == nil || !strings.Contains(err.Error(), "sources.yaml:2: source drops: kind folder cannot run in this build") {
		t.Errorf("a folder source with no runner: %v", err)
	}
	r := &folderRunner{runs: []sources.Report{{Source: "drops", Refused: []sources.Refusal{{Path: "/srv/drops/meta.csv", Err: "meta.csv line 4 column \"spend\": \"12,3x\" is not a number", MovedTo: "/srv/drops/refused/meta.csv"}}}}}
	got := &notices{}
	s, err := sources.NewSyncer(cfg, st, nil, sources.WithLogger(quiet), sources.WithNotifier(got),
		sources.WithRunner(sources.KindFolder, func(src sources.Source, _ *data.Store) (sources.Runner, error) {
			if src.Path != "/srv/drops" {
				return nil, errors.New("wrong source")
			}
			return r, nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := s.RunOnce(context.Background(), "drops"); err != nil {
			t.Fatal(err)
		}
	}
	n := got.all()
	if len(n) != 1 || n[0].Channel != "slack:C0DATA" || !strings.Contains(n[0].Title, "refused /srv/drops/meta.csv") || !strings.Contains(n[0].Text, "Moved to /srv/drops/refused/meta.csv") {
		t.Errorf("notices %+v, want the refused file once, to slack:C0DATA", n)
	}
}

// TestMonthlyScheduleDue: a source synced on the 1st of the month is due
// from then until the next 1st, once.
func TestMonthlyScheduleDue(t *testing.T) {
	ctx := context.Background()
	wh := newWarehouse(t)
	wh.insert(genRows(day0, 3, []string{"google_ads"}, 1))
	st := sqliteStore(t)
	clk := &fakeClock{now: time.Date(2026, 10, 20, 12, 0, 0, 0, time.UTC)}
	state := openState(t, filepath.Join(t.TempDir(), "state.db"), "a", clk)
	cfg, err := sources.Parse("sources.yaml", []byte(strings.Replace(example, `"0 * * * *"`, `"0 6 1 * *"`, 1)), func(string) string { return wh.url })
	if err != nil {
		t.Fatal(err)
	}
	s, err := sources.NewSyncer(cfg, st, state, sources.WithClock(clk), sources.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, at := range []time.Time{clk.now, clk.now.Add(24 * time.Hour), time.Date(2026, 11, 1, 6, 0, 1, 0, time.UTC)} {
		if err := s.Tick(ctx, at); err != nil {
			t.Fatal(err)
		}
	}
	if rec, _, _ := st.LastSync(ctx, "warehouse"); rec.Syncs != 2 {
		t.Errorf("%d syncs, want 2: Oct 1's on the 20th, then Nov 1's", rec.Syncs)
	}
}
