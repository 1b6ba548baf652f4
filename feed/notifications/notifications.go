// Package notifications stores what the owner is told about: one row per
// event, paged the way the Mastodon client API pages. Rows name actors by
// id only; the feed room keeps the author snapshots and joins them in, so
// this store reads no table but its own.
//
// The table is created by the feed room's migration list
// (feed.Migrations), which deployed databases apply by index.
package notifications

import "time"

// Types, as the Mastodon client API names them.
const (
	Mention       = "mention"
	Reply         = "reply"
	Favourite     = "favourite"
	Reblog        = "reblog"
	Follow        = "follow"
	FollowRequest = "follow_request"
	Move          = "move"
	Update        = "update"
	Report        = "report"
	Status        = "status"
	Poll          = "poll"
	Quote         = "quote" // Mastodon 4.5: someone quoted the owner's post
)

// known are the types the store accepts.
var known = map[string]bool{
	Mention: true, Reply: true, Favourite: true, Reblog: true, Follow: true,
	FollowRequest: true, Move: true, Update: true, Report: true, Status: true,
	Poll: true, Quote: true,
}

// Known reports whether t is a notification type.
func Known(t string) bool { return known[t] }

// eventType is what makes a notification the same event as another: with
// the actor and the object it is the unique key of the table. A reply to
// the owner that also mentions them (as Mastodon's replies always do) is
// one event, as it is one "mention" notification in Mastodon; every other
// type stands for itself, so a like, a boost or a follow counts once per
// actor and object however often a peer delivers it.
func eventType(t string) string {
	if t == Reply {
		return Mention
	}
	return t
}

// Record is one stored notification.
type Record struct {
	ID   int64
	Type string
	// ActorID is who did it ("" for the site itself, as when a poll ends).
	ActorID string
	// ObjectID is the post concerned, or the new account of a move;
	// ObjectURL is the page to open.
	ObjectID, ObjectURL string
	Text                string
	Created             time.Time
	Seen                bool
}

// Query selects a page the way the Mastodon API pages: Before and After
// are exclusive bounds on the ids (0 for none); with Oldest the page is the
// one just above After (min_id), else the newest below Before (max_id,
// since_id). Either way it comes back newest first.
type Query struct {
	Limit         int
	Before, After int64
	Oldest        bool
	// Types keeps only these types (all when empty).
	Types []string
}
