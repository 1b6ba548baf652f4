package mastodon

import (
	"context"
	"net/http"
	"sort"

	"roost/feed"
)

// PublicSource is the feed room's store of other people's public posts; the
// Remote over the feed room has it. Without it the public and tag
// timelines show the owner's posts alone.
type PublicSource interface {
	// PublicPosts pages others' public posts newest first, only those with
	// tag when it is set and only those with media when onlyMedia.
	PublicPosts(ctx context.Context, tag string, onlyMedia bool, p Page) ([]Post, error)
}

// publicScope is which public posts a timeline shows: Mastodon's local
// (the owner's), remote (everyone else's) or both, and only_media.
type publicScope struct {
	tag                      string
	local, remote, onlyMedia bool
}

func scopeOf(p *params, tag string) publicScope {
	return publicScope{tag: tag, local: p.boolean("local", false), remote: p.boolean("remote", false), onlyMedia: p.boolean("only_media", false)}
}

// publicTimeline lists public posts: the owner's and those of others that
// the site holds, as a Mastodon server's federated timeline.
func (a *API) publicTimeline(w http.ResponseWriter, r *http.Request, t *token) {
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	a.writePublic(w, r, t, p, scopeOf(p, ""))
}

func (a *API) tagTimeline(w http.ResponseWriter, r *http.Request, t *token) {
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	a.writePublic(w, r, t, p, scopeOf(p, r.PathValue("tag")))
}

func (a *API) writePublic(w http.ResponseWriter, r *http.Request, t *token, p *params, sc publicScope) {
	pg := pageOf(p)
	h := a.newHider(r.Context())
	fs := a.filtersIn(r.Context(), t, filterPublic)
	read := func(pg Page) ([]Post, error) { return a.publicPosts(r.Context(), pg, sc) }
	keep := func(x Post) bool {
		return x.Visibility == feed.VisibilityPublic && (!sc.onlyMedia || len(x.Media) > 0) && !h.post(x) && !fs.hides(x)
	}
	posts, err := readVisible(pg, read, postID, keep)
	if err != nil {
		fail(w, r, err)
		return
	}
	a.writeTimeline(w, r, clip(posts, pg), fs)
}

// publicPosts reads one page of public posts of the scope, newest first.
func (a *API) publicPosts(ctx context.Context, pg Page, sc publicScope) ([]Post, error) {
	var posts []Post
	if !sc.remote || sc.local {
		own, err := a.ownPublic(ctx, pg, sc.tag)
		if err != nil {
			return nil, err
		}
		posts = own
	}
	if src, ok := a.cfg.Remote.(PublicSource); ok && (!sc.local || sc.remote) {
		others, err := src.PublicPosts(ctx, sc.tag, sc.onlyMedia, pg)
		if err != nil {
			return nil, err
		}
		posts = append(posts, others...)
		sort.Slice(posts, func(i, j int) bool { return posts[i].ID > posts[j].ID })
	}
	return clip(posts, pg), nil
}

// ownPublic reads the owner's posts for a public page: notes and articles,
// or the notes with a tag. Unlisted notes are read too and left out by the
// caller, as a page of the store mixes them.
func (a *API) ownPublic(ctx context.Context, pg Page, tag string) ([]Post, error) {
	if tag == "" {
		return a.ownNotes(ctx, Page{MaxID: pg.MaxID, SinceID: pg.SinceID, MinID: pg.MinID, Limit: fetchLimit}, false, true)
	}
	notes, err := a.cfg.Feed.Tagged(ctx, tag, fetchLimit, pg.MaxID)
	if err != nil {
		return nil, err
	}
	posts := make([]Post, 0, len(notes))
	for _, n := range notes {
		posts = append(posts, noteToPost(n))
	}
	return posts, nil
}
