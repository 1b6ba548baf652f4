package feed

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"
)

// NotificationQuery selects a page of notifications the way the Mastodon
// API pages: Before and After are exclusive bounds on the ids (0 for
// none); with Oldest the page is the one just above After (min_id), else
// the newest below Before (max_id, since_id). Either way it comes back
// newest first.
type NotificationQuery struct {
	Limit         int
	Before, After int64
	Oldest        bool
	// Types keeps only these types (all when empty).
	Types []string
}

// NotificationsPage reads one page of notifications.
func (f *Feed) NotificationsPage(ctx context.Context, q NotificationQuery) ([]Notification, error) {
	if q.Limit <= 0 || q.Limit > 200 {
		q.Limit = notesPerPage
	}
	if q.Before <= 0 {
		q.Before = math.MaxInt64
	}
	query := `SELECT n.id, n.type, n.actor_id, n.object_id, n.object_url, n.text, n.created, n.seen,
		COALESCE(a.name, ''), COALESCE(a.handle, ''), COALESCE(a.avatar_url, ''), COALESCE(a.profile_url, '')
		FROM notifications n LEFT JOIN authors a ON a.actor_id = n.actor_id WHERE n.id < ? AND n.id > ?`
	args := []any{q.Before, q.After}
	if len(q.Types) > 0 {
		query += ` AND n.type IN (` + placeholders(len(q.Types)) + `)`
		for _, t := range q.Types {
			args = append(args, t)
		}
	}
	if q.Oldest {
		query += ` ORDER BY n.id ASC LIMIT ?`
	} else {
		query += ` ORDER BY n.id DESC LIMIT ?`
	}
	rows, err := f.db.QueryContext(ctx, query, append(args, q.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("notifications: %w", err)
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		var created int64
		var seen int
		if err := rows.Scan(&n.ID, &n.Type, &n.Actor.ActorID, &n.ObjectID, &n.ObjectURL, &n.Text, &created, &seen,
			&n.Actor.Name, &n.Actor.Handle, &n.Actor.AvatarURL, &n.Actor.ProfileURL); err != nil {
			return nil, fmt.Errorf("notifications: %w", err)
		}
		n.Created, n.Seen = time.Unix(created, 0).UTC(), seen != 0
		if n.Actor.ProfileURL == "" {
			n.Actor.ProfileURL = n.Actor.ActorID
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("notifications: %w", err)
	}
	if q.Oldest {
		slices.Reverse(out)
	}
	return out, nil
}
