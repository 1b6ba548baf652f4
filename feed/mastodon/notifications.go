package mastodon

import (
	"context"
	"net/http"
)

// NotificationEntity is Mastodon's Notification.
type NotificationEntity struct {
	ID        string  `json:"id"`
	Type      string  `json:"type"`
	GroupKey  string  `json:"group_key"`
	CreatedAt string  `json:"created_at"`
	Account   Account `json:"account"`
	Status    *Status `json:"status,omitempty"`
}

// notificationTypes are the types apps may ask for.
var notificationTypes = []string{"mention", "status", "reblog", "favourite", "follow", "follow_request", "update", "poll", "quote"}

func (a *API) notificationRoutes(mux Mux) {
	a.handle(mux, "GET /api/v1/notifications", "read:notifications", a.listNotifications)
	a.handle(mux, "GET /api/v1/notifications/unread_count", "read:notifications", a.unreadCount)
	a.handle(mux, "GET /api/v1/notifications/{id}", "read:notifications", a.getNotification)
	a.handle(mux, "POST /api/v1/notifications/{id}/dismiss", "write:notifications", a.dismissNotification)
	a.handle(mux, "POST /api/v1/notifications/dismiss", "write:notifications", a.dismissNotification)
	a.handle(mux, "POST /api/v1/notifications/clear", "write:notifications", a.clearNotifications)
	a.handle(mux, "GET /api/v1/notifications/requests", "read:notifications", a.emptyList)
	a.groupedNotificationRoutes(mux)
	a.notificationPolicyRoutes(mux)
}

// notification renders one notification.
func (rd *renderer) notification(n Notification) (NotificationEntity, error) {
	e := NotificationEntity{ID: idString(n.ID), Type: n.Type, GroupKey: groupKey(n, defaultGrouped), CreatedAt: timeJSON(n.Created)}
	// The end of the owner's own poll is the owner's notification about
	// themselves, as Mastodon words it.
	if n.Actor != nil && n.Actor.ID != rd.a.cfg.ActorID {
		id, err := rd.a.accountID(rd.ctx, n.Actor.ID)
		if err != nil {
			return e, err
		}
		e.Account = rd.a.remoteAccount(id, n.Actor)
	} else {
		o, _, err := rd.a.ownerAccount(rd.ctx)
		if err != nil {
			return e, err
		}
		e.Account = o
	}
	if post := rd.a.notificationPost(rd.ctx, n); post != nil {
		s, err := rd.one(*post)
		if err != nil {
			return e, err
		}
		e.Status = &s
	}
	return e, nil
}

// notificationPost is the status a notification is about, nil for none.
func (a *API) notificationPost(ctx context.Context, n Notification) *Post {
	switch {
	case n.Status != nil:
		return n.Status
	case n.NoteID > 0:
		if note, err := a.cfg.Feed.Get(ctx, n.NoteID); err == nil {
			p := noteToPost(note)
			return &p
		}
	}
	return nil
}

// filterHidesNotification tells whether a filter of fs hides the status
// of a notification, and with it the notification.
func (a *API) filterHidesNotification(ctx context.Context, fs *filterSet, n Notification) bool {
	if fs == nil {
		return false
	}
	p := a.notificationPost(ctx, n)
	return p != nil && fs.hides(*p)
}

// wantedTypes reads types[] and exclude_types[].
func wantedTypes(p *params) []string {
	types := p.list("types")
	if len(types) == 0 {
		types = notificationTypes
	}
	exclude := map[string]bool{}
	for _, t := range p.list("exclude_types") {
		exclude[t] = true
	}
	var out []string
	for _, t := range types {
		if !exclude[t] {
			out = append(out, t)
		}
	}
	return out
}

// visibleNotifications reads a page of the owner's notifications of the
// given types, leaving out what mutes, blocks and filters hide. fs is the
// notifications filter set the statuses are rendered with.
func (a *API) visibleNotifications(r *http.Request, t *token, pg Page, types []string) ([]Notification, *filterSet, error) {
	fs := a.filtersIn(r.Context(), t, filterNotifications)
	if a.cfg.Remote == nil || len(types) == 0 {
		return nil, fs, nil
	}
	h := a.newHider(r.Context())
	read := func(pg Page) ([]Notification, error) { return a.cfg.Remote.Notifications(r.Context(), pg, types) }
	list, err := readVisible(pg, read, notificationID, func(n Notification) bool {
		return !h.notification(n) && !a.filterHidesNotification(r.Context(), fs, n)
	})
	if len(list) > pg.Limit {
		list = list[:pg.Limit]
	}
	return list, fs, err
}

func (a *API) listNotifications(w http.ResponseWriter, r *http.Request, t *token) {
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	list, fs, err := a.visibleNotifications(r, t, pageOf(p), wantedTypes(p))
	if err != nil {
		fail(w, r, err)
		return
	}
	rd := a.newRenderer(r.Context()).filtering(fs)
	out := make([]NotificationEntity, 0, len(list))
	for _, n := range list {
		e, err := rd.notification(n)
		if err != nil {
			fail(w, r, err)
			return
		}
		out = append(out, e)
	}
	if len(list) > 0 {
		a.setLink(w, r, list[0].ID, list[len(list)-1].ID)
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *API) getNotification(w http.ResponseWriter, r *http.Request, t *token) {
	id, ok := parseID(r.PathValue("id"))
	if !ok || a.cfg.Remote == nil {
		notFound(w)
		return
	}
	n, err := a.cfg.Remote.Notification(r.Context(), id)
	if err != nil {
		failLookup(w, r, err)
		return
	}
	e, err := a.newRenderer(r.Context()).filtering(a.filtersIn(r.Context(), t, filterNotifications)).notification(n)
	writeResult(w, r, e, err)
}

func (a *API) dismissNotification(w http.ResponseWriter, r *http.Request, t *token) {
	raw := r.PathValue("id")
	if raw == "" {
		p, ok := a.readParams(w, r)
		if !ok {
			return
		}
		raw = p.get("id")
	}
	id, ok := parseID(raw)
	if !ok || a.cfg.Remote == nil {
		notFound(w)
		return
	}
	if err := a.cfg.Remote.DismissNotification(r.Context(), id); err != nil && !isNotFound(err) {
		fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}

func (a *API) clearNotifications(w http.ResponseWriter, r *http.Request, t *token) {
	if a.cfg.Remote != nil {
		if err := a.cfg.Remote.ClearNotifications(r.Context()); err != nil {
			fail(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, struct{}{})
}
