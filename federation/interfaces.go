package federation

import (
	"context"

	"roost/federation/vocab"
)

// The inbox verifies an activity and then hands it to one of these. They are
// declared here and filled in by cmd/roost with the rooms, so federation
// never imports a room.

// FollowHandler keeps the social graph (the contacts room).
type FollowHandler interface {
	// FollowRequested records a Follow of the owner. It returns true when the
	// follow is accepted at once, false when it waits for the owner's approval.
	FollowRequested(ctx context.Context, follow *vocab.Activity, from *vocab.Actor) (accepted bool, err error)
	// FollowUndone removes a follower (Undo of their Follow).
	FollowUndone(ctx context.Context, actorID string) error
	// FollowAnswered records a remote actor's Accept (accepted=true) or
	// Reject of the owner's follow.
	FollowAnswered(ctx context.Context, actorID string, accepted bool) error
	// Blocked records that a remote actor blocked the owner.
	Blocked(ctx context.Context, actorID string) error
	// Unblocked forgets that a remote actor blocked the owner (Undo of
	// their Block); it restores no follow, as the block dropped them.
	Unblocked(ctx context.Context, actorID string) error
	// FollowUndoneByID removes a follower whose Follow had the given id
	// (an Undo naming the Follow by its IRI only); another id removes
	// nothing.
	FollowUndoneByID(ctx context.Context, actorID, followID string) error
	// Moved records that a followed or following actor moved to target.
	Moved(ctx context.Context, actorID, target string) error
}

// PostHandler stores posts that arrive (the feed room, which also knows
// whether the owner cares about them).
type PostHandler interface {
	// PostCreated stores a Note, Article, Page or Question when the owner
	// follows its author, it mentions the owner, or it replies to the owner.
	PostCreated(ctx context.Context, obj *vocab.Object, author *vocab.Actor) error
	PostUpdated(ctx context.Context, obj *vocab.Object, author *vocab.Actor) error
	// PostDeleted is called only after federation checked that the Delete came
	// from the object's origin.
	PostDeleted(ctx context.Context, objectID, actorID string) error
}

// ReactionHandler counts likes and boosts and keeps boosts of others' posts
// for the home timeline.
type ReactionHandler interface {
	Liked(ctx context.Context, activityID, objectID string, from *vocab.Actor) error
	Unliked(ctx context.Context, activityID, objectID, actorID string) error
	// Announced records a boost; obj is the boosted object when it could be
	// fetched (nil otherwise).
	Announced(ctx context.Context, activityID, objectID string, obj *vocab.Object, from *vocab.Actor) error
	Unannounced(ctx context.Context, activityID, actorID string) error
	// Flagged keeps a report for the owner.
	Flagged(ctx context.Context, activityID, content string, objectIDs []string, from *vocab.Actor) error
}

// ProfileHandler keeps the rooms' snapshots of remote actors (names,
// avatars, the inboxes deliveries go to) in step with the actors' own
// documents (the contacts and feed rooms).
type ProfileHandler interface {
	// ActorUpdated hands over an actor's document as its server serves it
	// now: after an Update from the actor itself, and whenever a refetch
	// finds that the document changed.
	ActorUpdated(ctx context.Context, a *vocab.Actor) error
}

// AudienceProvider tells who receives the owner's posts and what the
// followers and following collections hold (the contacts room).
type AudienceProvider interface {
	// FollowerInboxes lists the inboxes of accepted followers, shared inbox
	// preferred, each once.
	FollowerInboxes(ctx context.Context) ([]string, error)
	// Followers and Following list actor ids, newest first, for the
	// collections; total is the full count.
	Followers(ctx context.Context, offset, limit int) (ids []string, total int, err error)
	Following(ctx context.Context, offset, limit int) (ids []string, total int, err error)
}

// Gatekeeper lets the contacts room drop everything from blocked actors and
// domains before it is processed.
type Gatekeeper interface {
	Blocked(ctx context.Context, actorID string) bool
}

// OutboxSource lists the owner's public Create activities, newest first,
// for the outbox collection (the blog and feed rooms, merged by cmd/roost).
type OutboxSource interface {
	Outbox(ctx context.Context, offset, limit int) (items []map[string]any, total int, err error)
}

// Audience says who an outgoing activity is delivered to.
type Audience struct {
	// Followers delivers to every accepted follower's (shared) inbox.
	Followers bool `json:",omitempty"`
	// Actors are actor ids (mentioned people, direct addressees, the author
	// of a liked post) whose inboxes are looked up and added.
	Actors []string `json:",omitempty"`
	// Personal are actor ids whose own inbox, not their server's shared one,
	// receives the activity (the answer to a follow, as Mastodon sends it).
	Personal []string `json:",omitempty"`
	// Inboxes are added as they are.
	Inboxes []string `json:",omitempty"`
	// SkipOrigins are origins ("scheme://host[:port]") whose inboxes are
	// left out: a forwarded activity is not sent back to its own server.
	SkipOrigins []string `json:",omitempty"`
}
