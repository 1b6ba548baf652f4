package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"roost/blog"
	"roost/feed"
)

// These tests run several roost sites in one process and check, from each
// side, what a person would see: follows, posts reaching followers, edits,
// deletes, replies becoming comments, likes and boosts counted, who may see
// followers-only posts, and follow approval.

const federationWait = 15 * time.Second

// page fetches a path with a client and returns its body and status.
func page(t *testing.T, c *http.Client, u string) (string, int) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b), resp.StatusCode
}

func homeShows(t *testing.T, ts *testSite, text string) func() bool {
	return func() bool {
		body, code := page(t, ts.Owner, ts.Base+"/home")
		return code == http.StatusOK && strings.Contains(body, text)
	}
}

func postForm(t *testing.T, c *http.Client, u string, form url.Values) int {
	t.Helper()
	resp, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// follow makes follower follow the owner of target by bare domain, through
// the contacts form, and waits for the Accept.
func follow(t *testing.T, follower, target *testSite) {
	t.Helper()
	if code := postForm(t, follower.Owner, follower.Base+"/contacts/follow", url.Values{"handle": {"@" + target.Host}}); code != http.StatusSeeOther {
		t.Fatalf("%s follows @%s: status %d", follower.Host, target.Host, code)
	}
	eventually(t, federationWait, follower.Host+" is accepted by "+target.Host, func() bool {
		return follower.contacts.IsFollowing(context.Background(), target.fed.ActorID())
	})
}

func TestFollowPostEditDelete(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	ctx := context.Background()

	follow(t, bob, alice)
	if !alice.contacts.IsFollower(ctx, bob.fed.ActorID()) {
		t.Fatal("alice does not list bob as a follower")
	}
	body, _ := page(t, alice.Owner, alice.fed.FollowersURL())
	if !strings.Contains(body, `"totalItems":1`) {
		t.Errorf("alice's followers collection: %s", body)
	}
	if body, _ := page(t, alice.Owner, alice.Base+"/home"); !strings.Contains(body, `class="badge" aria-label="unread"`) {
		t.Errorf("alice's header shows no unread badge for the follow")
	}
	if body, _ := page(t, alice.Owner, alice.Base+"/notifications"); !strings.Contains(body, "followed you") || !strings.Contains(body, "bob.test") ||
		strings.Contains(body, `aria-label="unread"`) {
		t.Errorf("alice is not told that bob followed her, or the badge stays on the notifications page")
	}
	if body, _ := page(t, alice.Owner, alice.Base+"/home"); strings.Contains(body, `aria-label="unread"`) {
		t.Errorf("the unread badge is back after the notifications were read")
	}

	n, err := alice.feed.Create(ctx, feed.NoteInput{Text: "Hello from alice #gardening", Visibility: feed.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, federationWait, "the note reaches bob's home", homeShows(t, bob, "Hello from alice"))

	if _, err := alice.feed.Update(ctx, n.ID, feed.NoteInput{Text: "Hello again, edited"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, federationWait, "the edit reaches bob", homeShows(t, bob, "Hello again, edited"))

	if err := alice.feed.Delete(ctx, n.ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, federationWait, "the delete reaches bob", func() bool { return !homeShows(t, bob, "Hello again, edited")() })

	a, err := alice.blog.Create(ctx, blog.ArticleInput{Title: "A long read", Body: "Many *words*.", Summary: "What it is about"})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, federationWait, "the article reaches bob's home with its title", homeShows(t, bob, "A long read"))
	if body, _ := page(t, bob.Owner, bob.Base+"/home"); !strings.Contains(body, a.URL) {
		t.Errorf("bob's home does not link the article %s", a.URL)
	}

	// Unfollowing sends Undo(Follow): alice forgets bob.
	if code := postForm(t, bob.Owner, bob.Base+"/contacts/unfollow", url.Values{"actor": {alice.fed.ActorID()}}); code != http.StatusSeeOther {
		t.Fatalf("unfollow: %d", code)
	}
	eventually(t, federationWait, "alice drops bob as a follower", func() bool {
		return !alice.contacts.IsFollower(ctx, bob.fed.ActorID())
	})
}

func TestRepliesLikesAndBoosts(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	ctx := context.Background()
	follow(t, bob, alice)

	art, err := alice.blog.Create(ctx, blog.ArticleInput{Title: "Comments welcome", Body: "Tell me what you think."})
	if err != nil {
		t.Fatal(err)
	}
	note, err := alice.feed.Create(ctx, feed.NoteInput{Text: "Like me", Visibility: feed.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, federationWait, "both posts reach bob", func() bool {
		return homeShows(t, bob, "Comments welcome")() && homeShows(t, bob, "Like me")()
	})

	// Bob answers the article: it becomes a comment under it on alice's site.
	reply, err := bob.feed.Create(ctx, feed.NoteInput{Text: "Thoughtful piece, thanks", InReplyTo: art.ObjectID, Visibility: feed.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, federationWait, "bob's reply is a comment under the article", func() bool {
		body, _ := page(t, alice.Owner, art.URL)
		return strings.Contains(body, "Thoughtful piece, thanks") && strings.Contains(body, "bob.test")
	})
	// The reply is a comment and, as it names alice, a mention: she is told
	// once, and a second delivery of it tells her nothing new.
	if got := notificationsAbout(t, alice, reply.URL); len(got) != 1 {
		t.Errorf("alice got %d notifications of bob's reply, want 1: %+v", len(got), got)
	}
	obj, err := alice.fed.FetchObject(ctx, reply.URL)
	if err != nil {
		t.Fatal(err)
	}
	author, err := alice.fed.FetchActor(ctx, bob.fed.ActorID(), false)
	if err != nil {
		t.Fatal(err)
	}
	if err := (postRouter{alice.site}).PostCreated(ctx, obj, author); err != nil {
		t.Fatal(err)
	}
	if got := notificationsAbout(t, alice, reply.URL); len(got) != 1 {
		t.Errorf("after a redelivery alice has %d notifications of bob's reply, want 1", len(got))
	}

	// Likes and boosts from bob's home are counted on alice's note.
	for _, action := range []string{"/home/like", "/home/boost"} {
		if code := postForm(t, bob.Owner, bob.Base+action, url.Values{"object": {note.URL}}); code != http.StatusSeeOther {
			t.Fatalf("%s: %d", action, code)
		}
	}
	eventually(t, federationWait, "alice's note counts bob's like and boost", func() bool {
		n, err := alice.feed.Get(ctx, note.ID)
		return err == nil && n.Likes == 1 && n.Boosts == 1
	})
	eventually(t, federationWait, "alice is notified", func() bool {
		body, _ := page(t, alice.Owner, alice.Base+"/notifications")
		return strings.Contains(body, "bob.test")
	})
	eventually(t, federationWait, "alice is told of the like and the boost, once each", func() bool {
		got := notificationsAbout(t, alice, note.URL)
		return len(got) == 2 && got[0].Type != got[1].Type
	})
	if code := postForm(t, bob.Owner, bob.Base+"/home/unlike", url.Values{"object": {note.URL}}); code != http.StatusSeeOther {
		t.Fatalf("unlike: %d", code)
	}
	eventually(t, federationWait, "the Undo(Like) is counted", func() bool {
		n, err := alice.feed.Get(ctx, note.ID)
		return err == nil && n.Likes == 0
	})
}

// notificationsAbout lists a site's notifications about one object.
func notificationsAbout(t *testing.T, ts *testSite, objectID string) []feed.Notification {
	t.Helper()
	list, err := ts.feed.Notifications(context.Background(), 200, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []feed.Notification
	for _, n := range list {
		if n.ObjectID == objectID {
			out = append(out, n)
		}
	}
	return out
}

func TestFollowersOnlyAndApproval(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	carol := startTestSite(t, tn, "carol.test", "")
	ctx := context.Background()
	follow(t, bob, alice)

	// Alice starts approving followers by hand; carol's follow waits.
	if err := alice.setManuallyApproves(ctx, true); err != nil {
		t.Fatal(err)
	}
	if code := postForm(t, carol.Owner, carol.Base+"/contacts/follow", url.Values{"handle": {"@alice.test"}}); code != http.StatusSeeOther {
		t.Fatalf("carol follows: %d", code)
	}
	eventually(t, federationWait, "carol's request waits for alice", func() bool {
		reqs, err := alice.contacts.Requests(ctx)
		return err == nil && len(reqs) == 1 && reqs[0].ActorID == carol.fed.ActorID()
	})
	if carol.contacts.IsFollowing(ctx, alice.fed.ActorID()) {
		t.Fatal("carol counts as following before alice approved")
	}

	// A followers-only note reaches bob (a follower), not carol (pending).
	if _, err := alice.feed.Create(ctx, feed.NoteInput{Text: "Only for my followers", Visibility: feed.VisibilityFollowers}); err != nil {
		t.Fatal(err)
	}
	eventually(t, federationWait, "bob gets the followers-only note", homeShows(t, bob, "Only for my followers"))
	settled(t, alice) // a wrong delivery would have landed by now
	if homeShows(t, carol, "Only for my followers")() {
		t.Error("carol got a followers-only note before her follow was approved")
	}
	if body, code := page(t, carol.Owner, alice.Base+"/notes/"); code != http.StatusOK || strings.Contains(body, "Only for my followers") {
		t.Errorf("alice's public notes page shows the followers-only note (status %d)", code)
	}

	if code := postForm(t, alice.Owner, alice.Base+"/contacts/approve", url.Values{"actor": {carol.fed.ActorID()}}); code != http.StatusSeeOther {
		t.Fatalf("approve: %d", code)
	}
	eventually(t, federationWait, "carol is accepted", func() bool {
		return carol.contacts.IsFollowing(ctx, alice.fed.ActorID())
	})
	if _, err := alice.feed.Create(ctx, feed.NoteInput{Text: "Welcome carol", Visibility: feed.VisibilityFollowers}); err != nil {
		t.Fatal(err)
	}
	eventually(t, federationWait, "carol gets followers-only notes once approved", homeShows(t, carol, "Welcome carol"))
}

// TestDeliveriesSurviveRestart stops a site while its deliveries are queued
// and starts it again on the same data: everything due arrives, once.
func TestDeliveriesSurviveRestart(t *testing.T) {
	tn := newTestNet()
	aliceData := t.TempDir()
	alice := startTestSite(t, tn, "alice.test", aliceData)
	bob := startTestSite(t, tn, "bob.test", "")
	ctx := context.Background()
	follow(t, bob, alice)

	// Take bob offline so the deliveries stay queued, post, then stop alice.
	bob.srv.Close()
	for i := range 5 {
		if _, err := alice.feed.Create(ctx, feed.NoteInput{Text: "queued note " + string(rune('A'+i)), Visibility: feed.VisibilityPublic}); err != nil {
			t.Fatal(err)
		}
	}
	alice.stop()

	// Bring bob back on a new listener and alice back on the same data.
	bob2 := restartTestSite(t, tn, bob)
	startTestSite(t, tn, "alice.test", aliceData)
	eventually(t, 40*time.Second, "every queued note arrives after the restart", func() bool {
		body, _ := page(t, bob2.Owner, bob2.Base+"/home")
		for i := range 5 {
			if !strings.Contains(body, "queued note "+string(rune('A'+i))) {
				return false
			}
		}
		return true
	})
	body, _ := page(t, bob2.Owner, bob2.Base+"/home")
	if c := strings.Count(body, "queued note A"); c != 1 {
		t.Errorf("queued note A shows %d times on bob's home", c)
	}
}
