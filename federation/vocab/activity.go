package vocab

import (
	"fmt"
	"time"
)

// Activity is an activity received from (or sent to) a peer.
type Activity struct {
	ID, Type, Actor string

	// ObjectID is the object's id, whether the object is embedded or only
	// named by its IRI. ObjectIDs lists every object: a Flag names the
	// reported account and its posts together.
	ObjectID  string
	ObjectIDs []string

	// At most one of these is set, for an object embedded in the activity.
	Object      *Object   // a content object: Create{Note}, Delete{Tombstone}
	Inner       *Activity // an activity: Undo{Follow}, Accept{Follow}, Announce{Create}
	ObjectActor *Actor    // an actor: Update{Person}

	Target    string
	To, Cc    []string
	Published time.Time
	// Instrument is what a QuoteRequest asks for (the quoting post) and
	// Result what an Accept of one gives (the QuoteAuthorization), by id.
	Instrument, Result string

	// Raw is the whole document, for the properties roost does not map.
	// Its numbers are json.Number values.
	Raw map[string]any
}

// maxNesting bounds how deep embedded activities are followed (Lemmy
// announces a Create of a Page: two levels are real, more are not).
const maxNesting = 4

// ParseActivity reads an activity. Malformed JSON and a missing id, type or
// actor are errors (wrapping ErrMalformed, ErrNoID, ErrNoType, ErrNoActor);
// an unknown type is not: Type keeps it and the caller decides.
func ParseActivity(data []byte) (*Activity, error) {
	n, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("vocab: parse activity: %w", err)
	}
	a := activityFrom(n, n["@context"], 0)
	switch {
	case a.ID == "":
		return nil, fmt.Errorf("vocab: parse activity: %w", ErrNoID)
	case a.Type == "":
		return nil, fmt.Errorf("vocab: parse activity %s: %w", a.ID, ErrNoType)
	case a.Actor == "":
		return nil, fmt.Errorf("vocab: parse activity %s: %w", a.ID, ErrNoActor)
	}
	return a, nil
}

// activityFrom maps a node; ctx is the document's @context, which embedded
// nodes inherit when they are classified.
func activityFrom(n node, ctx any, depth int) *Activity {
	a := &Activity{
		ID:         n.str("id"),
		Type:       n.typ(),
		Actor:      n.id("actor"),
		ObjectID:   n.id("object"),
		ObjectIDs:  n.ids("object"),
		Target:     n.id("target"),
		To:         n.ids("to"),
		Cc:         n.ids("cc"),
		Published:  n.time("published"),
		Instrument: n.id("instrument"),
		Result:     n.id("result"),
		Raw:        n,
	}
	embedded := n.child("object")
	if embedded == nil || depth >= maxNesting {
		return a
	}
	switch kindIn(embedded, ctx) {
	case KindActor:
		a.ObjectActor = actorFrom(embedded)
	case KindActivity:
		a.Inner = activityFrom(embedded, ctx, depth+1)
	case KindObject:
		a.Object = objectFrom(embedded)
	}
	return a
}

// kindIn classifies an embedded node, lending it the document's @context
// so that go-fed can resolve its type.
func kindIn(n node, ctx any) Kind {
	if _, ok := n["@context"]; ok || ctx == nil {
		return kindOf(n)
	}
	withCtx := make(node, len(n)+1)
	for k, v := range n {
		withCtx[k] = v
	}
	withCtx["@context"] = ctx
	return kindOf(withCtx)
}

// Envelope is what an inbox needs before it stores an activity: who sent
// it and what it is, read the way ParseActivity reads them.
type Envelope struct {
	ID, Type, Actor string
}

// PeekActivity reads an activity's id, type and actor without mapping the
// rest (the costly part), with ParseActivity's rules and errors.
func PeekActivity(data []byte) (Envelope, error) {
	n, err := decode(data)
	if err != nil {
		return Envelope{}, fmt.Errorf("vocab: parse activity: %w", err)
	}
	e := Envelope{ID: n.str("id"), Type: n.typ(), Actor: n.id("actor")}
	switch {
	case e.ID == "":
		return Envelope{}, fmt.Errorf("vocab: parse activity: %w", ErrNoID)
	case e.Type == "":
		return Envelope{}, fmt.Errorf("vocab: parse activity %s: %w", e.ID, ErrNoType)
	case e.Actor == "":
		return Envelope{}, fmt.Errorf("vocab: parse activity %s: %w", e.ID, ErrNoActor)
	}
	return e, nil
}
