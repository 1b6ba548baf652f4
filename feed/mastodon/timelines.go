package mastodon

import (
	"context"
	"net/http"
	"sort"
)

func (a *API) timelineRoutes(mux Mux) {
	a.handle(mux, "GET /api/v1/timelines/home", "read:statuses", a.homeTimeline)
	a.handlePublic(mux, "GET /api/v1/timelines/public", "read:statuses", a.publicTimeline)
	a.handlePublic(mux, "GET /api/v1/timelines/tag/{tag}", "read:statuses", a.tagTimeline)
	a.handle(mux, "GET /api/v1/timelines/list/{id}", "read:lists", a.listTimeline)
	a.handle(mux, "GET /api/v1/bookmarks", "read:bookmarks", a.markedTimeline(markBookmark))
	a.handle(mux, "GET /api/v1/favourites", "read:favourites", a.markedTimeline(markFavourite))
}

// fetchLimit is how many rows a page asks its store for when min_id must be
// served from a store that pages only downwards.
const fetchLimit = 200

// ownNotes pages the owner's notes (and blog articles, when includeArticles)
// newest first.
func (a *API) ownNotes(ctx context.Context, pg Page, includePrivate, includeArticles bool) ([]Post, error) {
	limit := pg.Limit
	if pg.MinID > 0 || pg.SinceID > 0 {
		limit = fetchLimit
	}
	var posts []Post
	// Articles are read only where the page of notes leaves room: below
	// MaxID and, once the notes fill the page, above its oldest note.
	articlesAbove := int64(0)
	if includePrivate && a.cfg.Remote != nil {
		// The owner sees every note: the timeline index answers, in the
		// bounds of the page.
		since, err := a.articlesFloor(ctx, pg, includeArticles)
		if err != nil {
			return nil, err
		}
		own, err := a.cfg.Remote.OwnPosts(ctx, Page{MaxID: pg.MaxID, SinceID: since, MinID: pg.MinID, Limit: pg.Limit})
		if err != nil {
			return nil, err
		}
		posts = own
		if len(own) >= pg.Limit && pg.MinID == 0 {
			articlesAbove = own[len(own)-1].ID
		}
	} else {
		notes, err := a.cfg.Feed.Notes(ctx, limit, pg.MaxID, includePrivate)
		if err != nil {
			return nil, err
		}
		posts = make([]Post, 0, len(notes))
		for _, n := range notes {
			posts = append(posts, noteToPost(n))
		}
	}
	if includeArticles && a.cfg.Articles != nil {
		arts, err := a.cfg.Articles.Articles(ctx, limit, pg.MaxID, articlesAbove)
		if err != nil {
			return nil, err
		}
		for _, ar := range arts {
			posts = append(posts, articleToPost(ar))
		}
		sort.Slice(posts, func(i, j int) bool { return posts[i].ID > posts[j].ID })
	}
	return clip(posts, pg), nil
}

// articlesFloor is the since_id bound for the owner's notes on a page that
// also shows articles: when the newest articles alone fill the page, no note
// older than the last of them can be on it, so those notes are not read.
func (a *API) articlesFloor(ctx context.Context, pg Page, includeArticles bool) (int64, error) {
	if !includeArticles || a.cfg.Articles == nil || pg.MinID > 0 {
		return pg.SinceID, nil
	}
	ids, err := a.cfg.Articles.ArticleIDs(ctx, pg.Limit, pg.MaxID, pg.SinceID)
	if err != nil || len(ids) < pg.Limit {
		return pg.SinceID, err
	}
	return max(pg.SinceID, ids[len(ids)-1]), nil
}

// clip applies a page's bounds to posts sorted newest first. With min_id the
// page is the one just above it, so the oldest qualifying posts are kept.
func clip(posts []Post, pg Page) []Post {
	out := posts
	if !all(posts, func(p Post) bool { return inPage(pg, p.ID) }) {
		out = keepPosts(posts, func(p Post) bool { return inPage(pg, p.ID) })
	}
	if len(out) > pg.Limit {
		if pg.MinID > 0 {
			out = out[len(out)-pg.Limit:]
		} else {
			out = out[:pg.Limit]
		}
	}
	return out
}

// writeTimeline renders a page of posts, marking those that fs matches.
func (a *API) writeTimeline(w http.ResponseWriter, r *http.Request, posts []Post, fs *filterSet) {
	list, err := a.newRenderer(r.Context()).filtering(fs).statuses(posts)
	if err != nil {
		fail(w, r, err)
		return
	}
	if len(posts) > 0 {
		a.setLink(w, r, posts[0].ID, posts[len(posts)-1].ID)
	}
	writeJSON(w, http.StatusOK, list)
}

func (a *API) homePosts(ctx context.Context, pg Page) ([]Post, error) {
	if a.cfg.Remote != nil {
		return a.cfg.Remote.Timeline(ctx, pg)
	}
	return a.ownNotes(ctx, pg, true, true)
}

func (a *API) homeTimeline(w http.ResponseWriter, r *http.Request, t *token) {
	a.cachedHome(w, r, t, func(w http.ResponseWriter) {
		p, ok := a.readParams(w, r)
		if !ok {
			return
		}
		pg := pageOf(p)
		h := a.newHider(r.Context())
		fs := a.filtersIn(r.Context(), t, filterHome)
		read := func(pg Page) ([]Post, error) { return a.homePosts(r.Context(), pg) }
		posts, err := readVisible(pg, read, postID, func(p Post) bool { return !h.post(p) && !fs.hides(p) })
		if err != nil {
			fail(w, r, err)
			return
		}
		a.writeTimeline(w, r, clip(posts, pg), fs)
	})
}

// markedTimeline lists bookmarks or favourites, most recently marked first.
// They page by the time of the mark, which Link carries as max_id.
func (a *API) markedTimeline(kind string) func(http.ResponseWriter, *http.Request, *token) {
	return func(w http.ResponseWriter, r *http.Request, t *token) {
		p, ok := a.readParams(w, r)
		if !ok {
			return
		}
		posts, cursors, err := a.markedPage(r.Context(), kind, pageOf(p))
		if err != nil {
			fail(w, r, err)
			return
		}
		list, err := a.newRenderer(r.Context()).statuses(posts)
		if err != nil {
			fail(w, r, err)
			return
		}
		if len(cursors) > 0 {
			a.setLink(w, r, cursors[0], cursors[len(cursors)-1])
		}
		writeJSON(w, http.StatusOK, list)
	}
}

// markedPage merges the feed room's page of bookmarks or likes with the
// blog articles marked in mastodon_marks, by the cursors of both, which are
// snowflakes of the time of the mark.
func (a *API) markedPage(ctx context.Context, kind string, pg Page) ([]Post, []int64, error) {
	type marked struct {
		post   Post
		cursor int64
	}
	var all []marked
	if rm := a.cfg.Remote; rm != nil {
		list := rm.Favourites
		if kind == markBookmark {
			list = rm.Bookmarked
		}
		posts, cursors, err := list(ctx, Page{MaxID: pg.MaxID, Limit: pg.Limit})
		if err != nil {
			return nil, nil, err
		}
		for i, p := range posts {
			all = append(all, marked{p, cursors[i]})
		}
	}
	ids, cursors, err := a.markedIDs(ctx, kind, pg.Limit, pg.MaxID)
	if err != nil {
		return nil, nil, err
	}
	for i, id := range ids {
		// With Remote, rows of the feed room's statuses are left from
		// before the feed room kept the owner's marks: it answers for them.
		if p, k, err := a.findPost(ctx, id); err == nil && (k == kindArticle || a.cfg.Remote == nil) {
			all = append(all, marked{p, cursors[i]})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].cursor > all[j].cursor })
	all = all[:min(len(all), pg.Limit)]
	posts, out := make([]Post, len(all)), make([]int64, len(all))
	for i, m := range all {
		posts[i], out[i] = m.post, m.cursor
	}
	return posts, out, nil
}

// keepPosts returns the posts that keep accepts, in a new slice: the input
// may be a store's own.
func keepPosts(posts []Post, keep func(Post) bool) []Post {
	out := make([]Post, 0, len(posts))
	for _, p := range posts {
		if keep(p) {
			out = append(out, p)
		}
	}
	return out
}

// postsByID finds posts in the order of ids, leaving out those gone since
// they were marked.
func (a *API) postsByID(ctx context.Context, ids []int64) []Post {
	posts := make([]Post, 0, len(ids))
	for _, id := range ids {
		if post, _, err := a.findPost(ctx, id); err == nil {
			posts = append(posts, post)
		}
	}
	return posts
}

func (a *API) emptyList(w http.ResponseWriter, r *http.Request, t *token) {
	writeJSON(w, http.StatusOK, []any{})
}
