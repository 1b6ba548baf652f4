package contacts

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"roost/federation"
	"roost/federation/vocab"
)

// FeedItem is one new item of a subscribed feed, handed to the home
// timeline. The HTML fields went through vocab.SanitizeHTML; Title is
// plain text.
type FeedItem struct {
	FeedURL, SiteName, SiteURL, IconURL string

	ID, URL, Title, SummaryHTML, ContentHTML, Image string
	Published, Updated                              time.Time
}

// errDeliver marks an item that the timeline refused.
var errDeliver = errors.New("item not delivered")

// keepItems is how many items of each feed the book keeps for the contact
// page and for telling new items from old ones.
const keepItems = 50

// Feed media types in the order a site's feeds are preferred: Atom carries
// ids and dates reliably, RSS often lacks both, and JSON Feed is rarer.
var feedPreference = []string{"application/atom+xml", "application/rss+xml", "application/feed+json", "application/json"}

// pickFeed chooses the feed to subscribe to among a site's alternates.
func pickFeed(feeds []federation.FeedLink) string {
	best, rank := "", len(feedPreference)+1
	for _, f := range feeds {
		r := slices.Index(feedPreference, strings.ToLower(strings.TrimSpace(f.Type)))
		if r < 0 {
			r = len(feedPreference)
		}
		if r < rank {
			best, rank = f.URL, r
		}
	}
	return best
}

// SubscribeFeed follows a plain web feed: it is fetched at once (so a URL
// that is not a feed is refused), stored as a contact of kind feed and
// polled from then on. Subscribing again to a feed already followed
// changes nothing.
func (c *Contacts) SubscribeFeed(ctx context.Context, feedURL string) (Contact, error) {
	u, err := url.Parse(strings.TrimSpace(feedURL))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return Contact{}, fmt.Errorf("subscribe %q: %w", feedURL, ErrNotAFeed)
	}
	feedURL = u.String()
	if c.isBlocked(ctx, feedURL) {
		return Contact{}, fmt.Errorf("subscribe %s: %w", feedURL, ErrBlocked)
	}
	if c.FollowsAuthor(ctx, feedURL) {
		return c.get(ctx, feedURL)
	}
	got, err := c.fetchFeed(ctx, feedURL, "", "")
	if err != nil {
		return Contact{}, fmt.Errorf("subscribe: %w", err)
	}
	id, err := c.saveFeed(ctx, feedURL, got.feed)
	if err != nil {
		return Contact{}, fmt.Errorf("subscribe: %w", err)
	}
	now := c.now().Unix()
	if _, err := c.db.ExecContext(ctx, `INSERT INTO following(contact_id, state, activity_id, created)
		VALUES(?, 'accepted', ?, ?) ON CONFLICT(contact_id) DO UPDATE SET state = 'accepted'`, id, feedURL, now); err != nil {
		return Contact{}, fmt.Errorf("subscribe %s: %w", feedURL, err)
	}
	if _, err := c.db.ExecContext(ctx, `INSERT INTO feed_polls(contact_id, interval, next_fetch) VALUES(?, ?, ?)
		ON CONFLICT(contact_id) DO NOTHING`, id, int64(defaultFeedInterval/time.Second), now); err != nil {
		return Contact{}, fmt.Errorf("subscribe %s: %w", feedURL, err)
	}
	ct, err := c.get(ctx, feedURL)
	if err != nil {
		return Contact{}, fmt.Errorf("subscribe: %w", err)
	}
	// The first fetch counts as a poll: its items arrive now and the next
	// poll is a conditional one.
	added, err := c.deliverItems(ctx, ct, got.feed)
	c.recordPoll(ctx, ct.ID, got, added, err)
	return c.get(ctx, feedURL)
}

// unsubscribeFeed ends a feed subscription; the contact, its note and its
// groups stay.
func (c *Contacts) unsubscribeFeed(ctx context.Context, contactID int64) error {
	for _, q := range []string{`DELETE FROM feed_polls WHERE contact_id = ?`, `DELETE FROM following WHERE contact_id = ?`} {
		if _, err := c.db.ExecContext(ctx, q, contactID); err != nil {
			return fmt.Errorf("unsubscribe: %w", err)
		}
	}
	return nil
}

// saveFeed stores what a feed says about its site as a contact of kind feed.
func (c *Contacts) saveFeed(ctx context.Context, feedURL string, f *gofeed.Feed) (int64, error) {
	site := webURL(feedURL, f.Link)
	icon := ""
	if f.Image != nil {
		icon = webURL(feedURL, f.Image.URL)
	}
	name := strings.TrimSpace(vocab.PlainText(f.Title))
	host := domainOf(site)
	if host == "" {
		host = domainOf(feedURL)
	}
	var id int64
	err := c.db.QueryRowContext(ctx, `INSERT INTO contacts(kind, feed_url, domain, name, avatar_url, url, summary_html, fetched, created)
		VALUES('feed', ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(feed_url) DO UPDATE SET domain = excluded.domain, name = excluded.name,
		avatar_url = excluded.avatar_url, url = excluded.url, summary_html = excluded.summary_html, fetched = excluded.fetched
		RETURNING id`, feedURL, host, name, icon, site, vocab.SanitizeHTML(f.Description), c.now().Unix(), c.now().Unix()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("save feed %s: %w", feedURL, err)
	}
	return id, nil
}

// deliverItems stores the feed's new items and hands them to the timeline,
// oldest first. Only the newest keepItems of the feed are considered, the
// same ones the table keeps, so an item pruned from the table never comes
// back as new. An item the timeline refused is not stored, so the next poll
// offers it again.
func (c *Contacts) deliverItems(ctx context.Context, ct Contact, f *gofeed.Feed) (added int, err error) {
	known, err := c.knownItems(ctx, ct.ID)
	if err != nil {
		return 0, err
	}
	items := make([]FeedItem, 0, len(f.Items))
	for _, gi := range f.Items {
		if gi != nil {
			items = append(items, feedItem(ct, gi))
		}
	}
	slices.SortStableFunc(items, func(a, b FeedItem) int { return b.Published.Compare(a.Published) })
	items = items[:min(len(items), keepItems)]
	slices.Reverse(items)
	defer func() {
		if added == 0 {
			return
		}
		_, perr := c.db.ExecContext(ctx, `DELETE FROM feed_items WHERE contact_id = ? AND id NOT IN
		(SELECT id FROM feed_items WHERE contact_id = ? ORDER BY published DESC, id DESC LIMIT ?)`, ct.ID, ct.ID, keepItems)
		if perr != nil {
			err = errors.Join(err, fmt.Errorf("prune items of %s: %w", ct.FeedURL, perr))
		}
	}()
	for _, it := range items {
		if it.ID == "" || known[it.ID] {
			continue
		}
		known[it.ID] = true
		if c.itemArrived != nil {
			if err := c.itemArrived(ctx, it); err != nil {
				return added, fmt.Errorf("deliver %s: %w: %w", it.ID, errDeliver, err)
			}
		}
		if _, err := c.db.ExecContext(ctx, `INSERT INTO feed_items(contact_id, guid, url, title, summary_html,
			content_html, image, published, updated) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(contact_id, guid) DO NOTHING`,
			ct.ID, it.ID, it.URL, it.Title, it.SummaryHTML, it.ContentHTML, it.Image, unixOrZero(it.Published), unixOrZero(it.Updated)); err != nil {
			return added, fmt.Errorf("store item %s: %w", it.ID, err)
		}
		added++
	}
	return added, nil
}

func (c *Contacts) knownItems(ctx context.Context, contactID int64) (map[string]bool, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT guid FROM feed_items WHERE contact_id = ?`, contactID)
	if err != nil {
		return nil, fmt.Errorf("known items: %w", err)
	}
	defer rows.Close()
	known := map[string]bool{}
	for rows.Next() {
		var g string
		if err := rows.Scan(&g); err != nil {
			return nil, fmt.Errorf("known items: %w", err)
		}
		known[g] = true
	}
	return known, rows.Err()
}

// feedItem maps a parsed item; its id is the guid, else the link, else the
// title with the date, which is the best a minimal RSS item offers.
func feedItem(ct Contact, gi *gofeed.Item) FeedItem {
	it := FeedItem{
		FeedURL: ct.FeedURL, SiteName: ct.DisplayName(), SiteURL: ct.URL, IconURL: ct.AvatarURL,
		URL:         webURL(ct.FeedURL, gi.Link),
		Title:       strings.TrimSpace(vocab.PlainText(gi.Title)),
		SummaryHTML: vocab.SanitizeHTML(gi.Description),
		ContentHTML: vocab.SanitizeHTML(gi.Content),
	}
	if gi.PublishedParsed != nil {
		it.Published = gi.PublishedParsed.UTC()
	}
	if gi.UpdatedParsed != nil {
		it.Updated = gi.UpdatedParsed.UTC()
	}
	if it.Published.IsZero() {
		it.Published = it.Updated
	}
	if gi.Image != nil {
		it.Image = webURL(ct.FeedURL, gi.Image.URL)
	}
	for _, e := range gi.Enclosures {
		if it.Image == "" && e != nil && strings.HasPrefix(e.Type, "image/") {
			it.Image = webURL(ct.FeedURL, e.URL)
		}
	}
	switch {
	case strings.TrimSpace(gi.GUID) != "":
		it.ID = strings.TrimSpace(gi.GUID)
	case it.URL != "":
		it.ID = it.URL
	case it.Title != "":
		it.ID = it.Title + "@" + it.Published.Format(time.RFC3339)
	}
	return it
}

// webURL resolves a link of a feed against the feed's address and keeps it
// only when it is an http(s) URL with a host: a feed is remote input like
// any other.
func webURL(feedURL, link string) string {
	link = strings.TrimSpace(link)
	if link == "" {
		return ""
	}
	b, err := url.Parse(feedURL)
	if err != nil {
		return ""
	}
	u, err := b.Parse(link)
	// "https:" alone parses with that scheme and no host; it is no link.
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ""
	}
	return u.String()
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}
