package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// SaveThread stores what a thread was last about (an opaque JSON document).
func (s *State) SaveThread(ctx context.Context, key string, doc []byte) error {
	_, err := s.exec(ctx, s.db.Rebind(`INSERT INTO bot_threads (thread_key, request, updated_at) VALUES (?, ?, ?)
ON CONFLICT (thread_key) DO UPDATE SET request = excluded.request, updated_at = excluded.updated_at`), key, string(doc), stamp(s.now()))
	if err != nil {
		return fmt.Errorf("save thread %s: %w", key, err)
	}
	return nil
}

// ErrNotFound means there is no such record.
var ErrNotFound = errors.New("not found")

// Thread returns what a thread was last about, or ErrNotFound.
func (s *State) Thread(ctx context.Context, key string) ([]byte, error) {
	var doc string
	err := s.db.GetContext(ctx, &doc, s.db.Rebind(`SELECT request FROM bot_threads WHERE thread_key = ?`), key)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read thread %s: %w", key, err)
	}
	return []byte(doc), nil
}

// Claim takes the claim key for this replica and reports whether it was
// free. Two processes racing for one key: exactly one gets true.
func (s *State) Claim(ctx context.Context, key string) (bool, error) {
	res, err := s.exec(ctx, s.db.Rebind(`INSERT INTO report_claims (claim_key, owner, claimed_at) VALUES (?, ?, ?) ON CONFLICT (claim_key) DO NOTHING`), key, s.owner, stamp(s.now()))
	if err != nil {
		return false, fmt.Errorf("claim %s: %w", key, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("claim %s: %w", key, err)
	}
	return n == 1, nil
}

// TakeOrphanClaims moves to this replica the claims whose keys start with
// prefix that were never marked posted and whose owner is dead (no
// heartbeat within the lease), and returns their keys: the runs a replica
// died in the middle of, for this one to finish.
func (s *State) TakeOrphanClaims(ctx context.Context, prefix string) ([]string, error) {
	cutoff := stamp(s.now().Add(-s.lease))
	var rows []struct {
		Key   string `db:"claim_key"`
		Owner string `db:"owner"`
	}
	err := s.db.SelectContext(ctx, &rows, s.db.Rebind(`SELECT o.claim_key, o.owner FROM report_claims o
WHERE o.posted_at IS NULL AND o.owner <> ? AND substr(o.claim_key, 1, ?) = ? AND (o.owner = '' OR o.claimed_at < ? AND `+deadOwner+`) ORDER BY o.claimed_at`),
		s.owner, len(prefix), prefix, cutoff, cutoff)
	if err != nil {
		return nil, fmt.Errorf("find unposted claims: %w", err)
	}
	var out []string
	for _, r := range rows {
		res, err := s.exec(ctx, s.db.Rebind(`UPDATE report_claims SET owner = ?, claimed_at = ? WHERE claim_key = ? AND owner = ? AND posted_at IS NULL`),
			s.owner, stamp(s.now()), r.Key, r.Owner)
		if err != nil {
			return out, fmt.Errorf("take claim %s: %w", r.Key, err)
		}
		if n, err := res.RowsAffected(); err == nil && n == 1 {
			out = append(out, r.Key)
		}
	}
	return out, nil
}

// MarkPosted records that a claimed report was posted.
func (s *State) MarkPosted(ctx context.Context, key string) error {
	_, err := s.exec(ctx, s.db.Rebind(`UPDATE report_claims SET posted_at = ? WHERE claim_key = ?`), stamp(s.now()), key)
	if err != nil {
		return fmt.Errorf("mark %s posted: %w", key, err)
	}
	return nil
}

// HandBack gives an unposted claim of this replica back, for any replica
// (this one too) to take at its next look for orphans: work it could not
// finish now and must not drop.
func (s *State) HandBack(ctx context.Context, key string) error {
	_, err := s.exec(ctx, s.db.Rebind(`UPDATE report_claims SET owner = '' WHERE claim_key = ? AND owner = ? AND posted_at IS NULL`), key, s.owner)
	if err != nil {
		return fmt.Errorf("hand back %s: %w", key, err)
	}
	return nil
}

// Release gives up a claim whose post failed, so a later run may retry it.
func (s *State) Release(ctx context.Context, key string) error {
	_, err := s.exec(ctx, s.db.Rebind(`DELETE FROM report_claims WHERE claim_key = ? AND owner = ? AND posted_at IS NULL`), key, s.owner)
	if err != nil {
		return fmt.Errorf("release %s: %w", key, err)
	}
	return nil
}

// Incident is an alert condition that opened and maybe cleared.
type Incident struct {
	ID        int64
	Rule      string
	Subject   string
	OpenedAt  time.Time
	ClearedAt *time.Time
	Detail    string
}

// OpenIncident opens an incident for (rule, subject) unless one is open, and
// reports whether this call opened it.
func (s *State) OpenIncident(ctx context.Context, rule, subject, detail string, at time.Time) (bool, error) {
	res, err := s.exec(ctx, s.db.Rebind(`INSERT INTO alert_incidents (rule, subject, opened_at, detail) VALUES (?, ?, ?, ?) ON CONFLICT (rule, subject) WHERE cleared_at IS NULL DO NOTHING`),
		rule, subject, at.UTC().Format(time.RFC3339), detail)
	if err != nil {
		return false, fmt.Errorf("open incident %s/%s: %w", rule, subject, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("open incident %s/%s: %w", rule, subject, err)
	}
	return n == 1, nil
}

// OpenIncidents lists the incidents of a rule that have not cleared.
func (s *State) OpenIncidents(ctx context.Context, rule string) ([]Incident, error) {
	var rows []struct {
		ID       int64
		Rule     string
		Subject  string
		OpenedAt string `db:"opened_at"`
		Detail   string
	}
	err := s.db.SelectContext(ctx, &rows, s.db.Rebind(`SELECT id, rule, subject, opened_at, detail FROM alert_incidents WHERE rule = ? AND cleared_at IS NULL ORDER BY id`), rule)
	if err != nil {
		return nil, fmt.Errorf("read open incidents of %s: %w", rule, err)
	}
	out := make([]Incident, len(rows))
	for i, r := range rows {
		t, _ := time.Parse(time.RFC3339, r.OpenedAt)
		out[i] = Incident{ID: r.ID, Rule: r.Rule, Subject: r.Subject, OpenedAt: t, Detail: r.Detail}
	}
	return out, nil
}

// IncidentByID returns the incident with id, and whether there is one.
func (s *State) IncidentByID(ctx context.Context, id int64) (Incident, bool, error) {
	var rows []struct {
		ID        int64
		Rule      string
		Subject   string
		OpenedAt  string  `db:"opened_at"`
		ClearedAt *string `db:"cleared_at"`
		Detail    string
	}
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(`SELECT id, rule, subject, opened_at, cleared_at, detail FROM alert_incidents WHERE id = ?`), id); err != nil {
		return Incident{}, false, fmt.Errorf("read incident %d: %w", id, err)
	}
	if len(rows) == 0 {
		return Incident{}, false, nil
	}
	r := rows[0]
	inc := Incident{ID: r.ID, Rule: r.Rule, Subject: r.Subject, Detail: r.Detail}
	inc.OpenedAt, _ = time.Parse(time.RFC3339, r.OpenedAt)
	if r.ClearedAt != nil {
		t, _ := time.Parse(time.RFC3339, *r.ClearedAt)
		inc.ClearedAt = &t
	}
	return inc, true, nil
}

// ClearIncident marks an open incident cleared and reports whether this call
// cleared it.
func (s *State) ClearIncident(ctx context.Context, id int64, at time.Time) (bool, error) {
	res, err := s.exec(ctx, s.db.Rebind(`UPDATE alert_incidents SET cleared_at = ? WHERE id = ? AND cleared_at IS NULL`), at.UTC().Format(time.RFC3339), id)
	if err != nil {
		return false, fmt.Errorf("clear incident %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("clear incident %d: %w", id, err)
	}
	return n == 1, nil
}

// RevertIncident undoes the last change to (rule, subject) whose post
// failed, so the next check makes it again: an incident that opened is
// forgotten, one that cleared is open again.
func (s *State) RevertIncident(ctx context.Context, rule, subject string, opened bool) error {
	var err error
	if opened {
		_, err = s.exec(ctx, s.db.Rebind(`DELETE FROM alert_incidents WHERE rule = ? AND subject = ? AND cleared_at IS NULL`), rule, subject)
	} else {
		_, err = s.exec(ctx, s.db.Rebind(`UPDATE alert_incidents SET cleared_at = NULL
WHERE id = (SELECT MAX(id) FROM alert_incidents WHERE rule = ? AND subject = ?)
AND NOT EXISTS (SELECT 1 FROM alert_incidents WHERE rule = ? AND subject = ? AND cleared_at IS NULL)`), rule, subject, rule, subject)
	}
	if err != nil {
		return fmt.Errorf("revert incident %s/%s: %w", rule, subject, err)
	}
	return nil
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
