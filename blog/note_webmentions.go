package blog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"roost/templates"
)

// saveNoteWebmention stores or updates what a page says about one of the
// owner's notes. A new one waits for approval when the site holds comments.
func (b *Blog) saveNoteWebmention(ctx context.Context, noteURL string, c Comment) error {
	held := b.holdComments != nil && b.holdComments()
	var id int64
	err := b.db.QueryRowContext(ctx, `SELECT id FROM note_webmentions WHERE note_url = ? AND source = ?`,
		noteURL, c.ObjectID).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = b.db.ExecContext(ctx, `INSERT INTO note_webmentions (id, note_url, source, kind, author_id, author_name,
			author_url, author_avatar, content_html, url, published, held) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, noteURL, c.ObjectID, c.Webmention, c.AuthorID, c.AuthorName, c.AuthorURL, c.AuthorAvatar,
			c.ContentHTML, c.URL, c.Published.Unix(), held)
		if err != nil {
			return fmt.Errorf("store note webmention: %w", err)
		}
		if b.commentAdded != nil {
			c.ArticleID = 0
			c.InReplyTo = noteURL
			c.Held = held
			b.commentAdded(ctx, c)
		}
		return nil
	case err != nil:
		return fmt.Errorf("store note webmention: %w", err)
	}
	_, err = b.db.ExecContext(ctx, `UPDATE note_webmentions SET kind = ?, author_id = ?, author_name = ?, author_url = ?,
		author_avatar = ?, content_html = ?, url = ? WHERE id = ?`,
		c.Webmention, c.AuthorID, c.AuthorName, c.AuthorURL, c.AuthorAvatar, c.ContentHTML, c.URL, id)
	if err != nil {
		return fmt.Errorf("update note webmention: %w", err)
	}
	return nil
}

// NoteWebmentions are the web pages' replies, likes and mentions of one
// of the owner's notes, oldest first, ready for the note's page: with the
// moderation buttons and the held ones when owner is set.
func (b *Blog) NoteWebmentions(ctx context.Context, noteURL string, owner bool) ([]templates.BlogComment, error) {
	rows, err := b.db.QueryContext(ctx, `SELECT id, source, kind, author_id, author_name, author_url, author_avatar,
		content_html, url, published, held FROM note_webmentions WHERE note_url = ? AND (held = 0 OR ?)
		ORDER BY published, id`, noteURL, owner)
	if err != nil {
		return nil, fmt.Errorf("webmentions of %s: %w", noteURL, err)
	}
	defer rows.Close()
	var list []Comment
	for rows.Next() {
		var c Comment
		var published int64
		if err := rows.Scan(&c.ID, &c.ObjectID, &c.Webmention, &c.AuthorID, &c.AuthorName, &c.AuthorURL,
			&c.AuthorAvatar, &c.ContentHTML, &c.URL, &published, &c.Held); err != nil {
			return nil, fmt.Errorf("webmentions of %s: %w", noteURL, err)
		}
		c.Published = time.Unix(published, 0).UTC()
		list = append(list, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("webmentions of %s: %w", noteURL, err)
	}
	views := commentViews(list)
	if owner {
		moderation(views, b.blockAuthor != nil)
	}
	return views, nil
}
