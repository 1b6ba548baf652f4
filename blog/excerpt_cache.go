package blog

import (
	"sync"
	"time"

	"roost/templates/markdown"
)

// excerptCache keeps the plain-text excerpts of articles that have no
// summary: working one out parses the whole post's HTML, and the apps list
// the same posts again and again. An edit changes Updated, which misses.
type excerptCache struct {
	mu      sync.Mutex
	entries map[int64]excerptEntry
}

type excerptEntry struct {
	updated time.Time
	text    string
}

// excerptCacheSize bounds the cache; past it, it starts again.
const excerptCacheSize = 4096

func (c *excerptCache) of(a Article) string {
	if a.Summary != "" {
		return ""
	}
	c.mu.Lock()
	e, ok := c.entries[a.ID]
	c.mu.Unlock()
	if ok && e.updated.Equal(a.Updated) {
		return e.text
	}
	text := markdown.Excerpt(a.HTML, 280)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= excerptCacheSize {
		c.entries = make(map[int64]excerptEntry)
	}
	c.entries[a.ID] = excerptEntry{updated: a.Updated, text: text}
	return text
}
