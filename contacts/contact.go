package contacts

import (
	"time"
)

// Kinds of contact.
const (
	KindActor = "actor"
	KindFeed  = "feed"
)

// Relationship states as stored.
const (
	StatePending  = "pending"
	StateAccepted = "accepted"
	StateRejected = "rejected"
)

// Field is a profile metadata row of a remote actor; ValueHTML was
// sanitized when the actor document arrived.
type Field struct {
	Name      string `json:"name"`
	ValueHTML string `json:"value_html"`
}

// Contact is a remote account as the owner's book knows it: a snapshot of
// the actor, the owner's note, and the relationships both ways.
type Contact struct {
	ID          int64
	Kind        string
	ActorID     string
	FeedURL     string // the feed of a contact of kind feed
	Type        string // Person, Service, Group...
	Domain      string
	Handle      string // user@host, without a leading @
	Name        string
	AvatarURL   string
	HeaderURL   string
	URL         string // profile page
	Inbox       string
	SharedInbox string
	SummaryHTML string // sanitized
	Fields      []Field
	Bot         bool
	Locked      bool // the account approves its followers by hand
	MovedTo     string
	Note        string // the owner's private note
	Fetched     time.Time
	Created     time.Time

	// Following is the owner's follow of this account: "", pending,
	// accepted or rejected. FollowingSince is when it was asked.
	Following      string
	FollowingSince time.Time
	// Follower is this account's follow of the owner: "", pending or
	// accepted.
	Follower      string
	FollowerSince time.Time
	// Blocked is true when the owner blocked the account; BlockedSince says when.
	Blocked      bool
	BlockedSince time.Time
	// DomainBlocked is true when the account's domain is blocked.
	DomainBlocked bool
	// BlocksOwner is true when the account told us it blocked the owner.
	BlocksOwner bool
	// Muted is true when the owner hides the contact from the timelines.
	Muted bool
}

// Key is what names the contact in forms, groups and exports: the actor id
// of an account, the feed URL of a feed.
func (c Contact) Key() string {
	if c.Kind == KindFeed {
		return c.FeedURL
	}
	return c.ActorID
}

// DisplayName is the name to show: the actor's name, else its handle, else its id.
func (c Contact) DisplayName() string {
	switch {
	case c.Name != "":
		return c.Name
	case c.Handle != "":
		return c.Handle
	}
	return c.Key()
}

// DomainBlock is a blocked domain.
type DomainBlock struct {
	Domain  string
	Created time.Time
}
