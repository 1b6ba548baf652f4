package federation

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"

	"roost/federation/vocab"
)

// pageSize is the number of items on one collection page, as Mastodon uses.
const pageSize = 20

// lister returns one page of a collection and its full size.
type lister func(ctx context.Context, offset, limit int) (items []any, total int, err error)

// serveCollection answers a collection: without ?page, the
// OrderedCollection with its size and the address of its first page; with
// ?page=N (from 1), that OrderedCollectionPage.
func (s *Service) serveCollection(w http.ResponseWriter, r *http.Request, id string, list lister) {
	w.Header().Set("Vary", "Accept")
	pageParam := r.URL.Query().Get("page")
	if pageParam == "" {
		_, total, err := list(r.Context(), 0, 0)
		if err != nil {
			slog.Error("collection", "id", id, "err", err)
			writeJSONError(w, http.StatusInternalServerError, "collection unavailable")
			return
		}
		s.writeCollection(w, vocab.OutCollection{
			ID: id, Type: vocab.TypeOrderedCollection, TotalItems: total, First: id + "?page=1",
		})
		return
	}
	page, err := strconv.Atoi(pageParam)
	if err != nil || page < 1 {
		writeJSONError(w, http.StatusBadRequest, "page must be a positive number")
		return
	}
	items, total, err := list(r.Context(), (page-1)*pageSize, pageSize)
	if err != nil {
		slog.Error("collection page", "id", id, "page", page, "err", err)
		writeJSONError(w, http.StatusInternalServerError, "collection unavailable")
		return
	}
	c := vocab.OutCollection{
		ID: id + "?page=" + strconv.Itoa(page), Type: vocab.TypeOrderedCollectionPage,
		TotalItems: total, PartOf: id, OrderedItems: items,
	}
	if page*pageSize < total {
		c.Next = id + "?page=" + strconv.Itoa(page+1)
	}
	if page > 1 {
		c.Prev = id + "?page=" + strconv.Itoa(page-1)
	}
	s.writeCollection(w, c)
}

func (s *Service) writeCollection(w http.ResponseWriter, c vocab.OutCollection) {
	doc, err := vocab.MarshalCollection(c)
	if err != nil {
		slog.Error("collection", "id", c.ID, "err", err)
		writeJSONError(w, http.StatusInternalServerError, "collection unavailable")
		return
	}
	writeActivityJSON(w, http.StatusOK, doc)
}

func (s *Service) serveOutbox(w http.ResponseWriter, r *http.Request) {
	s.serveCollection(w, r, s.OutboxURL(), func(ctx context.Context, offset, limit int) ([]any, int, error) {
		src := s.h().outbox
		if src == nil {
			return nil, 0, nil
		}
		items, total, err := src.Outbox(ctx, offset, limit)
		out := make([]any, 0, len(items))
		for _, it := range items {
			out = append(out, it)
		}
		return out, total, err
	})
}

func (s *Service) serveFollowers(w http.ResponseWriter, r *http.Request) {
	s.serveCollection(w, r, s.FollowersURL(), func(ctx context.Context, offset, limit int) ([]any, int, error) {
		a := s.h().audience
		if a == nil {
			return nil, 0, nil
		}
		return idsAsItems(a.Followers(ctx, offset, limit))
	})
}

func (s *Service) serveFollowing(w http.ResponseWriter, r *http.Request) {
	s.serveCollection(w, r, s.FollowingURL(), func(ctx context.Context, offset, limit int) ([]any, int, error) {
		a := s.h().audience
		if a == nil {
			return nil, 0, nil
		}
		return idsAsItems(a.Following(ctx, offset, limit))
	})
}

// serveFeatured answers the pinned-posts collection Mastodon fetches for
// every new account it meets; roost pins nothing yet, so it is empty.
func (s *Service) serveFeatured(w http.ResponseWriter, r *http.Request) {
	s.writeCollection(w, vocab.OutCollection{
		ID: s.FeaturedURL(), Type: vocab.TypeOrderedCollection, OrderedItems: []any{},
	})
}

func idsAsItems(ids []string, total int, err error) ([]any, int, error) {
	out := make([]any, 0, len(ids))
	for _, id := range ids {
		out = append(out, id)
	}
	return out, total, err
}
