package mastodon

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"roost/federation/vocab"
)

var carolActor = &vocab.Actor{ID: "https://carol.test/users/carol", Type: vocab.TypePerson, PreferredUsername: "carol",
	URL: "https://carol.test/@carol", Inbox: "https://carol.test/inbox"}

// groupedFixture gives the owner a note liked by bob and carol, boosted by
// bob, a follow from each, and a mention, newest first.
func groupedFixture(t *testing.T, ta *testAPI) int64 {
	t.Helper()
	note := ta.post(t, "liked twice")
	nid, _ := parseID(note["id"].(string))
	at := testNow()
	ta.remote.notes = []Notification{
		{ID: 16, Type: "mention", Actor: bob, Status: &Post{ID: 900, ObjectID: "https://bob.test/notes/900", Author: bob,
			ContentHTML: "<p>hey</p>", Visibility: "public", Created: at}, Created: at.Add(6 * time.Minute)},
		{ID: 15, Type: "follow", Actor: carolActor, Created: at.Add(5 * time.Minute)},
		{ID: 14, Type: "favourite", Actor: carolActor, NoteID: nid, Created: at.Add(4 * time.Minute)},
		{ID: 13, Type: "reblog", Actor: bob, NoteID: nid, Created: at.Add(3 * time.Minute)},
		{ID: 12, Type: "follow", Actor: bob, Created: at.Add(2 * time.Minute)},
		{ID: 11, Type: "favourite", Actor: bob, NoteID: nid, Created: at.Add(time.Minute)},
	}
	return nid
}

func groupsByKey(res GroupedNotifications) map[string]NotificationGroup {
	out := map[string]NotificationGroup{}
	for _, g := range res.NotificationGroups {
		out[g.GroupKey] = g
	}
	return out
}

// TestGroupedNotifications checks what Mastodon 4.3 apps read once the
// instance offers api_versions 2: likes of one status in one group, the
// day's follows in one, a mention alone, every account and status once.
func TestGroupedNotifications(t *testing.T) {
	c := loadSchemas(t)
	ta := newTestAPI(t, true)
	nid := groupedFixture(t, ta)
	var raw json.RawMessage
	resp := ta.do(t, "GET", "/api/v2/notifications", ta.token, nil, 200, &raw)
	validate(t, c, "GroupedNotificationsResults", raw)
	var res GroupedNotifications
	json.Unmarshal(raw, &res)
	if len(res.NotificationGroups) != 4 {
		t.Fatalf("want 4 groups (mention, follows, likes, boost), got %+v", res.NotificationGroups)
	}
	byKey := groupsByKey(res)
	likes := byKey["favourite-"+idString(nid)]
	if likes.NotificationsCount != 2 || likes.MostRecentNotificationID != 14 || strings.Join(likes.SampleAccountIDs, ",") == "" ||
		len(likes.SampleAccountIDs) != 2 || likes.PageMaxID != "14" || likes.PageMinID != "11" || likes.StatusID == nil {
		t.Errorf("likes group: %+v", likes)
	}
	follows := byKey["follow-"+idString(testNow().Unix()/86400)]
	if follows.NotificationsCount != 2 || len(follows.SampleAccountIDs) != 2 {
		t.Errorf("follows group: %+v", follows)
	}
	if g := byKey["ungrouped-16"]; g.Type != "mention" || g.NotificationsCount != 1 {
		t.Errorf("mention group: %+v", g)
	}
	if res.NotificationGroups[0].GroupKey != "ungrouped-16" {
		t.Errorf("groups not ordered by their newest notification: %+v", res.NotificationGroups)
	}
	if len(res.Accounts) != 2 || len(res.Statuses) != 2 {
		t.Errorf("want bob and carol once, the note and the mention once: %d accounts, %d statuses", len(res.Accounts), len(res.Statuses))
	}
	if link := resp.Header.Get("Link"); !strings.Contains(link, "max_id=11") || !strings.Contains(link, "min_id=16") {
		t.Errorf("Link: %q", link)
	}

	// A page: two notifications, and the rest of the likes group counted.
	ta.do(t, "GET", "/api/v2/notifications?limit=2&max_id=15", ta.token, nil, 200, &res)
	byKey = groupsByKey(res)
	if len(res.NotificationGroups) != 2 || byKey["favourite-"+idString(nid)].NotificationsCount != 2 ||
		byKey["favourite-"+idString(nid)].PageMinID != "14" {
		t.Errorf("page below 15: %+v", res.NotificationGroups)
	}

	// An app that groups only boosts gets each like alone; types[] and
	// exclude_types[] choose as in v1.
	ta.do(t, "GET", "/api/v2/notifications?grouped_types[]=reblog&types[]=favourite&types[]=follow&exclude_types[]=follow", ta.token, nil, 200, &res)
	if byKey = groupsByKey(res); len(res.NotificationGroups) != 2 || byKey["ungrouped-14"].Type != "favourite" || byKey["ungrouped-11"].Type != "favourite" {
		t.Errorf("grouped_types[]=reblog, types[]=favourite: %+v", res.NotificationGroups)
	}
}

func TestNotificationGroupReadAndDismiss(t *testing.T) {
	c := loadSchemas(t)
	ta := newTestAPI(t, true)
	nid := groupedFixture(t, ta)
	key := "favourite-" + idString(nid)
	var raw json.RawMessage
	ta.do(t, "GET", "/api/v2/notifications/"+key, ta.token, nil, 200, &raw)
	validate(t, c, "GroupedNotificationsResults", raw)
	var res GroupedNotifications
	json.Unmarshal(raw, &res)
	if len(res.NotificationGroups) != 1 || res.NotificationGroups[0].NotificationsCount != 2 {
		t.Fatalf("group %s: %s", key, raw)
	}
	ta.do(t, "GET", "/api/v2/notifications/ungrouped-16", ta.token, nil, 200, &res)
	if len(res.NotificationGroups) != 1 || res.NotificationGroups[0].Type != "mention" {
		t.Errorf("ungrouped-16: %+v", res)
	}
	var accounts []json.RawMessage
	ta.do(t, "GET", "/api/v2/notifications/"+key+"/accounts", ta.token, nil, 200, &accounts)
	if len(accounts) != 2 {
		t.Errorf("accounts of %s: %d, want bob and carol", key, len(accounts))
	}
	for _, acct := range accounts {
		validate(t, c, "Account", acct)
	}
	ta.do(t, "GET", "/api/v2/notifications/favourite-12345", ta.token, nil, 404, nil)
	ta.do(t, "GET", "/api/v2/notifications/nonsense", ta.token, nil, 404, nil)

	ta.do(t, "POST", "/api/v2/notifications/"+key+"/dismiss", ta.token, nil, 200, nil)
	ta.do(t, "GET", "/api/v2/notifications/"+key, ta.token, nil, 404, nil)
	if len(ta.remote.notes) != 4 {
		t.Errorf("dismissing the likes group left %d notifications, want 4", len(ta.remote.notes))
	}
}

// TestUnreadCounts counts what is above the notifications marker: each
// notification for v1, each group for v2.
func TestUnreadCounts(t *testing.T) {
	ta := newTestAPI(t, true)
	groupedFixture(t, ta)
	var n map[string]int
	ta.do(t, "GET", "/api/v1/notifications/unread_count", ta.token, nil, 200, &n)
	if n["count"] != 6 {
		t.Errorf("v1 unread with no marker: %v", n)
	}
	ta.do(t, "GET", "/api/v2/notifications/unread_count", ta.token, nil, 200, &n)
	if n["count"] != 4 {
		t.Errorf("v2 unread with no marker: %v", n)
	}
	ta.do(t, "POST", "/api/v1/markers", ta.token, url.Values{"notifications[last_read_id]": {"13"}}, 200, nil)
	ta.do(t, "GET", "/api/v1/notifications/unread_count", ta.token, nil, 200, &n)
	if n["count"] != 3 {
		t.Errorf("v1 unread above 13: %v", n)
	}
	ta.do(t, "GET", "/api/v2/notifications/unread_count", ta.token, nil, 200, &n)
	if n["count"] != 3 {
		t.Errorf("v2 unread above 13 (mention, follow, like): %v", n)
	}
}

func TestNotificationPolicyShapes(t *testing.T) {
	c := loadSchemas(t)
	ta := newTestAPI(t, true)
	for _, tc := range []struct{ method, path, schema string }{
		{"GET", "/api/v1/notifications/policy", "V1NotificationPolicy"},
		{"PATCH", "/api/v1/notifications/policy", "V1NotificationPolicy"},
		{"GET", "/api/v2/notifications/policy", "NotificationPolicy"},
		{"PATCH", "/api/v2/notifications/policy", "NotificationPolicy"},
	} {
		var raw json.RawMessage
		ta.do(t, tc.method, tc.path, ta.token, map[string]any{"filter_not_following": true, "for_not_following": "filter"}, 200, &raw)
		validate(t, c, tc.schema, raw)
	}
}
