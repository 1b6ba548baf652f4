package blog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// moderateComment is POST /blog/comments/{id}/{approve,delete,block}, from
// the buttons under each comment on the owner's article page. Block also
// removes the comment: the owner does not want it shown.
func (b *Blog) moderateComment(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		b.notFound(w, r)
		return
	}
	ctx := r.Context()
	c, slug, err := b.commentByID(ctx, id)
	if errors.Is(err, ErrNotFound) {
		b.moderateNoteWebmention(w, r, id)
		return
	}
	if err != nil {
		b.serverError(w, r, "moderate comment", err)
		return
	}
	switch r.PathValue("action") {
	case "approve":
		_, err = b.db.ExecContext(ctx, `UPDATE comments SET held = 0 WHERE id = ?`, id)
	case "delete":
		err = b.removeComment(ctx, id)
	case "block":
		if b.blockAuthor == nil {
			b.notFound(w, r)
			return
		}
		if err = b.blockAuthor(ctx, c.AuthorID); err == nil {
			err = b.removeComment(ctx, id)
		}
	default:
		b.notFound(w, r)
		return
	}
	if err != nil {
		b.serverError(w, r, "moderate comment", err)
		return
	}
	http.Redirect(w, r, "/blog/"+url.PathEscape(slug)+"#comments", http.StatusSeeOther)
}

// commentByID reads a comment's author and the slug of its article.
func (b *Blog) commentByID(ctx context.Context, id int64) (Comment, string, error) {
	var c Comment
	var slug string
	err := b.db.QueryRowContext(ctx, `SELECT c.id, c.author_id, a.slug FROM comments c JOIN articles a ON a.id = c.article_id
		WHERE c.id = ?`, id).Scan(&c.ID, &c.AuthorID, &slug)
	if errors.Is(err, sql.ErrNoRows) {
		return Comment{}, "", fmt.Errorf("comment %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Comment{}, "", fmt.Errorf("comment %d: %w", id, err)
	}
	return c, slug, nil
}

// removeComment deletes a comment the owner does not want; its replies
// move up rather than disappear, as when an author deletes their own.
func (b *Blog) removeComment(ctx context.Context, id int64) error {
	if _, err := b.db.ExecContext(ctx, `UPDATE comments SET parent_id = NULL WHERE parent_id = ?`, id); err != nil {
		return fmt.Errorf("remove comment %d: %w", id, err)
	}
	if _, err := b.db.ExecContext(ctx, `DELETE FROM comments WHERE id = ?`, id); err != nil {
		return fmt.Errorf("remove comment %d: %w", id, err)
	}
	return nil
}

// moderateNoteWebmention is moderateComment for a Webmention to a note:
// the same buttons, back to the note's page.
func (b *Blog) moderateNoteWebmention(w http.ResponseWriter, r *http.Request, id int64) {
	ctx := r.Context()
	var authorID, noteURL string
	err := b.db.QueryRowContext(ctx, `SELECT author_id, note_url FROM note_webmentions WHERE id = ?`, id).Scan(&authorID, &noteURL)
	if errors.Is(err, sql.ErrNoRows) {
		b.notFound(w, r)
		return
	}
	if err != nil {
		b.serverError(w, r, "moderate webmention", err)
		return
	}
	remove := func() error {
		_, err := b.db.ExecContext(ctx, `DELETE FROM note_webmentions WHERE id = ?`, id)
		return err
	}
	switch r.PathValue("action") {
	case "approve":
		_, err = b.db.ExecContext(ctx, `UPDATE note_webmentions SET held = 0 WHERE id = ?`, id)
	case "delete":
		err = remove()
	case "block":
		if b.blockAuthor == nil {
			b.notFound(w, r)
			return
		}
		if err = b.blockAuthor(ctx, authorID); err == nil {
			err = remove()
		}
	default:
		b.notFound(w, r)
		return
	}
	if err != nil {
		b.serverError(w, r, "moderate webmention", err)
		return
	}
	back := "/notes/"
	if u, err := url.Parse(noteURL); err == nil && u.Path != "" {
		back = u.Path
	}
	http.Redirect(w, r, back+"#webmentions", http.StatusSeeOther)
}
