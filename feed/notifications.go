package feed

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Notification types, as the Mastodon client API names them.
const (
	NotifyMention       = "mention"
	NotifyReply         = "reply"
	NotifyFavourite     = "favourite"
	NotifyReblog        = "reblog"
	NotifyFollow        = "follow"
	NotifyFollowRequest = "follow_request"
	NotifyMove          = "move"
	NotifyUpdate        = "update"
	NotifyReport        = "report"
	NotifyStatus        = "status"
	NotifyPoll          = "poll"
)

// notificationTypes are the types Notify accepts.
var notificationTypes = map[string]bool{
	NotifyMention: true, NotifyReply: true, NotifyFavourite: true, NotifyReblog: true, NotifyFollow: true,
	NotifyFollowRequest: true, NotifyMove: true, NotifyUpdate: true, NotifyReport: true, NotifyStatus: true,
	NotifyPoll: true,
}

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

// eventType is what makes a notification the same event as another: with
// the actor and the object it is the unique key of the notifications table.
// A reply to the owner that also mentions them (as Mastodon's replies always
// do) is one event, as it is one "mention" notification in Mastodon; every
// other type stands for itself, so a like, a boost or a follow counts once
// per actor and object however often a peer delivers it.
func eventType(t string) string {
	if t == NotifyReply {
		return NotifyMention
	}
	return t
}

// Notify records a notification, once per event (eventType, actor and
// object): a redelivered activity, or a reply that the blog and the feed
// both report, does not notify twice. An edit is the exception that
// confirms the rule: the notification of a newer edit of a post takes the
// place of the previous one (with a new id, so it comes first again) rather
// than being dropped. The contacts room calls Notify (through cmd/roost) for
// new followers, follow requests and moves.
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
	if !notificationTypes[n.Type] {
		return 0, false, fmt.Errorf("notify: unknown type %q", n.Type)
	}
	if n.Created.IsZero() {
		n.Created = f.now()
	}
	if err := f.saveAuthor(ctx, db, n.Actor); err != nil {
		return 0, false, fmt.Errorf("notify: %w", err)
	}
	onConflict := `DO NOTHING`
	if n.Type == NotifyUpdate {
		onConflict = `DO UPDATE SET id = excluded.id, object_url = excluded.object_url, text = excluded.text,
			created = excluded.created, seen = 0`
	}
	// The id is taken at arrival, so a notification about an old post
	// still comes first, and an edit replacing an earlier one moves up.
	id := f.nextID()
	res, err := db.ExecContext(ctx, `INSERT INTO notifications(id, type, event_type, actor_id, object_id, object_url, text, created)
		VALUES(?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(event_type, actor_id, object_id) `+onConflict,
		id, n.Type, eventType(n.Type), n.Actor.ActorID, n.ObjectID, n.ObjectURL, n.Text, n.Created.Unix())
	if err != nil {
		return 0, false, fmt.Errorf("notify: %w", err)
	}
	added, _ := res.RowsAffected()
	return id, added > 0, nil
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
	var n int
	if err := f.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE seen = 0`).Scan(&n); err != nil {
		slog.ErrorContext(ctx, "unread notifications", "err", err)
		return 0
	}
	return n
}

// MarkAllSeen marks every notification as seen.
func (f *Feed) MarkAllSeen(ctx context.Context) error {
	if _, err := f.db.ExecContext(ctx, `UPDATE notifications SET seen = 1 WHERE seen = 0`); err != nil {
		return fmt.Errorf("mark notifications seen: %w", err)
	}
	return nil
}

// parseTypes reads a comma-separated list of notification types, keeping
// known ones.
func parseTypes(s string) []string {
	var out []string
	for t := range strings.SplitSeq(s, ",") {
		if t = strings.TrimSpace(t); notificationTypes[t] {
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
	if _, err := f.db.ExecContext(ctx, `DELETE FROM notifications WHERE id = ?`, id); err != nil {
		return fmt.Errorf("dismiss notification %d: %w", id, err)
	}
	return nil
}

// ClearNotifications deletes every notification.
func (f *Feed) ClearNotifications(ctx context.Context) error {
	if _, err := f.db.ExecContext(ctx, `DELETE FROM notifications`); err != nil {
		return fmt.Errorf("clear notifications: %w", err)
	}
	return nil
}
