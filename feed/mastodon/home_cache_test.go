package mastodon

import (
	"context"
	"testing"
	"time"

	"roost/feed"
)

// TestHomeCacheNeverHidesChanges: the home timeline's short cache is
// cleared by the owner's writes and by statuses arriving from the feed room,
// so a page read twice in a row shows what changed in between.
func TestHomeCacheNeverHidesChanges(t *testing.T) {
	ta := newTestAPI(t, true)
	ta.feed.SetEvents(ta.api) // as cmd/roost wires it
	var home []map[string]any
	ta.do(t, "GET", "/api/v1/timelines/home", ta.token, nil, 200, &home)
	before := len(home)

	posted := ta.post(t, "through the API")
	ta.do(t, "GET", "/api/v1/timelines/home", ta.token, nil, 200, &home)
	if len(home) != before+1 || home[0]["id"] != posted["id"] {
		t.Fatalf("after posting, home has %d statuses, first %v", len(home), home[0]["id"])
	}

	// A note written on the web reaches the API through the feed room's events.
	n, err := ta.feed.Create(context.Background(), feed.NoteInput{Text: "from the web", Visibility: feed.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	ta.do(t, "GET", "/api/v1/timelines/home", ta.token, nil, 200, &home)
	if len(home) != before+2 || home[0]["id"] != idString(n.ID) {
		t.Fatalf("after a web note, home has %d statuses, first %v", len(home), home[0]["id"])
	}

	ta.do(t, "DELETE", "/api/v1/statuses/"+posted["id"].(string), ta.token, nil, 200, nil)
	ta.do(t, "GET", "/api/v1/timelines/home", ta.token, nil, 200, &home)
	for _, s := range home {
		if s["id"] == posted["id"] {
			t.Fatal("a deleted status is still on the home timeline")
		}
	}
}

// A kept page goes once it has expired, so a site read now and then does
// not hold its last pages for good.
func TestHomeCacheLetsExpiredPagesGo(t *testing.T) {
	ta := newTestAPI(t, true)
	ta.post(t, "kept for a moment")
	ta.do(t, "GET", "/api/v1/timelines/home", ta.token, nil, 200, nil)
	if n := ta.api.homePages.size(); n != 1 {
		t.Fatalf("the cache holds %d pages after one read, want 1", n)
	}
	deadline := time.Now().Add(homePageLife + 2*time.Second)
	for ta.api.homePages.size() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("an expired page is still kept %v after it was rendered", homePageLife+2*time.Second)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
