package feed

import (
	"log/slog"
	"net/http"
	"net/url"

	"roost/templates"
)

// bookmarksPath is the owner's Bookmarks page; its forms return to it.
const bookmarksPath = "/home/bookmarks"

// showBookmarks is /home/bookmarks: the owner's bookmarks, most recently
// bookmarked first, 20 a page, older pages by ?before=<bookmark id>.
func (f *Feed) showBookmarks(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	before, _ := parseID(r.URL.Query().Get("before"))
	entries, err := f.Bookmarked(ctx, notesPerPage+1, before)
	if err != nil {
		f.serverError(w, r, err)
		return
	}
	p := f.cfg.Page(r, "Bookmarks")
	p.Section = "home"
	var v templates.BookmarksView
	if len(entries) > notesPerPage {
		entries = entries[:notesPerPage]
		v.OlderURL = bookmarksPath + "?" + url.Values{"before": {formatID(entries[len(entries)-1].ID)}}.Encode()
	}
	offers := f.newFollowOffers(ctx)
	for _, e := range entries {
		pv := f.postView(e.Post, p.Site, true, bookmarksPath)
		offers.mark(&pv)
		v.Posts = append(v.Posts, pv)
	}
	posts := make([]*templates.TimelinePostView, len(v.Posts))
	for i := range v.Posts {
		posts[i] = &v.Posts[i]
	}
	if err := f.nameTimelineReplies(ctx, posts, p.Site); err != nil {
		slog.Warn("bookmarks: name reply targets", "err", err)
	}
	templates.Render(w, r, http.StatusOK, templates.BookmarksPage(p, v))
}
