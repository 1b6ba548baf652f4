package vocab

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/go-ap/jsonld"
)

// term is one definition in roost's inline context: either a plain IRI or
// a definition object such as {"@id": ..., "@type": "@id"}.
type term struct {
	name string
	def  any
}

// termDefs is the inline part of roost's @context. It defines every
// extension term that roost writes, with the same IRIs Mastodon uses, so
// that JSON-LD processors (Fedify, Mastodon's signature code) expand them
// the way everyone else does. None of these terms is defined by the
// ActivityStreams context itself, and that context does not protect its
// terms, so nothing here is a redefinition a JSON-LD 1.1 processor refuses.
// Order matters only for reading: prefixes come before the terms using them.
type termDefs []term

var roostTerms = termDefs{
	{"manuallyApprovesFollowers", "as:manuallyApprovesFollowers"},
	{"sensitive", "as:sensitive"},
	{"Hashtag", "as:Hashtag"},
	{"alsoKnownAs", idRef("as:alsoKnownAs")},
	{"movedTo", idRef("as:movedTo")},
	{"toot", "http://joinmastodon.org/ns#"},
	{"Emoji", "toot:Emoji"},
	{"discoverable", "toot:discoverable"},
	{"indexable", "toot:indexable"},
	{"featured", idRef("toot:featured")},
	{"blurhash", "toot:blurhash"},
	{"votersCount", "toot:votersCount"},
	{"focalPoint", map[string]string{"@container": "@list", "@id": "toot:focalPoint"}},
	{"schema", "http://schema.org#"},
	{"PropertyValue", "schema:PropertyValue"},
	{"value", "schema:value"},
	{"webfinger", "https://purl.archive.org/socialweb/webfinger#webfinger"},
	// Quote posts: FEP-044f's terms, and the older names Fedibird and
	// Misskey gave the same link, with the IRIs Mastodon 4.5 uses.
	{"quote", idRef("https://w3id.org/fep/044f#quote")},
	{"quoteUri", "http://fedibird.com/ns#quoteUri"},
	{"_misskey_quote", "https://misskey-hub.net/ns#_misskey_quote"},
}

// idRef defines a term whose string values are IRIs, not literals.
func idRef(iri string) map[string]string {
	return map[string]string{"@id": iri, "@type": "@id"}
}

// MarshalJSON writes the definitions as one object, in order.
func (t termDefs) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, d := range t {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(d.name)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(d.def)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Collapse lets the definitions stand as one element of a jsonld context.
func (t termDefs) Collapse() any { return t }

// marshalWithContext writes doc (a struct with jsonld tags) with roost's
// @context in front: the ActivityStreams and security contexts by IRI, then
// the inline definitions.
func marshalWithContext(doc any) ([]byte, error) {
	return marshalWithContexts(doc)
}

// marshalWithContexts is marshalWithContext with more contexts by IRI
// after the security context, before the inline definitions.
func marshalWithContexts(doc any, extra ...string) ([]byte, error) {
	ctx := []jsonld.Collapsible{jsonld.IRI(ContextAS), jsonld.IRI(ContextSecurity)}
	for _, iri := range extra {
		ctx = append(ctx, jsonld.IRI(iri))
	}
	b, err := jsonld.WithContext(append(ctx, roostTerms)...).Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("jsonld: %w", err)
	}
	return b, nil
}

// Context returns roost's @context as a JSON value, for documents that
// other packages assemble themselves.
func Context() []any {
	raw, _ := roostTerms.MarshalJSON()
	return []any{ContextAS, ContextSecurity, json.RawMessage(raw)}
}

// array keeps a property a JSON array even when it holds one element: the
// jsonld encoder compacts one-element arrays to the bare element, which is
// valid JSON-LD but not what most peers' code expects for to, cc, tag or
// attachment.
type array[T any] []T

// MarshalJSON writes each element with the jsonld encoder, inside brackets.
func (a array[T]) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, e := range a {
		if i > 0 {
			b.WriteByte(',')
		}
		eb, err := jsonld.Marshal(e)
		if err != nil {
			return nil, err
		}
		b.Write(eb)
	}
	b.WriteByte(']')
	return b.Bytes(), nil
}
