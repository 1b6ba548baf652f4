package blog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// The blog's two durable queues (Webmentions received and waiting to be
// checked, Webmentions to send) share one loop: claim what is due, work
// it, and sleep until the next row is due or a new row is queued.
const (
	// queueIdle bounds the sleep when nothing is due.
	queueIdle = 30 * time.Second
	// queueEager is how soon the loop looks again after a wake-up that found
	// nothing: the transaction that queued the row had not committed yet.
	queueEager = 20 * time.Millisecond
)

// queueSignal wakes a queue's loop without blocking.
type queueSignal struct{ c chan struct{} }

func newQueueSignal() queueSignal { return queueSignal{c: make(chan struct{}, 1)} }

func (q queueSignal) wake() {
	select {
	case q.c <- struct{}{}:
	default:
	}
}

// WebmentionsDueSQL reads when the next Webmention check or send may be
// claimed (unix milliseconds, NULL when none waits), for a provider that
// schedules a site's work without building it.
const WebmentionsDueSQL = `SELECT MIN(t) FROM (
	SELECT MIN(CASE WHEN lease_until > next_try THEN lease_until ELSE next_try END) AS t FROM webmention_checks
	UNION ALL SELECT MIN(CASE WHEN lease_until > next_try THEN lease_until ELSE next_try END) FROM webmention_sends WHERE done = 0) due`

// OnWebmentionQueued calls f each time a Webmention check or send is
// queued, so that shared workers serving many sites know to look at this
// one (RunWebmentions has its own wake-up).
func (b *Blog) OnWebmentionQueued(f func()) { b.onQueued.Store(&f) }

// queued wakes the loop of signal and tells OnWebmentionQueued's hook.
func (b *Blog) queued(signal queueSignal) {
	signal.wake()
	if f := b.onQueued.Load(); f != nil {
		(*f)()
	}
}

// WebmentionsStep does the Webmention work due now, once: a batch of checks
// and a batch of sends. It returns when the next row is due (zero when
// none waits), for shared workers that call it in turn for many sites.
// Leases are not taken over: other processes may hold them.
func (b *Blog) WebmentionsStep(ctx context.Context) (time.Time, error) {
	_, checkErr := b.checkBatch(ctx)
	_, sendErr := b.sendBatch(ctx)
	if err := errors.Join(checkErr, sendErr); err != nil {
		return time.Time{}, err
	}
	var next sql.NullInt64
	if err := b.db.QueryRowContext(ctx, WebmentionsDueSQL).Scan(&next); err != nil {
		return time.Time{}, fmt.Errorf("webmentions due: %w", err)
	}
	if !next.Valid {
		return time.Time{}, nil
	}
	return time.UnixMilli(next.Int64), nil
}

// RunWebmentions checks received Webmentions and sends the site's own
// until ctx ends. Rows claimed by a process that died are due at once:
// one roost process owns its database.
func (b *Blog) RunWebmentions(ctx context.Context) {
	for _, table := range []string{"webmention_checks", "webmention_sends"} {
		if _, err := b.db.ExecContext(ctx, `UPDATE `+table+` SET lease_until = 0 WHERE lease_until > 0`); err != nil {
			slog.Error("blog: take over leases", "table", table, "err", err)
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		b.verifyWebmentions(ctx)
	}()
	b.sendWebmentions(ctx)
	<-done
}

// workQueue calls work until ctx ends; work claims and handles a batch and
// says how many rows it handled.
func (b *Blog) workQueue(ctx context.Context, signal *queueSignal, table string, work func(context.Context) (int, error)) {
	eager := false
	for ctx.Err() == nil {
		n, err := work(ctx)
		if err != nil && ctx.Err() == nil {
			slog.Error("blog: queue", "table", table, "err", err)
		}
		if n > 0 {
			eager = false
			continue
		}
		wait := b.untilDue(ctx, table)
		if eager {
			wait, eager = queueEager, false
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-signal.c:
			eager = true
		case <-t.C:
		}
		t.Stop()
	}
}

// untilDue is how long until the next row of table may be claimed.
func (b *Blog) untilDue(ctx context.Context, table string) time.Duration {
	var next sql.NullInt64
	q := fmt.Sprintf(`SELECT MIN(CASE WHEN lease_until > next_try THEN lease_until ELSE next_try END) FROM %s`, table)
	if table == "webmention_sends" {
		q += ` WHERE done = 0`
	}
	if err := b.db.QueryRowContext(ctx, q).Scan(&next); err != nil || !next.Valid {
		return queueIdle
	}
	wait := time.UnixMilli(next.Int64).Sub(b.clock())
	return min(max(wait, 5*time.Millisecond), queueIdle)
}
