package feed

import (
	"context"
	"errors"
	"testing"
	"time"

	"roost/federation/vocab"
)

func TestPostCreatedKeepsWhatConcernsTheOwner(t *testing.T) {
	ctx := context.Background()
	s := newRemoteSite(t, bobID)
	own := s.mustCreate(t, NoteInput{Text: "my note"})

	mention := publicNote("https://other.test/notes/m", carolID, "<p>hi @alice</p>", 2)
	mention.Tags = []vocab.Tag{{Type: vocab.TypeMention, Name: "@alice.test@alice.test", Href: testActor}}
	reply := publicNote("https://else.test/notes/r", daveID, "<p>nice note</p>", 3)
	reply.InReplyTo = own.URL
	video := publicNote("https://remote.test/videos/v", bobID, "<p>a video</p>", 4)
	video.Type = vocab.TypeVideo
	chat := publicNote("https://remote.test/chats/c", bobID, "<p>a chat message</p>", 5)
	chat.Type = "ChatMessage"

	tests := []struct {
		name     string
		obj      *vocab.Object
		from     *vocab.Actor
		kept     bool
		onHome   bool
		notified string
	}{
		{"followed author", publicNote("https://remote.test/notes/1", bobID, "<p>hello</p>", 1), actor(bobID, "bob"), true, true, ""},
		{"stranger", publicNote("https://other.test/notes/x", carolID, "<p>unrelated</p>", 1), actor(carolID, "carol"), false, false, ""},
		{"mention of the owner", mention, actor(carolID, "carol"), true, true, NotifyMention},
		{"reply to the owner", reply, actor(daveID, "dave"), true, false, NotifyReply},
		{"video by a followed author", video, actor(bobID, "bob"), true, true, ""},
		{"type that is not a post", chat, actor(bobID, "bob"), false, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := s.feed.Notifications(ctx, 100, 0, nil)
			mustCreated(t, s, tt.obj, tt.from)
			p, err := s.feed.PostByObjectID(ctx, tt.obj.ID)
			if kept := err == nil; kept != tt.kept {
				t.Fatalf("kept = %v (%v), want %v", kept, err, tt.kept)
			}
			if !tt.kept {
				if !errors.Is(err, ErrNotFound) {
					t.Errorf("lookup error %v, want ErrNotFound", err)
				}
				return
			}
			if p.Author.Name != tt.from.Name || p.Author.Handle != "@"+tt.from.PreferredUsername+"@"+tt.from.Host() {
				t.Errorf("author snapshot %+v", p.Author)
			}
			if p.ID>>16 == tt.obj.Published.UnixMilli() || !p.Published.Equal(tt.obj.Published) {
				t.Errorf("id %d, published %v: the id must be taken at arrival, the published time kept apart", p.ID, p.Published)
			}
			var home int
			s.feed.db.QueryRow(`SELECT COUNT(*) FROM home WHERE item = ?`, p.ID).Scan(&home)
			if (home == 1) != tt.onHome {
				t.Errorf("on home = %v, want %v", home == 1, tt.onHome)
			}
			after, _ := s.feed.Notifications(ctx, 100, 0, nil)
			switch {
			case tt.notified == "" && len(after) != len(before):
				t.Errorf("unexpected notification %+v", after[0])
			case tt.notified != "" && (len(after) != len(before)+1 || after[0].Type != tt.notified || after[0].ObjectID != tt.obj.ID):
				t.Errorf("notifications %+v, want one %s", after, tt.notified)
			}
		})
	}
	n, err := s.feed.Get(ctx, own.ID)
	if err != nil || n.Replies != 1 {
		t.Errorf("replies count of the owner's note = %d (%v), want 1", n.Replies, err)
	}
}

func TestPostCreatedVisibilityAndParts(t *testing.T) {
	ctx := context.Background()
	s := newRemoteSite(t, bobID)
	followers := bobID + "/followers"
	tests := []struct {
		name   string
		to, cc []string
		want   string
	}{
		{"public", []string{vocab.Public}, []string{followers}, VisibilityPublic},
		{"compact public", []string{"as:Public"}, nil, VisibilityPublic},
		{"unlisted", []string{followers}, []string{vocab.Public}, VisibilityUnlisted},
		{"followers", []string{followers}, nil, VisibilityFollowers},
		{"direct", []string{testActor}, nil, VisibilityDirect},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj := publicNote("https://remote.test/notes/v"+formatID(int64(i+1)), bobID, "<p>x</p>", i)
			obj.To, obj.Cc = tt.to, tt.cc
			mustCreated(t, s, obj, actor(bobID, "bob"))
			p, err := s.feed.PostByObjectID(ctx, obj.ID)
			if err != nil {
				t.Fatal(err)
			}
			if p.Visibility != tt.want {
				t.Errorf("visibility %q, want %q", p.Visibility, tt.want)
			}
		})
	}

	obj := publicNote("https://remote.test/notes/parts", bobID, "<p>look #cats</p>", 30)
	obj.SummaryText, obj.Sensitive = "cat pictures", true
	obj.Attachments = []vocab.Attachment{
		{URL: "https://remote.test/media/cat.jpg", MediaType: "image/jpeg", Name: "a cat", Blurhash: "LKO2?U%2Tw=w", Width: 640, Height: 480},
		{URL: "javascript:alert(1)", MediaType: "image/png"},
	}
	obj.Tags = []vocab.Tag{{Type: vocab.TypeHashtag, Name: "#cats", Href: "https://remote.test/tags/cats"}}
	mustCreated(t, s, obj, actor(bobID, "bob"))
	p, err := s.feed.PostByObjectID(ctx, obj.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Media) != 1 || p.Media[0].Alt != "a cat" || p.Media[0].Blurhash != "LKO2?U%2Tw=w" || p.Media[0].Width != 640 {
		t.Errorf("media %+v", p.Media)
	}
	if len(p.Tags) != 1 || p.Tags[0] != "cats" || p.Summary != "cat pictures" || !p.Sensitive {
		t.Errorf("tags %v, summary %q, sensitive %v", p.Tags, p.Summary, p.Sensitive)
	}
	byID, err := s.feed.Post(ctx, p.ID)
	if err != nil || byID.ObjectID != obj.ID {
		t.Errorf("Post(%d) = %q, %v", p.ID, byID.ObjectID, err)
	}
}

func TestPostCreatedTwiceIsNoOp(t *testing.T) {
	ctx := context.Background()
	s := newRemoteSite(t, bobID)
	obj := publicNote("https://remote.test/notes/1", bobID, "<p>first</p>", 1)
	obj.Tags = []vocab.Tag{{Type: vocab.TypeMention, Href: testActor, Name: "@alice"}}
	mustCreated(t, s, obj, actor(bobID, "bob"))
	first, _ := s.feed.PostByObjectID(ctx, obj.ID)
	again := *obj
	again.ContentHTML = "<p>changed</p>"
	mustCreated(t, s, &again, actor(bobID, "bob"))
	p, _ := s.feed.PostByObjectID(ctx, obj.ID)
	if storedCount(t, s) != 1 || p.ID != first.ID || p.HTML != "<p>first</p>" {
		t.Errorf("second delivery changed things: %d posts, %q", storedCount(t, s), p.HTML)
	}
	if got, _ := s.feed.Notifications(ctx, 10, 0, nil); len(got) != 1 {
		t.Errorf("%d notifications, want 1", len(got))
	}
}

func TestPostUpdatedKeepsHistory(t *testing.T) {
	ctx := context.Background()
	s := newRemoteSite(t, bobID)
	obj := publicNote("https://remote.test/notes/1", bobID, "<p>frist</p>", 1)
	mustCreated(t, s, obj, actor(bobID, "bob"))

	edit := *obj
	edit.ContentHTML, edit.SummaryText = "<p>first</p>", "typo fixed"
	edit.Updated = obj.Published.Add(time.Hour)
	if err := s.feed.PostUpdated(ctx, &edit, actor(carolID, "carol")); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.feed.PostByObjectID(ctx, obj.ID); p.HTML != "<p>frist</p>" {
		t.Fatalf("an update by another actor was applied: %q", p.HTML)
	}
	if err := s.feed.PostUpdated(ctx, &edit, actor(bobID, "Bob B.")); err != nil {
		t.Fatal(err)
	}
	p, err := s.feed.PostByObjectID(ctx, obj.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.HTML != "<p>first</p>" || p.Summary != "typo fixed" || !p.Updated.Equal(edit.Updated) || p.Author.Name != "Bob B." {
		t.Errorf("after update: %q %q %v %q", p.HTML, p.Summary, p.Updated, p.Author.Name)
	}
	edits, err := s.feed.PostEdits(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(edits) != 1 || edits[0].HTML != "<p>frist</p>" || !edits[0].Created.Equal(obj.Published) {
		t.Errorf("history %+v", edits)
	}
}

func TestPostDeleted(t *testing.T) {
	ctx := context.Background()
	s := newRemoteSite(t, bobID)
	own := s.mustCreate(t, NoteInput{Text: "my note"})
	obj := publicNote("https://remote.test/notes/1", bobID, "<p>reply</p>", 1)
	obj.InReplyTo = own.URL
	mustCreated(t, s, obj, actor(bobID, "bob"))

	if err := s.feed.PostDeleted(ctx, obj.ID, carolID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.feed.PostByObjectID(ctx, obj.ID); err != nil {
		t.Fatalf("deleted by the wrong actor: %v", err)
	}
	if err := s.feed.PostDeleted(ctx, obj.ID, bobID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.feed.PostByObjectID(ctx, obj.ID); !errors.Is(err, ErrGone) {
		t.Errorf("after delete: %v, want ErrGone", err)
	}
	entries, err := s.feed.Timeline(ctx, 20, 0, 0)
	if err != nil || len(entries) != 1 || !entries[0].Post.Local {
		t.Errorf("timeline after delete: %d entries (%v)", len(entries), err)
	}
	if n, _ := s.feed.Get(ctx, own.ID); n.Replies != 0 {
		t.Errorf("replies count %d after the reply was deleted", n.Replies)
	}
	if got, _ := s.feed.Notifications(ctx, 10, 0, nil); len(got) != 0 {
		t.Errorf("notification of a deleted reply kept: %+v", got)
	}
	// A late copy of the deleted post is not stored again.
	mustCreated(t, s, obj, actor(bobID, "bob"))
	if _, err := s.feed.PostByObjectID(ctx, obj.ID); !errors.Is(err, ErrGone) {
		t.Errorf("deleted post came back: %v", err)
	}
}

func TestStorePostAndReplies(t *testing.T) {
	ctx := context.Background()
	s := newRemoteSite(t)
	root := publicNote("https://other.test/notes/root", carolID, "<p>a stranger's post</p>", 1)
	p, err := s.feed.StorePost(ctx, root, actor(carolID, "Carol"))
	if err != nil || p.ObjectID != root.ID || p.Author.Name != "Carol" {
		t.Fatalf("StorePost = %+v, %v", p, err)
	}
	if entries, _ := s.feed.Timeline(ctx, 10, 0, 0); len(entries) != 0 {
		t.Errorf("a looked-up post went on the home timeline")
	}
	own := s.mustCreate(t, NoteInput{Text: "my answer", InReplyTo: root.ID, Visibility: VisibilityFollowers})
	reply := publicNote("https://else.test/notes/r", daveID, "<p>another answer</p>", 2)
	reply.InReplyTo = root.ID
	if _, err := s.feed.StorePost(ctx, reply, actor(daveID, "Dave")); err != nil {
		t.Fatal(err)
	}
	replies, err := s.feed.Replies(ctx, root.ID)
	if err != nil || len(replies) != 2 || replies[0].ObjectID != reply.ID || replies[1].ObjectID != own.URL {
		t.Errorf("replies %+v (%v)", replies, err)
	}
	if p, _ := s.feed.PostByObjectID(ctx, root.ID); p.Replies != 2 {
		t.Errorf("root counts %d replies, want 2", p.Replies)
	}
}

func TestNotificationLookupAndDismiss(t *testing.T) {
	ctx := context.Background()
	s := newRemoteSite(t)
	for _, typ := range []string{NotifyFollow, NotifyMove} {
		if err := s.feed.Notify(ctx, Notification{Type: typ, Actor: Author{ActorID: bobID, Name: "Bob"}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.feed.Notify(ctx, Notification{Type: "poke"}); err == nil {
		t.Error("an unknown type was accepted")
	}
	list, _ := s.feed.Notifications(ctx, 10, 0, nil)
	if len(list) != 2 {
		t.Fatalf("%d notifications", len(list))
	}
	n, err := s.feed.Notification(ctx, list[1].ID)
	if err != nil || n.Type != NotifyFollow || n.Actor.Name != "Bob" {
		t.Errorf("Notification = %+v, %v", n, err)
	}
	if err := s.feed.DismissNotification(ctx, list[1].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.feed.Notification(ctx, list[1].ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("dismissed notification: %v", err)
	}
	if err := s.feed.ClearNotifications(ctx); err != nil || s.feed.UnreadCount(ctx) != 0 {
		t.Errorf("clear: %v, %d unread", err, s.feed.UnreadCount(ctx))
	}
}
