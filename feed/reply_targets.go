package feed

import (
	"context"
	"fmt"
	"strings"

	"roost/templates"
)

// nameReplyTargets says whom each note answers: "Replying to @bob" reads
// better than the parent's URL. The parent is one of the owner's notes or
// a post stored when it arrived; a parent roost never saw keeps its URL.
func (f *Feed) nameReplyTargets(ctx context.Context, views []templates.NoteView, site templates.Site) error {
	var remote []string
	for i, v := range views {
		switch {
		case v.InReplyTo == "":
		case f.isLocalNote(v.InReplyTo):
			views[i].ReplyToName = shortHandle(site.Handle)
		default:
			remote = append(remote, v.InReplyTo)
		}
	}
	if len(remote) == 0 {
		return nil
	}
	in, args := inList(remote, "")
	rows, err := f.query(ctx, `SELECT p.object_id, COALESCE(a.handle, ''), COALESCE(a.name, '') FROM posts p
		LEFT JOIN authors a ON a.actor_id = p.author WHERE p.object_id IN (`+in+`)`, args...)
	if err != nil {
		return fmt.Errorf("reply targets: %w", err)
	}
	defer rows.Close()
	names := map[string]string{}
	for rows.Next() {
		var objectID, handle, name string
		if err := rows.Scan(&objectID, &handle, &name); err != nil {
			return fmt.Errorf("reply targets: %w", err)
		}
		if handle != "" {
			names[objectID] = shortHandle(handle)
		} else if name != "" {
			names[objectID] = name
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reply targets: %w", err)
	}
	for i, v := range views {
		if n, ok := names[v.InReplyTo]; ok {
			views[i].ReplyToName = n
		}
	}
	return nil
}

// shortHandle is "@bob" for "@bob@example.social", as Mastodon writes a
// mention; the full handle goes in the link's title.
func shortHandle(h string) string {
	if user, _, ok := strings.Cut(strings.TrimPrefix(h, "@"), "@"); ok && user != "" {
		return "@" + user
	}
	return h
}
