package vocab

import "roost/federation/integrity"

// Namespaces and special addresses.
const (
	ContextAS       = "https://www.w3.org/ns/activitystreams"
	ContextSecurity = "https://w3id.org/security/v1"
	// The contexts of object integrity proofs (FEP-8b32) and of the keys
	// that make them (FEP-521a: Multikey in the DID vocabulary's
	// assertionMethod).
	ContextDataIntegrity = integrity.ContextDataIntegrity
	ContextDID           = "https://www.w3.org/ns/did/v1"
	ContextMultikey      = integrity.ContextMultikey
	// Public is the special collection that addresses everyone. Servers also
	// write it in the compact forms "as:Public" and "Public"; IsPublic
	// accepts all three.
	Public = "https://www.w3.org/ns/activitystreams#Public"

	// ContentTypeActivity and ContentTypeLD are the two media types peers
	// send and accept for ActivityStreams documents.
	ContentTypeActivity = "application/activity+json"
	ContentTypeLD       = `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`
)

// Activity types.
const (
	TypeCreate   = "Create"
	TypeUpdate   = "Update"
	TypeDelete   = "Delete"
	TypeFollow   = "Follow"
	TypeAccept   = "Accept"
	TypeReject   = "Reject"
	TypeUndo     = "Undo"
	TypeLike     = "Like"
	TypeDislike  = "Dislike"
	TypeAnnounce = "Announce"
	TypeMove     = "Move"
	TypeBlock    = "Block"
	TypeFlag     = "Flag"
	TypeAdd      = "Add"
	TypeRemove   = "Remove"
	TypeJoin     = "Join"
	TypeLeave    = "Leave"
	// TypeEmojiReact is Pleroma's and Misskey's emoji reaction; go-fed does
	// not know it.
	TypeEmojiReact = "EmojiReact"
)

// Object types.
const (
	TypeNote      = "Note"
	TypeArticle   = "Article"
	TypePage      = "Page"
	TypeQuestion  = "Question"
	TypeTombstone = "Tombstone"
	TypeImage     = "Image"
	TypeDocument  = "Document"
	TypeVideo     = "Video"
	TypeAudio     = "Audio"
	TypeEvent     = "Event"
	TypeLink      = "Link"
)

// Actor types.
const (
	TypePerson       = "Person"
	TypeService      = "Service"
	TypeGroup        = "Group"
	TypeApplication  = "Application"
	TypeOrganization = "Organization"
)

// Collection types.
const (
	TypeCollection            = "Collection"
	TypeOrderedCollection     = "OrderedCollection"
	TypeCollectionPage        = "CollectionPage"
	TypeOrderedCollectionPage = "OrderedCollectionPage"
)

// Tag and attachment types outside the core vocabulary.
const (
	TypeHashtag       = "Hashtag"
	TypeMention       = "Mention"
	TypeEmoji         = "Emoji"
	TypePropertyValue = "PropertyValue"
	TypeMultikey      = integrity.TypeMultikey
)

// MediaTypeHTML is the media type of the human-readable representation that
// a `url` array may list among video streams and torrents.
const MediaTypeHTML = "text/html"

var (
	actorTypes = set(TypePerson, TypeService, TypeGroup, TypeApplication, TypeOrganization)

	collectionTypes = set(TypeCollection, TypeOrderedCollection, TypeCollectionPage, TypeOrderedCollectionPage)

	// objectTypes are the content types roost reads as Object, including
	// those that other servers publish (PeerTube videos, Mobilizon events,
	// Pleroma chat messages, Pixelfed stories).
	objectTypes = set(TypeNote, TypeArticle, TypePage, TypeQuestion, TypeTombstone, TypeImage,
		TypeDocument, TypeVideo, TypeAudio, TypeEvent, "ChatMessage", "Story", "Place", "Profile",
		"Relationship")

	activityTypes = set(TypeCreate, TypeUpdate, TypeDelete, TypeFollow, TypeAccept, TypeReject,
		TypeUndo, TypeLike, TypeDislike, TypeAnnounce, TypeMove, TypeBlock, TypeFlag, TypeAdd,
		TypeRemove, TypeJoin, TypeLeave, TypeEmojiReact, "Activity", "IntransitiveActivity",
		"Arrive", "Ignore", "Invite", "Listen", "Offer", "Read", "TentativeAccept",
		"TentativeReject", "Travel", "View")
)

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// IsPublic reports whether an addressing value names the Public collection,
// in any of the spellings that JSON-LD compaction allows.
func IsPublic(iri string) bool {
	return iri == Public || iri == "as:Public" || iri == "Public"
}

// IsActorType reports whether t is one of the five ActivityStreams actor types.
func IsActorType(t string) bool { return actorTypes[t] }
