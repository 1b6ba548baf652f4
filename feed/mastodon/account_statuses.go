package mastodon

import (
	"net/http"
	"strings"
)

// statusFilters are the narrowing options of an account's statuses.
type statusFilters struct {
	excludeReplies, excludeReblogs, onlyMedia bool
	tag                                       string
	owner                                     bool // the request carries the owner's token
}

func (f statusFilters) narrows() bool {
	return f.excludeReplies || f.excludeReblogs || f.onlyMedia || f.tag != "" || !f.owner
}

func (f statusFilters) keep(p Post) bool {
	if f.excludeReblogs && p.Reblog != nil {
		return false
	}
	if p.Reblog != nil {
		p = *p.Reblog
	}
	switch {
	case f.excludeReplies && p.InReplyTo != "":
		return false
	case f.onlyMedia && len(p.Media) == 0:
		return false
	case f.tag != "" && !contains(p.Tags, f.tag):
		return false
	}
	return visible(p, f.owner)
}

// accountStatuses lists an account's statuses: the owner's notes and
// articles, or the posts of someone else that the feed room kept.
func (a *API) accountStatuses(w http.ResponseWriter, r *http.Request, t *token) {
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	id := r.PathValue("id")
	actorID := a.cfg.ActorID
	if id != ownerAccountID {
		var err error
		if actorID, err = a.actorOf(r.Context(), id); err != nil {
			notFound(w)
			return
		}
	}
	pg := pageOf(p)
	f := statusFilters{excludeReplies: p.boolean("exclude_replies", false), excludeReblogs: p.boolean("exclude_reblogs", false),
		onlyMedia: p.boolean("only_media", false), tag: strings.ToLower(p.get("tagged")), owner: t != nil && t.owner}
	if p.boolean("pinned", false) {
		if id != ownerAccountID {
			// Featured posts of other accounts are not fetched.
			writeJSON(w, http.StatusOK, []Status{})
			return
		}
		a.pinnedStatuses(w, r)
		return
	}
	// Filters and min_id need more rows than the page: the stores page
	// downwards only and know nothing of the filters.
	fs := a.filtersIn(r.Context(), t, filterAccount)
	ask := pg
	if f.narrows() || pg.MinID > 0 || pg.SinceID > 0 || fs != nil {
		ask.Limit = fetchLimit
	}
	var posts []Post
	var err error
	switch {
	case id == ownerAccountID:
		posts, err = a.ownNotes(r.Context(), ask, f.owner, true)
	case a.cfg.Remote != nil:
		posts, err = a.cfg.Remote.PostsBy(r.Context(), actorID, ask)
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	a.writeTimeline(w, r, clip(keepPosts(posts, func(p Post) bool { return f.keep(p) && !fs.hides(p) }), pg), fs)
}

// pinnedStatuses lists the owner's pinned notes.
func (a *API) pinnedStatuses(w http.ResponseWriter, r *http.Request) {
	ids, _, err := a.markedIDs(r.Context(), markPin, maxLimit, 0)
	if err != nil {
		fail(w, r, err)
		return
	}
	list, err := a.newRenderer(r.Context()).statuses(a.postsByID(r.Context(), ids))
	writeResult(w, r, list, err)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
