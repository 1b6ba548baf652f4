package templates

import "strings"

// scopeWords says in words what an OAuth scope lets an app do, for the
// owner deciding whether to allow it.
var scopeWords = map[string]string{
	"read":    "see your timelines, notifications, contacts, lists, bookmarks and settings",
	"write":   "post, reply, edit and delete, like, boost and bookmark, upload images and change your profile",
	"follow":  "follow and unfollow people, block and mute them",
	"push":    "send notifications to your phone",
	"profile": "see your name and picture only",
}

// granularWords names the part of the account a granular scope such as
// read:statuses or write:follows touches.
var granularWords = map[string]string{
	"accounts": "accounts and your profile", "blocks": "blocks", "bookmarks": "bookmarks", "favourites": "likes",
	"filters": "filters", "follows": "follows", "lists": "lists", "media": "images", "mutes": "mutes",
	"notifications": "notifications", "search": "search", "statuses": "posts", "conversations": "conversations",
	"reports": "reports",
}

// ScopeWords explains one scope; unknown ones are shown as they are.
func ScopeWords(scope string) string {
	if w, ok := scopeWords[scope]; ok {
		return w
	}
	if kind, part, ok := strings.Cut(scope, ":"); ok {
		if what, known := granularWords[part]; known {
			switch kind {
			case "read":
				return "read your " + what
			case "write":
				return "change your " + what
			}
		}
	}
	return scope
}

// scopeList splits a space-separated scope string.
func scopeList(scopes string) []string { return strings.Fields(scopes) }
