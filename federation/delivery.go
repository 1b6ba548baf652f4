package federation

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"roost/federation/vocab"
)

// Delivery timing.
const (
	// leaseTime is how long a claimed row belongs to this process. It is
	// far longer than one send, so only a crashed process's rows expire.
	leaseTime = 2 * time.Minute
	// maxRetryDelay caps the exponential back-off.
	maxRetryDelay = 6 * time.Hour
	// giveUpAfter is how long an undeliverable activity is retried, about
	// as long as Mastodon keeps trying before it marks a server unavailable.
	giveUpAfter = 72 * time.Hour
	// idlePoll bounds how long the loop sleeps when nothing is due.
	idlePoll = 30 * time.Second
	// housekeeping is how often old inbox ids and deliveries are pruned.
	housekeeping = time.Hour
)

// delivery is one claimed row of the queue.
type delivery struct {
	id         int64
	activityID string
	inbox      string
	attempts   int
	created    time.Time
}

// Run works the site's queues until ctx is cancelled: it processes
// accepted incoming activities (inboxLoop), expands published activities
// into deliveries (expandLoop) and delivers them with a pool of
// cfg.Workers workers. Rows left over from an earlier run (or a crashed
// process) are picked up too. On cancellation it
// stops claiming, lets sends in flight finish and returns the unsent claims
// to the queue, so a restart delivers each of them once.
func (s *Service) Run(ctx context.Context) {
	jobs := make(chan delivery)
	var wg sync.WaitGroup
	wg.Go(func() { s.inboxLoop(ctx) })
	wg.Go(func() { s.expandLoop(ctx) })
	for range s.cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range jobs {
				s.deliver(d)
			}
		}()
	}
	defer func() {
		close(jobs)
		wg.Wait()
	}()
	// One roost process owns its database, so a lease that is still running
	// when Run starts was taken by a process that died mid-send: its rows
	// are due now, not when the lease would have run out.
	if _, err := s.cfg.DB.ExecContext(ctx, `UPDATE deliveries SET lease_until = 0 WHERE done = 0 AND lease_until > 0`); err != nil {
		slog.Error("delivery: take over leases", "err", err)
	}

	lastHousekeeping := time.Time{}
	for ctx.Err() == nil {
		if time.Since(lastHousekeeping) > housekeeping {
			lastHousekeeping = time.Now()
			if err := s.prune(ctx); err != nil {
				slog.Warn("delivery: housekeeping", "err", err)
			}
		}
		batch, err := s.claim(ctx, 2*s.cfg.Workers)
		if err != nil {
			if ctx.Err() == nil {
				slog.Error("delivery: claim", "err", err)
			}
			s.sleep(ctx, time.Second)
			continue
		}
		for i, d := range batch {
			select {
			case jobs <- d:
			case <-ctx.Done():
				s.release(batch[i:])
				return
			}
		}
		if len(batch) == 0 {
			s.sleep(ctx, s.untilNextDue(ctx))
		}
	}
}

// sleep waits for d, a wake-up from Publish, or cancellation.
func (s *Service) sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-s.wake:
	case <-t.C:
	}
}

// claim leases up to n due rows. The lease is taken in the same statement
// that selects the rows, so two workers (or two processes on one database)
// never claim the same row.
func (s *Service) claim(ctx context.Context, n int) ([]delivery, error) {
	now := s.now().UnixMilli()
	rows, err := s.cfg.DB.QueryContext(ctx, `UPDATE deliveries SET lease_until = ?
		WHERE id IN (SELECT id FROM deliveries d WHERE done = 0 AND next_try <= ? AND lease_until <= ? AND `+notBehind+`
			ORDER BY next_try, id LIMIT ?`+skipLocked(s.cfg.DB)+`)
		RETURNING id, activity_id, inbox, attempts, created`,
		now+leaseTime.Milliseconds(), now, now, now, now, n)
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	defer rows.Close()
	var out []delivery
	for rows.Next() {
		var d delivery
		var created int64
		if err := rows.Scan(&d.id, &d.activityID, &d.inbox, &d.attempts, &created); err != nil {
			return nil, fmt.Errorf("claim deliveries: %w", err)
		}
		d.created = time.UnixMilli(created)
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	return out, nil
}

// release hands unsent claims back to the queue.
func (s *Service) release(batch []delivery) {
	for _, d := range batch {
		if _, err := s.cfg.DB.Exec(`UPDATE deliveries SET lease_until = 0 WHERE id = ?`, d.id); err != nil {
			slog.Error("delivery: release", "inbox", d.inbox, "err", err)
		}
	}
}

// untilNextDue is how long until the next row may be claimed.
func (s *Service) untilNextDue(ctx context.Context) time.Duration {
	var next sql.NullInt64
	// A row waiting behind one being sent to its inbox is not due: the
	// earlier row's lease or its finish (which wakes the loop) is.
	err := s.cfg.DB.QueryRowContext(ctx, `SELECT MIN(CASE WHEN lease_until > next_try THEN lease_until ELSE next_try END)
		FROM deliveries d WHERE done = 0 AND `+notLeasedBehind).Scan(&next)
	if err != nil || !next.Valid {
		return idlePoll
	}
	wait := time.UnixMilli(next.Int64).Sub(s.now())
	switch {
	case wait < 5*time.Millisecond:
		return 5 * time.Millisecond
	case wait > idlePoll:
		return idlePoll
	}
	return wait
}

// deliver sends one activity to one inbox and records the outcome. It runs
// to completion even when Run is being cancelled, so that a delivery is
// never sent without being marked.
func (s *Service) deliver(d delivery) {
	ctx, cancel := context.WithTimeout(context.Background(), fetchTimeout+5*time.Second)
	defer cancel()
	doc, err := s.docs.get(ctx, s.cfg.DB, d.activityID)
	if err != nil {
		// Only a missing activity is hopeless; a busy database is not.
		s.finish(ctx, d, fmt.Errorf("load activity: %w", err), errors.Is(err, ErrNotFound))
		return
	}
	status, err := s.post(ctx, d.inbox, doc)
	switch {
	case err != nil:
		s.finish(ctx, d, err, false)
	case status >= 200 && status <= 299:
		s.finish(ctx, d, nil, false)
	default:
		s.finish(ctx, d, fmt.Errorf("%s answered %d", d.inbox, status), permanentStatus(status))
	}
}

// permanentStatus reports whether an answer means "never retry": the inbox
// is gone (404, 410) or the peer refuses this request as such (4xx), except
// for the answers that mean "not now": 401 (the peer could not fetch our
// key yet), 408 and 429.
func permanentStatus(status int) bool {
	switch status {
	case http.StatusUnauthorized, http.StatusRequestTimeout, http.StatusTooManyRequests:
		return false
	}
	return status >= 400 && status <= 499
}

// post sends a signed POST and returns the status.
func (s *Service) post(ctx context.Context, inbox string, doc []byte) (int, error) {
	header := http.Header{}
	header.Set("Content-Type", vocab.ContentTypeActivity)
	header.Set("Accept", acceptActivity)
	header.Set("User-Agent", s.userAgent())
	signer, err := s.ownerSigner(ctx)
	if err != nil {
		return 0, fmt.Errorf("deliver to %s: %w", inbox, err)
	}
	resp, err := s.signedDo(ctx, signer, http.MethodPost, inbox, doc, header)
	if err != nil {
		return 0, fmt.Errorf("deliver to %s: %w", inbox, err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	resp.Body.Close()
	return resp.StatusCode, nil
}

// finish marks a delivery done (sent or given up) or schedules a retry with
// exponential back-off and jitter.
func (s *Service) finish(ctx context.Context, d delivery, sendErr error, permanent bool) {
	now := s.now()
	attempts := d.attempts + 1
	var err error
	switch {
	case sendErr == nil:
		_, err = s.cfg.DB.ExecContext(ctx, `UPDATE deliveries SET done = 1, attempts = ?, lease_until = 0, last_error = ''
			WHERE id = ?`, attempts, d.id)
	case permanent || now.Add(retryDelay(s.cfg.RetryBase, attempts)).Sub(d.created) > giveUpAfter:
		slog.Info("delivery: giving up", "inbox", d.inbox, "activity", d.activityID, "attempts", attempts, "err", sendErr)
		_, err = s.cfg.DB.ExecContext(ctx, `UPDATE deliveries SET done = 1, attempts = ?, lease_until = 0, last_error = ?
			WHERE id = ?`, attempts, sendErr.Error(), d.id)
	default:
		next := now.Add(retryDelay(s.cfg.RetryBase, attempts))
		_, err = s.cfg.DB.ExecContext(ctx, `UPDATE deliveries SET attempts = ?, next_try = ?, lease_until = 0, last_error = ?
			WHERE id = ?`, attempts, next.UnixMilli(), sendErr.Error(), d.id)
	}
	if err != nil {
		slog.Error("delivery: record outcome", "inbox", d.inbox, "activity", d.activityID, "err", err)
	}
	// The loop may be sleeping on this row's lease; let it see the new
	// next_try. A pool's worker reschedules the site itself after its step.
	s.wakeLoop()
}

// retryDelay is base·2^(attempts-1), capped, with ±20% jitter so that the
// retries of a big fan-out do not all hit a recovering server at once.
func retryDelay(base time.Duration, attempts int) time.Duration {
	d := base
	for i := 1; i < attempts && d < maxRetryDelay; i++ {
		d *= 2
	}
	d = min(d, maxRetryDelay)
	jitter := time.Duration(rand.Int64N(int64(d)/5+1)) * 2
	return d - d/5 + jitter
}

// docCache keeps the documents of recently delivered activities: a fan-out
// sends the same bytes to every inbox.
type docCache struct {
	mu   sync.Mutex
	docs map[string][]byte
}

func (c *docCache) get(ctx context.Context, db *sql.DB, id string) ([]byte, error) {
	c.mu.Lock()
	doc, ok := c.docs[id]
	c.mu.Unlock()
	if ok {
		return doc, nil
	}
	var text string
	err := db.QueryRowContext(ctx, `SELECT document FROM activities WHERE id = ?`, id).Scan(&text)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.docs == nil || len(c.docs) >= 64 {
		c.docs = map[string][]byte{}
	}
	c.docs[id] = []byte(text)
	return c.docs[id], nil
}

func (c *docCache) forget(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.docs, id)
}
