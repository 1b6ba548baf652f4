package blog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"roost/federation/vocab"
)

// Limits of Webmention receiving: the waiting checks are bounded under a
// flood, the rate bounds how often roost fetches other people's pages for
// them, and a source page larger than maxSourceSize is not read.
const (
	maxPendingChecks  = 256
	webmentionTimeout = 15 * time.Second
	maxSourceSize     = 1 << 20
)

// FetchPage fetches a web page through the site's guarded client (no
// private addresses unless the site allows them) and returns its body. A
// page that answers 404 or 410 gives an error wrapping federation.ErrNotFound
// or federation.ErrGone.
type FetchPage func(ctx context.Context, rawURL string) (body []byte, err error)

// WebmentionURL is the endpoint pages advertise with rel="webmention".
func (b *Blog) WebmentionURL() string { return b.baseURL + "/webmention" }

// receiveWebmention is POST /webmention: the request is checked at once
// (the target must be a post of this site) and the source is verified
// later, as the spec asks, so a slow source cannot hold the request.
func (b *Blog) receiveWebmention(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	source, target := strings.TrimSpace(r.PostFormValue("source")), strings.TrimSpace(r.PostFormValue("target"))
	if vocab.WebURL(source) == "" || vocab.WebURL(target) == "" {
		http.Error(w, "source and target must be http(s) URLs", http.StatusBadRequest)
		return
	}
	if sameURL(source, target) {
		http.Error(w, "source and target are the same page", http.StatusBadRequest)
		return
	}
	if !b.acceptsWebmentionsAt(r.Context(), target) {
		http.Error(w, "target is not a post on this site", http.StatusBadRequest)
		return
	}
	if b.fetchPage == nil {
		http.Error(w, "this site does not fetch other pages", http.StatusServiceUnavailable)
		return
	}
	switch err := b.queueCheck(r.Context(), source, target); {
	case errors.Is(err, errTooManyChecks):
		w.Header().Set("Retry-After", "60")
		http.Error(w, "too many Webmentions waiting; try again later", http.StatusServiceUnavailable)
		return
	case err != nil:
		slog.ErrorContext(r.Context(), "blog: queue webmention", "source", source, "target", target, "err", err)
		http.Error(w, "the Webmention could not be stored; try again later", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusAccepted)
	_, _ = w.Write([]byte("Accepted: the source will be checked shortly.\n"))
}

// saveWebmention stores the mention as a comment whose object id is the
// source, so the approve/delete of comments applies and a re-sent
// Webmention updates the same row. A mention of a note goes beside it, in
// note_webmentions.
func (b *Blog) saveWebmention(ctx context.Context, t mentionTarget, source string, m mention) error {
	c := b.mentionComment(t, source, m)
	if t.noteURL != "" {
		return b.saveNoteWebmention(ctx, t.noteURL, c)
	}
	var existing string
	err := b.db.QueryRowContext(ctx, `SELECT webmention FROM comments WHERE object_id = ?`, source).Scan(&existing)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if b.holdComments != nil && b.holdComments() {
			c.Held = true
		}
		_, err = b.db.ExecContext(ctx, `INSERT INTO comments (id, article_id, object_id, author_id, author_name,
			author_handle, author_url, author_avatar, content_html, url, published, webmention, held)
			VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.ArticleID, c.ObjectID, c.AuthorID, c.AuthorName, c.AuthorURL, c.AuthorAvatar, c.ContentHTML, c.URL,
			c.Published.Unix(), c.Webmention, c.Held)
		if err != nil {
			return fmt.Errorf("store webmention: %w", err)
		}
		if b.commentAdded != nil {
			b.commentAdded(ctx, c)
		}
		return nil
	case err != nil:
		return fmt.Errorf("store webmention: %w", err)
	case existing == "":
		// The source is a fediverse comment's id: a Webmention cannot rewrite it.
		return nil
	}
	_, err = b.db.ExecContext(ctx, `UPDATE comments SET author_id = ?, author_name = ?, author_url = ?, author_avatar = ?,
		content_html = ?, url = ?, webmention = ? WHERE object_id = ? AND webmention <> ''`,
		c.AuthorID, c.AuthorName, c.AuthorURL, c.AuthorAvatar, c.ContentHTML, c.URL, c.Webmention, source)
	if err != nil {
		return fmt.Errorf("update webmention: %w", err)
	}
	return nil
}

// mentionComment is what the source page says, as a comment: the author
// falls back to the source page, the name to its host, and only http(s)
// links are kept.
func (b *Blog) mentionComment(t mentionTarget, source string, m mention) Comment {
	author := m.AuthorURL
	if vocab.WebURL(author) == "" {
		author = source
	}
	name := m.AuthorName
	if name == "" {
		if u, err := url.Parse(author); err == nil {
			name = u.Host
		}
	}
	link := m.URL
	if vocab.WebURL(link) == "" {
		link = source
	}
	photo := m.Photo
	if vocab.WebURL(photo) == "" {
		photo = ""
	}
	published := b.now()
	if p, err := time.Parse(time.RFC3339, m.PublishedRaw); err == nil {
		published = p.UTC()
	}
	return Comment{
		ID: b.newID(), ArticleID: t.articleID, ObjectID: source, AuthorID: author, AuthorName: name,
		AuthorURL: author, AuthorAvatar: photo, ContentHTML: vocab.SanitizeHTML(m.ContentHTML), URL: link,
		Published: published, Webmention: m.Kind,
	}
}

// removeWebmention takes away what source said about the target: it no
// longer links there, or it is gone.
func (b *Blog) removeWebmention(ctx context.Context, t mentionTarget, source string) error {
	var err error
	if t.noteURL != "" {
		_, err = b.db.ExecContext(ctx, `DELETE FROM note_webmentions WHERE note_url = ? AND source = ?`, t.noteURL, source)
	} else {
		_, err = b.db.ExecContext(ctx, `DELETE FROM comments WHERE object_id = ? AND article_id = ? AND webmention <> ''`,
			source, t.articleID)
	}
	if err != nil {
		return fmt.Errorf("remove webmention: %w", err)
	}
	return nil
}
