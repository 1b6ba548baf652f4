package feed

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"roost/feed/notifications"
)

// Notification types, as the Mastodon client API names them.
const (
	NotifyMention       = notifications.Mention
	NotifyReply         = notifications.Reply
	NotifyFavourite     = notifications.Favourite
	NotifyReblog        = notifications.Reblog
	NotifyFollow        = notifications.Follow
	NotifyFollowRequest = notifications.FollowRequest
	NotifyMove          = notifications.Move
	NotifyUpdate        = notifications.Update
	NotifyReport        = notifications.Report
	NotifyStatus        = notifications.Status
	NotifyPoll          = notifications.Poll
	NotifyQuote         = notifications.Quote
)

// Notification tells the owner that someone did something: mentioned or
// answered them, liked or boosted their post, followed them, moved, edited
// a post the owner reacted to, or reported something.
type Notification struct {
	ID   int64
	Type string
	// Actor is who did it; Notify keeps the snapshot for later pages.
	Actor Author
	// ObjectID is the post concerned (the owner's, or the one that
	// mentions them), or the new account of a move; ObjectURL is the page
	// to open.
	ObjectID, ObjectURL string
	// Text is a short plain-text line: the start of a post, a report's comment.
	Text    string
	Created time.Time
	Seen    bool
}

// Notify records a notification, once per event (the type, with a reply
// counting as a mention, the actor and the object): a redelivered
// activity, or a reply that the blog and the feed both report, does not
// notify twice. A newer edit of a post replaces the notification of the
// previous one. The contacts room calls Notify (through cmd/roost) for new
// followers, follow requests and moves.
func (f *Feed) Notify(ctx context.Context, n Notification) error {
	id, added, err := f.notifyIn(ctx, f.db, n)
	if err != nil {
		return err
	}
	if added {
		f.events.NotificationCreated(ctx, id)
	}
	return nil
}

// notifyIn writes a notification with db (the database or a transaction)
// and reports its id and whether it is new; the caller announces it.
func (f *Feed) notifyIn(ctx context.Context, db execer, n Notification) (int64, bool, error) {
	if !notifications.Known(n.Type) {
		return 0, false, fmt.Errorf("notify: unknown type %q", n.Type)
	}
	if n.Created.IsZero() {
		n.Created = f.now()
	}
	stranger := f.fromStranger(ctx, n)
	if stranger && f.cfg.OnlyFollowedNotify != nil && f.cfg.OnlyFollowedNotify() {
		return 0, false, nil
	}
	// The id is taken at arrival, so a notification about an old post
	// still comes first, and an edit replacing an earlier one moves up.
	r := notifications.Record{ID: f.nextID(), Type: n.Type, ActorID: n.Actor.ActorID,
		ObjectID: n.ObjectID, ObjectURL: n.ObjectURL, Text: n.Text, Created: n.Created}
	var added bool
	var err error
	if stranger {
		added, err = f.notifications.AddUnlessMany(ctx, db, r, f.now().Add(-strangerNotifyWindow), strangerNotifyMax)
	} else {
		added, err = f.notifications.Add(ctx, db, r)
	}
	if err != nil {
		return 0, false, fmt.Errorf("notify: %w", err)
	}
	if added || !stranger {
		// A collapsed stranger's snapshot would be a write for nothing.
		if err := f.saveAuthor(ctx, db, n.Actor); err != nil {
			return 0, false, fmt.Errorf("notify: %w", err)
		}
	}
	return r.ID, added, nil
}

// A stranger (an account the owner does not follow) notifies at most
// strangerNotifyMax times of each kind in strangerNotifyWindow; what they do
// beyond that is still stored (the post, the like) but not notified. A
// person liking a few posts is told of each; one mentioning the owner a
// thousand times in a minute makes five notifications, not a thousand.
const (
	strangerNotifyWindow = time.Hour
	strangerNotifyMax    = 5
)

// fromStranger tells whether n comes from an account the owner does not
// follow and is of a kind that is collapsed. Follows and follow requests
// are not: each is once per account already, and the owner must see who
// asks. Reports are not either: they are for moderation. Edits replace the
// earlier notification of the post rather than adding one, and the site's
// own (a poll ending) have no actor.
func (f *Feed) fromStranger(ctx context.Context, n Notification) bool {
	switch n.Type {
	case NotifyFollow, NotifyFollowRequest, NotifyReport, NotifyUpdate:
		return false
	}
	return n.Actor.ActorID != "" && !f.follows(ctx, n.Actor.ActorID)
}

// Notifications lists notifications newest first, limit at a time, older
// than beforeID when it is > 0, of the given types (all when empty).
func (f *Feed) Notifications(ctx context.Context, limit int, beforeID int64, types []string) ([]Notification, error) {
	return f.NotificationsPage(ctx, NotificationQuery{Limit: limit, Before: beforeID, Types: types})
}

// UnreadCount is the number of notifications not yet seen, for the
// navigation badge. A failure reads as none: the badge is not worth an
// error page.
func (f *Feed) UnreadCount(ctx context.Context) int {
	n, err := f.notifications.Unread(ctx)
	if err != nil {
		slog.ErrorContext(ctx, "unread notifications", "err", err)
		return 0
	}
	return n
}

// MarkAllSeen marks every notification as seen.
func (f *Feed) MarkAllSeen(ctx context.Context) error {
	if err := f.notifications.MarkAllSeen(ctx); err != nil {
		return fmt.Errorf("mark notifications seen: %w", err)
	}
	return nil
}

// parseTypes reads a comma-separated list of notification types, keeping
// known ones.
func parseTypes(s string) []string {
	var out []string
	for t := range strings.SplitSeq(s, ",") {
		if t = strings.TrimSpace(t); notifications.Known(t) {
			out = append(out, t)
		}
	}
	return out
}

// Notification reads one notification.
func (f *Feed) Notification(ctx context.Context, id int64) (Notification, error) {
	list, err := f.Notifications(ctx, 1, id+1, nil)
	if err != nil {
		return Notification{}, fmt.Errorf("notification %d: %w", id, err)
	}
	if len(list) == 0 || list[0].ID != id {
		return Notification{}, fmt.Errorf("notification %d: %w", id, ErrNotFound)
	}
	return list[0], nil
}

// DismissNotification deletes one notification.
func (f *Feed) DismissNotification(ctx context.Context, id int64) error {
	if err := f.notifications.Delete(ctx, id); err != nil {
		return fmt.Errorf("dismiss notification %d: %w", id, err)
	}
	return nil
}

// ClearNotifications deletes every notification.
func (f *Feed) ClearNotifications(ctx context.Context) error {
	if err := f.notifications.Clear(ctx); err != nil {
		return fmt.Errorf("clear notifications: %w", err)
	}
	return nil
}
