package mastodon

import (
	"context"
	"sync"
)

// markSet holds the owner's marks on one status as bits.
type markSet uint8

var markBits = map[string]markSet{markFavourite: 1, markReblog: 2, markBookmark: 4, markPin: 8}

func (m markSet) has(kind string) bool { return m&markBits[kind] != 0 }

// markCache mirrors mastodon_marks in memory. Only this package writes the
// table, and every write goes through setMark or forgetMarks, which update
// the mirror after the table; so the mirror is never behind, and rendering a
// page needs no query for the favourited, reblogged, bookmarked and pinned
// flags. The owner marks a few thousand statuses at most.
type markCache struct {
	mu     sync.RWMutex
	loaded bool
	byID   map[int64]markSet
}

// load reads the table once. It holds the lock during the query so that a
// write cannot slip between the read and the mirror being marked loaded.
func (c *markCache) load(ctx context.Context, a *API) error {
	c.mu.RLock()
	loaded := c.loaded
	c.mu.RUnlock()
	if loaded {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.loaded {
		return nil
	}
	byID, err := a.readMarks(ctx)
	if err != nil {
		return err
	}
	c.byID, c.loaded = byID, true
	return nil
}

// update applies a write that reached the table.
func (c *markCache) update(id int64, kind string, on bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.loaded {
		return // the load will read the table
	}
	switch {
	case kind == "":
		delete(c.byID, id)
	case on:
		c.byID[id] |= markBits[kind]
	default:
		if m := c.byID[id] &^ markBits[kind]; m == 0 {
			delete(c.byID, id)
		} else {
			c.byID[id] = m
		}
	}
}

// marksOf reads the owner's marks on a page of statuses.
func (a *API) marksOf(ctx context.Context, ids []int64) (map[int64]markSet, error) {
	out := map[int64]markSet{}
	if len(ids) == 0 {
		return out, nil
	}
	if err := a.marks.load(ctx, a); err != nil {
		return nil, err
	}
	a.marks.mu.RLock()
	defer a.marks.mu.RUnlock()
	for _, id := range ids {
		if m, ok := a.marks.byID[id]; ok {
			out[id] = m
		}
	}
	return out, nil
}
