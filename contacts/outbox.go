package contacts

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"roost/federation/vocab"
)

const (
	// outboxTTL is how long an account's recent posts are reused before
	// its outbox is asked again.
	outboxTTL = 5 * time.Minute
	// outboxTimeout keeps a slow server from holding the contact page.
	outboxTimeout = 5 * time.Second
	recentPosts   = 10
	outboxEntries = 200
)

// Post is a recent post of a contact: an item of a feed, or a post from an
// account's outbox. ContentHTML is sanitized.
type Post struct {
	ID, URL, Title, SummaryHTML, ContentHTML, Image string
	// Warning is a note's content warning: the page shows the post
	// collapsed behind it.
	Warning   string
	Published time.Time
	// Boost names the boosted post when the outbox entry is an Announce.
	Boost string
}

// outboxCache keeps the recent posts of the accounts the owner looked at.
type outboxCache struct {
	mu      sync.Mutex
	entries map[string]outboxEntry
}

type outboxEntry struct {
	posts   []Post
	err     error
	fetched time.Time
}

func newOutboxCache() *outboxCache { return &outboxCache{entries: map[string]outboxEntry{}} }

// RecentPosts lists a contact's latest posts: the stored items of a feed,
// or the first page of an account's outbox, cached for a few minutes.
func (c *Contacts) RecentPosts(ctx context.Context, ct Contact) ([]Post, error) {
	if ct.Kind == KindFeed {
		return c.feedPosts(ctx, ct.ID, recentPosts)
	}
	if c.fetchJSON == nil || ct.ActorID == "" {
		return nil, nil
	}
	now := c.now()
	c.outboxes.mu.Lock()
	e, ok := c.outboxes.entries[ct.ActorID]
	c.outboxes.mu.Unlock()
	if ok && now.Sub(e.fetched) < outboxTTL {
		return e.posts, e.err
	}
	posts, err := c.fetchOutbox(ctx, ct.ActorID)
	c.outboxes.mu.Lock()
	defer c.outboxes.mu.Unlock()
	if len(c.outboxes.entries) >= outboxEntries {
		for k, v := range c.outboxes.entries {
			if now.Sub(v.fetched) >= outboxTTL {
				delete(c.outboxes.entries, k)
			}
		}
		if len(c.outboxes.entries) >= outboxEntries {
			clear(c.outboxes.entries)
		}
	}
	c.outboxes.entries[ct.ActorID] = outboxEntry{posts: posts, err: err, fetched: now}
	return posts, err
}

// fetchOutbox reads the first page of an actor's outbox. Mastodon's outbox
// is a collection whose first page is a separate document; others embed the
// page or list the items in the collection itself.
func (c *Contacts) fetchOutbox(ctx context.Context, actorID string) ([]Post, error) {
	ctx, cancel := context.WithTimeout(ctx, outboxTimeout)
	defer cancel()
	a, err := c.net.FetchActor(ctx, actorID, false)
	if err != nil {
		return nil, fmt.Errorf("outbox of %s: %w", actorID, err)
	}
	if a.Outbox == "" {
		return nil, nil
	}
	col, err := c.fetchCollection(ctx, a.Outbox)
	if err != nil {
		return nil, err
	}
	if len(col.Items) == 0 && col.First != "" {
		if col, err = c.fetchCollection(ctx, col.First); err != nil {
			return nil, err
		}
	}
	var posts []Post
	for _, raw := range col.Items {
		if p, ok := outboxPost(raw); ok {
			posts = append(posts, p)
		}
		if len(posts) == recentPosts {
			break
		}
	}
	return posts, nil
}

func (c *Contacts) fetchCollection(ctx context.Context, u string) (*vocab.Collection, error) {
	body, err := c.fetchJSON(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("outbox %s: %w", u, err)
	}
	col, err := vocab.ParseCollection(body)
	if err != nil {
		return nil, fmt.Errorf("outbox %s: %w", u, err)
	}
	return col, nil
}

// outboxPost maps one outbox entry: a Create shows its object, an Announce
// links the boosted post. Entries given only by their id are skipped, as
// fetching each would make the page slow.
func outboxPost(raw json.RawMessage) (Post, bool) {
	act, err := vocab.ParseActivity(raw)
	if err != nil {
		return Post{}, false
	}
	switch act.Type {
	case vocab.TypeCreate:
		if act.Object == nil {
			return Post{}, false
		}
		o := act.Object
		// A note's summary is its content warning, plain text: the post is
		// shown behind it, as Mastodon does. An article's summary is no
		// warning, and its name is the title.
		p := Post{ID: o.ID, URL: o.URL, Title: o.Name, ContentHTML: o.ContentHTML, Published: o.Published}
		if p.Title == "" {
			p.Warning = o.SummaryText
		}
		if p.URL == "" {
			p.URL = o.ID
		}
		if p.Published.IsZero() {
			p.Published = act.Published
		}
		return p, true
	case vocab.TypeAnnounce:
		if act.ObjectID == "" {
			return Post{}, false
		}
		return Post{ID: act.ID, URL: act.ObjectID, Boost: act.ObjectID, Published: act.Published}, true
	}
	return Post{}, false
}

// feedPosts lists the stored items of a feed, newest first.
func (c *Contacts) feedPosts(ctx context.Context, contactID int64, limit int) ([]Post, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT guid, url, title, summary_html, content_html, image, published
		FROM feed_items WHERE contact_id = ? ORDER BY published DESC, id DESC LIMIT ?`, contactID, limit)
	if err != nil {
		return nil, fmt.Errorf("feed posts: %w", err)
	}
	defer rows.Close()
	var out []Post
	for rows.Next() {
		var p Post
		var published int64
		if err := rows.Scan(&p.ID, &p.URL, &p.Title, &p.SummaryHTML, &p.ContentHTML, &p.Image, &published); err != nil {
			return nil, fmt.Errorf("feed posts: %w", err)
		}
		p.Published = unixTime(published)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("feed posts: %w", err)
	}
	return out, nil
}
