package feed

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"

	"roost/templates"
)

// validateQuote checks that a new note may quote a post: one the site
// holds and that is public or unlisted. A post only for its author's
// followers or a few people is not quoted (Mastodon lets nobody else
// quote those), as a public quote would show it to everyone.
func (f *Feed) validateQuote(ctx context.Context, objectID string) error {
	if objectID == "" {
		return nil
	}
	q, err := f.PostByObjectID(ctx, objectID)
	switch {
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrGone):
		return invalid("The post you quote does not exist.")
	case err != nil:
		return fmt.Errorf("quote: %w", err)
	case q.FromFeed:
		return invalid("Items of web feeds cannot be quoted.")
	case q.Visibility != VisibilityPublic && q.Visibility != VisibilityUnlisted:
		return invalid("This post cannot be quoted: it is not public.")
	}
	return nil
}

// quotedAuthor is the author of the remote post a note quotes, who gets
// the note delivered whether or not they follow the owner (so that their
// server can tell them), unless the note is only for followers or a few.
func (f *Feed) quotedAuthor(ctx context.Context, tx *sql.Tx, n Note) string {
	if n.QuoteOf == "" || f.isLocalNote(n.QuoteOf) || (n.Visibility != VisibilityPublic && n.Visibility != VisibilityUnlisted) {
		return ""
	}
	var author string
	if err := tx.QueryRowContext(ctx, `SELECT author FROM posts WHERE object_id = ?`, n.QuoteOf).Scan(&author); err != nil {
		return ""
	}
	return author
}

// QuoteCounts counts the stored quotes (the owner's and others', not
// deleted) of each object id.
func (f *Feed) QuoteCounts(ctx context.Context, objectIDs []string) (map[string]int, error) {
	out := map[string]int{}
	if len(objectIDs) == 0 {
		return out, nil
	}
	marks, args := inList(objectIDs, " ") // the pad (a space, which no URL holds) matches no quote, not the empty "none"
	args = append(args, args...)
	rows, err := f.query(ctx, `SELECT quote, COUNT(*) FROM posts WHERE quote IN (`+marks+`) AND deleted_at IS NULL GROUP BY quote
		UNION ALL SELECT quote, COUNT(*) FROM notes WHERE quote IN (`+marks+`) AND deleted_at IS NULL GROUP BY quote`, args...)
	if err != nil {
		return nil, fmt.Errorf("quote counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("quote counts: %w", err)
		}
		out[id] += n
	}
	return out, rows.Err()
}

// quoteView loads the post a note or post quotes for a page, with where
// the quote stands (QuoteState; empty for a quote not yet posted). A
// quoted post that is gone, or not public, shows as its link only.
func (f *Feed) quoteView(ctx context.Context, objectID, state string, site templates.Site) *templates.QuoteView {
	if objectID == "" {
		return nil
	}
	q, err := f.PostByObjectID(ctx, objectID)
	if err != nil || (q.Visibility != VisibilityPublic && q.Visibility != VisibilityUnlisted) {
		return &templates.QuoteView{URL: objectID, Missing: true, State: state}
	}
	a := f.authorView(q.Author, site)
	return &templates.QuoteView{URL: q.URL, AuthorName: a.Name, AuthorHandle: a.Handle, HTML: q.HTML, State: state}
}

// addEntryQuotes shows the quoted post inside each timeline entry that
// quotes one.
func (f *Feed) addEntryQuotes(ctx context.Context, entries []Entry, views []templates.TimelineEntryView, site templates.Site) {
	for i, e := range entries {
		if i < len(views) {
			views[i].Post.Quote = f.quoteView(ctx, e.Post.QuoteOf, f.QuoteState(ctx, e.Post), site)
		}
	}
}

// quoteFetchBudget is how many documents (the quoted post and its author)
// an arriving quote post may fetch.
const quoteFetchBudget = 2

// fetchQuoted stores the post an arriving post quotes when the site has
// never seen it, so that timelines and apps show the quote whole. A post
// that cannot be fetched leaves the quote as a link.
func (f *Feed) fetchQuoted(ctx context.Context, p Post) {
	if p.QuoteOf == "" || f.isOwnObject(p.QuoteOf) {
		return
	}
	l := f.newThreadLoader()
	l.left = quoteFetchBudget
	if _, err := l.post(ctx, p.QuoteOf); err != nil && !errors.Is(err, ErrGone) {
		slog.InfoContext(ctx, "quoted post not loaded", "post", p.ObjectID, "quote", p.QuoteOf, "err", err)
	}
}
