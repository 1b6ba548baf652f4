package feed

import (
	"errors"
	"log/slog"
	"net/http"

	"roost/templates"
	"roost/templates/syndication"
)

// Routes registers the feed room's pages. ownerOnly guards the composer,
// every route that changes a note, and the owner's reading pages (home,
// threads, notifications).
func (f *Feed) Routes(mux Mux, ownerOnly func(http.Handler) http.Handler) {
	mux.HandleFunc("GET /{$}", f.showFrontPage)
	mux.HandleFunc("GET /notes/{$}", f.showNotes)
	mux.HandleFunc("GET /notes/{id}", f.showNote)
	mux.HandleFunc("GET /notes/{id}/replies", f.serveReplies)
	mux.HandleFunc("GET /tags/{tag}", f.showTag)
	mux.HandleFunc("POST /remote-follow", f.remoteFollow)
	mux.HandleFunc("GET /quote-authorizations/{id}", f.serveQuoteAuthorization)
	for _, format := range []syndication.Format{syndication.Atom, syndication.RSS, syndication.JSONFeed} {
		mux.HandleFunc("GET /notes/feed."+format.Extension(), f.serveNotesFeed(format))
		mux.HandleFunc("GET /feed."+format.Extension(), f.serveSiteFeed(format))
	}

	owner := func(pattern string, h http.HandlerFunc) { mux.Handle(pattern, ownerOnly(h)) }
	owner("GET /write", f.showComposer)
	owner("POST /notes", f.createNote)
	owner("GET /notes/{id}/edit", f.showEditForm)
	owner("POST /notes/{id}/edit", f.updateNote)
	owner("GET /notes/{id}/delete", f.showDeleteConfirm)
	owner("POST /notes/{id}/delete", f.deleteNote)
	owner("POST /notes/{id}/quotes/revoke", f.revokeQuote)

	owner("GET /home", f.showHome)
	owner("GET /home/thread", f.showThread)
	owner("POST /home/like", f.react(f.Like))
	owner("POST /home/unlike", f.react(f.Unlike))
	owner("POST /home/boost", f.react(f.Boost))
	owner("POST /home/unboost", f.react(f.Unboost))
	owner("POST /home/bookmark", f.react(f.Bookmark))
	owner("POST /home/unbookmark", f.react(f.Unbookmark))
	owner("POST /home/vote", f.vote)
	owner("GET "+bookmarksPath, f.showBookmarks)
	owner("GET /search", f.showSearch)
	owner("GET /notifications", f.showNotifications)
	owner("POST /notifications/seen", f.markNotificationsSeen)
}

// feedAlternates advertise the syndication feeds of a page.
func feedAlternates(prefix, title string) []templates.Alternate {
	return []templates.Alternate{
		{Type: "application/atom+xml", Title: title + " (Atom)", Href: prefix + ".atom"},
		{Type: "application/rss+xml", Title: title + " (RSS)", Href: prefix + ".rss"},
		{Type: "application/feed+json", Title: title + " (JSON Feed)", Href: prefix + ".json"},
	}
}

// noteID reads the {id} path value; ok is false when it is not a note id.
func noteID(r *http.Request) (int64, bool) { return parseID(r.PathValue("id")) }

func (f *Feed) notFound(w http.ResponseWriter, r *http.Request) {
	p := f.cfg.Page(r, "Not found")
	templates.Render(w, r, http.StatusNotFound, templates.Message(p, http.StatusNotFound,
		"Not found", "There is no note at this address."))
}

func (f *Feed) gone(w http.ResponseWriter, r *http.Request) {
	p := f.cfg.Page(r, "Deleted")
	templates.Render(w, r, http.StatusGone, templates.Message(p, http.StatusGone,
		"Deleted", "This note was deleted."))
}

// serverError logs the cause once and shows a page without it.
func (f *Feed) serverError(w http.ResponseWriter, r *http.Request, err error) {
	slog.ErrorContext(r.Context(), "feed", "method", r.Method, "path", r.URL.Path, "err", err)
	p := f.cfg.Page(r, "Something went wrong")
	templates.Render(w, r, http.StatusInternalServerError, templates.Message(p, http.StatusInternalServerError,
		"Something went wrong", "The page could not be shown. Please try again later."))
}

// lookupError answers a failed note lookup.
func (f *Feed) lookupError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, ErrGone):
		f.gone(w, r)
	case errors.Is(err, ErrNotFound):
		f.notFound(w, r)
	default:
		f.serverError(w, r, err)
	}
}
