package feed

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"roost/cmd/roost/database"
	"roost/federation/vocab"
)

// notificationsOf lists every notification, newest first.
func notificationsOf(t *testing.T, s *testSite) []Notification {
	t.Helper()
	list, err := s.feed.Notifications(context.Background(), 200, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestNotifyOncePerEvent(t *testing.T) {
	ctx := context.Background()
	s := newRemoteSite(t)
	bob := Author{ActorID: bobID, Name: "Bob"}
	carol := Author{ActorID: carolID, Name: "Carol"}
	note := testBase + "/notes/1"
	reply := "https://remote.test/notes/r"
	notify := func(n Notification) {
		t.Helper()
		if err := s.feed.Notify(ctx, n); err != nil {
			t.Fatal(err)
		}
	}

	// The blog reports a reply, the feed the mention it carries: one event.
	notify(Notification{Type: NotifyReply, Actor: bob, ObjectID: reply, Text: "a reply"})
	notify(Notification{Type: NotifyMention, Actor: bob, ObjectID: reply, Text: "a reply"})
	// Redeliveries of a like, a boost, a follow.
	for range 2 {
		notify(Notification{Type: NotifyFavourite, Actor: bob, ObjectID: note})
		notify(Notification{Type: NotifyReblog, Actor: bob, ObjectID: note})
		notify(Notification{Type: NotifyFollow, Actor: bob})
	}
	// Others doing the same are events of their own.
	notify(Notification{Type: NotifyFavourite, Actor: carol, ObjectID: note})
	notify(Notification{Type: NotifyFollow, Actor: carol})

	list := notificationsOf(t, s)
	count := map[string]int{}
	for _, n := range list {
		count[n.Type+" "+n.Actor.ActorID]++
	}
	want := map[string]int{
		NotifyReply + " " + bobID: 1, NotifyFavourite + " " + bobID: 1, NotifyReblog + " " + bobID: 1,
		NotifyFollow + " " + bobID: 1, NotifyFavourite + " " + carolID: 1, NotifyFollow + " " + carolID: 1,
	}
	if len(list) != 6 || len(count) != len(want) {
		t.Fatalf("notifications %v, want %v", count, want)
	}
	for k, n := range want {
		if count[k] != n {
			t.Errorf("%s: %d notifications, want %d", k, count[k], n)
		}
	}
}

func TestNotifyEditReplacesTheEarlierOne(t *testing.T) {
	ctx := context.Background()
	s := newRemoteSite(t)
	post := "https://remote.test/notes/1"
	var events recordedEvents
	s.feed.SetEvents(&events)
	if err := s.feed.Notify(ctx, Notification{Type: NotifyUpdate, Actor: Author{ActorID: bobID}, ObjectID: post, Text: "first edit"}); err != nil {
		t.Fatal(err)
	}
	if err := s.feed.MarkAllSeen(ctx); err != nil {
		t.Fatal(err)
	}
	first := notificationsOf(t, s)
	if err := s.feed.Notify(ctx, Notification{Type: NotifyUpdate, Actor: Author{ActorID: bobID}, ObjectID: post, Text: "second edit"}); err != nil {
		t.Fatal(err)
	}
	list := notificationsOf(t, s)
	if len(list) != 1 || list[0].Text != "second edit" || list[0].Seen || list[0].ID <= first[0].ID {
		t.Fatalf("after the second edit: %+v (first %+v)", list, first)
	}
	if len(events.notifications) != 2 || events.notifications[1] != list[0].ID {
		t.Errorf("events %v, want the new id %d last", events.notifications, list[0].ID)
	}
}

// recordedEvents keeps the notification ids the feed announces.
type recordedEvents struct {
	noEvents
	notifications []int64
}

func (e *recordedEvents) NotificationCreated(_ context.Context, id int64) {
	e.notifications = append(e.notifications, id)
}

// TestReplyThatMentionsTheOwner: Mastodon replies name the person answered,
// so a reply to the owner's note is a reply and a mention at once, and is
// one notification however often it is delivered.
func TestReplyThatMentionsTheOwner(t *testing.T) {
	ctx := context.Background()
	s := newRemoteSite(t)
	own := s.mustCreate(t, NoteInput{Text: "my note"})
	reply := publicNote("https://remote.test/notes/r", bobID, "<p>@alice yes</p>", 1)
	reply.InReplyTo = own.URL
	reply.Tags = []vocab.Tag{{Type: vocab.TypeMention, Href: testActor, Name: "@alice.test@alice.test"}}
	for range 3 {
		mustCreated(t, s, reply, actor(bobID, "bob"))
	}
	list := notificationsOf(t, s)
	if len(list) != 1 || list[0].Type != NotifyReply || list[0].ObjectID != reply.ID {
		t.Fatalf("notifications %+v, want one reply", list)
	}
	// Dismissed, it does not come back with a late copy.
	if err := s.feed.DismissNotification(ctx, list[0].ID); err != nil {
		t.Fatal(err)
	}
	mustCreated(t, s, reply, actor(bobID, "bob"))
	if list := notificationsOf(t, s); len(list) != 0 {
		t.Errorf("a redelivered reply notified again: %+v", list)
	}
}

// TestUpdateIsNotAMention: an edit that adds a mention of the owner, or an
// Update of a post the site never kept, is not news of a mention; an Update
// delivered twice is one edit.
func TestUpdateIsNotAMention(t *testing.T) {
	ctx := context.Background()
	s := newRemoteSite(t, bobID)
	obj := publicNote("https://remote.test/notes/1", bobID, "<p>hello</p>", 1)
	mustCreated(t, s, obj, actor(bobID, "bob"))
	if err := s.feed.Like(ctx, obj.ID); err != nil {
		t.Fatal(err)
	}

	edit := *obj
	edit.ContentHTML = "<p>hello @alice</p>"
	edit.Tags = []vocab.Tag{{Type: vocab.TypeMention, Href: testActor, Name: "@alice.test@alice.test"}}
	edit.Updated = obj.Published.Add(time.Hour)
	for range 2 {
		if err := s.feed.PostUpdated(ctx, &edit, actor(bobID, "bob")); err != nil {
			t.Fatal(err)
		}
	}
	stranger := publicNote("https://other.test/notes/9", carolID, "<p>hi @alice</p>", 2)
	stranger.Tags = edit.Tags
	stranger.Updated = stranger.Published.Add(time.Minute)
	if err := s.feed.PostUpdated(ctx, stranger, actor(carolID, "carol")); err != nil {
		t.Fatal(err)
	}

	list := notificationsOf(t, s)
	if len(list) != 1 || list[0].Type != NotifyUpdate || list[0].ObjectID != obj.ID {
		t.Fatalf("notifications %+v, want one edit of a liked post", list)
	}
	p, err := s.feed.PostByObjectID(ctx, obj.ID)
	if err != nil {
		t.Fatal(err)
	}
	if edits, err := s.feed.PostEdits(ctx, p.ID); err != nil || len(edits) != 1 {
		t.Errorf("history of %d versions (%v), want 1", len(edits), err)
	}
	if _, err := s.feed.PostByObjectID(ctx, stranger.ID); err == nil {
		t.Error("an Update of an unknown post was stored")
	}
}

// TestMigrationMergesDuplicateNotifications runs the migration that brings
// the unique index on a database that already holds duplicates.
func TestMigrationMergesDuplicateNotifications(t *testing.T) {
	ctx := context.Background()
	db, err := database.Open(t.TempDir() + "/roost.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The steps before the one-per-event migration.
	before := slices.IndexFunc(Migrations, func(step string) bool { return strings.Contains(step, "ADD COLUMN event_type") })
	if err := database.Migrate(ctx, db, database.Room{Name: "feed", Steps: Migrations[:before]}); err != nil {
		t.Fatal(err)
	}
	rows := []struct {
		id                    int64
		typ, actor, obj, text string
		seen                  int
	}{
		{1, NotifyReply, bobID, "https://remote.test/r", "reply", 1},
		{2, NotifyMention, bobID, "https://remote.test/r", "mention", 0},
		{3, NotifyReply, bobID, "https://remote.test/r", "redelivered", 0},
		{4, NotifyFavourite, bobID, testBase + "/notes/1", "", 0},
		{5, NotifyFavourite, carolID, testBase + "/notes/1", "", 0},
		{6, NotifyUpdate, bobID, "https://remote.test/p", "old edit", 1},
		{7, NotifyUpdate, bobID, "https://remote.test/p", "new edit", 0},
		{8, NotifyFollow, bobID, "", "", 0},
		{9, NotifyFollow, bobID, "", "", 0},
	}
	for _, r := range rows {
		if _, err := db.Exec(`INSERT INTO notifications(id, type, actor_id, object_id, text, created, seen) VALUES(?, ?, ?, ?, ?, 0, ?)`,
			r.id, r.typ, r.actor, r.obj, r.text, r.seen); err != nil {
			t.Fatal(err)
		}
	}
	if err := database.Migrate(ctx, db, database.Room{Name: "feed", Steps: Migrations, Postgres: PostgresMigrations}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Query(`SELECT id, event_type FROM notifications ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	var kept []int64
	for got.Next() {
		var id int64
		var event string
		if err := got.Scan(&id, &event); err != nil {
			t.Fatal(err)
		}
		kept = append(kept, id)
	}
	want := []int64{1, 4, 5, 7, 8}
	if len(kept) != len(want) {
		t.Fatalf("kept %v, want %v", kept, want)
	}
	for i := range want {
		if kept[i] != want[i] {
			t.Fatalf("kept %v, want %v", kept, want)
		}
	}
	if _, err := db.Exec(`INSERT INTO notifications(id, type, event_type, actor_id, object_id, created) VALUES(10, ?, ?, ?, '', 0)`,
		NotifyFollow, NotifyFollow, bobID); err == nil {
		t.Error("the unique index lets a second follow notification in")
	}
}
