package feed

import (
	"context"
	"database/sql"
)

// webmentionQueue queues, in the transaction that saves a post, a
// Webmention to each page its HTML links to and to each page it linked to
// before (an empty HTML: the post is gone).
type webmentionQueue interface {
	QueueWebmentions(ctx context.Context, tx *sql.Tx, source, contentHTML string, skip []string) error
}

// queueWebmentions tells the pages a public note links to that it was
// posted, edited or deleted. The accounts it mentions, and the posts it
// answers or quotes, are left out: they hear of it by ActivityPub. Only public notes are for the open web; the
// others are queued empty, which tells no one unless the note was once
// public.
func (f *Feed) queueWebmentions(ctx context.Context, tx *sql.Tx, n Note, deleted bool) error {
	if f.cfg.Webmentions == nil {
		return nil
	}
	content := ""
	if !deleted && n.Visibility == VisibilityPublic {
		content = n.HTML
	}
	skip := []string{n.InReplyTo, n.QuoteOf}
	for _, m := range n.Mentions {
		skip = append(skip, m.ActorID, m.Href)
	}
	return f.cfg.Webmentions.QueueWebmentions(ctx, tx, n.URL, content, skip)
}
