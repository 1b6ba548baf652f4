// Package vocab maps between ActivityStreams 2.0 JSON and roost's plain Go
// structs. It is the one place in roost that knows how remote servers spell
// their documents (actors, objects, activities, collections, WebFinger and
// NodeInfo) and how roost spells its own.
//
// Reading is deliberately forgiving: the fediverse disagrees about nearly
// every property's shape, so any value may arrive as a string, as an object
// carrying "id" or "href", or as an array of either. go-fed's streams package
// recognises the standard vocabulary; everything it cannot represent
// (Mastodon's extensions, contentMap, unknown types) is read from the raw
// JSON map. Remote HTML is sanitized here, once, with SanitizeHTML.
//
// Writing produces roost's own documents with one fixed, Mastodon-compatible
// @context that defines every extension term roost emits.
package vocab
