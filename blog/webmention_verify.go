package blog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/PuerkitoBio/goquery"

	"roost/federation"
)

var (
	// errTooManyChecks: maxPendingChecks Webmentions already wait.
	errTooManyChecks = errors.New("too many Webmentions waiting")
	// errSourceTooLarge is final: the page will not shrink by asking again.
	errSourceTooLarge = fmt.Errorf("source larger than %d bytes", maxSourceSize)
)

// webmentionRetries are the waits before fetching a source again that
// could not be reached (a server restarting, a network hiccup).
var webmentionRetries = []time.Duration{time.Second, 5 * time.Second, 30 * time.Second}

// checkLease is how long a claimed check belongs to the loop: longer than
// a batch of 16 checks at their slowest, so only a crashed process's
// claims run out.
const checkLease = 5 * time.Minute

// mentionTarget is what a Webmention is about: an article, or one of the
// owner's notes.
type mentionTarget struct {
	articleID int64
	noteURL   string
}

// acceptsWebmentionsAt reports whether target is a published post or a
// public note of this site.
func (b *Blog) acceptsWebmentionsAt(ctx context.Context, target string) bool {
	_, ok := b.targetOf(ctx, target)
	return ok
}

func (b *Blog) targetOf(ctx context.Context, target string) (mentionTarget, bool) {
	if a, err := b.ByURL(ctx, target); err == nil {
		if a.Page || a.Draft || !a.Due(b.now()) {
			return mentionTarget{}, false
		}
		return mentionTarget{articleID: a.ID}, true
	}
	if b.noteTarget != nil {
		if u, ok := b.noteTarget(ctx, target); ok {
			return mentionTarget{noteURL: u}, true
		}
	}
	return mentionTarget{}, false
}

// queueCheck stores a received Webmention until its source is checked. The
// same source and target again while it waits is one check, made anew.
func (b *Blog) queueCheck(ctx context.Context, source, target string) error {
	var pending int
	if err := b.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM webmention_checks`).Scan(&pending); err != nil {
		return fmt.Errorf("count webmention checks: %w", err)
	}
	if pending >= maxPendingChecks {
		return errTooManyChecks
	}
	_, err := b.db.ExecContext(ctx, `INSERT INTO webmention_checks (source, target, next_try) VALUES (?, ?, ?)
		ON CONFLICT (source, target) DO UPDATE SET gen = webmention_checks.gen + 1, attempts = 0,
			next_try = excluded.next_try`, source, target, b.clock().UnixMilli())
	if err != nil {
		return fmt.Errorf("queue webmention check: %w", err)
	}
	b.queued(b.checksQueued)
	return nil
}

type webmentionCheck struct {
	id, gen        int64
	source, target string
	attempts       int
}

// verifyWebmentions works through the waiting checks, one source at a
// time at a bounded rate, until ctx ends.
func (b *Blog) verifyWebmentions(ctx context.Context) {
	b.workQueue(ctx, &b.checksQueued, "webmention_checks", b.checkBatch)
}

// checkBatch claims the checks due now and runs them at checkLimit's pace;
// it says how many it claimed.
func (b *Blog) checkBatch(ctx context.Context) (int, error) {
	batch, err := b.claimChecks(ctx)
	for _, c := range batch {
		if b.checkLimit.Wait(ctx) != nil {
			b.releaseCheck(c)
			continue
		}
		b.runCheck(c)
	}
	return len(batch), err
}

func (b *Blog) claimChecks(ctx context.Context) ([]webmentionCheck, error) {
	now := b.clock().UnixMilli()
	rows, err := b.db.QueryContext(ctx, `UPDATE webmention_checks SET lease_until = ?
		WHERE id IN (SELECT id FROM webmention_checks WHERE next_try <= ? AND lease_until <= ? ORDER BY next_try LIMIT 16)
		RETURNING id, gen, source, target, attempts`, now+checkLease.Milliseconds(), now, now)
	if err != nil {
		return nil, fmt.Errorf("claim webmention checks: %w", err)
	}
	defer rows.Close()
	var out []webmentionCheck
	for rows.Next() {
		var c webmentionCheck
		if err := rows.Scan(&c.id, &c.gen, &c.source, &c.target, &c.attempts); err != nil {
			return nil, fmt.Errorf("claim webmention checks: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (b *Blog) releaseCheck(c webmentionCheck) {
	if _, err := b.db.Exec(`UPDATE webmention_checks SET lease_until = 0 WHERE id = ?`, c.id); err != nil {
		slog.Error("blog: release webmention check", "source", c.source, "err", err)
	}
}

// runCheck verifies one Webmention and records the outcome: done (the
// row goes, unless the same Webmention came again meanwhile), or a retry
// when the source could not be reached.
func (b *Blog) runCheck(c webmentionCheck) {
	ctx, cancel := context.WithTimeout(context.Background(), webmentionTimeout)
	defer cancel()
	err := b.verifyWebmention(ctx, c.source, c.target)
	if err != nil {
		slog.Warn("blog: webmention", "source", c.source, "target", c.target, "attempt", c.attempts, "err", err)
	}
	if err != nil && retryableCheck(err) && c.attempts < len(webmentionRetries) {
		next := b.clock().Add(webmentionRetries[c.attempts]).UnixMilli()
		_, err = b.db.ExecContext(ctx, `UPDATE webmention_checks SET attempts = attempts + 1, next_try = ?, lease_until = 0
			WHERE id = ? AND gen = ?`, next, c.id, c.gen)
	} else {
		_, err = b.db.ExecContext(ctx, `DELETE FROM webmention_checks WHERE id = ? AND gen = ?`, c.id, c.gen)
	}
	if err == nil {
		// A newer request for the same pair came while this one ran: it is due.
		_, err = b.db.ExecContext(ctx, `UPDATE webmention_checks SET lease_until = 0 WHERE id = ? AND gen <> ?`, c.id, c.gen)
	}
	if err != nil {
		slog.Error("blog: record webmention check", "source", c.source, "err", err)
	}
}

// retryableCheck: a source that answered (even with an error status) is
// not asked again, except when it said "not now".
func retryableCheck(err error) bool {
	if errors.Is(err, errSourceTooLarge) {
		return false
	}
	var status *federation.StatusError
	return !errors.As(err, &status) || status.Status >= 500 || status.Status == http.StatusTooManyRequests
}

// verifyWebmention fetches the source: one that links to the target is
// stored (or updated), one that is gone or no longer links is removed. A
// target that is no longer a post of the site drops the Webmention.
func (b *Blog) verifyWebmention(ctx context.Context, source, target string) error {
	t, ok := b.targetOf(ctx, target)
	if !ok {
		return nil
	}
	body, err := b.fetchPage(ctx, source)
	if errors.Is(err, federation.ErrGone) || errors.Is(err, federation.ErrNotFound) {
		return b.removeWebmention(ctx, t, source)
	}
	if err != nil {
		return err
	}
	if len(body) > maxSourceSize {
		return errSourceTooLarge
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("parse source: %w", err)
	}
	src, _ := url.Parse(source)
	if !linksTo(doc, src, target) {
		return b.removeWebmention(ctx, t, source)
	}
	return b.saveWebmention(ctx, t, source, readMention(doc, src, target))
}
