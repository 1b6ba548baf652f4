package blog

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/time/rate"

	"roost/federation"
	"roost/federation/vocab"
)

// Limits of Webmention receiving: the queue bounds memory under a flood,
// the rate bounds how often roost fetches other people's pages for it, and
// a source page larger than maxSourceSize is not read.
const (
	webmentionQueue   = 256
	webmentionTimeout = 15 * time.Second
	maxSourceSize     = 1 << 20
)

// FetchPage fetches a web page through the site's guarded client (no
// private addresses unless the site allows them) and returns its body. A
// page that answers 404 or 410 gives an error wrapping federation.ErrNotFound
// or federation.ErrGone.
type FetchPage func(ctx context.Context, rawURL string) (body []byte, err error)

type webmentionJob struct {
	source, target string
	articleID      int64
	attempt        int
}

// webmentionRetries are the waits before fetching a source again that
// could not be reached (a server restarting, a network hiccup).
var webmentionRetries = []time.Duration{time.Second, 5 * time.Second, 30 * time.Second}

// WebmentionURL is the endpoint pages advertise with rel="webmention".
func (b *Blog) WebmentionURL() string { return b.baseURL + "/webmention" }

// receiveWebmention is POST /webmention: the request is checked at once
// (the target must be a post of this site) and the source is verified
// later, as the spec asks, so a slow source cannot hold the request.
func (b *Blog) receiveWebmention(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	source, target := strings.TrimSpace(r.PostFormValue("source")), strings.TrimSpace(r.PostFormValue("target"))
	if !webURL(source) || !webURL(target) {
		http.Error(w, "source and target must be http(s) URLs", http.StatusBadRequest)
		return
	}
	if sameURL(source, target) {
		http.Error(w, "source and target are the same page", http.StatusBadRequest)
		return
	}
	a, err := b.ByURL(r.Context(), target)
	if err != nil || a.Page || a.Draft || !a.Due(b.now()) {
		http.Error(w, "target is not a post on this site", http.StatusBadRequest)
		return
	}
	if b.fetchPage == nil {
		http.Error(w, "this site does not fetch other pages", http.StatusServiceUnavailable)
		return
	}
	b.startWebmentions.Do(func() { go b.verifyWebmentions() })
	select {
	case b.webmentions <- webmentionJob{source: source, target: target, articleID: a.ID}:
	default:
		w.Header().Set("Retry-After", "60")
		http.Error(w, "too many Webmentions waiting; try again later", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusAccepted)
	_, _ = w.Write([]byte("Accepted: the source will be checked shortly.\n"))
}

func webURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// verifyWebmentions works through the queue one source at a time, at a
// bounded rate, for the life of the process.
func (b *Blog) verifyWebmentions() {
	limit := rate.NewLimiter(rate.Every(200*time.Millisecond), 10)
	for job := range b.webmentions {
		_ = limit.Wait(context.Background())
		ctx, cancel := context.WithTimeout(context.Background(), webmentionTimeout)
		if err := b.verifyWebmention(ctx, job); err != nil {
			slog.Warn("blog: webmention", "source", job.source, "target", job.target, "attempt", job.attempt, "err", err)
			b.retryWebmention(job, err)
		}
		cancel()
	}
}

// retryWebmention queues the job again later when the source could not be
// reached; a source that answered (even with an error status) is not
// asked again.
func (b *Blog) retryWebmention(job webmentionJob, err error) {
	var status *federation.StatusError
	if errors.As(err, &status) && status.Status < 500 && status.Status != http.StatusTooManyRequests {
		return
	}
	if job.attempt >= len(webmentionRetries) {
		return
	}
	wait := webmentionRetries[job.attempt]
	job.attempt++
	time.AfterFunc(wait, func() {
		select {
		case b.webmentions <- job:
		default: // the queue is full: this one is given up
		}
	})
}

// verifyWebmention fetches the source: one that links to the target is
// stored (or updated), one that is gone or no longer links is removed.
func (b *Blog) verifyWebmention(ctx context.Context, job webmentionJob) error {
	body, err := b.fetchPage(ctx, job.source)
	if errors.Is(err, federation.ErrGone) || errors.Is(err, federation.ErrNotFound) {
		return b.removeWebmention(ctx, job.source, job.articleID)
	}
	if err != nil {
		return err
	}
	if len(body) > maxSourceSize {
		return fmt.Errorf("source larger than %d bytes", maxSourceSize)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("parse source: %w", err)
	}
	src, _ := url.Parse(job.source)
	if !linksTo(doc, src, job.target) {
		return b.removeWebmention(ctx, job.source, job.articleID)
	}
	return b.saveWebmention(ctx, job, readMention(doc, src, job.target))
}

// saveWebmention stores the mention as a comment whose object id is the
// source, so the approve/delete of comments applies and a re-sent
// Webmention updates the same row.
func (b *Blog) saveWebmention(ctx context.Context, job webmentionJob, m mention) error {
	author := m.AuthorURL
	if author == "" {
		author = job.source
	}
	name := m.AuthorName
	if name == "" {
		if u, err := url.Parse(author); err == nil {
			name = u.Host
		}
	}
	link := m.URL
	if !webURL(link) {
		link = job.source
	}
	photo := m.Photo
	if !webURL(photo) {
		photo = ""
	}
	published := b.now()
	if t, err := time.Parse(time.RFC3339, m.PublishedRaw); err == nil {
		published = t.UTC()
	}
	c := Comment{
		ID: b.newID(), ArticleID: job.articleID, ObjectID: job.source, AuthorID: author, AuthorName: name,
		AuthorURL: author, AuthorAvatar: photo, ContentHTML: vocab.SanitizeHTML(m.ContentHTML), URL: link, Published: published,
	}
	var existing string
	err := b.db.QueryRowContext(ctx, `SELECT webmention FROM comments WHERE object_id = ?`, job.source).Scan(&existing)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = b.db.ExecContext(ctx, `INSERT INTO comments (id, article_id, object_id, author_id, author_name,
			author_handle, author_url, author_avatar, content_html, url, published, webmention)
			VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?)`,
			c.ID, c.ArticleID, c.ObjectID, c.AuthorID, c.AuthorName, c.AuthorURL, c.AuthorAvatar, c.ContentHTML, c.URL,
			c.Published.Unix(), m.Kind)
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
		c.AuthorID, c.AuthorName, c.AuthorURL, c.AuthorAvatar, c.ContentHTML, c.URL, m.Kind, job.source)
	if err != nil {
		return fmt.Errorf("update webmention: %w", err)
	}
	return nil
}

func (b *Blog) removeWebmention(ctx context.Context, source string, articleID int64) error {
	if _, err := b.db.ExecContext(ctx, `DELETE FROM comments WHERE object_id = ? AND article_id = ? AND webmention <> ''`,
		source, articleID); err != nil {
		return fmt.Errorf("remove webmention: %w", err)
	}
	return nil
}
