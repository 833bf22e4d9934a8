package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// TeamsRef is how to reach one Teams channel or chat: a conversation
// reference as the Bot Connector gave it in a verified activity.
type TeamsRef struct {
	// Channel is the Teams channel id (19:…@thread.tacv2) for a team's
	// channel, else the conversation id of the chat.
	Channel      string `db:"channel_id"`
	Conversation string `db:"conversation_id"`
	ServiceURL   string `db:"service_url"`
	Tenant       string `db:"tenant_id"`
	Team         string `db:"team_id"`
	// Kind is Teams' conversation type: personal, groupChat or channel.
	Kind string `db:"kind"`
	// Unreachable is true once Teams refused a post there because the app
	// was removed.
	Unreachable bool `db:"-"`
}

// SaveTeamsRef stores a conversation reference, replacing the channel's
// previous one, and marks the channel reachable again.
func (s *State) SaveTeamsRef(ctx context.Context, r TeamsRef) error {
	_, err := s.batched(ctx, s.db.Rebind(`INSERT INTO teams_conversations
(channel_id, conversation_id, service_url, tenant_id, team_id, kind, updated_at, unreachable_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)
ON CONFLICT (channel_id) DO UPDATE SET conversation_id = excluded.conversation_id, service_url = excluded.service_url,
tenant_id = excluded.tenant_id, team_id = excluded.team_id, kind = excluded.kind, updated_at = excluded.updated_at, unreachable_at = NULL`),
		r.Channel, r.Conversation, r.ServiceURL, r.Tenant, r.Team, r.Kind, stamp(s.now()))
	if err != nil {
		return fmt.Errorf("save teams conversation %s: %w", r.Channel, err)
	}
	return nil
}

// TeamsRef returns the conversation reference of a channel or chat, or
// ErrNotFound.
func (s *State) TeamsRef(ctx context.Context, channel string) (TeamsRef, error) {
	var row struct {
		TeamsRef
		UnreachableAt sql.NullString `db:"unreachable_at"`
	}
	err := s.db.GetContext(ctx, &row, s.db.Rebind(`SELECT channel_id, conversation_id, service_url, tenant_id, team_id, kind, unreachable_at
FROM teams_conversations WHERE channel_id = ?`), channel)
	if errors.Is(err, sql.ErrNoRows) {
		return TeamsRef{}, ErrNotFound
	}
	if err != nil {
		return TeamsRef{}, fmt.Errorf("read teams conversation %s: %w", channel, err)
	}
	r := row.TeamsRef
	r.Unreachable = row.UnreachableAt.Valid
	return r, nil
}

// MarkTeamsUnreachable records that the app can no longer post in the
// channel, and reports whether it was reachable until now, so that the
// loss is reported once.
func (s *State) MarkTeamsUnreachable(ctx context.Context, channel string) (bool, error) {
	res, err := s.db.ExecContext(ctx, s.db.Rebind(`UPDATE teams_conversations SET unreachable_at = ? WHERE channel_id = ? AND unreachable_at IS NULL`),
		stamp(s.now()), channel)
	if err != nil {
		return false, fmt.Errorf("mark teams conversation %s unreachable: %w", channel, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("mark teams conversation %s unreachable: %w", channel, err)
	}
	return n == 1, nil
}

// LatestTeamsChannelRef returns the most recently seen reference of a
// team's channel, or ErrNotFound: a channel of a team the app is in but
// has not been spoken to in yet is reached through the same service URL
// and tenant.
func (s *State) LatestTeamsChannelRef(ctx context.Context) (TeamsRef, error) {
	var r TeamsRef
	err := s.db.GetContext(ctx, &r, `SELECT channel_id, conversation_id, service_url, tenant_id, team_id, kind
FROM teams_conversations WHERE kind = 'channel' AND unreachable_at IS NULL ORDER BY updated_at DESC LIMIT 1`)
	if errors.Is(err, sql.ErrNoRows) {
		return TeamsRef{}, ErrNotFound
	}
	if err != nil {
		return TeamsRef{}, fmt.Errorf("read teams conversations: %w", err)
	}
	return r, nil
}
