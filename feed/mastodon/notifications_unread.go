package mastodon

import (
	"net/http"
)

// unreadLimit bounds how far an unread count reads, as Mastodon's limit
// parameter does (default 100, at most 1000).
const (
	unreadDefault = 100
	unreadMax     = 1000
)

// unreadNotifications reads the visible notifications above the
// notifications marker, newest first, at most limit of them.
func (a *API) unreadNotifications(w http.ResponseWriter, r *http.Request, t *token) ([]Notification, *params, bool) {
	p, ok := a.readParams(w, r)
	if !ok {
		return nil, nil, false
	}
	limit := min(max(p.integer("limit", unreadDefault), 1), unreadMax)
	var after int64
	if m, err := a.marker(r.Context(), "notifications"); err == nil {
		after, _ = parseID(m.lastReadID)
	} else if !isNotFound(err) {
		fail(w, r, err)
		return nil, nil, false
	}
	var out []Notification
	pg := Page{SinceID: after, Limit: maxLimit}
	for len(out) < limit {
		list, _, err := a.visibleNotifications(r, t, pg, wantedTypes(p))
		if err != nil {
			fail(w, r, err)
			return nil, nil, false
		}
		out = append(out, list...)
		if len(list) < pg.Limit {
			break
		}
		pg.MaxID = list[len(list)-1].ID
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out, p, true
}

func (a *API) unreadCount(w http.ResponseWriter, r *http.Request, t *token) {
	list, _, ok := a.unreadNotifications(w, r, t)
	if ok {
		writeJSON(w, http.StatusOK, map[string]int{"count": len(list)})
	}
}

// unreadGroupCount counts the groups the unread notifications make.
func (a *API) unreadGroupCount(w http.ResponseWriter, r *http.Request, t *token) {
	list, p, ok := a.unreadNotifications(w, r, t)
	if !ok {
		return
	}
	grouped := groupedTypes(p)
	keys := map[string]bool{}
	for _, n := range list {
		keys[groupKey(n, grouped)] = true
	}
	writeJSON(w, http.StatusOK, map[string]int{"count": len(keys)})
}
