package mastodon

import (
	"context"
	"net/http"
	"regexp"
	"strings"
)

// Tag is Mastodon's Tag entity.
type Tag struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	URL       string `json:"url"`
	History   []any  `json:"history"`
	Following bool   `json:"following"`
}

var hashtagName = regexp.MustCompile(`^#?([\p{L}\p{N}_]+)$`)

func (a *API) searchRoutes(mux Mux) {
	a.handle(mux, "GET /api/v2/search", "read:search", a.search)
	a.handle(mux, "GET /api/v1/search", "read:search", a.search)
	a.handlePublic(mux, "GET /api/v1/tags/{name}", "", a.getTag)
}

// search answers /api/v1/search and /api/v2/search: a URL finds the post
// or account it names (fetching it with resolve); other text searches the
// known accounts, the full-text index of statuses and the known hashtags.
func (a *API) search(w http.ResponseWriter, r *http.Request, t *token) {
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	q := strings.TrimSpace(p.get("q"))
	kind := p.get("type")
	resolve := p.boolean("resolve", false)
	res := struct {
		Accounts []Account `json:"accounts"`
		Statuses []Status  `json:"statuses"`
		Hashtags []Tag     `json:"hashtags"`
	}{[]Account{}, []Status{}, []Tag{}}
	if q == "" {
		writeJSON(w, http.StatusOK, res)
		return
	}
	ctx := r.Context()
	isURL := strings.HasPrefix(q, "https://") || strings.HasPrefix(q, "http://")
	var err error
	if kind == "" || kind == "statuses" {
		if isURL {
			if post, ok := a.findStatusByURL(ctx, q, resolve); ok && visible(post, t != nil && t.owner) {
				s, err := a.newRenderer(ctx).one(post)
				if err != nil {
					fail(w, r, err)
					return
				}
				res.Statuses = append(res.Statuses, s)
			}
		} else if res.Statuses, err = a.findStatuses(ctx, statusQueryOf(p, t)); err != nil {
			fail(w, r, err)
			return
		}
	}
	if (kind == "" || kind == "accounts") && !(isURL && len(res.Statuses) > 0) {
		if res.Accounts, err = a.findAccounts(ctx, r, accountQueryOf(p)); err != nil {
			fail(w, r, err)
			return
		}
	}
	if kind == "" || kind == "hashtags" {
		aq := accountQueryOf(p)
		if res.Hashtags, err = a.findTags(ctx, q, aq.limit, aq.offset); err != nil {
			fail(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, res)
}

// findStatusByURL finds a post by its id or page URL, fetching and keeping it
// when resolve is set and it is not known yet.
func (a *API) findStatusByURL(ctx context.Context, u string, resolve bool) (Post, bool) {
	if post, err := a.postByObjectID(ctx, u); err == nil {
		return post, true
	}
	if !resolve || a.cfg.FetchObject == nil || a.cfg.Remote == nil {
		return Post{}, false
	}
	obj, err := a.cfg.FetchObject(ctx, u)
	if err != nil || obj == nil {
		return Post{}, false
	}
	if post, err := a.postByObjectID(ctx, obj.ID); err == nil {
		return post, true
	}
	if a.cfg.Resolve == nil {
		return Post{}, false
	}
	author, err := a.cfg.Resolve(ctx, obj.AttributedTo)
	if err != nil || author == nil {
		return Post{}, false
	}
	post, err := a.cfg.Remote.Store(ctx, obj, author)
	return post, err == nil
}

func (a *API) getTag(w http.ResponseWriter, r *http.Request, t *token) {
	m := hashtagName.FindStringSubmatch(r.PathValue("name"))
	if m == nil {
		notFound(w)
		return
	}
	name := strings.ToLower(m[1])
	writeJSON(w, http.StatusOK, a.tagEntity(name, t != nil && a.followsTag(r.Context(), name)))
}
