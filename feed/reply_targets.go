package feed

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"roost/templates"
)

// nameReplyTargets says whom each note answers: "Replying to @bob" reads
// better than the parent's URL. The parent is one of the owner's notes or
// a post stored when it arrived; a parent roost never saw is named by its
// server ("a post on example.social"), as its URL overflows a phone.
func (f *Feed) nameReplyTargets(ctx context.Context, views []templates.NoteView, site templates.Site) error {
	targets := make([]string, len(views))
	for i, v := range views {
		targets[i] = v.InReplyTo
	}
	names, err := f.replyNames(ctx, targets, site)
	for i, v := range views {
		views[i].ReplyToName = names[v.InReplyTo]
	}
	return err
}

// nameTimelineReplies is nameReplyTargets for the home timeline and
// threads.
func (f *Feed) nameTimelineReplies(ctx context.Context, views []*templates.TimelinePostView, site templates.Site) error {
	targets := make([]string, len(views))
	for i, v := range views {
		targets[i] = v.InReplyTo
	}
	names, err := f.replyNames(ctx, targets, site)
	for _, v := range views {
		v.ReplyToName = names[v.InReplyTo]
	}
	return err
}

// replyNames names each parent URL: the owner's handle for the owner's
// notes, the author's short handle (or name) for stored posts, else the
// server. Names are given even when reading the stored posts failed.
func (f *Feed) replyNames(ctx context.Context, targets []string, site templates.Site) (map[string]string, error) {
	names := map[string]string{}
	var remote []string
	for _, t := range targets {
		switch {
		case t == "" || names[t] != "":
		case f.isLocalNote(t):
			names[t] = shortHandle(site.Handle)
		default:
			names[t] = postOnServer(t)
			remote = append(remote, t)
		}
	}
	if len(remote) == 0 {
		return names, nil
	}
	in, args := inList(remote, "")
	rows, err := f.query(ctx, `SELECT p.object_id, COALESCE(a.handle, ''), COALESCE(a.name, '') FROM posts p
		LEFT JOIN authors a ON a.actor_id = p.author WHERE p.object_id IN (`+in+`)`, args...)
	if err != nil {
		return names, fmt.Errorf("reply targets: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var objectID, handle, name string
		if err := rows.Scan(&objectID, &handle, &name); err != nil {
			return names, fmt.Errorf("reply targets: %w", err)
		}
		if handle != "" {
			names[objectID] = shortHandle(handle)
		} else if name != "" {
			names[objectID] = name
		}
	}
	if err := rows.Err(); err != nil {
		return names, fmt.Errorf("reply targets: %w", err)
	}
	return names, nil
}

// postOnServer names a post roost never saw by its server.
func postOnServer(objectID string) string {
	u, err := url.Parse(objectID)
	if err != nil || u.Hostname() == "" {
		return "a post"
	}
	return "a post on " + u.Hostname()
}

// shortHandle is "@bob" for "@bob@example.social", as Mastodon writes a
// mention; the full handle goes in the link's title.
func shortHandle(h string) string {
	if user, _, ok := strings.Cut(strings.TrimPrefix(h, "@"), "@"); ok && user != "" {
		return "@" + user
	}
	return h
}

// nodePosts are the posts of a reply tree, for nameTimelineReplies.
func nodePosts(nodes []templates.ThreadNode) []*templates.TimelinePostView {
	var out []*templates.TimelinePostView
	for i := range nodes {
		out = append(out, &nodes[i].Post)
		out = append(out, nodePosts(nodes[i].Children)...)
	}
	return out
}
