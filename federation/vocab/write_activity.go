package vocab

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// OutActivity is an activity that roost sends or serves.
type OutActivity struct {
	ID, Type, Actor string
	// Object is an IRI (string), an embedded object (OutObject), an embedded
	// activity (OutActivity, for Undo and Accept) or a JSON map.
	Object    any
	Target    string // the new account of a Move, the collection of an Add
	To, Cc    []string
	Published time.Time
	// Instrument is the quoting post of a QuoteRequest (an IRI or an
	// embedded object), Result the QuoteAuthorization an Accept gives.
	Instrument any
	Result     string
}

type activityDoc struct {
	ID         string        `jsonld:"id"`
	Type       string        `jsonld:"type"`
	Actor      string        `jsonld:"actor"`
	Object     any           `jsonld:"object,omitempty"`
	Target     string        `jsonld:"target,omitempty"`
	To         array[string] `jsonld:"to,omitempty"`
	Cc         array[string] `jsonld:"cc,omitempty"`
	Published  string        `jsonld:"published,omitempty"`
	Instrument any           `jsonld:"instrument,omitempty"`
	Result     string        `jsonld:"result,omitempty"`
}

func activityDocFrom(a OutActivity) (activityDoc, error) {
	if a.ID == "" || a.Type == "" || a.Actor == "" {
		return activityDoc{}, fmt.Errorf("id, type and actor are required")
	}
	obj, err := embed(a.Object)
	if err != nil {
		return activityDoc{}, err
	}
	instrument, err := embed(a.Instrument)
	if err != nil {
		return activityDoc{}, err
	}
	return activityDoc{
		ID:         a.ID,
		Type:       a.Type,
		Actor:      a.Actor,
		Object:     obj,
		Target:     a.Target,
		To:         a.To,
		Cc:         a.Cc,
		Published:  formatTime(a.Published),
		Instrument: instrument,
		Result:     a.Result,
	}, nil
}

// embed turns an activity's object (or a collection's item) into something
// the encoder writes without a @context of its own.
func embed(v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		return x, nil
	case OutObject:
		return objectDocFrom(x), nil
	case *OutObject:
		return objectDocFrom(*x), nil
	case OutActivity:
		return activityDocFrom(x)
	case *OutActivity:
		return activityDocFrom(*x)
	case json.RawMessage:
		return x, nil
	case map[string]any:
		return rawJSON(x)
	}
	return nil, fmt.Errorf("cannot embed a %T", v)
}

// MarshalActivity writes an activity with roost's @context.
func MarshalActivity(a OutActivity) ([]byte, error) {
	doc, err := activityDocFrom(a)
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal activity %s: %w", a.ID, err)
	}
	b, err := marshalWithContext(doc)
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal activity %s: %w", a.ID, err)
	}
	return b, nil
}

type tombstoneDoc struct {
	ID         string `jsonld:"id"`
	Type       string `jsonld:"type"`
	FormerType string `jsonld:"formerType,omitempty"`
	Deleted    string `jsonld:"deleted,omitempty"`
}

// MarshalTombstone writes what roost serves (with status 410) at the
// address of a deleted object.
func MarshalTombstone(id string, formerType string, deleted time.Time) ([]byte, error) {
	if id == "" {
		return nil, fmt.Errorf("vocab: marshal tombstone: %w", ErrNoID)
	}
	b, err := marshalWithContext(tombstoneDoc{ID: id, Type: TypeTombstone, FormerType: formerType, Deleted: formatTime(deleted)})
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal tombstone %s: %w", id, err)
	}
	return b, nil
}

// OutCollection is an OrderedCollection (usually with only its size and
// first page) or one OrderedCollectionPage.
type OutCollection struct {
	ID, Type                  string // OrderedCollection or OrderedCollectionPage
	TotalItems                int
	First, Next, Prev, PartOf string
	// OrderedItems holds IRIs, OutObjects, OutActivities or JSON maps.
	OrderedItems []any
}

type collectionDoc struct {
	ID           string `jsonld:"id"`
	Type         string `jsonld:"type"`
	TotalItems   *int   `jsonld:"totalItems,omitempty"`
	First        string `jsonld:"first,omitempty"`
	Next         string `jsonld:"next,omitempty"`
	Prev         string `jsonld:"prev,omitempty"`
	PartOf       string `jsonld:"partOf,omitempty"`
	OrderedItems any    `jsonld:"orderedItems,omitempty"`
}

// MarshalCollection writes a collection or page with roost's @context. A
// page always lists its items, even when there are none; a collection
// states its size, while a page does so only when it is known (non-zero).
func MarshalCollection(c OutCollection) ([]byte, error) {
	if c.ID == "" {
		return nil, fmt.Errorf("vocab: marshal collection: %w", ErrNoID)
	}
	doc := collectionDoc{
		ID:     c.ID,
		Type:   orDefault(c.Type, TypeOrderedCollection),
		First:  c.First,
		Next:   c.Next,
		Prev:   c.Prev,
		PartOf: c.PartOf,
	}
	isPage := doc.Type == TypeOrderedCollectionPage || doc.Type == TypeCollectionPage
	if !isPage || c.TotalItems > 0 {
		total := c.TotalItems
		doc.TotalItems = &total
	}
	if c.OrderedItems != nil || isPage {
		items := make(array[any], 0, len(c.OrderedItems))
		for i, it := range c.OrderedItems {
			e, err := embed(it)
			if err != nil {
				return nil, fmt.Errorf("vocab: marshal collection %s: item %d: %w", c.ID, i, err)
			}
			items = append(items, e)
		}
		doc.OrderedItems = items
	}
	b, err := marshalWithContext(doc)
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal collection %s: %w", c.ID, err)
	}
	return b, nil
}

// rawJSON encodes a caller's map with encoding/json, so that its arrays stay
// arrays and its HTML stays unescaped. An embedded node inherits the outer
// context, so a @context of its own is dropped: a second one would only
// confuse processors that do not merge them.
func rawJSON(m map[string]any) (json.RawMessage, error) {
	if _, ok := m["@context"]; ok {
		inner := make(map[string]any, len(m))
		for k, v := range m {
			if k != "@context" {
				inner[k] = v
			}
		}
		m = inner
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("encode embedded map: %w", err)
	}
	return json.RawMessage(bytes.TrimSpace(b.Bytes())), nil
}
