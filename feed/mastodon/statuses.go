package mastodon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"roost/federation/vocab"
	"roost/feed"
)

func (a *API) statusRoutes(mux Mux) {
	a.handle(mux, "POST /api/v1/statuses", "write:statuses", a.postStatus)
	a.handlePublic(mux, "GET /api/v1/statuses/{id}", "read:statuses", a.getStatus)
	a.handle(mux, "PUT /api/v1/statuses/{id}", "write:statuses", a.editStatus)
	a.handle(mux, "DELETE /api/v1/statuses/{id}", "write:statuses", a.deleteStatus)
	a.handlePublic(mux, "GET /api/v1/statuses/{id}/context", "read:statuses", a.statusContext)
	a.handle(mux, "GET /api/v1/statuses/{id}/source", "read:statuses", a.statusSource)
	a.handlePublic(mux, "GET /api/v1/statuses/{id}/history", "read:statuses", a.statusHistory)
	a.handlePublic(mux, "GET /api/v1/statuses/{id}/favourited_by", "read:accounts", a.reactedBy(ReactionLike))
	a.handlePublic(mux, "GET /api/v1/statuses/{id}/reblogged_by", "read:accounts", a.reactedBy(ReactionBoost))
	a.reactionRoutes(mux)
	a.quoteRoutes(mux)
}

// visibilityIn maps Mastodon's visibility names onto the feed room's.
func visibilityIn(v string) (string, bool) {
	switch v {
	case "", "public":
		return feed.VisibilityPublic, true
	case "unlisted":
		return feed.VisibilityUnlisted, true
	case "private":
		return feed.VisibilityFollowers, true
	case "direct":
		return feed.VisibilityDirect, true
	}
	return "", false
}

// noteInput reads the fields that posting and editing share.
func (a *API) noteInput(ctx context.Context, p *params) (feed.NoteInput, string) {
	in := feed.NoteInput{Text: p.get("status"), ContentWarning: strings.TrimSpace(p.get("spoiler_text")), Language: p.get("language")}
	if in.ContentWarning == "" && p.boolean("sensitive", false) {
		// Notes mark sensitivity with a content warning; a sensitive note
		// without one still needs a line to click through.
		in.ContentWarning = "Sensitive content"
	}
	ids := p.list("media_ids")
	if len(ids) > feed.MaxMedia {
		return in, fmt.Sprintf("Too many media attachments (at most %d)", feed.MaxMedia)
	}
	for _, s := range ids {
		id, ok := parseID(s)
		if !ok || a.cfg.Media == nil {
			return in, "Unknown media attachment " + s
		}
		m, err := a.cfg.Media.Get(ctx, id)
		if err != nil {
			return in, "Unknown media attachment " + s
		}
		a.mediaIDs.Store(m.URL, idString(m.ID))
		in.Media = append(in.Media, feed.Media{URL: m.URL, PreviewURL: m.PreviewURL, MediaType: m.MediaType,
			Alt: m.Description, Blurhash: m.Blurhash, Width: m.Width, Height: m.Height})
	}
	if strings.TrimSpace(in.Text) == "" && len(in.Media) == 0 {
		return in, "Text can't be blank"
	}
	var problem string
	if in.Poll, problem = pollInput(p); problem != "" {
		return in, problem
	}
	if rid := p.get("in_reply_to_id"); rid != "" {
		id, ok := parseID(rid)
		if !ok {
			return in, "in_reply_to_id is not a status"
		}
		parent, _, err := a.findPost(ctx, id)
		if err != nil {
			return in, "The status you reply to does not exist"
		}
		in.InReplyTo = parent.ObjectID
	}
	if policy := p.get("quote_approval_policy"); policy != "" {
		if !vocab.ValidQuotePolicy(policy) {
			return in, "quote_approval_policy must be public, followers or nobody"
		}
		in.QuotePolicy = policy
	}
	in.QuoteOf, problem = a.quotedObject(p, func(id int64) (Post, error) {
		q, _, err := a.findPost(ctx, id)
		return q, err
	})
	return in, problem
}

func (a *API) postStatus(w http.ResponseWriter, r *http.Request, t *token) {
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	if p.get("scheduled_at") != "" {
		if a.scheduleStatus(w, r, t, p) {
			return
		}
	}
	key := r.Header.Get("Idempotency-Key")
	if key != "" {
		if id, ok := a.idempotent(r.Context(), key); ok {
			a.writeStatus(w, r, id)
			return
		}
	}
	s, n, problem, err := a.createStatus(r.Context(), p)
	if problem != "" {
		unprocessable(w, problem)
		return
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	if key != "" {
		if err := a.rememberIdempotent(r.Context(), key, n.ID); err != nil {
			slog.Warn("mastodon: idempotency key not kept", "err", err)
		}
	}
	writeJSON(w, http.StatusOK, s)
}

// createStatus posts a note from a status's parameters through the feed
// room, which federates it, and streams it. Apps' posts and scheduled ones
// take this one path. A problem is a message for the app (422); an error
// is the server's.
func (a *API) createStatus(ctx context.Context, p *params) (Status, feed.Note, string, error) {
	in, problem := a.noteInput(ctx, p)
	if problem != "" {
		return Status{}, feed.Note{}, problem, nil
	}
	// No visibility leaves the choice to the site's default.
	if v := p.get("visibility"); v != "" {
		vis, ok := visibilityIn(v)
		if !ok {
			return Status{}, feed.Note{}, "visibility is not one of public, unlisted, private, direct", nil
		}
		in.Visibility = vis
	}
	n, err := a.cfg.Feed.Create(ctx, in)
	var ve *feed.ValidationError
	if errors.As(err, &ve) {
		return Status{}, feed.Note{}, ve.Message, nil
	}
	if err != nil {
		return Status{}, feed.Note{}, "", fmt.Errorf("create status: %w", err)
	}
	a.countOwnStatus(+1, n.Created)
	s, err := a.newRenderer(ctx).one(noteToPost(n))
	if err != nil {
		return Status{}, n, "", err
	}
	a.publishStatus(ctx, noteToPost(n), s)
	return s, n, "", nil
}

// writeStatus renders one status by id.
func (a *API) writeStatus(w http.ResponseWriter, r *http.Request, id int64) {
	post, _, err := a.findPost(r.Context(), id)
	if err != nil {
		failLookup(w, r, err)
		return
	}
	a.writePost(w, r, post)
}

// writePost renders one post as a status.
func (a *API) writePost(w http.ResponseWriter, r *http.Request, post Post) {
	s, err := a.newRenderer(r.Context()).one(post)
	writeResult(w, r, s, err)
}

// statusParam reads {id} and finds the status, answering 404 itself.
func (a *API) statusParam(w http.ResponseWriter, r *http.Request, t *token) (Post, string, bool) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		notFound(w)
		return Post{}, "", false
	}
	post, kind, err := a.findPost(r.Context(), id)
	if err != nil && !isNotFound(err) {
		fail(w, r, err)
		return Post{}, "", false
	}
	if err != nil || !visible(post, t != nil && t.owner) {
		notFound(w)
		return Post{}, "", false
	}
	return post, kind, true
}

// ownNoteParam is statusParam for the owner's notes only: other people's
// posts and the owner's articles answer 403, as Mastodon answers for a
// status of another account.
func (a *API) ownNoteParam(w http.ResponseWriter, r *http.Request, t *token) (Post, bool) {
	post, kind, ok := a.statusParam(w, r, t)
	if !ok {
		return Post{}, false
	}
	if kind != kindNote {
		writeError(w, http.StatusForbidden, "This action is not allowed")
		return Post{}, false
	}
	return post, true
}

// getStatus shows a status with the filters of its thread: apps open a
// status there, and a filter that hides leaves it to the app to warn.
func (a *API) getStatus(w http.ResponseWriter, r *http.Request, t *token) {
	if post, _, ok := a.statusParam(w, r, t); ok {
		s, err := a.newRenderer(r.Context()).filtering(a.filtersIn(r.Context(), t, filterThread)).one(post)
		writeResult(w, r, s, err)
	}
}

func (a *API) editStatus(w http.ResponseWriter, r *http.Request, t *token) {
	post, ok := a.ownNoteParam(w, r, t)
	if !ok {
		return
	}
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	in, problem := a.noteInput(r.Context(), p)
	if problem != "" {
		unprocessable(w, problem)
		return
	}
	if !p.has("in_reply_to_id") {
		in.InReplyTo = post.InReplyTo
	}
	n, err := a.cfg.Feed.Update(r.Context(), post.ID, in)
	var ve *feed.ValidationError
	if errors.As(err, &ve) {
		unprocessable(w, ve.Message)
		return
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	s, err := a.newRenderer(r.Context()).one(noteToPost(n))
	if err != nil {
		fail(w, r, err)
		return
	}
	a.publishStatusUpdate(r.Context(), noteToPost(n), s)
	writeJSON(w, http.StatusOK, s)
}

func (a *API) deleteStatus(w http.ResponseWriter, r *http.Request, t *token) {
	post, ok := a.ownNoteParam(w, r, t)
	if !ok {
		return
	}
	n, err := a.cfg.Feed.Get(r.Context(), post.ID)
	if err != nil {
		fail(w, r, err)
		return
	}
	s, err := a.newRenderer(r.Context()).one(post)
	if err != nil {
		fail(w, r, err)
		return
	}
	if err := a.cfg.Feed.Delete(r.Context(), post.ID); err != nil {
		fail(w, r, err)
		return
	}
	a.countOwnStatus(-1, time.Time{})
	if err := a.forgetMarks(r.Context(), post.ID); err != nil {
		slog.Warn("mastodon: forget marks of a deleted status", "id", post.ID, "err", err)
	}
	a.StatusDeleted(r.Context(), post.ID)
	// The deleted status carries its source text so that apps can offer
	// "delete and redraft".
	s.Text = &n.Text
	writeJSON(w, http.StatusOK, s)
}

func (a *API) statusSource(w http.ResponseWriter, r *http.Request, t *token) {
	post, kind, ok := a.statusParam(w, r, t)
	if !ok {
		return
	}
	text := post.ContentHTML
	if kind == kindNote {
		if n, err := a.cfg.Feed.Get(r.Context(), post.ID); err == nil {
			text = n.Text
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"id": idString(post.ID), "text": text, "spoiler_text": post.Summary})
}
