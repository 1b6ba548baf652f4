package feed

import (
	"database/sql"
	"slices"
	"sync"
)

// maxCachedPosts bounds the content cache: a few pages of scrolling back
// for every reader, a few megabytes of HTML.
const maxCachedPosts = 4096

// contentCache keeps what a timeline shows of a note or post that does not
// change unless it is edited or deleted: type, text, HTML, media, tags,
// mentions, dates, the author's actor id. Reading those costs the pure-Go
// SQLite most of a page (wide rows, one seek per media and tag row), while
// a page's counts, author snapshots and the owner's reactions are read
// fresh on every request. Every write that changes the content of a note
// or post (Update, Delete, a remote Update or Delete) calls forget after
// its commit.
type contentCache struct {
	mu sync.Mutex
	// gen counts forgets, so that a page that read a note from the database
	// before an edit committed does not put the old content back after
	// the edit cleared it.
	gen   uint64
	posts map[int64]Post
}

func newContentCache() *contentCache {
	return &contentCache{posts: make(map[int64]Post)}
}

// get returns the cached content of a note or post. The slices are copied
// so that a caller changing its Post cannot change the cache.
func (c *contentCache) get(id int64) (Post, bool) {
	c.mu.Lock()
	p, ok := c.posts[id]
	c.mu.Unlock()
	if ok {
		p.Media, p.Tags = slices.Clone(p.Media), slices.Clone(p.Tags)
		p.Mentions, p.Emojis = slices.Clone(p.Mentions), slices.Clone(p.Emojis)
	}
	return p, ok
}

// generation is read before loading content from the database and handed
// to put with what was loaded.
func (c *contentCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put keeps content loaded while the generation was gen; it is dropped
// when something was forgotten since, as it may predate that write.
func (c *contentCache) put(gen uint64, posts []Post) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	for _, p := range posts {
		if len(c.posts) >= maxCachedPosts {
			// Drop an arbitrary entry (map order is random): simpler than
			// an LRU, and a page that misses costs one more query.
			for id := range c.posts {
				delete(c.posts, id)
				break
			}
		}
		p.Media, p.Tags = slices.Clone(p.Media), slices.Clone(p.Tags)
		p.Mentions, p.Emojis = slices.Clone(p.Mentions), slices.Clone(p.Emojis)
		c.posts[p.ID] = p
	}
}

// forget drops a note's or post's content after a write changed it.
func (c *contentCache) forget(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	delete(c.posts, id)
}

// commitContent commits a write that changed the content of a note or post
// and then forgets it. Forgetting after the commit (and not before) is what
// keeps a page that reads in between from caching the old content for good.
func (f *Feed) commitContent(tx *sql.Tx, id int64) error {
	err := tx.Commit()
	f.content.forget(id)
	return err
}
