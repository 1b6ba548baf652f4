package feed

import (
	"strconv"
	"sync"
	"time"
)

// Ids of notes, remote posts, timeline entries and notifications come from
// one site-wide sequence that the composition root passes in (Config.NextID):
// taken at arrival, never from a post's published date, so that the
// timeline's order is the order things reached the site and a Mastodon app
// polling with since_id sees a post published yesterday and received now.

// clockIDs is the sequence a Feed uses when it is built without one (room
// tests): snowflake-shaped ids from the clock, strictly increasing.
type clockIDs struct {
	mu   sync.Mutex
	last int64
	now  func() time.Time
}

func (c *clockIDs) next() int64 {
	id := c.now().UnixMilli() << 16
	c.mu.Lock()
	defer c.mu.Unlock()
	if id <= c.last {
		id = c.last + 1
	}
	c.last = id
	return id
}

// nextID takes the next id of the site's sequence.
func (f *Feed) nextID() int64 { return f.cfg.NextID() }

func formatID(id int64) string { return strconv.FormatInt(id, 10) }

func parseID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}
