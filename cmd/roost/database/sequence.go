package database

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"
)

// Sequence hands out the site's ids: one generator for every room, so that
// an id says when something arrived, whatever it is. Ids are snowflake
// shaped (milliseconds in the high bits, a counter in the low 16) so they
// still read as times, but they come from the clock of arrival, never from
// a date a peer or an import claims: a post published yesterday and
// received now sorts above everything already shown, which is what a
// Mastodon app polling with since_id relies on.
//
// They never go backwards: not when two ids are asked for in one
// millisecond, not when the clock steps back, not across a restart (the
// sequence starts above the largest id already stored).
type Sequence struct {
	mu   sync.Mutex
	last int64
	now  func() time.Time
}

// NewSequence starts a sequence above the largest id the given queries
// return (each a "SELECT MAX(id) FROM …" of a table whose ids it hands out).
func NewSequence(ctx context.Context, db *sql.DB, now func() time.Time, maxQueries ...string) (*Sequence, error) {
	if now == nil {
		now = time.Now
	}
	s := &Sequence{now: now}
	for _, q := range maxQueries {
		var top sql.NullInt64
		if err := db.QueryRowContext(ctx, q).Scan(&top); err != nil {
			return nil, fmt.Errorf("id sequence: %s: %w", q, err)
		}
		s.last = max(s.last, top.Int64)
	}
	return s, nil
}

// Next returns a fresh id, larger than every id handed out before.
func (s *Sequence) Next() int64 {
	id := s.now().UnixMilli() << 16
	s.mu.Lock()
	defer s.mu.Unlock()
	if id <= s.last {
		id = s.last + 1
	}
	s.last = id
	return id
}
