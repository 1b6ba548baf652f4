package mastodon

import (
	"context"
	"encoding/json"
	"net/url"
	"testing"
	"time"

	"roost/federation/vocab"
	"roost/feed"
)

// makeFilter creates a v2 filter with keywords (a trailing "*" on a keyword
// makes it a substring match) and returns its id.
func (ta *testAPI) makeFilter(t *testing.T, title, action string, contexts []string, expiresIn string, keywords ...string) string {
	t.Helper()
	v := url.Values{"title": {title}, "filter_action": {action}, "context[]": contexts}
	if expiresIn != "" {
		v.Set("expires_in", expiresIn)
	}
	for i, k := range keywords {
		n := "keywords_attributes[" + idString(int64(i)) + "]"
		whole := "true"
		if k[len(k)-1] == '*' {
			k, whole = k[:len(k)-1], "false"
		}
		v.Set(n+"[keyword]", k)
		v.Set(n+"[whole_word]", whole)
	}
	var f map[string]any
	ta.do(t, "POST", "/api/v2/filters", ta.token, v, 200, &f)
	return f["id"].(string)
}

// statusesByID reads a timeline as id → status.
func (ta *testAPI) statusesByID(t *testing.T, path, token string) map[string]map[string]any {
	t.Helper()
	var list []map[string]any
	ta.do(t, "GET", path, token, nil, 200, &list)
	out := map[string]map[string]any{}
	for _, s := range list {
		out[s["id"].(string)] = s
	}
	return out
}

// filterTitles lists the titles of the filters a status matched.
func filterTitles(s map[string]any) []string {
	var out []string
	list, _ := s["filtered"].([]any)
	for _, r := range list {
		out = append(out, r.(map[string]any)["filter"].(map[string]any)["title"].(string))
	}
	return out
}

func TestFiltersOnHomeTimeline(t *testing.T) {
	ta := newTestAPI(t, true)
	ms := time.Now().UnixMilli()
	carol := &vocab.Actor{ID: "https://carol.test/users/carol", PreferredUsername: "carol"}
	mk := func(i int64, html, cw string, mod func(*Post)) Post {
		p := Post{ID: snowflake(ms + i), ObjectID: "https://bob.test/n/" + idString(i), Author: bob, ContentHTML: html,
			Summary: cw, Visibility: "public", Created: testNow()}
		if mod != nil {
			mod(&p)
		}
		return p
	}
	finale := mk(1, "<p>The FINALE was great</p>", "", nil)
	finales := mk(2, "<p>finales everywhere</p>", "", nil)
	politics := mk(3, "<p>x</p>", "Politics", nil)
	spider := mk(4, "<p>look</p>", "", func(p *Post) { p.Media = []feed.Media{{URL: "https://bob.test/s.png", Alt: "A spider"}} })
	boost := Post{ID: snowflake(ms + 5), Author: carol, Reblog: &finale, Created: testNow()}
	plain := mk(6, "<p>nothing to see</p>", "", nil)
	ta.remote.home = []Post{finale, finales, politics, spider, boost, plain}
	ta.remote.stored = ta.remote.home

	ta.makeFilter(t, "Spoilers", "warn", []string{"home", "notifications"}, "", "finale")
	ta.makeFilter(t, "News", "hide", []string{"home", "public"}, "", "politic*")
	ta.makeFilter(t, "Bugs", "warn", []string{"home"}, "100000", "spider")
	ta.makeFilter(t, "Expired", "hide", []string{"home"}, "1", "nothing")
	ta.makeFilter(t, "Elsewhere", "hide", []string{"public", "thread", "account"}, "", "look")

	home := ta.statusesByID(t, "/api/v1/timelines/home", ta.token)
	for _, tc := range []struct {
		post  Post
		shown bool
		want  []string
	}{
		{finale, true, []string{"Spoilers"}},
		{finales, true, nil}, // whole word only
		{politics, false, nil},
		{spider, true, []string{"Bugs"}},
		{boost, true, []string{"Spoilers"}},
		{plain, true, nil}, // the filter matching it has expired
	} {
		s, ok := home[idString(tc.post.ID)]
		if ok != tc.shown {
			t.Errorf("%s: shown %v, want %v", tc.post.ContentHTML, ok, tc.shown)
			continue
		}
		if ok && !equalStrings(filterTitles(s), tc.want) {
			t.Errorf("%s: filtered by %v, want %v: %v", tc.post.ContentHTML, filterTitles(s), tc.want, s["filtered"])
		}
	}
	// A boost carries the result both outside and on the boosted status.
	inner := home[idString(boost.ID)]["reblog"].(map[string]any)
	if !equalStrings(filterTitles(inner), []string{"Spoilers"}) {
		t.Errorf("boosted status filtered %v", inner["filtered"])
	}
	r := home[idString(finale.ID)]["filtered"].([]any)[0].(map[string]any)
	if kw := r["keyword_matches"].([]any); len(kw) != 1 || kw[0] != "finale" || r["status_matches"] != nil {
		t.Errorf("filter result %v", r)
	}
	if _, ok := r["filter"].(map[string]any)["keywords"]; ok {
		t.Error("a FilterResult's filter carries no keywords")
	}

	// Lists are home too.
	var list map[string]any
	ta.do(t, "POST", "/api/v1/lists", ta.token, map[string]string{"title": "Bob"}, 200, &list)
	lid, _ := parseID(list["id"].(string))
	ta.api.cfg.Lists.(*memoryLists).members[lid] = []string{bob.ID}
	inList := ta.statusesByID(t, "/api/v1/timelines/list/"+list["id"].(string), ta.token)
	if _, ok := inList[idString(politics.ID)]; ok || len(filterTitles(inList[idString(finale.ID)])) != 1 {
		t.Errorf("list timeline not filtered: %v", inList)
	}
	// A single status is shown with the thread's filters only.
	var one map[string]any
	ta.do(t, "GET", "/api/v1/statuses/"+idString(spider.ID), ta.token, nil, 200, &one)
	if !equalStrings(filterTitles(one), []string{"Elsewhere"}) {
		t.Errorf("single status filtered %v", one["filtered"])
	}
}

func TestFilterWritesTakeEffect(t *testing.T) {
	ta := newTestAPI(t, true)
	p := ta.bobPost(snowflake(time.Now().UnixMilli()), "<p>ordinary</p>", "public", nil)
	ta.remote.home = []Post{p}
	sid := idString(p.ID)
	shown := func() (bool, []string) {
		s, ok := ta.statusesByID(t, "/api/v1/timelines/home", ta.token)[sid]
		return ok, filterTitles(s)
	}
	id := ta.makeFilter(t, "By id", "warn", []string{"home"}, "")
	if ok, got := shown(); !ok || got != nil {
		t.Fatalf("before: shown %v filtered %v", ok, got)
	}
	var fst map[string]any
	ta.do(t, "POST", "/api/v2/filters/"+id+"/statuses", ta.token, url.Values{"status_id": {sid}}, 200, &fst)
	if fst["status_id"] != sid {
		t.Fatalf("filter status %v", fst)
	}
	ta.do(t, "POST", "/api/v2/filters/"+id+"/statuses", ta.token, url.Values{"status_id": {sid}}, 422, nil)
	ta.do(t, "POST", "/api/v2/filters/"+id+"/statuses", ta.token, url.Values{"status_id": {"999"}}, 404, nil)
	s := ta.statusesByID(t, "/api/v1/timelines/home", ta.token)[sid]
	r := s["filtered"].([]any)[0].(map[string]any)
	if m := r["status_matches"].([]any); len(m) != 1 || m[0] != sid || r["keyword_matches"] != nil {
		t.Errorf("status filter result %v", r)
	}
	var listed []map[string]any
	ta.do(t, "GET", "/api/v2/filters/"+id+"/statuses", ta.token, nil, 200, &listed)
	var one map[string]any
	ta.do(t, "GET", "/api/v2/filters/statuses/"+fst["id"].(string), ta.token, nil, 200, &one)
	if len(listed) != 1 || listed[0]["id"] != fst["id"] || one["status_id"] != sid {
		t.Errorf("listed %v, one %v", listed, one)
	}

	// Turning the filter to "hide" hides at once: the cache follows writes.
	ta.do(t, "PUT", "/api/v2/filters/"+id, ta.token, url.Values{"filter_action": {"hide"}}, 200, nil)
	if ok, _ := shown(); ok {
		t.Error("hide filter still shows the status")
	}
	ta.do(t, "DELETE", "/api/v2/filters/statuses/"+fst["id"].(string), ta.token, nil, 200, nil)
	if ok, got := shown(); !ok || got != nil {
		t.Errorf("after removing the status: shown %v filtered %v", ok, got)
	}
	ta.do(t, "DELETE", "/api/v2/filters/statuses/"+fst["id"].(string), ta.token, nil, 404, nil)

	// The update kept what it did not send.
	var f map[string]any
	ta.do(t, "GET", "/api/v2/filters/"+id, ta.token, nil, 200, &f)
	if f["title"] != "By id" || f["filter_action"] != "hide" || len(f["context"].([]any)) != 1 {
		t.Errorf("filter after update %v", f)
	}
	ta.do(t, "POST", "/api/v2/filters", ta.token, url.Values{"title": {"x"}, "context[]": {"nowhere"}}, 422, nil)
	ta.do(t, "PUT", "/api/v2/filters/"+id, ta.token, url.Values{"filter_action": {"explode"}}, 422, nil)
}

func TestFiltersOnNotificationsAndPublic(t *testing.T) {
	ta := newTestAPI(t, true)
	ms := time.Now().UnixMilli()
	rude := Post{ID: snowflake(ms), ObjectID: "https://bob.test/n/1", Author: bob, ContentHTML: "<p>you fool</p>", Visibility: "public", Created: testNow()}
	nice := Post{ID: snowflake(ms + 1), ObjectID: "https://bob.test/n/2", Author: bob, ContentHTML: "<p>a gift</p>", Visibility: "public", Created: testNow()}
	own := ta.post(t, "my #secret gift plan")
	ownID, _ := parseID(own["id"].(string))
	ta.remote.notes = []Notification{ // newest first, as the store gives them
		{ID: 3, Type: "favourite", Actor: bob, NoteID: ownID, Created: testNow()},
		{ID: 2, Type: "mention", Actor: bob, Status: &nice, Created: testNow()},
		{ID: 1, Type: "mention", Actor: bob, Status: &rude, Created: testNow()},
	}
	ta.makeFilter(t, "Rude", "hide", []string{"notifications"}, "", "fool")
	ta.makeFilter(t, "Gifts", "warn", []string{"notifications"}, "", "gift")
	ta.makeFilter(t, "Secrets", "hide", []string{"public"}, "", "secret")

	var notes []map[string]any
	ta.do(t, "GET", "/api/v1/notifications", ta.token, nil, 200, &notes)
	if len(notes) != 2 || notes[0]["id"] != "3" || notes[1]["id"] != "2" {
		t.Fatalf("notifications %v", notes)
	}
	for _, n := range notes {
		if got := filterTitles(n["status"].(map[string]any)); !equalStrings(got, []string{"Gifts"}) {
			t.Errorf("notification %v: filtered %v", n["id"], got)
		}
	}
	var count map[string]int
	ta.do(t, "GET", "/api/v1/notifications/unread_count", ta.token, nil, 200, &count)
	if count["count"] != 2 {
		t.Errorf("unread count %v", count)
	}

	// The owner's public timeline hides, the home timeline does not (the
	// filter is public only), and nobody else's view is filtered.
	if _, ok := ta.statusesByID(t, "/api/v1/timelines/public", ta.token)[own["id"].(string)]; ok {
		t.Error("public timeline shows a hidden status")
	}
	if _, ok := ta.statusesByID(t, "/api/v1/timelines/tag/secret", ta.token)[own["id"].(string)]; ok {
		t.Error("tag timeline shows a hidden status")
	}
	for _, path := range []string{"/api/v1/timelines/public", "/api/v1/timelines/tag/secret"} {
		if _, ok := ta.statusesByID(t, path, "")[own["id"].(string)]; !ok {
			t.Errorf("%s: filters applied to a visitor", path)
		}
	}
	if _, ok := ta.statusesByID(t, "/api/v1/timelines/home", ta.token)[own["id"].(string)]; !ok {
		t.Error("a public filter hid a status on home")
	}
}

func TestFiltersOnStreams(t *testing.T) {
	ta := newTestAPI(t, true)
	ta.makeFilter(t, "Home hide", "hide", []string{"home"}, "", "secret")
	ta.makeFilter(t, "Public warn", "warn", []string{"public"}, "", "plan")
	sub := ta.api.hub.subscribe("user", "public", "user:notification")
	defer ta.api.hub.unsubscribe(sub)
	ta.post(t, "secret plan")
	ev := <-sub.out
	if len(ev.Stream) == 0 || ev.Stream[0] != "public" || contains(ev.Stream, "user") {
		t.Fatalf("event went to %v", ev.Stream)
	}
	var s Status
	if err := json.Unmarshal([]byte(ev.Payload), &s); err != nil || len(s.Filtered) != 1 || s.Filtered[0].Filter.Title != "Public warn" {
		t.Errorf("streamed status filtered %+v (%v)", s.Filtered, err)
	}
	rude := Post{ID: 77, ObjectID: "https://bob.test/n/7", Author: bob, ContentHTML: "<p>secret</p>", Created: testNow()}
	ta.remote.notes = []Notification{{ID: 5, Type: "mention", Actor: bob, Status: &rude, Created: testNow()}}
	ta.makeFilter(t, "Quiet", "hide", []string{"notifications"}, "", "secret")
	ta.api.NotificationCreated(context.Background(), 5)
	select {
	case ev := <-sub.out:
		t.Errorf("unexpected event %+v", ev)
	default:
	}
}

func TestFiltersV1View(t *testing.T) {
	ta := newTestAPI(t, false)
	ta.makeFilter(t, "Two", "hide", []string{"home"}, "", "alpha", "beta*")
	var list []map[string]any
	ta.do(t, "GET", "/api/v1/filters", ta.token, nil, 200, &list)
	if len(list) != 2 || list[0]["phrase"] != "alpha" || list[0]["whole_word"] != true || list[1]["whole_word"] != false ||
		list[0]["irreversible"] != true || list[0]["id"] == list[1]["id"] {
		t.Errorf("v1 filters %v", list)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
