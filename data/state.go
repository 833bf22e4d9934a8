package data

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/sowhat-ai/sowhat/model"
)

// State is the bot's own database: chat events and their progress, thread
// context, report claims, alert incidents, and the replicas sharing the
// work. It is apart from the analytics Store so that its writes, small and
// frequent, never queue behind an import's long transaction; every replica
// of serve opens the same one.
type State struct {
	db      *sqlx.DB
	dialect dialect
	schema  schemaSet
	path    string // the file, or the URL with its password hidden
	owner   string
	lease   time.Duration
	now     func() time.Time
	writes  writeBatch
}

// DefaultLease is how long a replica's heartbeat stays good: work taken by
// a replica silent for longer is taken over by another.
const DefaultLease = 30 * time.Second

// StateOption configures a State when it is opened.
type StateOption func(*State)

// WithOwner names this process in the work it takes (default host:pid and
// a random suffix).
func WithOwner(owner string) StateOption { return func(s *State) { s.owner = owner } }

// WithLease sets how long a heartbeat stays good (default DefaultLease).
func WithLease(d time.Duration) StateOption {
	return func(s *State) {
		if d > 0 {
			s.lease = d
		}
	}
}

// WithStateClock sets the clock leases and heartbeats are measured by.
func WithStateClock(now func() time.Time) StateOption { return func(s *State) { s.now = now } }

// StatePath returns where the state database of the analytics database at
// dataPath lives by default: beside it, "sowhat.db" → "sowhat-state.db".
func StatePath(dataPath string) string {
	ext := filepath.Ext(dataPath)
	return strings.TrimSuffix(dataPath, ext) + "-state" + ext
}

// OpenState opens the state database at dsn and brings its schema up to
// date. dsn is a SQLite file path (created when there is none, in a folder
// that must exist) or a postgres:// URL, which may be the analytics
// database itself: the state's tables have names of their own.
func OpenState(ctx context.Context, dsn string, opts ...StateOption) (*State, error) {
	if dsn == "" {
		return nil, errors.New("open state database: no path or URL given")
	}
	d := dialectOf(dsn)
	s := &State{dialect: d, schema: d.stateSchema(), path: Redact(dsn), lease: DefaultLease, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	if s.owner == "" {
		s.owner = defaultOwner()
	}
	if d == postgres {
		db, err := openPostgresDB(ctx, dsn)
		if err != nil {
			return nil, fmt.Errorf("open state database %s: %w", s.path, err)
		}
		return s.migrate(ctx, db)
	}
	dir := filepath.Dir(dsn)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, model.Tell(fmt.Sprintf("There is no folder %s for the state database %s: create the folder first, or give a path in a folder that exists.", dir, dsn),
			fmt.Errorf("open state database %s: %w", dsn, ErrNoFolder))
	}
	db, err := sqlx.Open("sqlite3", "file:"+dsn+"?_journal_mode=WAL&_synchronous=NORMAL&_busy_timeout=10000&_txlock=immediate&_stmt_cache_size=64")
	if err != nil {
		return nil, fmt.Errorf("open state database %s: %w", dsn, err)
	}
	// One connection: SQLite writes one at a time, and writers of one
	// process on connections of their own wait for each other in SQLite's
	// busy handler, which sleeps 1, 2, 5, 10… ms between tries. Queued for
	// the connection instead, each takes it as soon as it is free. Nothing
	// here holds the connection while it asks for another.
	db.SetMaxOpenConns(1)
	return s.migrate(ctx, db)
}

// migrate takes db as the state's database and brings its schema up to
// date.
func (s *State) migrate(ctx context.Context, db *sqlx.DB) (*State, error) {
	s.db = db
	if err := migrateDB(ctx, db, s.schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("open state database %s: %w", s.path, err)
	}
	return s, nil
}

// exec runs one statement (already rebound), again after a serialization
// failure: a statement alone is a transaction of its own.
func (s *State) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := retry(ctx, func() error {
		var err error
		res, err = s.db.ExecContext(ctx, q, args...)
		return err
	})
	return res, err
}

// skipLocked is what a query picking work to take ends with: in
// PostgreSQL, rows another replica is taking right now are passed over
// rather than waited for. SQLite has one writer at a time and no row locks.
func (s *State) skipLocked() string {
	if s.dialect == postgres {
		return " FOR UPDATE OF o SKIP LOCKED"
	}
	return ""
}

func defaultOwner() string {
	host, _ := os.Hostname()
	var b [4]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	return fmt.Sprintf("%s:%d:%x", host, os.Getpid(), b)
}

// Path is the state database's file, or its URL with the password hidden.
func (s *State) Path() string { return s.path }

// Owner is the name this process takes work under.
func (s *State) Owner() string { return s.owner }

// Lease is how long a heartbeat stays good.
func (s *State) Lease() time.Duration { return s.lease }

// Close closes the database.
func (s *State) Close() error { return s.db.Close() }

// Check reports whether the state database can be read and written and
// has the schema this binary knows (see Store.Check).
func (s *State) Check(ctx context.Context) error {
	if err := checkSchema(ctx, s.db, s.schema); err != nil {
		return err
	}
	if err := writeHealth(ctx, s.db, s.dialect, s.schema.health); err != nil {
		return fmt.Errorf("%w: %w", ErrCannotWrite, err)
	}
	return nil
}

// stamp is a time as the state database keeps it: UTC, fixed width, so
// that text order is time order.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// Heartbeat records that this replica is alive. Call it well within the
// lease (a third of it, say).
func (s *State) Heartbeat(ctx context.Context) error {
	now := stamp(s.now())
	_, err := s.exec(ctx, s.db.Rebind(`INSERT INTO replicas (owner, started_at, seen_at) VALUES (?, ?, ?)
ON CONFLICT (owner) DO UPDATE SET seen_at = excluded.seen_at`), s.owner, now, now)
	if err != nil {
		return fmt.Errorf("heartbeat of %s: %w", s.owner, err)
	}
	return nil
}

// Retire removes this replica's heartbeat and gives up whatever it leaves
// unfinished (events, digest runs), so that another replica takes it over
// at once rather than when the lease runs out.
func (s *State) Retire(ctx context.Context) error {
	for _, q := range []string{
		`UPDATE bot_events SET owner = '' WHERE owner = ? AND state <> 'done'`,
		`UPDATE report_claims SET owner = '' WHERE owner = ? AND posted_at IS NULL`,
		`DELETE FROM replicas WHERE owner = ?`,
	} {
		if _, err := s.exec(ctx, s.db.Rebind(q), s.owner); err != nil {
			return fmt.Errorf("retire %s: %w", s.owner, err)
		}
	}
	return nil
}

// deadOwner is the SQL condition, on a row o, that its owner has no
// heartbeat within the lease; its one parameter is the oldest good
// heartbeat. Callers also require the row itself to be older than the
// lease, so work taken by a replica that has not beaten yet is safe.
const deadOwner = `NOT EXISTS (SELECT 1 FROM replicas r WHERE r.owner = o.owner AND r.seen_at >= ?)`

// Event states.
const (
	eventAccepted = "accepted"
	eventPosting  = "posting"
	eventDone     = "done"
)

// Accepted says what AcceptEvent found.
type Accepted int

// What AcceptEvent found.
const (
	// EventNew: first seen; this replica owns it now.
	EventNew Accepted = iota
	// EventSeen: answered already, or being answered by a live replica.
	EventSeen
	// EventResumed: acknowledged before by a replica that died before
	// answering it; this replica owns it now. Posting reports whether its
	// reply may already have gone out.
	EventResumed
)

// AcceptEvent records a chat event before the platform is told it arrived,
// keeping msg (the event as the bot reads it) until it is done. It reports
// whether the event is new, seen, or resumed from a dead replica; for a
// resumed event, posting is true when its reply was on its way.
func (s *State) AcceptEvent(ctx context.Context, platform, eventID string, msg []byte) (a Accepted, posting bool, err error) {
	key := platform + ":" + eventID
	inserted, err := s.insertEvent(ctx, platform, key, msg)
	if err != nil {
		return 0, false, err
	}
	if inserted {
		return EventNew, false, nil
	}
	taken, err := s.takeEvent(ctx, key)
	if err != nil || taken == nil {
		return EventSeen, false, err
	}
	return EventResumed, taken.Posting, nil
}

// stateDB is the state database or a transaction on it.
type stateDB interface {
	GetContext(ctx context.Context, dest any, query string, args ...any) error
	SelectContext(ctx context.Context, dest any, query string, args ...any) error
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	Rebind(query string) string
}

// takeEvent moves an unfinished event whose owner is dead to this replica,
// returning it, or nil when it is done or its owner alive.
func (s *State) takeEvent(ctx context.Context, key string) (*PendingEvent, error) {
	var p *PendingEvent
	err := retry(ctx, func() error {
		var err error
		p, err = s.takeEventOn(ctx, s.db, key)
		return err
	})
	return p, err
}

// takeEventOn is takeEvent on q. The move is a conditional update (the
// owner must still be the one read), so of two replicas taking the same
// event exactly one gets it, in or out of a transaction, at any isolation
// level.
func (s *State) takeEventOn(ctx context.Context, q stateDB, key string) (*PendingEvent, error) {
	cutoff := stamp(s.now().Add(-s.lease))
	var row struct {
		Owner   string `db:"owner"`
		State   string `db:"state"`
		Message string `db:"message"`
	}
	err := q.GetContext(ctx, &row, q.Rebind(`SELECT o.owner, o.state, o.message FROM bot_events o
WHERE o.event_id = ? AND o.state <> 'done' AND o.owner <> ? AND (o.owner = '' OR o.received_at < ? AND `+deadOwner+`)`), key, s.owner, cutoff, cutoff)
	if isNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read event %s: %w", key, err)
	}
	res, err := q.ExecContext(ctx, q.Rebind(`UPDATE bot_events SET owner = ? WHERE event_id = ? AND owner = ? AND state <> 'done'`), s.owner, key, row.Owner)
	if err != nil {
		return nil, fmt.Errorf("take event %s: %w", key, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return nil, err // another replica took it first
	}
	platform, id, _ := strings.Cut(key, ":")
	return &PendingEvent{Platform: platform, EventID: id, Message: []byte(row.Message), Posting: row.State == eventPosting}, nil
}

// PendingEvent is an event acknowledged and not yet answered.
type PendingEvent struct {
	Platform, EventID string
	Message           []byte
	// Posting is true when its reply was on its way: it may have gone out.
	Posting bool
}

// TakeOrphans moves to this replica up to limit unfinished events of the
// platform whose owner is dead (no heartbeat within the lease), oldest
// first, and returns them. In PostgreSQL they are picked, and taken, in
// one transaction with FOR UPDATE SKIP LOCKED: replicas looking at once
// take different ones. In SQLite, one writer at a time, each is taken on
// its own, so that no write lock is held while the others are read.
func (s *State) TakeOrphans(ctx context.Context, platform string, limit int) ([]PendingEvent, error) {
	if s.dialect != postgres {
		return s.takeOrphans(ctx, s.db, platform, limit)
	}
	var out []PendingEvent
	err := transactOn(ctx, s.db, func(tx *sqlx.Tx) error {
		var err error
		out, err = s.takeOrphans(ctx, tx, platform, limit)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *State) takeOrphans(ctx context.Context, q stateDB, platform string, limit int) ([]PendingEvent, error) {
	cutoff := stamp(s.now().Add(-s.lease))
	var keys []string
	err := q.SelectContext(ctx, &keys, q.Rebind(`SELECT o.event_id FROM bot_events o
WHERE o.platform = ? AND o.state <> 'done' AND o.owner <> ? AND (o.owner = '' OR o.received_at < ? AND `+deadOwner+`) ORDER BY o.received_at LIMIT ?`+s.skipLocked()),
		platform, s.owner, cutoff, cutoff, limit)
	if err != nil {
		return nil, fmt.Errorf("find unfinished %s events: %w", platform, err)
	}
	var out []PendingEvent
	for _, k := range keys {
		p, err := s.takeEventOn(ctx, q, k)
		if err != nil {
			return out, err
		}
		if p != nil {
			out = append(out, *p)
		}
	}
	return out, nil
}

// setEvent moves an unfinished event of this replica's to state.
func (s *State) setEvent(ctx context.Context, platform, eventID, state string) error {
	q := `UPDATE bot_events SET state = ? WHERE event_id = ? AND state <> 'done'`
	args := []any{state, platform + ":" + eventID}
	if state == eventDone {
		q = `UPDATE bot_events SET state = ?, message = '', done_at = ? WHERE event_id = ? AND state <> 'done'`
		args = []any{state, stamp(s.now()), platform + ":" + eventID}
	}
	if _, err := s.exec(ctx, s.db.Rebind(q), args...); err != nil {
		return fmt.Errorf("mark event %s %s: %w", eventID, state, err)
	}
	return nil
}

// EventPosting records that the event's reply is about to be posted: if
// this replica dies now, whoever finishes the event checks first whether
// the reply went out.
func (s *State) EventPosting(ctx context.Context, platform, eventID string) error {
	return s.setEvent(ctx, platform, eventID, eventPosting)
}

// FinishEvent records that the event is done: answered, or dropped on
// purpose. Its message is forgotten; its id is kept for dedup.
func (s *State) FinishEvent(ctx context.Context, platform, eventID string) error {
	return s.setEvent(ctx, platform, eventID, eventDone)
}

// AbandonEvent forgets an event this replica accepted but could not take
// on (its queue was full): the platform delivers it again, and it is then
// new.
func (s *State) AbandonEvent(ctx context.Context, platform, eventID string) error {
	_, err := s.exec(ctx, s.db.Rebind(`DELETE FROM bot_events WHERE event_id = ? AND owner = ? AND state = 'accepted'`), platform+":"+eventID, s.owner)
	if err != nil {
		return fmt.Errorf("abandon event %s: %w", eventID, err)
	}
	return nil
}

// Unfinished counts the events not done, of every owner.
func (s *State) Unfinished(ctx context.Context) (int, error) {
	var n int
	if err := s.db.GetContext(ctx, &n, `SELECT COUNT(*) FROM bot_events WHERE state <> 'done'`); err != nil {
		return 0, fmt.Errorf("count unfinished events: %w", err)
	}
	return n, nil
}

// PruneEvents forgets finished events received before the cutoff.
func (s *State) PruneEvents(ctx context.Context, before time.Time) error {
	_, err := s.exec(ctx, s.db.Rebind(`DELETE FROM bot_events WHERE state = 'done' AND received_at < ?`), stamp(before))
	if err != nil {
		return fmt.Errorf("prune events: %w", err)
	}
	_, err = s.exec(ctx, s.db.Rebind(`DELETE FROM replicas WHERE seen_at < ?`), stamp(before))
	if err != nil {
		return fmt.Errorf("prune replicas: %w", err)
	}
	return nil
}
