package mastodon

import (
	"context"
	"net/http"
	"strings"

	"roost/federation/vocab"
)

// ListEntity is Mastodon's List: one of the owner's groups of contacts.
type ListEntity struct {
	ID            string `json:"id"`
	Title         string `json:"title"`
	RepliesPolicy string `json:"replies_policy"`
	Exclusive     bool   `json:"exclusive"`
}

func listEntity(l List) ListEntity {
	policy := l.RepliesPolicy
	if policy == "" {
		policy = "list"
	}
	return ListEntity{ID: idString(l.ID), Title: l.Title, RepliesPolicy: policy, Exclusive: l.Exclusive}
}

func (a *API) listRoutes(mux Mux) {
	a.handle(mux, "GET /api/v1/lists", "read:lists", a.getLists)
	a.handle(mux, "POST /api/v1/lists", "write:lists", a.saveList)
	a.handle(mux, "GET /api/v1/lists/{id}", "read:lists", a.getList)
	a.handle(mux, "PUT /api/v1/lists/{id}", "write:lists", a.saveList)
	a.handle(mux, "DELETE /api/v1/lists/{id}", "write:lists", a.deleteList)
	a.handle(mux, "GET /api/v1/lists/{id}/accounts", "read:lists", a.listAccounts)
	a.handle(mux, "POST /api/v1/lists/{id}/accounts", "write:lists", a.changeListAccounts(true))
	a.handle(mux, "DELETE /api/v1/lists/{id}/accounts", "write:lists", a.changeListAccounts(false))
}

func (a *API) getLists(w http.ResponseWriter, r *http.Request, t *token) {
	out := []ListEntity{}
	if a.cfg.Lists != nil {
		lists, err := a.cfg.Lists.Lists(r.Context())
		if err != nil {
			fail(w, r, err)
			return
		}
		for _, l := range lists {
			out = append(out, listEntity(l))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// findList reads the list named by the path, answering 404 itself.
func (a *API) findList(w http.ResponseWriter, r *http.Request) (List, bool) {
	id, ok := parseID(r.PathValue("id"))
	if !ok || a.cfg.Lists == nil {
		notFound(w)
		return List{}, false
	}
	l, err := a.cfg.Lists.List(r.Context(), id)
	if err != nil {
		failLookup(w, r, err)
		return List{}, false
	}
	return l, true
}

func (a *API) getList(w http.ResponseWriter, r *http.Request, t *token) {
	if l, ok := a.findList(w, r); ok {
		writeJSON(w, http.StatusOK, listEntity(l))
	}
}

func (a *API) saveList(w http.ResponseWriter, r *http.Request, t *token) {
	if a.cfg.Lists == nil {
		unprocessable(w, "lists are not available")
		return
	}
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	l := List{Title: strings.TrimSpace(p.get("title")), RepliesPolicy: p.get("replies_policy")}
	if l.RepliesPolicy == "" {
		l.RepliesPolicy = "list"
	}
	if l.RepliesPolicy != "list" && l.RepliesPolicy != "followed" && l.RepliesPolicy != "none" {
		unprocessable(w, "replies_policy is not one of followed, list, none")
		return
	}
	var err error
	if r.PathValue("id") != "" {
		old, found := a.findList(w, r)
		if !found {
			return
		}
		l.ID = old.ID
		if l.Title == "" {
			l.Title = old.Title
		}
		l.Exclusive = p.boolean("exclusive", old.Exclusive)
		err = a.cfg.Lists.UpdateList(r.Context(), l)
	} else {
		if l.Title == "" {
			unprocessable(w, "title can't be blank")
			return
		}
		l.Exclusive = p.boolean("exclusive", false)
		l, err = a.cfg.Lists.CreateList(r.Context(), l)
	}
	if err != nil {
		unprocessable(w, "the list could not be saved")
		return
	}
	writeJSON(w, http.StatusOK, listEntity(l))
}

func (a *API) deleteList(w http.ResponseWriter, r *http.Request, t *token) {
	l, ok := a.findList(w, r)
	if !ok {
		return
	}
	if err := a.cfg.Lists.DeleteList(r.Context(), l.ID); err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}

// findMembers reads the members of the list named by the path, answering
// 404 or 500 itself.
func (a *API) findMembers(w http.ResponseWriter, r *http.Request) ([]string, bool) {
	l, ok := a.findList(w, r)
	if !ok {
		return nil, false
	}
	members, err := a.cfg.Lists.ListMembers(r.Context(), l.ID)
	if err != nil {
		fail(w, r, err)
		return nil, false
	}
	return members, true
}

func (a *API) listAccounts(w http.ResponseWriter, r *http.Request, t *token) {
	members, ok := a.findMembers(w, r)
	if !ok {
		return
	}
	var out []*vocab.Actor
	for _, m := range members {
		if act, err := a.actor(r.Context(), m); err == nil {
			out = append(out, act)
		}
	}
	a.writeAccounts(w, r, out)
}

func (a *API) changeListAccounts(add bool) func(http.ResponseWriter, *http.Request, *token) {
	return func(w http.ResponseWriter, r *http.Request, t *token) {
		l, ok := a.findList(w, r)
		if !ok {
			return
		}
		p, ok := a.readParams(w, r)
		if !ok {
			return
		}
		for _, acc := range p.list("account_ids") {
			actorID, err := a.actorOf(r.Context(), acc)
			if err != nil {
				notFound(w)
				return
			}
			change := a.cfg.Lists.RemoveFromList
			if add {
				change = a.cfg.Lists.AddToList
			}
			if err := change(r.Context(), l.ID, actorID); err != nil {
				fail(w, r, err)
				return
			}
		}
		writeJSON(w, http.StatusOK, struct{}{})
	}
}

// listTimeline is the home timeline narrowed to the list's members.
func (a *API) listTimeline(w http.ResponseWriter, r *http.Request, t *token) {
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	members, ok := a.findMembers(w, r)
	if !ok {
		return
	}
	fs := a.filtersIn(r.Context(), t, filterHome)
	a.writeTimeline(w, r, a.membersPosts(r.Context(), members, pageOf(p), fs), fs)
}

// membersPosts pages the home timeline, keeping the posts of the given
// authors that the owner did not hide, by muting or by filters.
func (a *API) membersPosts(ctx context.Context, authors []string, pg Page, fs *filterSet) []Post {
	in := map[string]bool{}
	for _, m := range authors {
		in[m] = true
	}
	posts, err := a.homePosts(ctx, Page{MaxID: pg.MaxID, SinceID: pg.SinceID, MinID: pg.MinID, Limit: fetchLimit})
	if err != nil {
		return nil
	}
	h := a.newHider(ctx)
	return clip(keepPosts(posts, func(x Post) bool { return x.Author != nil && in[x.Author.ID] && !h.post(x) && !fs.hides(x) }), pg)
}
