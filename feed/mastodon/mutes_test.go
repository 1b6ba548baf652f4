package mastodon

import (
	"fmt"
	"net/url"
	"testing"
	"time"

	"roost/federation/vocab"
)

func TestMutesHideAndAgreeWithContacts(t *testing.T) {
	ta := newTestAPI(t, true)
	social := newFakeSocial(bob)
	ta.withSocial(social)
	bobID := ta.bobAccountID(t)
	own := ta.post(t, "mine")
	bobs := Post{ID: snowflake(time.Now().UnixMilli()), ObjectID: "https://bob.test/notes/5", Author: bob,
		ContentHTML: "<p>bob</p>", Visibility: "public", Created: testNow()}
	ta.remote.home = []Post{bobs}
	ta.remote.notes = []Notification{{ID: 100, Type: "mention", Actor: bob, Status: &bobs, Created: testNow()}}
	home := func() []string {
		var list []map[string]any
		ta.do(t, "GET", "/api/v1/timelines/home", ta.token, nil, 200, &list)
		return idsOf(list)
	}
	notifications := func() int {
		var list []map[string]any
		ta.do(t, "GET", "/api/v1/notifications", ta.token, nil, 200, &list)
		return len(list)
	}
	if got := home(); len(got) != 2 || notifications() != 1 {
		t.Fatalf("before muting: home %v", got)
	}

	var rel map[string]any
	ta.do(t, "POST", "/api/v1/accounts/"+bobID+"/mute", ta.token, nil, 200, &rel)
	if rel["muting"] != true || rel["muting_notifications"] != true {
		t.Errorf("relationship after mute %v", rel)
	}
	if _, ok := social.muted[bob.ID]; !ok {
		t.Fatal("the mute did not reach the contacts room")
	}
	if got := home(); fmt.Sprint(got) != fmt.Sprint([]string{own["id"].(string)}) || notifications() != 0 {
		t.Errorf("muted: home %v", got)
	}
	var mutes []map[string]any
	ta.do(t, "GET", "/api/v1/mutes", ta.token, nil, 200, &mutes)
	if len(mutes) != 1 || mutes[0]["id"] != bobID {
		t.Errorf("mutes %v", mutes)
	}

	// Muting without notifications keeps them, as in Mastodon.
	ta.do(t, "POST", "/api/v1/accounts/"+bobID+"/mute", ta.token, url.Values{"notifications": {"false"}}, 200, &rel)
	if rel["muting"] != true || rel["muting_notifications"] != false {
		t.Errorf("relationship %v", rel)
	}
	if len(home()) != 1 || notifications() != 1 {
		t.Error("notifications=false: want the post hidden and the notification shown")
	}

	ta.do(t, "POST", "/api/v1/accounts/"+bobID+"/unmute", ta.token, nil, 200, &rel)
	ta.do(t, "POST", "/api/v1/accounts/"+bobID+"/unmute", ta.token, nil, 200, &rel)
	if rel["muting"] != false || len(home()) != 2 {
		t.Errorf("after unmute: %v", rel)
	}
}

// TestHiddenPostsKeepPagesFull checks that hiding reads on: a page of two
// is filled with older posts when the newest ones are all by a muted account.
func TestHiddenPostsKeepPagesFull(t *testing.T) {
	ta := newTestAPI(t, true)
	social := newFakeSocial(bob)
	ta.withSocial(social)
	var own []string
	for i := 0; i < 3; i++ {
		own = append([]string{ta.post(t, fmt.Sprintf("own %d", i))["id"].(string)}, own...)
	}
	now := time.Now().UnixMilli()
	for i := 0; i < 5; i++ {
		ta.remote.home = append(ta.remote.home, Post{ID: snowflake(now + int64(i)), ObjectID: fmt.Sprintf("https://bob.test/n/%d", i),
			Author: bob, ContentHTML: "<p>x</p>", Visibility: "public", Created: testNow()})
	}
	social.muted[bob.ID] = true
	var list []map[string]any
	resp := ta.do(t, "GET", "/api/v1/timelines/home?limit=2", ta.token, nil, 200, &list)
	if fmt.Sprint(idsOf(list)) != fmt.Sprint(own[:2]) {
		t.Fatalf("page %v, want %v", idsOf(list), own[:2])
	}
	if link := resp.Header.Get("Link"); link == "" {
		t.Error("no Link header")
	}
	// A boost of a muted account's post is hidden too.
	carol := &vocab.Actor{ID: "https://carol.test/users/carol", PreferredUsername: "carol"}
	ta.remote.home = []Post{{ID: snowflake(now + 10), Author: carol, Reblog: &ta.remote.home[0], Created: testNow()}}
	ta.do(t, "GET", "/api/v1/timelines/home?limit=1", ta.token, nil, 200, &list)
	if fmt.Sprint(idsOf(list)) != fmt.Sprint(own[:1]) {
		t.Errorf("boost of a muted post shown: %v", idsOf(list))
	}
}
