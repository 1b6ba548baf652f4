package feed

import (
	"html"
	"log/slog"
	"net/http"
	"sort"
	"strings"

	"roost/templates/syndication"
)

// feedLength is how many items the syndication feeds carry.
const feedLength = 30

// serveNotesFeed is /notes/feed.{atom,rss,json}: public notes only.
func (f *Feed) serveNotesFeed(format syndication.Format) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		notes, err := f.publicNotes(r.Context(), feedLength, 0)
		if err != nil {
			f.serverError(w, r, err)
			return
		}
		name := f.cfg.Page(r, "").Site.Name
		feed := syndication.Feed{
			Title:       "Notes · " + name,
			Description: "Short notes by " + name,
			SiteURL:     f.base + "/notes/",
			FeedURL:     f.base + "/notes/feed.atom",
			AuthorName:  name,
			AuthorURL:   f.base + "/",
		}
		for _, n := range notes {
			feed.Entries = append(feed.Entries, f.noteEntry(n))
		}
		syndication.ServeFeed(w, r, format, feed, f.base+"/notes/feed."+format.Extension())
	}
}

// serveSiteFeed is /feed.{atom,rss,json}: public notes and blog articles
// merged, newest first, for readers who follow the whole site.
func (f *Feed) serveSiteFeed(format syndication.Format) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		notes, err := f.publicNotes(ctx, feedLength, 0)
		if err != nil {
			f.serverError(w, r, err)
			return
		}
		var entries []syndication.Entry
		for _, n := range notes {
			entries = append(entries, f.noteEntry(n))
		}
		if f.cfg.Articles != nil {
			articles, err := f.cfg.Articles.LatestArticles(ctx, feedLength)
			if err != nil {
				// Notes alone are still a useful feed.
				slog.ErrorContext(ctx, "site feed articles", "err", err)
			}
			for _, a := range articles {
				entries = append(entries, articleEntry(a))
			}
		}
		sort.SliceStable(entries, func(i, j int) bool { return entries[i].Published.After(entries[j].Published) })
		if len(entries) > feedLength {
			entries = entries[:feedLength]
		}
		name := f.cfg.Page(r, "").Site.Name
		feed := syndication.Feed{
			Title:       name,
			Description: "Articles and notes by " + name,
			SiteURL:     f.base + "/",
			FeedURL:     f.base + "/feed.atom",
			AuthorName:  name,
			AuthorURL:   f.base + "/",
			Entries:     entries,
		}
		syndication.ServeFeed(w, r, format, feed, f.base+"/feed."+format.Extension())
	}
}

// noteEntry is a note as a feed entry: no title, the content warning as
// the summary, and the images in the content since readers do not know
// ActivityPub attachments.
func (f *Feed) noteEntry(n Note) syndication.Entry {
	e := syndication.Entry{
		ID: n.URL, URL: n.URL, Summary: n.ContentWarning, ContentHTML: noteContentWithMedia(n),
		Published: n.Created, Updated: n.Updated, Tags: n.Tags,
	}
	if len(n.Media) > 0 {
		e.Image = n.Media[0].URL
	}
	return e
}

func noteContentWithMedia(n Note) string {
	if len(n.Media) == 0 {
		return n.HTML
	}
	var b strings.Builder
	b.WriteString(n.HTML)
	for _, m := range n.Media {
		b.WriteString(`<p><img src="`)
		b.WriteString(html.EscapeString(m.URL))
		b.WriteString(`" alt="`)
		b.WriteString(html.EscapeString(m.Alt))
		b.WriteString(`"></p>`)
	}
	return b.String()
}

func articleEntry(a ArticleSummary) syndication.Entry {
	id := a.ID
	if id == "" {
		id = a.URL
	}
	return syndication.Entry{
		ID: id, URL: a.URL, Title: a.Title, ContentHTML: a.HTML, Summary: a.Summary,
		Published: a.Published, Updated: a.Updated, Tags: a.Tags,
	}
}
