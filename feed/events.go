package feed

import "context"

// Events hears about changes that live readers care about: the Mastodon
// client API streams them to apps. Every method must return quickly.
type Events interface {
	// StatusCreated: a note or a post reached the home timeline.
	StatusCreated(ctx context.Context, id int64)
	// StatusUpdated: a note or a post was edited.
	StatusUpdated(ctx context.Context, id int64)
	// StatusDeleted: a note or a post is gone.
	StatusDeleted(ctx context.Context, id int64)
	// NotificationCreated: a new notification for the owner.
	NotificationCreated(ctx context.Context, id int64)
}

// noEvents is the listener when nobody listens.
type noEvents struct{}

func (noEvents) StatusCreated(context.Context, int64)       {}
func (noEvents) StatusUpdated(context.Context, int64)       {}
func (noEvents) StatusDeleted(context.Context, int64)       {}
func (noEvents) NotificationCreated(context.Context, int64) {}

// SetEvents plugs in the listener; the API that listens is built after the
// room, so it cannot come with Config.
func (f *Feed) SetEvents(e Events) { f.events = e }
