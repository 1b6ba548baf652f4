package mastodon

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

func TestPostEditDeleteAndIdempotency(t *testing.T) {
	ta := newTestAPI(t, false)
	s := ta.post(t, "Hello #roost")
	if s["visibility"] != "public" || !strings.Contains(s["content"].(string), "Hello") || s["edited_at"] != nil {
		t.Fatalf("status %v", s)
	}
	if tags := s["tags"].([]any); len(tags) != 1 {
		t.Errorf("tags %v", tags)
	}
	id := s["id"].(string)
	if !strings.HasSuffix(s["created_at"].(string), ".000Z") {
		t.Errorf("created_at %v", s["created_at"])
	}

	// A repeated Idempotency-Key returns the first status.
	var a, b map[string]any
	for _, out := range []*map[string]any{&a, &b} {
		req := map[string]any{"status": "once", "visibility": "unlisted"}
		resp := ta.doWithHeader(t, "POST", "/api/v1/statuses", req, "Idempotency-Key", "k1", out)
		_ = resp
	}
	if a["id"] != b["id"] || a["visibility"] != "unlisted" {
		t.Errorf("idempotency: %v vs %v", a["id"], b["id"])
	}

	var edited map[string]any
	ta.do(t, "PUT", "/api/v1/statuses/"+id, ta.token, map[string]any{"status": "Hello again", "spoiler_text": "cw"}, 200, &edited)
	if edited["spoiler_text"] != "cw" || edited["edited_at"] == nil || !strings.Contains(edited["content"].(string), "again") {
		t.Errorf("edit %v", edited)
	}
	var src map[string]any
	ta.do(t, "GET", "/api/v1/statuses/"+id+"/source", ta.token, nil, 200, &src)
	if src["text"] != "Hello again" {
		t.Errorf("source %v", src)
	}
	var deleted map[string]any
	ta.do(t, "DELETE", "/api/v1/statuses/"+id, ta.token, nil, 200, &deleted)
	if deleted["text"] != "Hello again" {
		t.Errorf("deleted %v", deleted)
	}
	ta.do(t, "GET", "/api/v1/statuses/"+id, ta.token, nil, 404, nil)
	want := []string{"Create", "Create", "Update", "Delete"}
	if got := ta.pub.types(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("published %v, want %v", got, want)
	}
	ta.do(t, "POST", "/api/v1/statuses", ta.token, map[string]any{"status": "later", "scheduled_at": "2024-05-01T12:03:00Z"}, 422, nil)
	ta.do(t, "POST", "/api/v1/statuses", ta.token, map[string]any{"status": ""}, 422, nil)
}

func TestReplyAndContext(t *testing.T) {
	ta := newTestAPI(t, false)
	parent := ta.post(t, "first")
	var reply map[string]any
	ta.do(t, "POST", "/api/v1/statuses", ta.token, url.Values{"status": {"second"}, "in_reply_to_id": {parent["id"].(string)},
		"visibility": {"private"}}, 200, &reply)
	if reply["in_reply_to_id"] != parent["id"] || reply["in_reply_to_account_id"] != "1" || reply["visibility"] != "private" {
		t.Fatalf("reply %v", reply)
	}
	var ctx map[string][]map[string]any
	ta.do(t, "GET", "/api/v1/statuses/"+reply["id"].(string)+"/context", ta.token, nil, 200, &ctx)
	if len(ctx["ancestors"]) != 1 || ctx["ancestors"][0]["id"] != parent["id"] || ctx["descendants"] == nil {
		t.Errorf("context %v", ctx)
	}
	// Followers-only posts are hidden from anonymous readers.
	ta.do(t, "GET", "/api/v1/statuses/"+reply["id"].(string), "", nil, 404, nil)
}

func TestFavouriteReblogBookmark(t *testing.T) {
	ta := newTestAPI(t, true)
	s := ta.post(t, "like me")
	id := s["id"].(string)
	var fav, reb, bm map[string]any
	ta.do(t, "POST", "/api/v1/statuses/"+id+"/favourite", ta.token, nil, 200, &fav)
	ta.do(t, "POST", "/api/v1/statuses/"+id+"/reblog", ta.token, nil, 200, &reb)
	ta.do(t, "POST", "/api/v1/statuses/"+id+"/bookmark", ta.token, nil, 200, &bm)
	if fav["favourited"] != true || bm["bookmarked"] != true {
		t.Errorf("marks fav=%v bm=%v", fav["favourited"], bm["bookmarked"])
	}
	inner, _ := reb["reblog"].(map[string]any)
	if inner == nil || inner["id"] != id || reb["id"] == id || inner["reblogged"] != true {
		t.Errorf("reblog %v", reb)
	}
	uri := s["uri"].(string)
	if got := fmt.Sprint(ta.remote.actions); got != fmt.Sprint([]string{"like " + uri, "boost " + uri, "bookmark " + uri}) {
		t.Errorf("federated %s", got)
	}
	var list []map[string]any
	ta.do(t, "GET", "/api/v1/bookmarks", ta.token, nil, 200, &list)
	if len(list) != 1 || list[0]["id"] != id {
		t.Errorf("bookmarks %v", list)
	}
	ta.do(t, "POST", "/api/v1/statuses/"+id+"/unfavourite", ta.token, nil, 200, &fav)
	if fav["favourited"] != false {
		t.Error("still favourited")
	}
}

func TestHomeTimelinePagination(t *testing.T) {
	ta := newTestAPI(t, false)
	var ids []string
	for i := 0; i < 5; i++ {
		ids = append(ids, ta.post(t, fmt.Sprintf("note %d", i))["id"].(string))
	}
	var page []map[string]any
	resp := ta.do(t, "GET", "/api/v1/timelines/home?limit=2", ta.token, nil, 200, &page)
	if len(page) != 2 || page[0]["id"] != ids[4] || page[1]["id"] != ids[3] {
		t.Fatalf("first page %v", idsOf(page))
	}
	link := resp.Header.Get("Link")
	want := fmt.Sprintf(`<%s/api/v1/timelines/home?limit=2&max_id=%s>; rel="next", <%s/api/v1/timelines/home?limit=2&min_id=%s>; rel="prev"`,
		testBase, ids[3], testBase, ids[4])
	if link != want {
		t.Fatalf("Link\n got %s\nwant %s", link, want)
	}
	ta.do(t, "GET", "/api/v1/timelines/home?limit=2&max_id="+ids[3], ta.token, nil, 200, &page)
	if fmt.Sprint(idsOf(page)) != fmt.Sprint([]string{ids[2], ids[1]}) {
		t.Errorf("next page %v", idsOf(page))
	}
	ta.do(t, "GET", "/api/v1/timelines/home?limit=2&min_id="+ids[0], ta.token, nil, 200, &page)
	if fmt.Sprint(idsOf(page)) != fmt.Sprint([]string{ids[2], ids[1]}) {
		t.Errorf("min_id page %v", idsOf(page))
	}
	ta.do(t, "GET", "/api/v1/timelines/home?since_id="+ids[2], ta.token, nil, 200, &page)
	if fmt.Sprint(idsOf(page)) != fmt.Sprint([]string{ids[4], ids[3]}) {
		t.Errorf("since_id page %v", idsOf(page))
	}
	var tag []map[string]any
	ta.post(t, "tagged #cats")
	ta.do(t, "GET", "/api/v1/timelines/tag/cats", "", nil, 200, &tag)
	if len(tag) != 1 {
		t.Errorf("tag timeline %d", len(tag))
	}
}

func idsOf(list []map[string]any) []string {
	var out []string
	for _, s := range list {
		out = append(out, s["id"].(string))
	}
	return out
}

func TestNotificationsFilter(t *testing.T) {
	ta := newTestAPI(t, true)
	s := ta.post(t, "mine")
	nid, _ := parseID(s["id"].(string))
	ta.remote.notes = []Notification{
		{ID: 300, Type: "follow", Actor: bob, Created: testNow()},
		{ID: 200, Type: "favourite", Actor: bob, NoteID: nid, Created: testNow()},
		{ID: 100, Type: "mention", Actor: bob, Status: &Post{ID: 50, ObjectID: "https://bob.test/notes/9", Author: bob,
			ContentHTML: "<p>hi</p>", Visibility: "public", Created: testNow()}, Created: testNow()},
	}
	var list []map[string]any
	ta.do(t, "GET", "/api/v1/notifications", ta.token, nil, 200, &list)
	if len(list) != 3 || list[0]["account"].(map[string]any)["acct"] != "bob@bob.test" {
		t.Fatalf("all %v", list)
	}
	if list[1]["status"].(map[string]any)["id"] != s["id"] {
		t.Errorf("favourite's status %v", list[1]["status"])
	}
	ta.do(t, "GET", "/api/v1/notifications?types[]=mention&types[]=follow", ta.token, nil, 200, &list)
	if len(list) != 2 {
		t.Errorf("types filter %d", len(list))
	}
	ta.do(t, "GET", "/api/v1/notifications?exclude_types[]=follow", ta.token, nil, 200, &list)
	if len(list) != 2 || list[0]["type"] != "favourite" {
		t.Errorf("exclude filter %v", list)
	}
	var one map[string]any
	ta.do(t, "GET", "/api/v1/notifications/300", ta.token, nil, 200, &one)
	ta.do(t, "POST", "/api/v1/notifications/clear", ta.token, nil, 200, nil)
	ta.do(t, "GET", "/api/v1/notifications", ta.token, nil, 200, &list)
	if len(list) != 0 {
		t.Error("not cleared")
	}
}

func TestSearchResolveAndFollow(t *testing.T) {
	ta := newTestAPI(t, true)
	var res map[string][]map[string]any
	ta.do(t, "GET", "/api/v2/search?q=%40bob.test&resolve=True", ta.token, nil, 200, &res)
	if len(res["accounts"]) != 1 || res["accounts"][0]["acct"] != "bob@bob.test" {
		t.Fatalf("search %v", res)
	}
	ta.do(t, "GET", "/api/v2/search?q=%40bob.test", ta.token, nil, 200, &res)
	if len(res["accounts"]) != 0 {
		t.Errorf("resolved without resolve: %v", res)
	}
	ta.do(t, "GET", "/api/v2/search?q=https://bob.test/notes/1&resolve=true", ta.token, nil, 200, &res)
	if len(res["statuses"]) != 1 || res["statuses"][0]["account"].(map[string]any)["acct"] != "bob@bob.test" {
		t.Errorf("status search %v", res)
	}
	ta.do(t, "GET", "/api/v2/search?q=%23Cats", ta.token, nil, 200, &res)
	if len(res["hashtags"]) != 1 || res["hashtags"][0]["name"] != "cats" {
		t.Errorf("hashtag %v", res)
	}
	var acct map[string]any
	ta.do(t, "GET", "/api/v1/accounts/lookup?acct=alice.test", "", nil, 200, &acct)
	if acct["id"] != "1" || acct["acct"] != "alice.test" {
		t.Errorf("lookup owner %v", acct)
	}
	ta.do(t, "GET", "/api/v1/accounts/lookup?acct=@bob.test", ta.token, nil, 200, &acct)
	bobID := acct["id"].(string)
	ta.do(t, "GET", "/api/v1/accounts/"+bobID, "", nil, 200, &acct)
	if acct["uri"] != bob.ID {
		t.Errorf("account %v", acct)
	}
	var rels []map[string]any
	ta.do(t, "GET", "/api/v1/accounts/relationships?id[]="+bobID, ta.token, nil, 200, &rels)
	if len(rels) != 1 || rels[0]["id"] != bobID {
		t.Errorf("relationships %v", rels)
	}
}
