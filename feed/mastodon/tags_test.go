package mastodon

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"roost/federation/vocab"
)

// TestFollowHashtags: following a tag shows in the tag, in followed_tags
// and in GET /api/v1/tags/:name; unfollowing undoes all three. Each answer
// is a valid Tag.
func TestFollowHashtags(t *testing.T) {
	c := loadSchemas(t)
	ta := newTestAPI(t, false)
	var tag map[string]any
	ta.do(t, "POST", "/api/v1/tags/RoostBar/follow", ta.token, nil, 200, &tag)
	if tag["name"] != "roostbar" || tag["following"] != true {
		t.Fatalf("follow: %v", tag)
	}
	ta.do(t, "POST", "/api/v1/tags/gardening/follow", ta.token, nil, 200, nil)
	ta.do(t, "POST", "/api/v1/tags/roostbar/follow", ta.token, nil, 200, nil) // again: no change

	var list []json.RawMessage
	resp := ta.do(t, "GET", "/api/v1/followed_tags?limit=1", ta.token, nil, 200, &list)
	if len(list) != 1 || resp.Header.Get("Link") == "" {
		t.Fatalf("first page of followed tags: %s, Link %q", list, resp.Header.Get("Link"))
	}
	ta.do(t, "GET", "/api/v1/followed_tags", ta.token, nil, 200, &list)
	if len(list) != 2 {
		t.Fatalf("followed tags: %s", list)
	}
	for _, raw := range list {
		validate(t, c, "Tag", raw)
	}
	var got map[string]any
	ta.do(t, "GET", "/api/v1/tags/roostbar", ta.token, nil, 200, &got)
	if got["following"] != true {
		t.Errorf("GET tag: %v", got)
	}
	ta.do(t, "POST", "/api/v1/tags/roostbar/unfollow", ta.token, nil, 200, &tag)
	ta.do(t, "GET", "/api/v1/tags/roostbar", ta.token, nil, 200, &got)
	ta.do(t, "GET", "/api/v1/followed_tags", ta.token, nil, 200, &list)
	if tag["following"] != false || got["following"] != false || len(list) != 1 {
		t.Errorf("after unfollowing: %v, %v, %s", tag, got, list)
	}
}

// TestPublicTimelinesIncludeRemotePosts: the public and tag timelines show
// the public posts of others that the site holds beside the owner's, with
// local, remote and only_media choosing among them; others' unlisted posts
// stay out.
func TestPublicTimelinesIncludeRemotePosts(t *testing.T) {
	ta := newTestAPI(t, false)
	ta.api.cfg.Remote = FeedRemote(ta.feed)
	ctx := context.Background()
	public := []string{vocab.Public}
	keep := func(obj *vocab.Object) string {
		obj.Type, obj.AttributedTo, obj.Published = vocab.TypeNote, bob.ID, time.Date(2024, 5, 1, 11, 0, 0, 0, time.UTC)
		p, err := ta.feed.StorePost(ctx, obj, bob)
		if err != nil {
			t.Fatal(err)
		}
		return idString(p.ID)
	}
	tagged := keep(&vocab.Object{ID: "https://bob.test/notes/t", ContentHTML: "<p>#Gardening</p>", To: public,
		Tags: []vocab.Tag{{Type: vocab.TypeHashtag, Name: "#Gardening"}}})
	withMedia := keep(&vocab.Object{ID: "https://bob.test/notes/m", ContentHTML: "<p>look</p>", To: public,
		Attachments: []vocab.Attachment{{Type: "Image", URL: "https://bob.test/a.png", MediaType: "image/png"}}})
	keep(&vocab.Object{ID: "https://bob.test/notes/u", ContentHTML: "<p>#gardening quietly</p>", Cc: public,
		Tags: []vocab.Tag{{Type: vocab.TypeHashtag, Name: "#gardening"}}})
	own := ta.post(t, "mine #gardening")["id"].(string)

	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/api/v1/timelines/public", []string{own, withMedia, tagged}},
		{"/api/v1/timelines/public?remote=true", []string{withMedia, tagged}},
		{"/api/v1/timelines/public?local=true", []string{own}},
		{"/api/v1/timelines/public?only_media=true", []string{withMedia}},
		{"/api/v1/timelines/tag/gardening", []string{own, tagged}},
		{"/api/v1/timelines/tag/GARDENING?remote=true", []string{tagged}},
		{"/api/v1/timelines/tag/gardening?local=true", []string{own}},
		{"/api/v1/timelines/public?remote=true&limit=1&max_id=" + withMedia, []string{tagged}},
	} {
		var list []struct{ ID string }
		ta.do(t, "GET", tc.path, ta.token, nil, 200, &list)
		var got []string
		for _, s := range list {
			got = append(got, s.ID)
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s: %v, want %v", tc.path, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: %v, want %v", tc.path, got, tc.want)
				break
			}
		}
	}
}
