package vocab

import "strings"

// BookWyrm's status types; other servers see them as Notes, but BookWyrm
// delivers them as they are to its own kind and to anyone following.
const (
	TypeQuotation = "Quotation"
	TypeReview    = "Review"
	TypeComment   = "Comment"
)

// postTypes are the object types roost keeps and shows as posts: the
// microblog and blog types, and what Funkwhale (Audio), PeerTube (Video),
// Pixelfed (Image), Mobilizon and Friendica (Event) and BookWyrm publish.
var postTypes = set(TypeNote, TypeArticle, TypePage, TypeQuestion, TypeAudio, TypeVideo,
	TypeImage, TypeEvent, TypeDocument, TypeQuotation, TypeReview, TypeComment)

// IsPostType reports whether objects of type t are shown as posts.
func IsPostType(t string) bool { return postTypes[t] }

// IsPost reports whether an object is shown as a post: one of the post
// types, or a type roost does not know that carries text to show. Known
// non-post objects (Tombstone, ChatMessage, Story, Place...) never are.
func IsPost(o *Object) bool {
	if o == nil {
		return false
	}
	if postTypes[o.Type] {
		return true
	}
	return !objectTypes[o.Type] && !actorTypes[o.Type] && !activityTypes[o.Type] &&
		!collectionTypes[o.Type] && strings.TrimSpace(PlainText(o.ContentHTML)) != ""
}

// IsConvertedType reports whether posts of type t are shown the way
// Mastodon shows objects other than notes, polls and articles: the name
// as a bold title above the text, then a link to the original.
func IsConvertedType(t string) bool {
	switch t {
	case TypeNote, TypeQuestion, TypeArticle, TypePage:
		return false
	}
	return true
}

// mediaTypes are the attachment types whose `url` is the media itself.
var mediaTypes = set(TypeAudio, TypeVideo, TypeImage)
