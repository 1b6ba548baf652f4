package federation

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"
)

// The room's background work as steps, for a host that serves many sites
// with shared worker pools instead of one Run per site: each step does what
// is due now and says when the next item falls due. The steps use the same
// claims, sends and records as Run; unlike Run they never take over leases
// at start, since on a database shared by several processes a running
// lease may belong to a live process mid-send (an expired one is claimable
// anyway, so a crashed process's rows are sent once their lease runs out).

// Work names a kind of background work the room asks its host for.
type Work int

const (
	// WorkDeliveries: an activity was published or deliveries were queued.
	WorkDeliveries Work = iota
	// WorkInbox: an accepted activity waits to be processed.
	WorkInbox
)

// DeliveriesDueSQL is a query of one value: the unix millisecond at which
// the earliest published activity waits to be expanded or the earliest
// delivery may be claimed, NULL when none waits. A host reads it for every
// site at start, before building any.
const DeliveriesDueSQL = `SELECT MIN(t) FROM (
	SELECT MIN(next_try) AS t FROM outbox_pending
	UNION ALL SELECT MIN(CASE WHEN lease_until > next_try THEN lease_until ELSE next_try END) FROM deliveries d
		WHERE done = 0 AND ` + notLeasedBehind + `
) due`

// InboxDueSQL is, like DeliveriesDueSQL, when the earliest accepted
// activity may be claimed.
const InboxDueSQL = `SELECT MIN(CASE WHEN lease_until > next_try THEN lease_until ELSE next_try END)
	FROM inbox_queue WHERE state = 0`

// OnWork asks to be told of every piece of background work queued, so that
// a host driving the steps schedules this site at once (a post's fan-out
// starts when it is published, not at the next poll). fn must not block.
func (s *Service) OnWork(fn func(Work)) { s.onWork.Store(&fn) }

func (s *Service) woken(w Work) {
	if fn := s.onWork.Load(); fn != nil {
		(*fn)(w)
	}
}

// DeliverDue expands the published activities that are due, then claims
// up to n due deliveries and sends them one after another. When the claim
// came back full it calls more before sending, so that another worker may
// claim the next batch of this site meanwhile. It returns when the next
// item is due (zero: nothing waits). Once ctx ends, claims not yet sent go
// back to the queue.
func (s *Service) DeliverDue(ctx context.Context, n int, more func()) (time.Time, error) {
	next, err := s.due(ctx, DeliveriesDueSQL)
	if err != nil || next.IsZero() || next.After(s.now()) {
		return next, err
	}
	pending, err := s.pendingActivities(ctx)
	if err != nil {
		return s.now().Add(time.Second), fmt.Errorf("outbox: read pending: %w", err)
	}
	if len(pending) > 0 {
		s.expandAll(pending)
	}
	batch, err := s.claim(ctx, n)
	if err != nil {
		return s.now().Add(time.Second), err
	}
	if len(batch) == n || len(pending) == expandBatch {
		more()
	}
	for i, d := range batch {
		if ctx.Err() != nil {
			s.release(batch[i:])
			break
		}
		s.deliver(d)
	}
	return s.due(ctx, DeliveriesDueSQL)
}

// ProcessInboxDue claims a batch of due incoming activities, processes
// them in the order they arrived and records the outcome. The host runs
// one such step of a site at a time, so one actor's activities keep their
// order. It returns when the next activity is due (zero: none waits).
func (s *Service) ProcessInboxDue(ctx context.Context) (time.Time, error) {
	next, err := s.due(ctx, InboxDueSQL)
	if err != nil || next.IsZero() || next.After(s.now()) {
		return next, err
	}
	batch, err := s.claimInbox(ctx, inboxBatch)
	if err != nil {
		return s.now().Add(time.Second), err
	}
	var done []int64
	for i, it := range batch {
		if ctx.Err() != nil {
			if err := s.releaseInbox(context.WithoutCancel(ctx), batch[i:]); err != nil {
				slog.Error("inbox: release at shutdown", "err", err)
			}
			break
		}
		if s.processQueued(it) {
			done = append(done, it.id)
		}
	}
	if err := s.inboxProcessed(context.WithoutCancel(ctx), done); err != nil {
		slog.Error("inbox: record processed", "count", len(done), "err", err)
	}
	if len(batch) == inboxBatch {
		return s.now(), nil
	}
	return s.due(ctx, InboxDueSQL)
}

// Housekeep forgets old inbox ids, processed activities and finished
// deliveries; Run does it hourly, a host as often as it likes.
func (s *Service) Housekeep(ctx context.Context) error { return s.prune(ctx) }

// due reads one of the *DueSQL queries.
func (s *Service) due(ctx context.Context, query string) (time.Time, error) {
	return DueAt(ctx, s.cfg.DB, query)
}

// DueAt runs a query of one unix-millisecond value (NULL: nothing due).
func DueAt(ctx context.Context, db *sql.DB, query string) (time.Time, error) {
	var ms sql.NullInt64
	if err := db.QueryRowContext(ctx, query).Scan(&ms); err != nil {
		return time.Time{}, fmt.Errorf("next due: %w", err)
	}
	if !ms.Valid {
		return time.Time{}, nil
	}
	return time.UnixMilli(ms.Int64), nil
}
