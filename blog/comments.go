package blog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Comment is a fediverse reply to an article, or to another comment on it.
// ContentHTML was sanitized by federation when the reply arrived.
type Comment struct {
	ID, ArticleID int64
	ParentID      int64 // 0 for a reply to the article itself
	ObjectID      string
	// InReplyTo is what the reply names: the article's id or URL, or another
	// comment's object id. AddComment resolves it to ArticleID and ParentID
	// when those are zero.
	InReplyTo                                                   string
	AuthorID, AuthorName, AuthorHandle, AuthorURL, AuthorAvatar string
	ContentHTML, URL                                            string
	Published                                                   time.Time
	Replies                                                     []Comment
	// Webmention is the kind (reply, like, repost, mention) of a comment
	// that came as a Webmention from a web page; empty for fediverse replies.
	Webmention string
	// Quiet adds the comment without telling Config.CommentAdded: an import
	// of comments written long ago.
	Quiet bool
	// Held waits for the owner's approval: only the owner sees it.
	Held bool
}

// AddComment stores a reply and tells Config.CommentAdded. A reply whose
// object id is already known is left alone and is not news (peers deliver
// the same Create more than once).
func (b *Blog) AddComment(ctx context.Context, c Comment) (Comment, error) {
	if c.ObjectID == "" || c.AuthorID == "" {
		return Comment{}, fmt.Errorf("add comment: object id and author are required")
	}
	if c.ArticleID == 0 {
		if err := b.resolveReply(ctx, &c); err != nil {
			return Comment{}, fmt.Errorf("add comment %s: %w", c.ObjectID, err)
		}
	}
	if c.Published.IsZero() {
		c.Published = b.now()
	}
	if c.ID == 0 {
		c.ID = b.newID()
	}
	var parent any
	if c.ParentID != 0 {
		parent = c.ParentID
	}
	if b.holdComments != nil && !c.Quiet && b.holdComments() {
		c.Held = true
	}
	res, err := b.db.ExecContext(ctx, `INSERT INTO comments (id, article_id, parent_id, object_id, author_id, author_name,
		author_handle, author_url, author_avatar, content_html, url, published, held) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (object_id) DO NOTHING`,
		c.ID, c.ArticleID, parent, c.ObjectID, c.AuthorID, c.AuthorName, c.AuthorHandle, c.AuthorURL, c.AuthorAvatar,
		c.ContentHTML, c.URL, c.Published.Unix(), c.Held)
	if err != nil {
		return Comment{}, fmt.Errorf("add comment %s: %w", c.ObjectID, err)
	}
	if added, _ := res.RowsAffected(); added > 0 && b.commentAdded != nil && !c.Quiet {
		b.commentAdded(ctx, c)
	}
	return c, nil
}

// resolveReply finds the article (and parent comment) that inReplyTo names.
func (b *Blog) resolveReply(ctx context.Context, c *Comment) error {
	var article, parent int64
	err := b.db.QueryRowContext(ctx, `SELECT article_id, id FROM comments WHERE object_id = ? OR url = ?`,
		c.InReplyTo, c.InReplyTo).Scan(&article, &parent)
	if err == nil {
		c.ArticleID, c.ParentID = article, parent
		return nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	a, err := b.ByURL(ctx, c.InReplyTo)
	if err != nil {
		return err
	}
	c.ArticleID = a.ID
	return nil
}

// UpdateComment replaces a comment's content (an Update from its author).
func (b *Blog) UpdateComment(ctx context.Context, c Comment) error {
	// Only the author may edit: federation checked the origin, this checks the person.
	res, err := b.db.ExecContext(ctx, `UPDATE comments SET content_html = ?, author_name = ?, author_avatar = ?
		WHERE object_id = ? AND author_id = ?`, c.ContentHTML, c.AuthorName, c.AuthorAvatar, c.ObjectID, c.AuthorID)
	if err != nil {
		return fmt.Errorf("update comment %s: %w", c.ObjectID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("update comment %s: %w", c.ObjectID, ErrNotFound)
	}
	return nil
}

// IsComment tells whether an object id is a stored comment, so that a reply
// to it joins the thread under the article.
func (b *Blog) IsComment(ctx context.Context, objectID string) bool {
	var one int
	return b.db.QueryRowContext(ctx, `SELECT 1 FROM comments WHERE object_id = ?`, objectID).Scan(&one) == nil
}

// DeleteComment removes a comment when actorID wrote it; its replies move up
// to its parent position (parent_id becomes NULL) rather than disappearing.
func (b *Blog) DeleteComment(ctx context.Context, objectID, actorID string) error {
	res, err := b.db.ExecContext(ctx, `DELETE FROM comments WHERE object_id = ? AND author_id = ?`, objectID, actorID)
	if err != nil {
		return fmt.Errorf("delete comment %s: %w", objectID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("delete comment %s: %w", objectID, ErrNotFound)
	}
	return nil
}

// Comments returns an article's shown comments as a tree: top-level
// comments oldest first, each with its replies. Held ones are left out.
func (b *Blog) Comments(ctx context.Context, articleID int64) ([]Comment, error) {
	return b.comments(ctx, articleID, false)
}

// CommentsWithHeld is Comments with the comments awaiting approval, for
// the owner.
func (b *Blog) CommentsWithHeld(ctx context.Context, articleID int64) ([]Comment, error) {
	return b.comments(ctx, articleID, true)
}

func (b *Blog) comments(ctx context.Context, articleID int64, withHeld bool) ([]Comment, error) {
	rows, err := b.db.QueryContext(ctx, `SELECT id, article_id, COALESCE(parent_id, 0), object_id, author_id, author_name,
		author_handle, author_url, author_avatar, content_html, url, published, held, webmention
		FROM comments WHERE article_id = ? AND (held = 0 OR ?) ORDER BY published, id`, articleID, withHeld)
	if err != nil {
		return nil, fmt.Errorf("comments of %d: %w", articleID, err)
	}
	defer rows.Close()
	var flat []Comment
	for rows.Next() {
		var c Comment
		var published int64
		if err := rows.Scan(&c.ID, &c.ArticleID, &c.ParentID, &c.ObjectID, &c.AuthorID, &c.AuthorName, &c.AuthorHandle,
			&c.AuthorURL, &c.AuthorAvatar, &c.ContentHTML, &c.URL, &published, &c.Held, &c.Webmention); err != nil {
			return nil, fmt.Errorf("comments of %d: %w", articleID, err)
		}
		c.Published = time.Unix(published, 0).UTC()
		flat = append(flat, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("comments of %d: %w", articleID, err)
	}
	return thread(flat), nil
}

// thread builds the tree. A comment whose parent is missing is shown at the
// top level rather than lost.
func thread(flat []Comment) []Comment {
	known := make(map[int64]bool, len(flat))
	children := map[int64][]Comment{}
	for _, c := range flat {
		known[c.ID] = true
	}
	for _, c := range flat {
		p := c.ParentID
		if !known[p] || p == c.ID {
			p = 0
		}
		children[p] = append(children[p], c)
	}
	var build func(parent int64, depth int) []Comment
	build = func(parent int64, depth int) []Comment {
		list := children[parent]
		for i := range list {
			if depth < 50 { // a cycle of parents cannot recurse forever
				list[i].Replies = build(list[i].ID, depth+1)
			}
		}
		return list
	}
	return build(0, 0)
}
