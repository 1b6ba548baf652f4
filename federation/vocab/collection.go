package vocab

import (
	"encoding/json"
	"fmt"
)

// Collection is a (possibly ordered) collection or one page of it.
type Collection struct {
	ID, Type   string
	TotalItems int
	// First is the first page's id. Next and Prev link pages; PartOf names
	// the collection a page belongs to.
	First, Next, Prev, PartOf string
	// Items holds each item as it was written (an IRI string or an embedded
	// object); ItemIDs holds the ids of those items that have one.
	Items   []json.RawMessage
	ItemIDs []string
}

// ParseCollection reads a collection or collection page. Mastodon embeds the
// first page in the collection; when the collection itself lists no items,
// that page's items and next link are returned with it, which saves a
// request.
func ParseCollection(data []byte) (*Collection, error) {
	n, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("vocab: parse collection: %w", err)
	}
	c := &Collection{
		ID:         n.str("id"),
		Type:       n.typ(),
		TotalItems: n.int("totalItems"),
		First:      n.id("first"),
		Next:       n.id("next"),
		Prev:       n.id("prev"),
		PartOf:     n.id("partOf"),
	}
	if c.Type == "" {
		return nil, fmt.Errorf("vocab: parse collection %s: %w", c.ID, ErrNoType)
	}
	if err := c.addItems(n); err != nil {
		return nil, fmt.Errorf("vocab: parse collection %s: %w", c.ID, err)
	}
	if first := n.child("first"); first != nil && len(c.Items) == 0 {
		if err := c.addItems(first); err != nil {
			return nil, fmt.Errorf("vocab: parse collection %s: first page: %w", c.ID, err)
		}
		if c.Next == "" {
			c.Next = first.id("next")
		}
	}
	return c, nil
}

func (c *Collection) addItems(n node) error {
	items := list(n["orderedItems"])
	if len(items) == 0 {
		items = list(n["items"])
	}
	for _, it := range items {
		raw, err := json.Marshal(it)
		if err != nil {
			return fmt.Errorf("re-encode item: %w", err)
		}
		c.Items = append(c.Items, raw)
		if id := idOf(it); id != "" {
			c.ItemIDs = append(c.ItemIDs, id)
		}
	}
	return nil
}
