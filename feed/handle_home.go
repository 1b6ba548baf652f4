package feed

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"roost/templates"
)

// showHome is /home: the owner's timeline, 20 entries a page, older pages
// by ?before=<id>; ?group=NAME keeps the authors of one group.
func (f *Feed) showHome(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := timelineQuery{limit: notesPerPage + 1}
	q.before, _ = parseID(r.URL.Query().Get("before"))
	group := strings.TrimSpace(r.URL.Query().Get("group"))
	if group != "" && f.cfg.GroupMembers != nil {
		members, err := f.cfg.GroupMembers(ctx, group)
		if err != nil {
			f.serverError(w, r, err)
			return
		}
		q.actors, q.filtered = members, true
	}
	entries, err := f.timeline(ctx, q)
	if err != nil {
		f.serverError(w, r, err)
		return
	}
	p := f.cfg.Page(r, "Home")
	p.Section = "home"
	v := templates.HomeView{Heading: "Home"}
	if q.filtered {
		v.Heading = "Home: " + group
	}
	if len(entries) > notesPerPage {
		entries = entries[:notesPerPage]
		older := url.Values{"before": {formatID(entries[len(entries)-1].ID)}}
		if q.filtered {
			older.Set("group", group)
		}
		v.OlderURL = "/home?" + older.Encode()
	}
	v.Entries = f.entryViews(entries, p.Site, "")
	posts := make([]*templates.TimelinePostView, len(v.Entries))
	for i := range v.Entries {
		posts[i] = &v.Entries[i].Post
	}
	if err := f.nameTimelineReplies(ctx, posts, p.Site); err != nil {
		slog.Warn("home: name reply targets", "err", err)
	}
	f.addEntryCards(ctx, entries, v.Entries)
	f.addEntryQuotes(ctx, entries, v.Entries, p.Site)
	f.newFollowOffers(ctx).markEntries(v.Entries)
	templates.Render(w, r, http.StatusOK, templates.HomePage(p, v))
}

// reactFunc is one of the owner's actions on a post.
type reactFunc func(ctx context.Context, objectID string) error

// react handles POST /home/like, /home/unlike, /home/boost, /home/unboost,
// /home/bookmark and /home/unbookmark (field object), then goes back to
// the page the form was on.
func (f *Feed) react(action reactFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		object := strings.TrimSpace(r.PostFormValue("object"))
		if object == "" {
			http.Error(w, "missing object", http.StatusBadRequest)
			return
		}
		err := action(r.Context(), object)
		var invalidNote *ValidationError
		switch {
		case errors.Is(err, ErrNotFound), errors.Is(err, ErrGone):
			f.notFound(w, r)
			return
		case errors.Is(err, ErrCannotBoost):
			p := f.cfg.Page(r, "Cannot boost")
			templates.Render(w, r, http.StatusUnprocessableEntity, templates.Message(p, http.StatusUnprocessableEntity,
				"Cannot boost", "Only public and unlisted posts can be boosted."))
			return
		case errors.As(err, &invalidNote):
			// Sharing a web-feed item writes a note, which can be refused
			// (a link longer than the note limit).
			p := f.cfg.Page(r, "Cannot share")
			templates.Render(w, r, http.StatusUnprocessableEntity, templates.Message(p, http.StatusUnprocessableEntity,
				"Cannot share", invalidNote.Message))
			return
		case err != nil:
			f.serverError(w, r, err)
			return
		}
		http.Redirect(w, r, templates.BackToItem(r.PostFormValue("back"), r.PostFormValue("item"), "/home"), http.StatusSeeOther)
	}
}

// showThread is /home/thread?object=ID: a post with the posts it answers
// and the replies to it. The post and its ancestors that never reached the
// site are fetched from their servers (Config.FetchObject) and kept, within
// a budget of fetches and time; what cannot be loaded is left out with a
// word on the page.
func (f *Feed) showThread(w http.ResponseWriter, r *http.Request) {
	object := strings.TrimSpace(r.URL.Query().Get("object"))
	load, cancel := context.WithTimeout(r.Context(), threadFetchTime)
	defer cancel()
	loader := f.newThreadLoader()
	post, err := loader.post(load, object)
	switch {
	case errors.Is(err, errNotLoaded) && !errors.Is(err, ErrGone):
		slog.InfoContext(r.Context(), "thread not loaded", "object", object, "err", err)
		p := f.cfg.Page(r, "Not found")
		templates.Render(w, r, http.StatusNotFound, templates.Message(p, http.StatusNotFound,
			"Not found", "This post could not be loaded from its server."))
		return
	case err != nil:
		f.lookupError(w, r, err)
		return
	}
	ancestors, complete := f.ancestors(load, post, loader.post)
	loader.fetchReplies(load, post.ObjectID)
	ctx := r.Context()
	shown := make([]string, len(ancestors))
	for i, a := range ancestors {
		shown[i] = a.ObjectID
	}
	replies, err := f.replyTree(ctx, post.ObjectID, true, shown...)
	if err != nil {
		f.serverError(w, r, err)
		return
	}
	p := f.cfg.Page(r, "Thread")
	p.Section = "home"
	back := "/home/thread?" + url.Values{"object": {post.ObjectID}}.Encode()
	v := templates.ThreadView{Post: f.postView(post, p.Site, true, back), Replies: f.threadNodes(replies, p.Site, true, back),
		AncestorsMissing: !complete}
	for _, a := range ancestors {
		v.Ancestors = append(v.Ancestors, f.postView(a, p.Site, true, back))
	}
	offers := f.newFollowOffers(ctx)
	offers.mark(&v.Post)
	for i := range v.Ancestors {
		offers.mark(&v.Ancestors[i])
	}
	offers.markNodes(v.Replies)
	posts := append([]*templates.TimelinePostView{&v.Post}, nodePosts(v.Replies)...)
	for i := range v.Ancestors {
		posts = append(posts, &v.Ancestors[i])
	}
	if err := f.nameTimelineReplies(ctx, posts, p.Site); err != nil {
		slog.Warn("thread: name reply targets", "err", err)
	}
	templates.Render(w, r, http.StatusOK, templates.ThreadPage(p, v))
}

// showNotifications is /notifications, 20 a page, optionally of some types
// (?types=mention,reply).
func (f *Feed) showNotifications(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	before, _ := parseID(r.URL.Query().Get("before"))
	types := parseTypes(r.URL.Query().Get("types"))
	items, err := f.Notifications(ctx, notesPerPage+1, before, types)
	if err != nil {
		f.serverError(w, r, err)
		return
	}
	p := f.cfg.Page(r, "Notifications")
	p.Section = "notifications"
	v := templates.NotificationsView{Unread: f.UnreadCount(ctx)}
	// Opening the (unfiltered) list is reading it: the header badge clears
	// now, while this page still marks which items are new. A filtered
	// list leaves the other kinds unread.
	if before == 0 && len(types) == 0 && v.Unread > 0 {
		if err := f.MarkAllSeen(ctx); err != nil {
			f.serverError(w, r, err)
			return
		}
		v.MarkedRead, p.Site.Unread = true, 0
	}
	if len(items) > notesPerPage {
		items = items[:notesPerPage]
		older := url.Values{"before": {formatID(items[len(items)-1].ID)}}
		if len(types) > 0 {
			older.Set("types", strings.Join(types, ","))
		}
		v.OlderURL = "/notifications?" + older.Encode()
	}
	for _, n := range items {
		v.Items = append(v.Items, f.notificationView(n, p.Site))
	}
	templates.Render(w, r, http.StatusOK, templates.NotificationsPage(p, v))
}

// markNotificationsSeen is POST /notifications/seen.
func (f *Feed) markNotificationsSeen(w http.ResponseWriter, r *http.Request) {
	if err := f.MarkAllSeen(r.Context()); err != nil {
		f.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/notifications", http.StatusSeeOther)
}
