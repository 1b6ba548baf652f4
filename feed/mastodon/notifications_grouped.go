package mastodon

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Grouped notifications are Mastodon 4.3's /api/v2/notifications: the
// official apps, Phanpy and Elk read them once the instance lists
// api_versions. Likes and boosts of one status, and the follows of one day,
// make one group; every other notification is a group of its own.

// NotificationGroup is Mastodon's NotificationGroup.
type NotificationGroup struct {
	GroupKey                 string   `json:"group_key"`
	NotificationsCount       int      `json:"notifications_count"`
	Type                     string   `json:"type"`
	MostRecentNotificationID int64    `json:"most_recent_notification_id"`
	PageMinID                string   `json:"page_min_id"`
	PageMaxID                string   `json:"page_max_id"`
	LatestPageNotificationAt string   `json:"latest_page_notification_at"`
	SampleAccountIDs         []string `json:"sample_account_ids"`
	StatusID                 *string  `json:"status_id"`
}

// GroupedNotifications is Mastodon's GroupedNotificationsResults.
type GroupedNotifications struct {
	Accounts           []Account           `json:"accounts"`
	Statuses           []Status            `json:"statuses"`
	NotificationGroups []NotificationGroup `json:"notification_groups"`
}

// groupableTypes are the types Mastodon groups; grouped_types[] may narrow
// them.
var groupableTypes = []string{"favourite", "reblog", "follow"}

// defaultGrouped is what groups without grouped_types[]: the group_key of
// a v1 notification.
var defaultGrouped = map[string]bool{"favourite": true, "reblog": true, "follow": true}

// sampleAccounts is how many accounts a group names, as Mastodon does.
const sampleAccounts = 8

func (a *API) groupedNotificationRoutes(mux Mux) {
	a.handle(mux, "GET /api/v2/notifications", "read:notifications", a.listGroupedNotifications)
	a.handle(mux, "GET /api/v2/notifications/unread_count", "read:notifications", a.unreadGroupCount)
	a.handle(mux, "GET /api/v2/notifications/{group_key}", "read:notifications", a.getNotificationGroup)
	a.handle(mux, "GET /api/v2/notifications/{group_key}/accounts", "read:notifications", a.notificationGroupAccounts)
	a.handle(mux, "POST /api/v2/notifications/{group_key}/dismiss", "write:notifications", a.dismissNotificationGroup)
}

// groupedTypes reads grouped_types[]: the types the app can show grouped.
func groupedTypes(p *params) map[string]bool {
	asked := p.list("grouped_types")
	if !p.has("grouped_types") && !p.has("grouped_types[]") && len(asked) == 0 {
		asked = groupableTypes
	}
	out := map[string]bool{}
	for _, t := range asked {
		if slices.Contains(groupableTypes, t) {
			out[t] = true
		}
	}
	return out
}

// groupKey names the group n belongs to.
func groupKey(n Notification, grouped map[string]bool) string {
	if grouped[n.Type] {
		switch n.Type {
		case "favourite", "reblog":
			if id := notificationStatusID(n); id > 0 {
				return n.Type + "-" + idString(id)
			}
		case "follow":
			return "follow-" + strconv.FormatInt(n.Created.Unix()/86400, 10)
		}
	}
	return "ungrouped-" + idString(n.ID)
}

// notificationStatusID is the status id a notification is about, 0 for none.
func notificationStatusID(n Notification) int64 {
	if n.Status != nil {
		return n.Status.ID
	}
	return n.NoteID
}

// groupTypeOf is the notification type a group key stands for ("" when the
// key is ungrouped or unknown).
func groupTypeOf(key string) string {
	typ, _, _ := strings.Cut(key, "-")
	if slices.Contains(groupableTypes, typ) {
		return typ
	}
	return ""
}

func (a *API) listGroupedNotifications(w http.ResponseWriter, r *http.Request, t *token) {
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	grouped := groupedTypes(p)
	list, fs, err := a.visibleNotifications(r, t, pageOf(p), wantedTypes(p))
	if err != nil {
		fail(w, r, err)
		return
	}
	counts, err := a.groupCounts(r, t, list, grouped)
	if err != nil {
		fail(w, r, err)
		return
	}
	out, err := a.groupNotifications(r.Context(), fs, list, grouped, counts)
	if err != nil {
		fail(w, r, err)
		return
	}
	if len(list) > 0 {
		a.setLink(w, r, list[0].ID, list[len(list)-1].ID)
	}
	writeJSON(w, http.StatusOK, out)
}

// groupCounts counts every visible notification of the groups that list
// reaches, beyond the page too, among the most recent fetchLimit of each
// grouped type.
func (a *API) groupCounts(r *http.Request, t *token, list []Notification, grouped map[string]bool) (map[string]int, error) {
	keys := map[string]bool{}
	var types []string
	for _, n := range list {
		k := groupKey(n, grouped)
		if typ := groupTypeOf(k); typ != "" {
			keys[k] = true
			if !slices.Contains(types, typ) {
				types = append(types, typ)
			}
		}
	}
	counts := map[string]int{}
	if len(types) == 0 {
		return counts, nil
	}
	members, err := a.notificationsWithKey(r, t, types, grouped, func(k string) bool { return keys[k] })
	for _, n := range members {
		counts[groupKey(n, grouped)]++
	}
	return counts, err
}

// notificationsWithKey reads the most recent fetchLimit notifications of
// types and keeps the visible ones whose group key is wanted. The key is
// tried first: it costs nothing, where visibility may read the status.
func (a *API) notificationsWithKey(r *http.Request, t *token, types []string, grouped map[string]bool, want func(string) bool) ([]Notification, error) {
	list, err := a.cfg.Remote.Notifications(r.Context(), Page{Limit: fetchLimit}, types)
	if err != nil {
		return nil, err
	}
	h := a.newHider(r.Context())
	fs := a.filtersIn(r.Context(), t, filterNotifications)
	var out []Notification
	for _, n := range list {
		if want(groupKey(n, grouped)) && !h.notification(n) && !a.filterHidesNotification(r.Context(), fs, n) {
			out = append(out, n)
		}
	}
	return out, nil
}

// groupNotifications folds a page of notifications, newest first, into
// groups ordered by their newest notification, with the accounts and
// statuses they name.
func (a *API) groupNotifications(ctx context.Context, fs *filterSet, list []Notification, grouped map[string]bool, counts map[string]int) (GroupedNotifications, error) {
	out := GroupedNotifications{Accounts: []Account{}, Statuses: []Status{}, NotificationGroups: []NotificationGroup{}}
	rd := a.newRenderer(ctx).filtering(fs)
	index := map[string]int{}
	seenAccount, seenStatus := map[string]bool{}, map[string]bool{}
	for _, n := range list {
		e, err := rd.notification(n)
		if err != nil {
			return out, err
		}
		if !seenAccount[e.Account.ID] {
			seenAccount[e.Account.ID] = true
			out.Accounts = append(out.Accounts, e.Account)
		}
		if e.Status != nil && !seenStatus[e.Status.ID] {
			seenStatus[e.Status.ID] = true
			out.Statuses = append(out.Statuses, *e.Status)
		}
		key := groupKey(n, grouped)
		i, ok := index[key]
		if !ok {
			g := NotificationGroup{GroupKey: key, Type: n.Type, MostRecentNotificationID: n.ID,
				PageMaxID: e.ID, LatestPageNotificationAt: e.CreatedAt, SampleAccountIDs: []string{}}
			if e.Status != nil {
				id := e.Status.ID
				g.StatusID = &id
			}
			i = len(out.NotificationGroups)
			index[key] = i
			out.NotificationGroups = append(out.NotificationGroups, g)
		}
		g := &out.NotificationGroups[i]
		g.PageMinID = e.ID
		g.NotificationsCount++
		if len(g.SampleAccountIDs) < sampleAccounts && !slices.Contains(g.SampleAccountIDs, e.Account.ID) {
			g.SampleAccountIDs = append(g.SampleAccountIDs, e.Account.ID)
		}
	}
	for i := range out.NotificationGroups {
		g := &out.NotificationGroups[i]
		g.NotificationsCount = max(g.NotificationsCount, counts[g.GroupKey])
	}
	return out, nil
}

// groupMembers reads the visible notifications of one group, newest first
// (the most recent fetchLimit of its type for a grouped key).
func (a *API) groupMembers(r *http.Request, t *token, key string) ([]Notification, *filterSet, error) {
	fs := a.filtersIn(r.Context(), t, filterNotifications)
	if a.cfg.Remote == nil {
		return nil, fs, ErrNotFound
	}
	typ := groupTypeOf(key)
	if typ == "" {
		id, ok := parseID(strings.TrimPrefix(key, "ungrouped-"))
		if !ok || !strings.HasPrefix(key, "ungrouped-") {
			return nil, fs, ErrNotFound
		}
		n, err := a.cfg.Remote.Notification(r.Context(), id)
		if err != nil {
			return nil, fs, err
		}
		if a.newHider(r.Context()).notification(n) || a.filterHidesNotification(r.Context(), fs, n) {
			return nil, fs, ErrNotFound
		}
		return []Notification{n}, fs, nil
	}
	out, err := a.notificationsWithKey(r, t, []string{typ}, map[string]bool{typ: true}, func(k string) bool { return k == key })
	if err != nil {
		return nil, fs, err
	}
	if len(out) == 0 {
		return nil, fs, ErrNotFound
	}
	return out, fs, nil
}

func (a *API) getNotificationGroup(w http.ResponseWriter, r *http.Request, t *token) {
	key := r.PathValue("group_key")
	list, fs, err := a.groupMembers(r, t, key)
	if err != nil {
		failLookup(w, r, err)
		return
	}
	grouped := map[string]bool{groupTypeOf(key): true}
	out, err := a.groupNotifications(r.Context(), fs, list, grouped, nil)
	writeResult(w, r, out, err)
}

// notificationGroupAccounts lists everyone in a group, most recent first,
// for the app's "and 5 others" screen.
func (a *API) notificationGroupAccounts(w http.ResponseWriter, r *http.Request, t *token) {
	key := r.PathValue("group_key")
	list, fs, err := a.groupMembers(r, t, key)
	if err != nil {
		failLookup(w, r, err)
		return
	}
	res, err := a.groupNotifications(r.Context(), fs, list, map[string]bool{groupTypeOf(key): true}, nil)
	writeResult(w, r, res.Accounts, err)
}

func (a *API) dismissNotificationGroup(w http.ResponseWriter, r *http.Request, t *token) {
	list, _, err := a.groupMembers(r, t, r.PathValue("group_key"))
	if err != nil && !isNotFound(err) {
		fail(w, r, err)
		return
	}
	for _, n := range list {
		if err := a.cfg.Remote.DismissNotification(r.Context(), n.ID); err != nil && !isNotFound(err) {
			fail(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, struct{}{})
}
