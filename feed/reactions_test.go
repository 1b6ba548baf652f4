package feed

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"roost/cmd/roost/database"
	"roost/federation/vocab"
	"roost/templates"
)

func TestReactionsCountAndUndo(t *testing.T) {
	ctx := context.Background()
	s := newRemoteSite(t)
	n := s.mustCreate(t, NoteInput{Text: "likeable"})
	article := testBase + "/blog/on-tea"
	bob, carol := actor(bobID, "bob"), actor(carolID, "carol")

	steps := []struct {
		name          string
		do            func() error
		object        string
		likes, boosts int
	}{
		{"bob likes", func() error { return s.feed.Liked(ctx, bobID+"#like1", n.URL, bob) }, n.URL, 1, 0},
		{"same like again", func() error { return s.feed.Liked(ctx, bobID+"#like1", n.URL, bob) }, n.URL, 1, 0},
		{"bob likes under another id", func() error { return s.feed.Liked(ctx, bobID+"#like2", n.URL, bob) }, n.URL, 1, 0},
		{"carol likes", func() error { return s.feed.Liked(ctx, carolID+"#like", n.URL, carol) }, n.URL, 2, 0},
		{"carol boosts", func() error { return s.feed.Announced(ctx, carolID+"#boost", n.URL, nil, carol) }, n.URL, 2, 1},
		{"carol's like undone by bob", func() error { return s.feed.Unliked(ctx, carolID+"#like", n.URL, bobID) }, n.URL, 2, 1},
		{"bob undoes his like", func() error { return s.feed.Unliked(ctx, bobID+"#like1", n.URL, bobID) }, n.URL, 1, 1},
		{"bob undoes it again", func() error { return s.feed.Unliked(ctx, bobID+"#like1", n.URL, bobID) }, n.URL, 1, 1},
		{"carol unboosts", func() error { return s.feed.Unannounced(ctx, carolID+"#boost", carolID) }, n.URL, 1, 0},
		{"like of an article", func() error { return s.feed.Liked(ctx, bobID+"#like3", article, bob) }, article, 1, 0},
		{"like of a stranger's post", func() error {
			return s.feed.Liked(ctx, bobID+"#like4", "https://else.test/notes/1", bob)
		}, "https://else.test/notes/1", 0, 0},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		likes, boosts, err := s.feed.ReactionCounts(ctx, st.object)
		if err != nil || likes != st.likes || boosts != st.boosts {
			t.Errorf("%s: counts %d/%d (%v), want %d/%d", st.name, likes, boosts, err, st.likes, st.boosts)
		}
	}
	// Carol's like survived bob's attempt to undo it.
	got, err := s.feed.Get(ctx, n.ID)
	if err != nil || got.Likes != 1 || got.Boosts != 0 {
		t.Errorf("note counts %d/%d (%v), want 1/0", got.Likes, got.Boosts, err)
	}
	doc := parseHTML(t, s.do(t, "GET", "/notes/"+formatID(n.ID), nil, false))
	if txt := doc.Find(`[data-testid="likes"]`).Text(); !strings.HasPrefix(txt, "1 like") {
		t.Errorf("note page shows %q", txt)
	}

	notes, _ := s.feed.Notifications(ctx, 20, 0, nil)
	kinds := map[string]int{}
	for _, nt := range notes {
		kinds[nt.Type]++
	}
	if kinds[NotifyFavourite] != 3 || kinds[NotifyReblog] != 1 {
		t.Errorf("notifications by type %v, want 3 favourites (two on the note, one on the article) and 1 reblog", kinds)
	}
}

func TestBoostByFollowedActorOnHome(t *testing.T) {
	ctx := context.Background()
	s := newRemoteSite(t, bobID)
	boosted := publicNote("https://else.test/notes/9", daveID, "<p>worth sharing</p>", 5)
	if err := s.feed.Announced(ctx, bobID+"/statuses/1/activity", boosted.ID, boosted, actor(bobID, "Bob")); err != nil {
		t.Fatal(err)
	}
	// A boost by a stranger of a post nobody stored is dropped.
	other := publicNote("https://else.test/notes/10", daveID, "<p>not for us</p>", 6)
	if err := s.feed.Announced(ctx, carolID+"/boost", other.ID, other, actor(carolID, "carol")); err != nil {
		t.Fatal(err)
	}
	if storedCount(t, s) != 1 {
		t.Errorf("%d posts stored, want 1", storedCount(t, s))
	}
	doc := parseHTML(t, s.do(t, "GET", "/home", nil, true))
	entries := doc.Find(`[data-testid="entry"]`)
	if entries.Length() != 1 {
		t.Fatalf("%d entries", entries.Length())
	}
	if by := entries.Find(`[data-testid="boosted-by"]`); !strings.Contains(by.Text(), "Bob boosted") ||
		by.Find("a").AttrOr("href", "") != templates.ContactViewURL(bobID) {
		t.Errorf("boost line %q", by.Text())
	}
	if post := entries.Find(`[data-testid="post"]`); post.AttrOr("data-object", "") != boosted.ID ||
		!strings.Contains(post.Find(".content").Text(), "worth sharing") {
		t.Errorf("boosted post missing: %q", post.Text())
	}
	if err := s.feed.Unannounced(ctx, bobID+"/statuses/1/activity", bobID); err != nil {
		t.Fatal(err)
	}
	if n := parseHTML(t, s.do(t, "GET", "/home", nil, true)).Find(`[data-testid="entry"]`).Length(); n != 0 {
		t.Errorf("%d entries after the undo", n)
	}
}

func TestNotificationsPage(t *testing.T) {
	ctx := context.Background()
	s := newRemoteSite(t)
	n := s.mustCreate(t, NoteInput{Text: "hello fediverse"})
	mention := publicNote("https://other.test/notes/m", carolID, "<p>hey <b>you</b></p>", 1)
	mention.Tags = []vocab.Tag{{Type: vocab.TypeMention, Href: testActor}}
	mustCreated(t, s, mention, actor(carolID, "Carol <script>"))
	if err := s.feed.Liked(ctx, bobID+"#l", n.URL, actor(bobID, "Bob")); err != nil {
		t.Fatal(err)
	}
	if err := s.feed.Announced(ctx, bobID+"#b", n.URL, nil, actor(bobID, "Bob")); err != nil {
		t.Fatal(err)
	}
	if err := s.feed.Notify(ctx, Notification{Type: NotifyFollow, Actor: Author{ActorID: daveID, Name: "Dave", ProfileURL: daveID}}); err != nil {
		t.Fatal(err)
	}
	if err := s.feed.Flagged(ctx, daveID+"#flag", "spam?", []string{n.URL}, actor(daveID, "Dave")); err != nil {
		t.Fatal(err)
	}
	if got := s.feed.UnreadCount(ctx); got != 5 {
		t.Fatalf("unread %d, want 5", got)
	}
	if rec := s.do(t, "GET", "/notifications", nil, false); rec.Code != http.StatusUnauthorized {
		t.Errorf("visitor got %d", rec.Code)
	}
	doc := parseHTML(t, s.do(t, "GET", "/notifications", nil, true))
	items := doc.Find(`[data-testid="notification"]`)
	wantTypes := []string{NotifyReport, NotifyFollow, NotifyReblog, NotifyFavourite, NotifyMention}
	if items.Length() != len(wantTypes) {
		t.Fatalf("%d notifications listed", items.Length())
	}
	for i, want := range wantTypes {
		item := items.Eq(i)
		if item.AttrOr("data-type", "") != want || item.AttrOr("data-unread", "x") == "x" {
			t.Errorf("item %d: type %q unread %v", i, item.AttrOr("data-type", ""), item.AttrOr("data-unread", "x") != "x")
		}
	}
	fav := items.Eq(3)
	if fav.Find(`[data-testid="actor"]`).Text() != "Bob" || fav.Find(`[data-testid="object"]`).AttrOr("href", "") != n.URL ||
		!strings.Contains(fav.Find(`[data-testid="text"]`).Text(), "hello fediverse") ||
		fav.Find(`[data-testid="verb"]`).Text() != "liked your post" {
		t.Errorf("favourite item %q", fav.Text())
	}
	if m := items.Eq(4); m.Find(`[data-testid="actor"]`).Text() != "Carol <script>" || m.Find("script").Length() != 0 ||
		m.Find(`[data-testid="text"]`).Text() != "hey you" {
		t.Errorf("mention item %q", m.Text())
	}
	if doc.Find(`[data-testid="unread"]`).Text() != "5 unread" {
		t.Errorf("unread line %q", doc.Find(`[data-testid="unread"]`).Text())
	}
	only := parseHTML(t, s.do(t, "GET", "/notifications?types=mention,follow", nil, true)).Find(`[data-testid="notification"]`)
	if only.Length() != 2 {
		t.Errorf("filtered list has %d items", only.Length())
	}
	// Opening the list read it: nothing is unread afterwards.
	if doc.Find(`.badge[aria-label="unread"]`).Length() != 0 || doc.Find(`[data-testid="mark-seen"]`).Length() != 0 {
		t.Error("the notifications page still shows the unread badge or the mark-read button")
	}
	if got := s.feed.UnreadCount(ctx); got != 0 {
		t.Errorf("unread %d after opening the notifications", got)
	}

	rec := s.do(t, "POST", "/notifications/seen", nil, true)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/notifications" {
		t.Fatalf("mark seen: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	if got := s.feed.UnreadCount(ctx); got != 0 {
		t.Errorf("unread %d after marking seen", got)
	}
	doc = parseHTML(t, s.do(t, "GET", "/notifications", nil, true))
	if doc.Find(`[data-unread]`).Length() != 0 || doc.Find(`[data-testid="mark-seen"]`).Length() != 0 {
		t.Error("still shown as unread")
	}
}

// Deliveries of one actor's like that race (two ids, sent at once) count
// once: the database's unique constraint decides, not a read before the
// write.
func TestRacingLikesCountOnce(t *testing.T) {
	ctx := context.Background()
	s := newRemoteSite(t)
	n := s.mustCreate(t, NoteInput{Text: "popular"})
	bob := actor(bobID, "bob")
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			if err := s.feed.Liked(ctx, fmt.Sprintf("%s#like-%d", bobID, i), n.URL, bob); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got, err := s.feed.Get(ctx, n.ID)
	if err != nil || got.Likes != 1 {
		t.Fatalf("likes = %d (%v), want 1", got.Likes, err)
	}
}

// TestLikeAndItsNotificationCommitTogether makes the notification's insert
// fail: the like must not be counted either, so that the peer's retry
// counts it and tells the owner once, instead of a like nobody was told of.
func TestLikeAndItsNotificationCommitTogether(t *testing.T) {
	ctx := context.Background()
	s := newRemoteSite(t)
	n := s.mustCreate(t, NoteInput{Text: "likeable"})
	bob := actor(bobID, "bob")
	db := s.feed.db
	refuse := `CREATE TRIGGER refuse_notifications BEFORE INSERT ON notifications
		BEGIN SELECT RAISE(ABORT, 'disk full'); END`
	if database.IsPostgres(db) {
		refuse = `CREATE FUNCTION refuse_notifications() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN RAISE EXCEPTION 'disk full'; END $$;
			CREATE TRIGGER refuse_notifications BEFORE INSERT ON notifications
			FOR EACH ROW EXECUTE FUNCTION refuse_notifications()`
	}
	if _, err := db.ExecContext(ctx, refuse); err != nil {
		t.Fatal(err)
	}
	if err := s.feed.Liked(ctx, bobID+"#like1", n.URL, bob); err == nil {
		t.Fatal("like stored although its notification failed")
	}
	if likes, _, _ := s.feed.ReactionCounts(ctx, n.URL); likes != 0 {
		t.Fatalf("like counted without its notification: %d", likes)
	}
	drop := `DROP TRIGGER refuse_notifications`
	if database.IsPostgres(db) {
		drop += ` ON notifications`
	}
	if _, err := db.ExecContext(ctx, drop); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the peer's retry, then a redelivery
		if err := s.feed.Liked(ctx, bobID+"#like1", n.URL, bob); err != nil {
			t.Fatal(err)
		}
	}
	likes, _, _ := s.feed.ReactionCounts(ctx, n.URL)
	notes, err := s.feed.Notifications(ctx, 20, 0, []string{NotifyFavourite})
	if err != nil || likes != 1 || len(notes) != 1 {
		t.Fatalf("after the retry: %d likes, notifications %v (%v); want 1 and 1", likes, notes, err)
	}
}
