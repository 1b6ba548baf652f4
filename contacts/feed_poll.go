package contacts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"time"

	"roost/federation"
)

const (
	// defaultFeedInterval is how often a lively feed is asked for news.
	defaultFeedInterval = 30 * time.Minute
	// maxFeedInterval caps the back-off of broken and quiet feeds: every
	// feed is looked at at least once a day.
	maxFeedInterval = 24 * time.Hour
	// pollBatch bounds one round; feeds left over are due in the next.
	pollBatch = 1000
)

// FeedStatus is how the polling of a feed goes, for its contact page.
type FeedStatus struct {
	Subscribed bool
	LastFetch  time.Time
	NextFetch  time.Time
	LastError  string // a short, safe description; "" when the last fetch worked
	Failures   int
	Interval   time.Duration
}

// FeedStatus reads the polling state of a feed contact.
func (c *Contacts) FeedStatus(ctx context.Context, feedURL string) (FeedStatus, error) {
	var st FeedStatus
	var last, next, interval int64
	err := c.db.QueryRowContext(ctx, `SELECT fp.last_fetch, fp.next_fetch, fp.interval, fp.last_error, fp.failures
		FROM feed_polls fp JOIN contacts c ON c.id = fp.contact_id WHERE c.feed_url = ?`, feedURL).
		Scan(&last, &next, &interval, &st.LastError, &st.Failures)
	if errors.Is(err, sql.ErrNoRows) {
		return FeedStatus{}, nil
	}
	if err != nil {
		return FeedStatus{}, fmt.Errorf("feed status %s: %w", feedURL, err)
	}
	st.Subscribed = true
	st.LastFetch, st.NextFetch, st.Interval = unixTime(last), unixTime(next), time.Duration(interval)*time.Second
	return st, nil
}

// pollFeedsEvery polls the feeds at each interval until ctx ends; Run
// starts it.
func (c *Contacts) pollFeedsEvery(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := c.PollFeeds(ctx); err != nil && ctx.Err() == nil {
			slog.Error("contacts: poll feeds", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// FeedsDueSQL is a query of one value: the unix millisecond at which the
// earliest subscribed feed is due for a fetch, NULL when there is none.
const FeedsDueSQL = `SELECT MIN(next_fetch) * 1000 FROM feed_polls`

// dueFeed is a feed whose next fetch has come.
type dueFeed struct {
	ct                 Contact
	etag, lastModified string
}

// PollFeeds fetches every feed that is due, a few at a time, and returns
// when all of them are done. A feed's failure is recorded on the feed and
// delays only that feed; the error returned is about the database. A round
// that starts while the previous one still runs returns at once.
func (c *Contacts) PollFeeds(ctx context.Context) error {
	if !c.polling.CompareAndSwap(false, true) {
		return nil
	}
	defer c.polling.Store(false)
	due, err := c.dueFeeds(ctx)
	if err != nil {
		return err
	}
	sem := make(chan struct{}, c.pollers)
	var wg sync.WaitGroup
	for _, f := range due {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return ctx.Err()
		}
		wg.Go(func() {
			defer func() { <-sem }()
			c.pollFeed(ctx, f)
		})
	}
	wg.Wait()
	return nil
}

func (c *Contacts) dueFeeds(ctx context.Context) ([]dueFeed, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT c.id, c.feed_url, c.name, c.url, c.avatar_url, fp.etag, fp.last_modified
		FROM feed_polls fp JOIN contacts c ON c.id = fp.contact_id
		WHERE fp.next_fetch <= ? ORDER BY fp.next_fetch LIMIT ?`, c.now().Unix(), pollBatch)
	if err != nil {
		return nil, fmt.Errorf("due feeds: %w", err)
	}
	defer rows.Close()
	var out []dueFeed
	for rows.Next() {
		f := dueFeed{ct: Contact{Kind: KindFeed}}
		if err := rows.Scan(&f.ct.ID, &f.ct.FeedURL, &f.ct.Name, &f.ct.URL, &f.ct.AvatarURL, &f.etag, &f.lastModified); err != nil {
			return nil, fmt.Errorf("due feeds: %w", err)
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("due feeds: %w", err)
	}
	return out, nil
}

// pollFeed fetches one feed and records the outcome.
func (c *Contacts) pollFeed(ctx context.Context, f dueFeed) {
	got, err := c.fetchFeed(ctx, f.ct.FeedURL, f.etag, f.lastModified)
	added := 0
	if err == nil && !got.notModified {
		if _, serr := c.saveFeed(ctx, f.ct.FeedURL, got.feed); serr != nil {
			slog.Error("contacts: poll feeds", "feed", f.ct.FeedURL, "err", serr)
		}
		added, err = c.deliverItems(ctx, f.ct, got.feed)
	}
	c.recordPoll(ctx, f.ct.ID, got, added, err)
}

// recordPoll stores the validators and schedules the next fetch. Failures
// double the interval each time; so do quiet feeds, every second fetch that
// brings nothing new; the site's own max-age or <ttl> is the least interval.
func (c *Contacts) recordPoll(ctx context.Context, contactID int64, got *fetchedFeed, added int, fetchErr error) {
	var failures, unchanged, minInterval int64
	var etag, lastModified string
	err := c.db.QueryRowContext(ctx, `SELECT failures, unchanged, min_interval, etag, last_modified FROM feed_polls
		WHERE contact_id = ?`, contactID).Scan(&failures, &unchanged, &minInterval, &etag, &lastModified)
	if err != nil {
		if !errors.Is(err, sql.ErrNoRows) {
			slog.Error("contacts: record poll", "contact", contactID, "err", err)
		}
		return
	}
	problem := ""
	var interval time.Duration
	switch {
	case fetchErr != nil:
		// The validators stay as they were, so that items the timeline
		// refused are offered again instead of hidden behind a 304.
		failures++
		problem = feedProblem(fetchErr)
		interval = backOff(failures)
		if got == nil {
			slog.Info("contacts: feed fetch failed", "contact", contactID, "err", fetchErr)
		}
	default:
		failures = 0
		if got.notModified || added == 0 {
			unchanged++
		} else {
			unchanged = 0
		}
		interval = backOff(unchanged / 2)
		minInterval = int64(got.minInterval / time.Second)
		etag, lastModified = got.etag, got.lastModified
	}
	interval = max(interval, time.Duration(minInterval)*time.Second)
	now := c.now()
	_, err = c.db.ExecContext(ctx, `UPDATE feed_polls SET etag = ?, last_modified = ?, min_interval = ?, interval = ?,
		failures = ?, unchanged = ?, last_fetch = ?, last_error = ?, next_fetch = ? WHERE contact_id = ?`,
		etag, lastModified, minInterval, int64(interval/time.Second), failures, unchanged, now.Unix(), problem,
		now.Add(interval).Unix(), contactID)
	if err != nil {
		slog.Error("contacts: record poll", "contact", contactID, "err", err)
	}
}

// backOff is the default interval doubled n times, at most a day.
func backOff(n int64) time.Duration {
	d := defaultFeedInterval
	for ; n > 0 && d < maxFeedInterval; n-- {
		d *= 2
	}
	return min(d, maxFeedInterval)
}

// feedProblem says what went wrong in words fit for the owner's page; the
// error itself may carry addresses and internals and goes to the log.
func feedProblem(err error) string {
	var ne net.Error
	var se *federation.StatusError
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		return "The site did not answer in time."
	case errors.Is(err, ErrFeedTooLarge):
		return "The feed is larger than 5 MiB."
	case errors.Is(err, ErrNotAFeed):
		return "The address no longer serves a feed."
	case errors.Is(err, federation.ErrForbiddenAddress):
		return "The feed's address points to a private network."
	case errors.Is(err, errBadFeed):
		return "The feed could not be read: it is not valid RSS, Atom or JSON Feed."
	case errors.As(err, &se):
		return "The site answered HTTP " + strconv.Itoa(se.Status) + "."
	case errors.Is(err, errDeliver):
		return "The items could not be added to the timeline."
	}
	return "The site could not be reached."
}
