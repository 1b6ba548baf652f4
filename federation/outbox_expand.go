package federation

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// The outbox's second step: turning a published activity's audience into
// delivery rows. It runs here, after the room's commit, because it may have
// to fetch mentioned actors from their servers, which a request must never
// wait for.

const (
	// expandBatch is how many pending activities are expanded at a time, and
	// expandParallel how many of them at once (each may wait on a slow
	// server for an addressee's actor document).
	expandBatch    = 32
	expandParallel = 4
	// expandTimeout bounds the expansion of one activity.
	expandTimeout = 45 * time.Second
	// expandIdle is how often the loop looks for pending activities when it
	// was not woken; expandEager how soon it looks again after a wake-up that
	// found nothing (the publishing transaction had not committed yet).
	expandIdle  = time.Second
	expandEager = 10 * time.Millisecond
)

// pendingActivity is one row of outbox_pending.
type pendingActivity struct {
	id       string
	audience Audience
	attempts int
	created  time.Time
}

// outboxQueued wakes the expansion loop without blocking.
func (s *Service) outboxQueued() {
	select {
	case s.outboxWake <- struct{}{}:
	default:
	}
	s.woken(WorkDeliveries)
}

// expandLoop expands pending activities until ctx ends; an expansion under
// way when it ends is finished (its deliveries are then queued, or it stays
// pending for the next start).
func (s *Service) expandLoop(ctx context.Context) {
	eager := false
	for ctx.Err() == nil {
		batch, err := s.pendingActivities(ctx)
		if err != nil && ctx.Err() == nil {
			slog.Error("outbox: read pending", "err", err)
		}
		if len(batch) > 0 {
			s.expandAll(batch)
			eager = false
			continue
		}
		wait := expandIdle
		if eager {
			wait, eager = expandEager, false
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-s.outboxWake:
			eager = true
		case <-t.C:
		}
		t.Stop()
	}
}

func (s *Service) pendingActivities(ctx context.Context) ([]pendingActivity, error) {
	rows, err := s.cfg.DB.QueryContext(ctx, `SELECT activity_id, audience, attempts, created FROM outbox_pending
		WHERE next_try <= ? ORDER BY created LIMIT ?`, s.now().UnixMilli(), expandBatch)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []pendingActivity
	for rows.Next() {
		var p pendingActivity
		var audience string
		var created int64
		if err := rows.Scan(&p.id, &audience, &p.attempts, &created); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(audience), &p.audience); err != nil {
			slog.Error("outbox: unreadable audience, dropped", "activity", p.id, "err", err)
			p.audience = Audience{}
		}
		p.created = time.UnixMilli(created)
		out = append(out, p)
	}
	return out, rows.Err()
}

// expandAll expands a batch, a few at a time, and returns when all are
// done. The audiences are worked out in parallel, but each activity's
// deliveries are queued only after those of the activities published
// before it, so that deliveries to one inbox keep the order of publication
// (delivery_order.go).
func (s *Service) expandAll(batch []pendingActivity) {
	sem := make(chan struct{}, expandParallel)
	var wg sync.WaitGroup
	prev := make(chan struct{})
	close(prev)
	for _, p := range batch {
		sem <- struct{}{}
		before, done := prev, make(chan struct{})
		wg.Go(func() {
			defer func() { <-sem }()
			defer close(done)
			ctx, cancel := context.WithTimeout(context.Background(), expandTimeout)
			defer cancel()
			inboxes, err := s.inboxesFor(ctx, p.audience)
			<-before
			if err == nil {
				err = s.queueDeliveries(ctx, p, inboxes)
			}
			if err != nil {
				s.expandFailed(ctx, p, err)
			}
		})
		prev = done
	}
	wg.Wait()
	s.notify()
}

// queueDeliveries queues one delivery per inbox of the activity's audience
// and takes it off the pending list, in one transaction: run twice (after a
// crash between the two), it queues nothing twice, as a delivery row is
// unique per (activity, inbox).
func (s *Service) queueDeliveries(ctx context.Context, p pendingActivity, inboxes []string) error {
	now := s.now().UnixMilli()
	tx, err := s.cfg.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if len(inboxes) > 0 {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO deliveries(activity_id, inbox, next_try, created) VALUES(?, ?, ?, ?)
			ON CONFLICT(activity_id, inbox) DO NOTHING`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, inbox := range inboxes {
			if _, err := stmt.ExecContext(ctx, p.id, inbox, now, now); err != nil {
				return fmt.Errorf("queue delivery to %s: %w", inbox, err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM outbox_pending WHERE activity_id = ?`, p.id); err != nil {
		return err
	}
	return tx.Commit()
}

// expandFailed schedules another try with back-off, or gives up after as
// long as a delivery would be retried.
func (s *Service) expandFailed(ctx context.Context, p pendingActivity, cause error) {
	attempts := p.attempts + 1
	next := s.now().Add(retryDelay(s.cfg.RetryBase, attempts))
	var err error
	if next.Sub(p.created) > giveUpAfter {
		slog.Error("outbox: giving up on an activity", "activity", p.id, "attempts", attempts, "err", cause)
		_, err = s.cfg.DB.ExecContext(ctx, `DELETE FROM outbox_pending WHERE activity_id = ?`, p.id)
	} else {
		slog.Warn("outbox: expansion failed, will retry", "activity", p.id, "attempts", attempts, "err", cause)
		_, err = s.cfg.DB.ExecContext(ctx, `UPDATE outbox_pending SET attempts = ?, next_try = ?, last_error = ?
			WHERE activity_id = ?`, attempts, next.UnixMilli(), cause.Error(), p.id)
	}
	if err != nil {
		slog.Error("outbox: record failure", "activity", p.id, "err", err)
	}
}

// Settled reports whether every queue is worked through: no accepted
// incoming activity waits to be processed (or retried), no published
// activity waits for its audience to be worked out and no delivery waits
// to be sent or retried. Tests wait for it rather than
// sleeping; an operator's health check could use it too.
func (s *Service) Settled(ctx context.Context) (bool, error) {
	var pending int
	err := s.cfg.DB.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM inbox_queue WHERE state = 0) +
		(SELECT COUNT(*) FROM outbox_pending) +
		(SELECT COUNT(*) FROM deliveries WHERE done = 0)`).Scan(&pending)
	if err != nil {
		return false, fmt.Errorf("settled: %w", err)
	}
	return pending == 0, nil
}
