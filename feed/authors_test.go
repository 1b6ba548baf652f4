package feed

import (
	"context"
	"strings"
	"testing"
)

// TestActorUpdatedRenamesTheAuthor: a renamed author shows under the new
// name beside the posts already stored; nobody new joins the snapshots.
func TestActorUpdatedRenamesTheAuthor(t *testing.T) {
	ctx := context.Background()
	s := newRemoteSite(t, bobID)
	mustCreated(t, s, publicNote("https://remote.test/notes/1", bobID, "<p>hello</p>", 1), actor(bobID, "bob"))
	renamed := actor(bobID, "bob")
	renamed.Name, renamed.IconURL = "Robert Tables", "https://remote.test/new-avatar.png"
	if err := s.feed.ActorUpdated(ctx, renamed); err != nil {
		t.Fatal(err)
	}
	if err := s.feed.ActorUpdated(ctx, actor(carolID, "carol")); err != nil {
		t.Fatal(err)
	}
	p, err := s.feed.PostByObjectID(ctx, "https://remote.test/notes/1")
	if err != nil {
		t.Fatal(err)
	}
	if p.Author.Name != "Robert Tables" || p.Author.AvatarURL != "https://remote.test/new-avatar.png" {
		t.Errorf("author snapshot %+v", p.Author)
	}
	if body := s.do(t, "GET", "/home", nil, true).Body.String(); !strings.Contains(body, "Robert Tables") {
		t.Error("the home timeline does not show the new name")
	}
	known, err := s.feed.authors(ctx, []string{carolID})
	if err != nil || known[carolID].Name != "" {
		t.Errorf("an unknown actor got a snapshot: %+v (%v)", known[carolID], err)
	}
}
