package federation

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The inbox queue's storage: one row per accepted activity (table
// inbox_queue, see Migrations). The workers in inbox_worker.go claim rows,
// process them and record the outcome here.

// Row states of inbox_queue.
const (
	inboxWaiting = 0
	inboxDone    = 1
	inboxParked  = 2
)

const (
	// inboxLease is how long a claimed row belongs to the worker that
	// claimed it: far longer than processing one activity may take
	// (inboxTimeout) times the rows that may wait before it in a worker's
	// lane, so only a crashed process's claims run out.
	inboxLease = 15 * time.Minute
	// inboxMaxAttempts is how often an activity is tried before it is
	// parked. With the retry back-off doubling from RetryBase (30 s by
	// default) the last try comes some eight hours after the first.
	inboxMaxAttempts = 10
	// parkedRetention is how long parked activities are kept for the
	// operator to look at.
	parkedRetention = 30 * 24 * time.Hour
)

// inboxItem is one claimed row.
type inboxItem struct {
	id       int64
	actor    string
	document []byte
	attempts int // including this one
	received time.Time
	// forwardedBy is the server that delivered an activity it did not
	// write, with no proof by its actor (see forwarded.go); "" otherwise.
	forwardedBy string
}

// claimInbox leases up to n due rows, oldest first, counting the attempt
// at once so that an activity that crashes the process is parked after
// inboxMaxAttempts starts like any other failure.
func (s *Service) claimInbox(ctx context.Context, n int) ([]inboxItem, error) {
	now := s.now().UnixMilli()
	rows, err := s.cfg.DB.QueryContext(ctx, `UPDATE inbox_queue SET lease_until = ?, attempts = attempts + 1
		WHERE id IN (SELECT id FROM inbox_queue WHERE state = 0 AND next_try <= ? AND lease_until <= ?
			ORDER BY next_try, id LIMIT ?`+skipLocked(s.cfg.DB)+`)
		RETURNING id, actor, document, attempts, received, forwarded_by`,
		now+inboxLease.Milliseconds(), now, now, n)
	if err != nil {
		return nil, fmt.Errorf("claim inbox: %w", err)
	}
	defer rows.Close()
	var out []inboxItem
	for rows.Next() {
		var it inboxItem
		var doc string
		var received int64
		if err := rows.Scan(&it.id, &it.actor, &doc, &it.attempts, &received, &it.forwardedBy); err != nil {
			return nil, fmt.Errorf("claim inbox: %w", err)
		}
		it.document, it.received = []byte(doc), time.UnixMilli(received)
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claim inbox: %w", err)
	}
	// RETURNING does not promise the order of the subquery.
	slices.SortFunc(out, func(a, b inboxItem) int { return cmp.Compare(a.id, b.id) })
	return out, nil
}

// inboxProcessed marks rows done in one statement and empties their
// documents; the rows stay as the record of what was received.
func (s *Service) inboxProcessed(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	args := make([]any, 0, len(ids)+1)
	args = append(args, inboxDone)
	for _, id := range ids {
		args = append(args, id)
	}
	marks := strings.Repeat(",?", len(ids))[1:]
	_, err := s.cfg.DB.ExecContext(ctx, `UPDATE inbox_queue SET state = ?, document = '', lease_until = 0, last_error = ''
		WHERE id IN (`+marks+`)`, args...)
	if err != nil {
		return fmt.Errorf("mark processed: %w", err)
	}
	return nil
}

// inboxFailed schedules another try with back-off, or parks the row after
// inboxMaxAttempts (or at once, when retrying cannot help).
func (s *Service) inboxFailed(ctx context.Context, it inboxItem, cause error, retry bool) (parked bool, err error) {
	if !retry || it.attempts >= inboxMaxAttempts {
		_, err = s.cfg.DB.ExecContext(ctx, `UPDATE inbox_queue SET state = ?, lease_until = 0, last_error = ? WHERE id = ?`,
			inboxParked, cause.Error(), it.id)
		return true, err
	}
	next := s.now().Add(retryDelay(s.cfg.RetryBase, it.attempts)).UnixMilli()
	_, err = s.cfg.DB.ExecContext(ctx, `UPDATE inbox_queue SET next_try = ?, lease_until = 0, last_error = ? WHERE id = ?`,
		next, cause.Error(), it.id)
	return false, err
}

// releaseInbox gives claimed rows that were never started back to the
// queue (at shutdown), without counting the attempt.
func (s *Service) releaseInbox(ctx context.Context, items []inboxItem) error {
	for _, it := range items {
		if _, err := s.cfg.DB.ExecContext(ctx, `UPDATE inbox_queue SET lease_until = 0, attempts = attempts - 1
			WHERE id = ? AND state = 0`, it.id); err != nil {
			return fmt.Errorf("release inbox row: %w", err)
		}
	}
	return nil
}

// takeOverInboxLeases makes rows claimed by a process that died due now:
// one roost process owns its database, so a lease still running when the
// workers start is a dead process's.
func (s *Service) takeOverInboxLeases(ctx context.Context) error {
	_, err := s.cfg.DB.ExecContext(ctx, `UPDATE inbox_queue SET lease_until = 0 WHERE state = 0 AND lease_until > 0`)
	return err
}

// untilInboxDue is how long until the next waiting row is due, capped at
// idle.
func (s *Service) untilInboxDue(ctx context.Context, idle time.Duration) time.Duration {
	var next *int64
	err := s.cfg.DB.QueryRowContext(ctx, `SELECT MIN(next_try) FROM inbox_queue WHERE state = 0`).Scan(&next)
	if err != nil || next == nil {
		return idle
	}
	d := time.UnixMilli(*next).Sub(s.now())
	return min(max(d, 0), idle)
}

// pruneInbox forgets processed activities received before cutoff and
// parked ones older than parkedRetention.
func (s *Service) pruneInbox(ctx context.Context, cutoff time.Time) error {
	if _, err := s.cfg.DB.ExecContext(ctx, `DELETE FROM inbox_queue WHERE state = ? AND received < ?`,
		inboxDone, cutoff.UnixMilli()); err != nil {
		return fmt.Errorf("prune inbox: %w", err)
	}
	if _, err := s.cfg.DB.ExecContext(ctx, `DELETE FROM inbox_queue WHERE state = ? AND received < ?`,
		inboxParked, s.now().Add(-parkedRetention).UnixMilli()); err != nil {
		return fmt.Errorf("prune parked: %w", err)
	}
	return nil
}

// ParkedActivity is an incoming activity that kept failing and is no
// longer retried.
type ParkedActivity struct {
	Actor    string
	Document string
	Received time.Time
	Attempts int
	Error    string
}

// Parked lists the parked activities, newest first, for the operator.
func (s *Service) Parked(ctx context.Context, limit int) ([]ParkedActivity, error) {
	rows, err := s.cfg.DB.QueryContext(ctx, `SELECT actor, document, received, attempts, last_error FROM inbox_queue
		WHERE state = ? ORDER BY id DESC LIMIT ?`, inboxParked, limit)
	if err != nil {
		return nil, fmt.Errorf("parked: %w", err)
	}
	defer rows.Close()
	var out []ParkedActivity
	for rows.Next() {
		var p ParkedActivity
		var received int64
		if err := rows.Scan(&p.Actor, &p.Document, &received, &p.Attempts, &p.Error); err != nil {
			return nil, fmt.Errorf("parked: %w", err)
		}
		p.Received = time.UnixMilli(received)
		out = append(out, p)
	}
	return out, rows.Err()
}
