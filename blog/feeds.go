package blog

import (
	"net/http"
	"net/url"
	"strings"

	"roost/templates"
	"roost/templates/syndication"
)

// feedSize is how many posts a feed carries, with full content.
const feedSize = 20

// feedAlternates are the head links that let readers find the feeds of a
// listing whose feeds live under base (an absolute URL without the file).
func feedAlternates(base, title string) []templates.Alternate {
	return []templates.Alternate{
		{Type: "application/atom+xml", Title: title + " (Atom)", Href: base + "/feed.atom"},
		{Type: "application/rss+xml", Title: title + " (RSS)", Href: base + "/feed.rss"},
		{Type: "application/feed+json", Title: title + " (JSON Feed)", Href: base + "/feed.json"},
	}
}

// serveFeed serves the blog's feed, or a tag's when the path names one.
func (b *Blog) serveFeed(f syndication.Format) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		site := b.pageFor(r, "").Site
		title, path := "Blog", "/blog/"
		var list []Article
		var err error
		if raw := r.PathValue("tag"); raw != "" {
			tags := NormalizeTags([]string{raw})
			if len(tags) == 0 {
				b.notFound(w, r)
				return
			}
			key := TagKey(tags[0])
			title, path = "#"+tags[0], "/blog/tags/"+url.PathEscape(key)
			list, err = b.Tagged(r.Context(), key, feedSize, 0)
		} else {
			list, err = b.Published(r.Context(), feedSize, 0)
		}
		if err != nil {
			b.serverError(w, r, "feed", err)
			return
		}
		if site.Name != "" {
			title = site.Name + " · " + title
		}
		feedBase := b.baseURL + strings.TrimSuffix(path, "/")
		feed := syndication.Feed{
			Title:      title,
			SiteURL:    b.baseURL + path,
			FeedURL:    feedBase + "/feed",
			AuthorName: site.Name,
			AuthorURL:  b.baseURL + "/",
			IconURL:    site.AvatarURL,
			Language:   "en",
		}
		for _, a := range list {
			feed.Entries = append(feed.Entries, syndication.Entry{
				ID: a.ObjectID, URL: a.URL, Title: a.Title, ContentHTML: a.HTML, Summary: a.Summary,
				Published: a.PublishedAt, Updated: a.Updated, Tags: a.Tags,
			})
		}
		syndication.ServeFeed(w, r, f, feed, feedBase+"/feed."+f.Extension())
	}
}
