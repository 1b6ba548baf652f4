package feed

import (
	"context"
	"fmt"

	"roost/feed/notifications"
)

// NotificationQuery selects a page of notifications the way the Mastodon
// API pages (see notifications.Query).
type NotificationQuery = notifications.Query

// NotificationsPage reads one page of notifications, with the snapshot of
// each actor as last seen.
func (f *Feed) NotificationsPage(ctx context.Context, q NotificationQuery) ([]Notification, error) {
	if q.Limit <= 0 || q.Limit > 200 {
		q.Limit = notesPerPage
	}
	records, err := f.notifications.Page(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("notifications: %w", err)
	}
	var actors []string
	for _, r := range records {
		if r.ActorID != "" {
			actors = append(actors, r.ActorID)
		}
	}
	who, err := f.authors(ctx, actors)
	if err != nil {
		return nil, fmt.Errorf("notifications: %w", err)
	}
	out := make([]Notification, 0, len(records))
	for _, r := range records {
		n := Notification{ID: r.ID, Type: r.Type, ObjectID: r.ObjectID, ObjectURL: r.ObjectURL,
			Text: r.Text, Created: r.Created, Seen: r.Seen}
		if r.ActorID != "" {
			n.Actor = who[r.ActorID]
		}
		out = append(out, n)
	}
	return out, nil
}
