package blog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html"

	"roost/federation"
)

// Limits of Webmention sending.
const (
	// maxTargetsPerPost bounds the pages one post tells; a post that links
	// to more is a link list, and the first ones are told.
	maxTargetsPerPost = 100
	// sendTimeout bounds one send: the discovery fetch and the POST.
	sendTimeout = 30 * time.Second
	// sendLease is how long a claimed send belongs to the loop: longer than
	// a batch of 8 sends at their slowest, so only a crashed process's
	// claims run out.
	sendLease = 5 * time.Minute
	// maxSendAttempts and maxSendDelay shape the back-off: with the default
	// first wait of a minute, the last try is about a day after the first.
	maxSendAttempts = 12
	maxSendDelay    = 6 * time.Hour
	// defaultSendRetry is the first wait before a failed send is tried again.
	defaultSendRetry = time.Minute
)

// QueueWebmentions records, in tx (the transaction that saves the post),
// that the post at source now reads contentHTML, and queues a Webmention to
// every page it links to, and to every page it linked to before and no
// longer does, so those can take the mention down. An empty contentHTML
// means the post is gone or no longer public. Links to the site itself and
// to the addresses in skip (fediverse accounts the post reaches by
// ActivityPub) are not told.
func (b *Blog) QueueWebmentions(ctx context.Context, tx *sql.Tx, source, contentHTML string, skip []string) error {
	if b.webClient == nil {
		return nil
	}
	links := b.outboundLinks(source, contentHTML, skip)
	rows, err := tx.QueryContext(ctx, `SELECT target, linked FROM webmention_sends WHERE source = ?`, source)
	if err != nil {
		return fmt.Errorf("queue webmentions: %w", err)
	}
	known := map[string]bool{}
	for rows.Next() {
		var target string
		var linked bool
		if err := rows.Scan(&target, &linked); err != nil {
			rows.Close()
			return fmt.Errorf("queue webmentions: %w", err)
		}
		known[target] = linked
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("queue webmentions: %w", err)
	}
	now := b.clock().UnixMilli()
	queue := func(target string, linked bool) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO webmention_sends (source, target, linked, next_try) VALUES (?, ?, ?, ?)
			ON CONFLICT (source, target) DO UPDATE SET linked = excluded.linked, gen = webmention_sends.gen + 1,
				attempts = 0, done = 0, next_try = excluded.next_try, last_error = ''`, source, target, boolInt(linked), now)
		return err
	}
	for _, target := range links {
		if err := queue(target, true); err != nil {
			return fmt.Errorf("queue webmention to %s: %w", target, err)
		}
		delete(known, target)
	}
	for target, linked := range known {
		if !linked {
			continue // told already that the link went
		}
		if err := queue(target, false); err != nil {
			return fmt.Errorf("queue webmention to %s: %w", target, err)
		}
	}
	b.queued(b.sendsQueued)
	return nil
}

// outboundLinks are the distinct http(s) pages the HTML links to with <a
// href>, resolved against source, without fragments, leaving out this
// site's own pages and skip.
func (b *Blog) outboundLinks(source, contentHTML string, skip []string) []string {
	base, err := url.Parse(source)
	if err != nil || strings.TrimSpace(contentHTML) == "" {
		return nil
	}
	doc, err := html.Parse(strings.NewReader(contentHTML))
	if err != nil {
		return nil
	}
	own, _ := url.Parse(b.baseURL)
	seen := map[string]bool{}
	for _, s := range skip {
		seen[withoutFragment(s)] = true
	}
	var out []string
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode || n.Data != "a" || len(out) >= maxTargetsPerPost {
			continue
		}
		u, err := base.Parse(strings.TrimSpace(attr(n, "href")))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			continue
		}
		if own != nil && strings.EqualFold(u.Host, own.Host) {
			continue
		}
		target := withoutFragment(u.String())
		if seen[target] {
			continue
		}
		seen[target] = true
		out = append(out, target)
	}
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func withoutFragment(s string) string {
	if i := strings.IndexByte(s, '#'); i >= 0 {
		return s[:i]
	}
	return s
}

type webmentionSend struct {
	id, gen        int64
	source, target string
	attempts       int
}

// sendWebmentions sends the queued Webmentions until ctx ends, one at a
// time: each is two requests to a page the owner chose to link.
func (b *Blog) sendWebmentions(ctx context.Context) {
	b.workQueue(ctx, &b.sendsQueued, "webmention_sends", b.sendBatch)
}

// sendBatch claims the sends due now and sends them; it says how many.
func (b *Blog) sendBatch(ctx context.Context) (int, error) {
	batch, err := b.claimSends(ctx)
	for i, s := range batch {
		if ctx.Err() != nil {
			b.releaseSends(batch[i:])
			break
		}
		b.runSend(s)
	}
	return len(batch), err
}

func (b *Blog) claimSends(ctx context.Context) ([]webmentionSend, error) {
	now := b.clock().UnixMilli()
	rows, err := b.db.QueryContext(ctx, `UPDATE webmention_sends SET lease_until = ?
		WHERE id IN (SELECT id FROM webmention_sends WHERE done = 0 AND next_try <= ? AND lease_until <= ?
			ORDER BY next_try LIMIT 8)
		RETURNING id, gen, source, target, attempts`, now+sendLease.Milliseconds(), now, now)
	if err != nil {
		return nil, fmt.Errorf("claim webmention sends: %w", err)
	}
	defer rows.Close()
	var out []webmentionSend
	for rows.Next() {
		var s webmentionSend
		if err := rows.Scan(&s.id, &s.gen, &s.source, &s.target, &s.attempts); err != nil {
			return nil, fmt.Errorf("claim webmention sends: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func (b *Blog) releaseSends(batch []webmentionSend) {
	for _, s := range batch {
		if _, err := b.db.Exec(`UPDATE webmention_sends SET lease_until = 0 WHERE id = ?`, s.id); err != nil {
			slog.Error("blog: release webmention send", "target", s.target, "err", err)
		}
	}
}

// runSend sends one Webmention and records the outcome; it runs to the
// end even while the loop is stopping, so a send is never left unmarked.
func (b *Blog) runSend(s webmentionSend) {
	ctx, cancel := context.WithTimeout(context.Background(), sendTimeout+5*time.Second)
	defer cancel()
	endpoint, err := b.sendWebmention(ctx, s.source, s.target)
	attempts := s.attempts + 1
	switch {
	case err == nil || errors.Is(err, errNoEndpoint):
		lastError := ""
		if err != nil {
			lastError = err.Error()
		}
		_, err = b.db.ExecContext(ctx, `UPDATE webmention_sends SET done = 1, attempts = ?, lease_until = 0, endpoint = ?,
			last_error = ? WHERE id = ? AND gen = ?`, attempts, endpoint, lastError, s.id, s.gen)
	case permanentSendError(err) || attempts >= maxSendAttempts:
		slog.Info("blog: webmention not sent", "source", s.source, "target", s.target, "attempts", attempts, "err", err)
		_, err = b.db.ExecContext(ctx, `UPDATE webmention_sends SET done = 1, attempts = ?, lease_until = 0, endpoint = ?,
			last_error = ? WHERE id = ? AND gen = ?`, attempts, endpoint, err.Error(), s.id, s.gen)
	default:
		slog.Warn("blog: webmention send", "source", s.source, "target", s.target, "attempts", attempts, "err", err)
		next := b.clock().Add(sendDelay(b.sendRetry, attempts)).UnixMilli()
		_, err = b.db.ExecContext(ctx, `UPDATE webmention_sends SET attempts = ?, next_try = ?, lease_until = 0, endpoint = ?,
			last_error = ? WHERE id = ? AND gen = ?`, attempts, next, endpoint, err.Error(), s.id, s.gen)
	}
	if err == nil {
		// The post was saved again meanwhile: the newer send is due now.
		_, err = b.db.ExecContext(ctx, `UPDATE webmention_sends SET lease_until = 0 WHERE id = ? AND gen <> ?`, s.id, s.gen)
	}
	if err != nil {
		slog.Error("blog: record webmention send", "target", s.target, "err", err)
	}
}

// sendWebmention discovers target's endpoint and posts source and target
// to it, form-encoded (the spec's section 3.1.3).
func (b *Blog) sendWebmention(ctx context.Context, source, target string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	endpoint, err := discoverEndpoint(ctx, b.webClient, b.userAgent, target)
	if err != nil {
		return "", err
	}
	if u, err := url.Parse(endpoint); err == nil && strings.EqualFold(u.Host, b.host()) {
		return endpoint, fmt.Errorf("%w: the endpoint %s is this site's own", errNoEndpoint, endpoint)
	}
	form := url.Values{"source": {source}, "target": {target}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return endpoint, fmt.Errorf("send webmention: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", b.userAgent)
	resp, err := b.webClient.Do(req)
	if err != nil {
		return endpoint, fmt.Errorf("send webmention: %w", err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return endpoint, fmt.Errorf("send webmention: %w", &federation.StatusError{URL: endpoint, Status: resp.StatusCode})
	}
	return endpoint, nil
}

// permanentSendError: a 4xx answer other than 408 and 429 means the page
// or its endpoint refuses this Webmention as such; asking again changes
// nothing. So does a guard refusal of a private address.
func permanentSendError(err error) bool {
	if errors.Is(err, federation.ErrForbiddenAddress) {
		return true
	}
	var status *federation.StatusError
	if !errors.As(err, &status) {
		return false
	}
	switch status.Status {
	case http.StatusRequestTimeout, http.StatusTooManyRequests:
		return false
	}
	return status.Status >= 400 && status.Status <= 499
}

// sendDelay is base·2^(attempts-1), capped.
func sendDelay(base time.Duration, attempts int) time.Duration {
	d := base
	for i := 1; i < attempts && d < maxSendDelay; i++ {
		d *= 2
	}
	return min(d, maxSendDelay)
}

func (b *Blog) host() string {
	if u, err := url.Parse(b.baseURL); err == nil {
		return u.Host
	}
	return ""
}
