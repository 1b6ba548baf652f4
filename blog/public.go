package blog

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"roost/federation"
	"roost/federation/vocab"
	"roost/templates"
)

func logError(r *http.Request, op string, err error) {
	slog.ErrorContext(r.Context(), "blog: "+op, "path", r.URL.Path, "err", err)
}

// showIndex is /blog/: the newest posts, a page at a time.
func (b *Blog) showIndex(w http.ResponseWriter, r *http.Request) {
	b.showList(w, r, "", "Blog", "/blog/")
}

// showTag is /blog/tags/{tag}.
func (b *Blog) showTag(w http.ResponseWriter, r *http.Request) {
	tag := NormalizeTags([]string{r.PathValue("tag")})
	if len(tag) == 0 {
		b.notFound(w, r)
		return
	}
	key := TagKey(tag[0])
	b.showList(w, r, key, "Posts tagged #"+tag[0], "/blog/tags/"+url.PathEscape(key))
}

func (b *Blog) showList(w http.ResponseWriter, r *http.Request, tag, heading, path string) {
	before, err := beforeParam(r)
	if err != nil {
		b.badRequest(w, r, http.StatusBadRequest, "The page number is not valid.")
		return
	}
	var list []Article
	if tag == "" {
		list, err = b.Published(r.Context(), b.pageSize+1, before)
	} else {
		list, err = b.Tagged(r.Context(), tag, b.pageSize+1, before)
	}
	if err != nil {
		b.serverError(w, r, "list", err)
		return
	}
	p := b.pageFor(r, heading)
	feedBase := strings.TrimSuffix(path, "/")
	if tag == "" {
		feedBase = "/blog"
	}
	p.Alternates = feedAlternates(b.baseURL+feedBase, heading)
	p.Canonical = b.baseURL + path
	v := templates.BlogList{Heading: heading, Feeds: p.Alternates}
	if len(list) > b.pageSize {
		list = list[:b.pageSize]
		v.OlderURL = path + "?before=" + strconv.FormatInt(list[len(list)-1].ID, 10)
	}
	for _, a := range list {
		v.Posts = append(v.Posts, templates.BlogSummary{
			Title: a.Title, URL: "/blog/" + a.Slug, Summary: a.ListExcerpt(), Published: a.PublishedAt, Tags: b.tagLinks(a.Tags),
		})
	}
	if p.Site.IsOwner {
		v.NewURL = "/blog/new"
	}
	templates.Render(w, r, http.StatusOK, templates.BlogIndex(p, v))
}

func beforeParam(r *http.Request) (int64, error) {
	s := r.URL.Query().Get("before")
	if s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, errors.New("bad cursor")
	}
	return id, nil
}

func (b *Blog) tagLinks(tags []string) []templates.BlogTag {
	out := make([]templates.BlogTag, len(tags))
	for i, t := range tags {
		out[i] = templates.BlogTag{Name: t, URL: "/blog/tags/" + url.PathEscape(TagKey(t))}
	}
	return out
}

// showArticle is /blog/{slug}: the article for browsers, the Article
// document for ActivityPub peers.
func (b *Blog) showArticle(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	wantsAS := federation.WantsActivityJSON(r)
	// The same URL serves HTML and JSON; caches must keep them apart.
	w.Header().Add("Vary", "Accept")
	a, err := b.BySlug(r.Context(), slug)
	if errors.Is(err, ErrNotFound) && !errors.Is(err, ErrGone) {
		// The slug may have been edited since the article was federated:
		// its ActivityStreams id still names the old address.
		if old, oerr := b.ByURL(r.Context(), b.articleURL(slug)); oerr == nil || errors.Is(oerr, ErrGone) {
			if oerr == nil && !wantsAS {
				http.Redirect(w, r, "/blog/"+old.Slug, http.StatusMovedPermanently)
				return
			}
			a, err = old, oerr
		}
	}
	var gone *GoneError
	switch {
	case errors.As(err, &gone):
		b.showGone(w, r, gone, wantsAS)
		return
	case errors.Is(err, ErrNotFound):
		b.notFoundFor(w, r, wantsAS)
		return
	case err != nil:
		b.serverError(w, r, "article", err)
		return
	}
	p := b.pageFor(r, a.Title)
	hidden := a.Draft || !a.Due(b.now())
	if wantsAS {
		if hidden || a.Page {
			b.notFoundFor(w, r, true)
			return
		}
		b.serveObject(w, r, a)
		return
	}
	if hidden && !p.Site.IsOwner {
		b.notFound(w, r)
		return
	}
	list := b.Comments
	if p.Site.IsOwner {
		list = b.CommentsWithHeld
	}
	comments, err := list(r.Context(), a.ID)
	if err != nil {
		b.serverError(w, r, "comments", err)
		return
	}
	p.Description = a.Description()
	p.Canonical = a.URL
	// Webmention discovery (the HTML <link> comes with every page's frame).
	w.Header().Add("Link", "<"+b.WebmentionURL()+`>; rel="webmention"`)
	if !a.Page {
		p.Alternates = append(p.Alternates, templates.Alternate{Type: vocab.ContentTypeActivity, Title: a.Title, Href: a.ObjectID})
	}
	v := templates.BlogArticle{
		Title: a.Title, HTML: a.HTML, Published: a.PublishedAt, Updated: a.Updated, Tags: b.tagLinks(a.Tags),
		IsPage: a.Page, Likes: a.Likes, Boosts: a.Boosts, Comments: commentViews(comments),
	}
	if p.Site.IsOwner {
		moderation(v.Comments, b.blockAuthor != nil)
	}
	switch {
	case a.Draft:
		v.Status = "Draft"
	case hidden:
		v.Status = "Scheduled"
	}
	if p.Site.IsOwner {
		v.EditURL = "/blog/" + a.Slug + "/edit"
	}
	if !a.Page {
		v.AuthorName, v.AuthorURL = p.Site.Name, "/"
		if !hidden {
			if v.Older, v.Newer, err = b.neighbours(r.Context(), a); err != nil {
				b.serverError(w, r, "article", err)
				return
			}
		}
	}
	if !hidden {
		p.Share = b.shareCard(p, a)
	}
	templates.Render(w, r, http.StatusOK, templates.BlogArticlePage(p, v))
}

// moderation gives the owner the buttons under each comment.
func moderation(list []templates.BlogComment, canBlock bool) {
	for i := range list {
		list[i].Moderate, list[i].CanBlock = true, canBlock
		moderation(list[i].Replies, canBlock)
	}
}

func commentViews(list []Comment) []templates.BlogComment {
	out := make([]templates.BlogComment, len(list))
	for i, c := range list {
		name := c.AuthorName
		if name == "" {
			name = c.AuthorHandle
		}
		author := c.AuthorURL
		if author == "" {
			author = c.AuthorID
		}
		link := c.URL
		if link == "" {
			link = c.ObjectID
		}
		out[i] = templates.BlogComment{
			ID: strconv.FormatInt(c.ID, 10), Held: c.Held,
			AuthorName: name, AuthorHandle: c.AuthorHandle, AuthorURL: author, AuthorAvatar: c.AuthorAvatar,
			ContentHTML: c.ContentHTML, URL: link, Published: c.Published, Replies: commentViews(c.Replies),
			Via: webmentionLabel(c.Webmention),
		}
	}
	return out
}

// webmentionLabel says how a comment from the web relates to the article.
func webmentionLabel(kind string) string {
	switch kind {
	case mentionReply:
		return "A web reply"
	case mentionLike:
		return "Liked this"
	case mentionRepost:
		return "Reposted this"
	case mentionMention:
		return "Mentioned this"
	}
	return ""
}

func (b *Blog) notFoundFor(w http.ResponseWriter, r *http.Request, wantsAS bool) {
	if wantsAS {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	b.notFound(w, r)
}

// showGone answers 410: a Tombstone for peers, so they drop their copy,
// and a short page for people.
func (b *Blog) showGone(w http.ResponseWriter, r *http.Request, g *GoneError, wantsAS bool) {
	if !wantsAS {
		templates.Render(w, r, http.StatusGone, templates.Message(b.pageFor(r, "Deleted"), http.StatusGone,
			"This post was deleted", "The author removed it."))
		return
	}
	doc, err := vocab.MarshalTombstone(g.ObjectID, vocab.TypeArticle, g.Deleted)
	if err != nil {
		logError(r, "tombstone", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", vocab.ContentTypeActivity)
	w.WriteHeader(http.StatusGone)
	_, _ = w.Write(doc)
}

func (b *Blog) serveObject(w http.ResponseWriter, r *http.Request, a Article) {
	o, err := b.articleWithReplies(r.Context(), a)
	if err != nil {
		logError(r, "article replies", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	doc, err := vocab.MarshalObject(o)
	if err != nil {
		logError(r, "article object", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", vocab.ContentTypeActivity)
	_, _ = w.Write(doc)
}
