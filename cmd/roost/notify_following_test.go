package main

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"roost/feed"
)

// TestNotifyOnlyFollowing: with "notify me only about people I follow"
// saved under /settings/site, a stranger's mention reaches alice (the post
// is kept) but does not notify her; a mention by someone she follows does.
func TestNotifyOnlyFollowing(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	carol := startTestSite(t, tn, "carol.test", "")
	ctx := context.Background()
	follow(t, alice, carol)
	form := url.Values{"language": {"en"}, "time_zone": {"UTC"}, "default_visibility": {"public"}, "notify_only_following": {"1"}}
	resp, err := alice.Owner.PostForm(alice.Base+"/settings/site", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !alice.settings.Get().NotifyOnlyFollowing {
		t.Fatalf("saving the setting: %d, stored %v", resp.StatusCode, alice.settings.Get().NotifyOnlyFollowing)
	}

	fromBob, err := bob.feed.Create(ctx, feed.NoteInput{Text: "@alice.test@alice.test hello from a stranger", Visibility: feed.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	fromCarol, err := carol.feed.Create(ctx, feed.NoteInput{Text: "@alice.test@alice.test hello from a friend", Visibility: feed.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	stored := func(objectID string) func() bool {
		return func() bool {
			var n int
			alice.db.QueryRow(`SELECT COUNT(*) FROM posts WHERE object_id = ?`, objectID).Scan(&n)
			return n == 1
		}
	}
	eventually(t, federationWait, "both mentions reach alice", func() bool { return stored(fromBob.URL)() && stored(fromCarol.URL)() })
	eventually(t, federationWait, "carol's mention notifies alice", func() bool { return len(notificationsAbout(t, alice, fromCarol.URL)) == 1 })
	if got := notificationsAbout(t, alice, fromBob.URL); len(got) != 0 {
		t.Errorf("a stranger's mention notified alice: %+v", got)
	}
}
