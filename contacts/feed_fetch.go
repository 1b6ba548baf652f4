package contacts

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/rss"

	"roost/federation"
)

const (
	// maxFeedBytes caps a feed document; podcasts with years of episodes
	// stay below it, and nothing larger is worth parsing every half hour.
	maxFeedBytes = 5 << 20
	// feedTimeout bounds one fetch, so a slow site holds one worker for at
	// most this long.
	feedTimeout = 30 * time.Second
	feedAccept  = "application/atom+xml, application/rss+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
	userAgent   = "roost feed reader (+https://github.com/roost)"
)

// ErrFeedTooLarge is returned for a feed over maxFeedBytes.
var ErrFeedTooLarge = errors.New("contacts: feed larger than 5 MiB")

// errBadFeed marks a document that claims a feed format but does not parse.
var errBadFeed = errors.New("invalid feed")

// ErrNotAFeed is returned when a document parses as no known feed format.
var ErrNotAFeed = errors.New("contacts: not an RSS, Atom or JSON feed")

// fetchedFeed is one answer of a feed's site.
type fetchedFeed struct {
	notModified  bool
	feed         *gofeed.Feed
	etag         string
	lastModified string
	// minInterval is the least time to wait before asking again, from
	// Cache-Control max-age or RSS <ttl>.
	minInterval time.Duration
}

// fetchFeed does a conditional GET of a feed: the validators of the last
// answer go back as If-None-Match and If-Modified-Since, so an unchanged
// feed costs the site a 304 and us no parsing.
func (c *Contacts) fetchFeed(ctx context.Context, feedURL, etag, lastModified string) (*fetchedFeed, error) {
	ctx, cancel := context.WithTimeout(ctx, feedTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, feedURL, nil)
	if err != nil {
		return nil, fmt.Errorf("fetch feed %s: %w", feedURL, err)
	}
	req.Header.Set("Accept", feedAccept)
	req.Header.Set("User-Agent", userAgent)
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	if lastModified != "" {
		req.Header.Set("If-Modified-Since", lastModified)
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch feed %s: %w", feedURL, err)
	}
	defer resp.Body.Close()
	out := &fetchedFeed{etag: etag, lastModified: lastModified, minInterval: maxAge(resp.Header)}
	if resp.StatusCode == http.StatusNotModified {
		out.notModified = true
		return out, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, fmt.Errorf("fetch feed: %w", &federation.StatusError{URL: feedURL, Status: resp.StatusCode})
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxFeedBytes+1))
	if err != nil {
		return nil, fmt.Errorf("fetch feed %s: %w", feedURL, err)
	}
	if len(body) > maxFeedBytes {
		return nil, fmt.Errorf("fetch feed %s: %w", feedURL, ErrFeedTooLarge)
	}
	out.feed, out.minInterval, err = parseFeed(body, out.minInterval)
	if err != nil {
		return nil, fmt.Errorf("fetch feed %s: %w", feedURL, err)
	}
	out.etag = resp.Header.Get("ETag")
	out.lastModified = resp.Header.Get("Last-Modified")
	return out, nil
}

// parseFeed reads RSS, Atom or JSON Feed. RSS's <ttl> (minutes) is only in
// the format-specific document, so RSS is parsed on its own and translated.
func parseFeed(body []byte, minInterval time.Duration) (*gofeed.Feed, time.Duration, error) {
	kind := gofeed.DetectFeedType(bytes.NewReader(body))
	if kind == gofeed.FeedTypeUnknown {
		return nil, 0, ErrNotAFeed
	}
	if kind == gofeed.FeedTypeRSS {
		raw, err := (&rss.Parser{}).Parse(bytes.NewReader(body))
		if err != nil {
			return nil, 0, fmt.Errorf("parse RSS: %w: %w", errBadFeed, err)
		}
		if m, err := strconv.Atoi(strings.TrimSpace(raw.TTL)); err == nil && m > 0 {
			minInterval = max(minInterval, time.Duration(m)*time.Minute)
		}
		f, err := (&gofeed.DefaultRSSTranslator{}).Translate(raw)
		if err != nil {
			return nil, 0, fmt.Errorf("parse RSS: %w: %w", errBadFeed, err)
		}
		return f, minInterval, nil
	}
	f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return nil, 0, fmt.Errorf("parse feed: %w: %w", errBadFeed, err)
	}
	return f, minInterval, nil
}

// maxAge reads Cache-Control max-age; no-store and no-cache say nothing
// about how often to ask, so they count as no hint.
func maxAge(h http.Header) time.Duration {
	for _, part := range strings.Split(h.Get("Cache-Control"), ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || !strings.EqualFold(name, "max-age") {
			continue
		}
		if n, err := strconv.Atoi(strings.Trim(value, `"`)); err == nil && n > 0 {
			return time.Duration(n) * time.Second
		}
	}
	return 0
}
