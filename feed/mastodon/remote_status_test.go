package mastodon

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"roost/federation/vocab"
	"roost/feed"
)

// bobPost keeps a post by bob in the fake feed room and returns it.
func (ta *testAPI) bobPost(id int64, html, visibility string, mod func(*Post)) Post {
	p := Post{ID: id, ObjectID: fmt.Sprintf("https://bob.test/notes/%d", id), Author: bob, ContentHTML: html,
		Visibility: visibility, Created: time.UnixMilli(id >> 16).UTC()}
	if mod != nil {
		mod(&p)
	}
	ta.remote.stored = append(ta.remote.stored, p)
	return p
}

// bobAccountID looks bob up so that he has an account id.
func (ta *testAPI) bobAccountID(t *testing.T) string {
	t.Helper()
	var acct map[string]any
	ta.do(t, "GET", "/api/v1/accounts/lookup?acct=@bob.test", ta.token, nil, 200, &acct)
	return acct["id"].(string)
}

func snowflake(ms int64) int64 { return ms << 16 }

func TestFavouritedAndRebloggedBy(t *testing.T) {
	ta := newTestAPI(t, true)
	post := ta.bobPost(snowflake(1_700_000_000_000), "<p>hi</p>", "public", nil)
	carol := &vocab.Actor{ID: "https://carol.test/users/carol", PreferredUsername: "carol", Webfinger: "carol@carol.test"}
	ta.remote.reacted = map[string][]*vocab.Actor{
		"like " + post.ObjectID:  {carol, {ID: testBase + "/actor"}},
		"boost " + post.ObjectID: {carol},
	}
	base := "/api/v1/statuses/" + idString(post.ID)
	var likes, boosts []map[string]any
	ta.do(t, "GET", base+"/favourited_by", ta.token, nil, 200, &likes)
	if len(likes) != 2 || likes[0]["acct"] != "carol@carol.test" || likes[1]["id"] != ownerAccountID {
		t.Errorf("favourited_by %v", likes)
	}
	ta.do(t, "GET", base+"/reblogged_by", "", nil, 200, &boosts)
	if len(boosts) != 1 || boosts[0]["username"] != "carol" {
		t.Errorf("reblogged_by %v", boosts)
	}
	ta.do(t, "GET", base+"/favourited_by?limit=1", ta.token, nil, 200, &likes)
	if len(likes) != 1 {
		t.Errorf("limit=1 gave %d", len(likes))
	}
	ta.do(t, "GET", "/api/v1/statuses/12345/favourited_by", ta.token, nil, 404, nil)
	// A followers-only post is not shown to strangers, nor who liked it.
	hidden := ta.bobPost(snowflake(1_700_000_001_000), "<p>psst</p>", feed.VisibilityFollowers, nil)
	ta.do(t, "GET", "/api/v1/statuses/"+idString(hidden.ID)+"/favourited_by", "", nil, 404, nil)
}

func TestStatusHistory(t *testing.T) {
	ta := newTestAPI(t, true)
	v1 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	post := ta.bobPost(snowflake(v1.UnixMilli()), "<p>third</p>", "public", func(p *Post) {
		p.Edited = v1.Add(2 * time.Hour)
	})
	ta.remote.edits = map[int64][]Edit{post.ID: {
		{ContentHTML: "<p>first</p>", Created: v1},
		{ContentHTML: "<p>second</p>", Summary: "cw", Created: v1.Add(time.Hour)},
	}}
	var hist []map[string]any
	ta.do(t, "GET", "/api/v1/statuses/"+idString(post.ID)+"/history", "", nil, 200, &hist)
	var got []string
	for _, h := range hist {
		got = append(got, h["content"].(string)+" "+h["created_at"].(string))
	}
	want := []string{"<p>first</p> 2024-01-01T00:00:00.000Z", "<p>second</p> 2024-01-01T01:00:00.000Z",
		"<p>third</p> 2024-01-01T02:00:00.000Z"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("history\n got %v\nwant %v", got, want)
	}
	if hist[1]["spoiler_text"] != "cw" || hist[1]["sensitive"] != true || hist[0]["account"].(map[string]any)["acct"] != "bob@bob.test" {
		t.Errorf("second version %v", hist[1])
	}
	// The owner's notes keep their earlier versions too (see
	// TestOwnEditHistoryKeepsOriginal).
	note := ta.post(t, "mine")
	ta.do(t, "PUT", "/api/v1/statuses/"+note["id"].(string), ta.token, map[string]any{"status": "mine, edited"}, 200, nil)
	ta.do(t, "GET", "/api/v1/statuses/"+note["id"].(string)+"/history", ta.token, nil, 200, &hist)
	if len(hist) != 2 || strings.Contains(hist[0]["content"].(string), "edited") || !strings.Contains(hist[1]["content"].(string), "edited") {
		t.Errorf("own history %v", hist)
	}
}

func TestRemoteAccountStatuses(t *testing.T) {
	ta := newTestAPI(t, true)
	bobID := ta.bobAccountID(t)
	ms := int64(1_700_000_000_000)
	plain := ta.bobPost(snowflake(ms), "<p>plain</p>", "public", nil)
	reply := ta.bobPost(snowflake(ms+1000), "<p>reply</p>", "public", func(p *Post) { p.InReplyTo = "https://x.test/1" })
	pic := ta.bobPost(snowflake(ms+2000), "<p>pic</p>", "unlisted", func(p *Post) {
		p.Media = []feed.Media{{URL: "https://bob.test/a.png", MediaType: "image/png"}}
	})
	private := ta.bobPost(snowflake(ms+3000), "<p>private</p>", feed.VisibilityFollowers, nil)
	ta.bobPost(snowflake(ms+4000), "<p>boost</p>", "public", func(p *Post) { p.Reblog = &Post{ID: 7, Author: bob} })
	id := func(p Post) string { return idString(p.ID) }
	path := "/api/v1/accounts/" + bobID + "/statuses"
	for _, tc := range []struct {
		query, token string
		want         []string
	}{
		{"?exclude_reblogs=true", ta.token, []string{id(private), id(pic), id(reply), id(plain)}},
		{"?exclude_reblogs=true", "", []string{id(pic), id(reply), id(plain)}},
		{"?exclude_replies=true&exclude_reblogs=1", ta.token, []string{id(private), id(pic), id(plain)}},
		{"?only_media=true", ta.token, []string{id(pic)}},
		{"?exclude_reblogs=true&max_id=" + id(pic), ta.token, []string{id(reply), id(plain)}},
		{"?exclude_reblogs=true&since_id=" + id(reply), ta.token, []string{id(private), id(pic)}},
		{"?exclude_reblogs=true&limit=1&min_id=" + id(plain), ta.token, []string{id(reply)}},
		{"?pinned=true", ta.token, nil},
	} {
		var list []map[string]any
		ta.do(t, "GET", path+tc.query, tc.token, nil, 200, &list)
		if fmt.Sprint(idsOf(list)) != fmt.Sprint(tc.want) {
			t.Errorf("%s (token %t): %v, want %v", tc.query, tc.token != "", idsOf(list), tc.want)
		}
	}
	var page []map[string]any
	resp := ta.do(t, "GET", path+"?limit=2", ta.token, nil, 200, &page)
	if len(page) != 2 || page[0]["reblog"] == nil || !strings.Contains(resp.Header.Get("Link"), "max_id="+id(private)) {
		t.Errorf("first page %v, Link %q", idsOf(page), resp.Header.Get("Link"))
	}
	ta.do(t, "GET", "/api/v1/accounts/987654/statuses", ta.token, nil, 404, nil)
}
