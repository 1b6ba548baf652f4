package notifications

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Execer is what both *sql.DB and *sql.Tx offer: the writes that must
// commit with another room's change take the caller's transaction.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Store keeps the notifications table. The SQL is written for SQLite and
// PostgreSQL alike (ON CONFLICT, no engine-specific functions), so another
// engine's store can start from it.
type Store struct {
	db *sql.DB
}

// NewStore returns the store over a database that carries the feed room's
// migrations.
func NewStore(db *sql.DB) *Store { return &Store{db: db} }

// Add records a notification once per event (its event type, actor and
// object) with db, the database or the transaction of the change that
// caused it (nil for the store's own database); it reports whether a row
// was written. An edit is the exception:
// the notification of a newer edit of a post takes the place of the
// previous one, with the new id so that it comes first again, and unread.
func (s *Store) Add(ctx context.Context, db Execer, r Record) (bool, error) {
	if !known[r.Type] {
		return false, fmt.Errorf("notification: unknown type %q", r.Type)
	}
	if db == nil {
		db = s.db
	}
	onConflict := `DO NOTHING`
	if r.Type == Update {
		onConflict = `DO UPDATE SET id = excluded.id, object_url = excluded.object_url, text = excluded.text,
			created = excluded.created, seen = 0`
	}
	res, err := db.ExecContext(ctx, `INSERT INTO notifications(id, type, event_type, actor_id, object_id, object_url, text, created)
		VALUES(?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(event_type, actor_id, object_id) `+onConflict,
		r.ID, r.Type, eventType(r.Type), r.ActorID, r.ObjectID, r.ObjectURL, r.Text, r.Created.Unix())
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// AddUnlessMany records r like Add unless its actor already has max
// notifications of the same event type created at since or later: the
// notifications of a stranger are collapsed so, a few per kind per window,
// however much they send. The count and the write are one statement, so
// arrivals at once do not all get in.
func (s *Store) AddUnlessMany(ctx context.Context, db Execer, r Record, since time.Time, max int) (bool, error) {
	if !known[r.Type] {
		return false, fmt.Errorf("notification: unknown type %q", r.Type)
	}
	if db == nil {
		db = s.db
	}
	ev := eventType(r.Type)
	res, err := db.ExecContext(ctx, `INSERT INTO notifications(id, type, event_type, actor_id, object_id, object_url, text, created)
		SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE (SELECT COUNT(*) FROM (
			SELECT 1 FROM notifications WHERE event_type = ? AND actor_id = ? AND created >= ? LIMIT ?) recent) < ?
		ON CONFLICT(event_type, actor_id, object_id) DO NOTHING`,
		r.ID, r.Type, ev, r.ActorID, r.ObjectID, r.ObjectURL, r.Text, r.Created.Unix(), ev, r.ActorID, since.Unix(), max, max)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// Page reads one page, newest first. A Limit of 0 or less reads nothing.
func (s *Store) Page(ctx context.Context, q Query) ([]Record, error) {
	if q.Limit <= 0 {
		return nil, nil
	}
	if q.Before <= 0 {
		q.Before = math.MaxInt64
	}
	query := `SELECT id, type, actor_id, object_id, object_url, text, created, seen
		FROM notifications WHERE id < ? AND id > ?`
	args := []any{q.Before, q.After}
	if len(q.Types) > 0 {
		query += ` AND type IN (` + strings.TrimSuffix(strings.Repeat("?, ", len(q.Types)), ", ") + `)`
		for _, t := range q.Types {
			args = append(args, t)
		}
	}
	// min_id pages walk forward: the rows just above After, read oldest
	// first and turned around below.
	if q.Oldest {
		query += ` ORDER BY id ASC LIMIT ?`
	} else {
		query += ` ORDER BY id DESC LIMIT ?`
	}
	rows, err := s.db.QueryContext(ctx, query, append(args, q.Limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var r Record
		var created int64
		var seen int
		if err := rows.Scan(&r.ID, &r.Type, &r.ActorID, &r.ObjectID, &r.ObjectURL, &r.Text, &created, &seen); err != nil {
			return nil, err
		}
		r.Created, r.Seen = time.Unix(created, 0).UTC(), seen != 0
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if q.Oldest {
		slices.Reverse(out)
	}
	return out, nil
}

// Unread counts the notifications not yet seen.
func (s *Store) Unread(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE seen = 0`).Scan(&n)
	return n, err
}

// MarkAllSeen marks every notification as seen.
func (s *Store) MarkAllSeen(ctx context.Context) error {
	_, err := s.db.ExecContext(ctx, `UPDATE notifications SET seen = 1 WHERE seen = 0`)
	return err
}

// Delete removes one notification.
func (s *Store) Delete(ctx context.Context, id int64) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM notifications WHERE id = ?`, id)
	return err
}

// Clear removes every notification.
func (s *Store) Clear(ctx context.Context) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM notifications`)
	return err
}

// ForgetPost removes the notifications a remote post made (it mentioned or
// answered the owner, or was edited), in the transaction that deletes the
// post, so that none leads to a post that is gone.
func (s *Store) ForgetPost(ctx context.Context, tx Execer, objectID string) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM notifications WHERE object_id = ? AND type IN (?, ?, ?)`,
		objectID, Mention, Reply, Update)
	return err
}
