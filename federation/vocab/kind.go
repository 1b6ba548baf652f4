package vocab

import (
	"context"
	"fmt"

	"github.com/go-fed/activity/streams"
	asvocab "github.com/go-fed/activity/streams/vocab"
)

// Kind says which of roost's structs a document maps to.
type Kind int

// The kinds of documents.
const (
	KindUnknown Kind = iota
	KindActor
	KindActivity
	KindObject
	KindCollection
)

func (k Kind) String() string {
	switch k {
	case KindActor:
		return "actor"
	case KindActivity:
		return "activity"
	case KindObject:
		return "object"
	case KindCollection:
		return "collection"
	}
	return "unknown"
}

// KindOf tells which Parse function fits a fetched document: ParseActor,
// ParseActivity, ParseObject or ParseCollection.
func KindOf(data []byte) (Kind, error) {
	n, err := decode(data)
	if err != nil {
		return KindUnknown, fmt.Errorf("vocab: kind of document: %w", err)
	}
	return kindOf(n), nil
}

// kindOf classifies a node. go-fed's resolver knows the standard vocabulary
// and its inheritance; documents it rejects (types such as EmojiReact,
// ChatMessage or Story, or property values it cannot model) are classified
// from the raw map instead.
func kindOf(n node) Kind {
	if k := streamsKindOf(n); k != KindUnknown {
		return k
	}
	return rawKind(n)
}

// streamsKindOf asks go-fed. Its generated deserializers were not written
// for hostile input, so a panic inside them counts as "unknown" rather than
// taking the inbox down.
func streamsKindOf(n node) (k Kind) {
	defer func() {
		if recover() != nil {
			k = KindUnknown
		}
	}()
	t, err := streams.ToType(context.Background(), n)
	if err != nil {
		return KindUnknown
	}
	return streamsKind(t)
}

func streamsKind(t asvocab.Type) Kind {
	switch {
	case streams.IsOrExtendsActivityStreamsQuestion(t):
		// AS2 makes Question an IntransitiveActivity, but every server
		// publishes polls as posts, so roost reads them as objects.
		return KindObject
	case streams.IsOrExtendsActivityStreamsCollection(t):
		return KindCollection
	case streams.IsOrExtendsActivityStreamsActivity(t),
		streams.IsOrExtendsActivityStreamsIntransitiveActivity(t):
		return KindActivity
	case actorTypes[t.GetTypeName()]:
		return KindActor
	case t.GetTypeName() == "":
		return KindUnknown
	}
	return KindObject
}

func rawKind(n node) Kind {
	t := n.typ()
	switch {
	case t == TypeQuestion || objectTypes[t]:
		return KindObject
	case actorTypes[t]:
		return KindActor
	case activityTypes[t]:
		return KindActivity
	case collectionTypes[t]:
		return KindCollection
	}
	// An unknown type: judge by the properties only its kind carries.
	switch {
	case n["inbox"] != nil:
		return KindActor
	case n["actor"] != nil:
		return KindActivity
	case n["items"] != nil || n["orderedItems"] != nil || n["first"] != nil:
		return KindCollection
	case t != "":
		return KindObject
	}
	return KindUnknown
}
