package mastodon

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"net/http"
	"time"
)

// Mark kinds in mastodon_marks.
const (
	markFavourite = "favourite"
	markReblog    = "reblog"
	markBookmark  = "bookmark"
	markPin       = "pin"
)

func (a *API) reactionRoutes(mux Mux) {
	a.handle(mux, "POST /api/v1/statuses/{id}/favourite", "write:favourites", a.react(markFavourite, true))
	a.handle(mux, "POST /api/v1/statuses/{id}/unfavourite", "write:favourites", a.react(markFavourite, false))
	a.handle(mux, "POST /api/v1/statuses/{id}/reblog", "write:statuses", a.react(markReblog, true))
	a.handle(mux, "POST /api/v1/statuses/{id}/unreblog", "write:statuses", a.react(markReblog, false))
	a.handle(mux, "POST /api/v1/statuses/{id}/bookmark", "write:bookmarks", a.react(markBookmark, true))
	a.handle(mux, "POST /api/v1/statuses/{id}/unbookmark", "write:bookmarks", a.react(markBookmark, false))
	a.handle(mux, "POST /api/v1/statuses/{id}/pin", "write:accounts", a.react(markPin, true))
	a.handle(mux, "POST /api/v1/statuses/{id}/unpin", "write:accounts", a.react(markPin, false))
	a.handle(mux, "POST /api/v1/statuses/{id}/mute", "write:mutes", a.getStatusAsAction)
	a.handle(mux, "POST /api/v1/statuses/{id}/unmute", "write:mutes", a.getStatusAsAction)
}

// react sets or clears one of the owner's marks on a status. Favourites,
// reblogs and bookmarks of the feed room's statuses are the feed room's, the
// same as on the web (favourites and reblogs federate from there); pins and
// the marks on blog articles, which the feed room does not hold, are kept
// in mastodon_marks.
func (a *API) react(kind string, on bool) func(http.ResponseWriter, *http.Request, *token) {
	return func(w http.ResponseWriter, r *http.Request, t *token) {
		post, postKind, ok := a.statusParam(w, r, t)
		if !ok {
			return
		}
		if post.Reblog != nil {
			post = *post.Reblog
		}
		if kind == markPin && postKind != kindNote {
			unprocessable(w, "only your own notes can be pinned")
			return
		}
		if kind == markReblog && on && (post.Visibility == "followers" || post.Visibility == "direct") {
			unprocessable(w, "this status cannot be reblogged")
			return
		}
		var err error
		if kind == markPin || postKind == kindArticle || a.cfg.Remote == nil {
			err = a.setMark(r.Context(), kind, post.ID, post.ObjectID, on)
		} else if err = a.feedReaction(r.Context(), kind, on, post.ObjectID); err == nil {
			post, _, err = a.findPost(r.Context(), post.ID) // with the flags just changed
		}
		if err != nil {
			fail(w, r, err)
			return
		}
		rd := a.newRenderer(r.Context())
		s, err := rd.one(post)
		if err != nil {
			fail(w, r, err)
			return
		}
		if kind == markReblog && on {
			// A reblog is a status of its own wrapping the original.
			wrap := s
			inner := s
			wrap.ID, wrap.Reblog, wrap.CreatedAt = idString(newID(a.cfg.Now())), &inner, timeJSON(a.cfg.Now())
			if wrap.Account, _, err = a.ownerAccount(r.Context()); err != nil {
				fail(w, r, err)
				return
			}
			writeJSON(w, http.StatusOK, wrap)
			return
		}
		writeJSON(w, http.StatusOK, s)
	}
}

// feedReaction records a favourite, reblog or bookmark in the feed room.
func (a *API) feedReaction(ctx context.Context, kind string, on bool, objectID string) error {
	rm := a.cfg.Remote
	var err error
	switch {
	case kind == markFavourite && on:
		err = rm.Like(ctx, objectID)
	case kind == markFavourite:
		err = rm.Unlike(ctx, objectID)
	case kind == markReblog && on:
		err = rm.Boost(ctx, objectID)
	case kind == markReblog:
		err = rm.Unboost(ctx, objectID)
	case on:
		err = rm.Bookmark(ctx, objectID)
	default:
		err = rm.Unbookmark(ctx, objectID)
	}
	if err != nil {
		return fmt.Errorf("%s %s: %w", kind, objectID, err)
	}
	return nil
}

func (a *API) getStatusAsAction(w http.ResponseWriter, r *http.Request, t *token) {
	a.getStatus(w, r, t)
}

// newID makes a snowflake id like the feed room's.
func newID(t time.Time) int64 {
	var b [2]byte
	_, _ = rand.Read(b[:])
	return t.UnixMilli()<<16 | int64(binary.BigEndian.Uint16(b[:]))
}
