package contacts

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"roost/federation/vocab"
)

func TestFollowIsPendingUntilAccepted(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()

	ct, err := f.c.Follow(ctx, "  @bob@example.social ")
	if err != nil {
		t.Fatal(err)
	}
	if ct.ActorID != bob || ct.Following != StatePending || ct.Handle != "bob@example.social" || ct.Name != "Bob" {
		t.Fatalf("contact after Follow = %+v", ct)
	}
	s := f.net.last(t)
	if s.act.Type != vocab.TypeFollow || s.act.Actor != owner || s.act.Object != bob {
		t.Errorf("published %+v, want Follow of bob by the owner", s.act)
	}
	if !strings.HasPrefix(s.act.ID, base+"/follows/") || len(s.act.ID) <= len(base+"/follows/") {
		t.Errorf("follow id %q is not under %s/follows/", s.act.ID, base)
	}
	if !slices.Equal(s.act.To, []string{bob}) || !slices.Equal(s.to.Actors, []string{bob}) || s.to.Followers {
		t.Errorf("addressed to %v, audience %+v; want bob only", s.act.To, s.to)
	}
	if f.c.IsFollowing(ctx, bob) {
		t.Error("IsFollowing before Accept")
	}
	if !f.c.FollowsAuthor(ctx, bob) {
		t.Error("FollowsAuthor false for a pending follow")
	}
	if ids, total, _ := f.c.Audience().Following(ctx, 0, 10); total != 0 || len(ids) != 0 {
		t.Errorf("following collection lists a pending follow: %v (%d)", ids, total)
	}
	list, _ := f.c.Following(ctx)
	if len(list) != 1 || list[0].Following != StatePending {
		t.Fatalf("Following() = %+v, want bob pending", list)
	}

	if err := f.c.FollowHandler().FollowAnswered(ctx, bob, true); err != nil {
		t.Fatal(err)
	}
	if !f.c.IsFollowing(ctx, bob) {
		t.Error("not following after Accept")
	}
	ids, total, err := f.c.Audience().Following(ctx, 0, 10)
	if err != nil || total != 1 || !slices.Equal(ids, []string{bob}) {
		t.Errorf("following collection = %v, %d, %v", ids, total, err)
	}

	// Following again sends nothing new.
	n := len(f.net.published)
	if ct, err := f.c.Follow(ctx, "@bob@example.social"); err != nil || ct.Following != StateAccepted {
		t.Errorf("second Follow = %+v, %v", ct, err)
	}
	if len(f.net.published) != n {
		t.Error("a second Follow was sent for an accepted follow")
	}
}

func TestFollowRejected(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.c.Follow(ctx, "@bob@example.social"); err != nil {
		t.Fatal(err)
	}
	if err := f.c.FollowHandler().FollowAnswered(ctx, bob, false); err != nil {
		t.Fatal(err)
	}
	ct, _ := f.c.Get(ctx, bob)
	if ct.Following != StateRejected {
		t.Errorf("state = %q, want rejected", ct.Following)
	}
	if list, _ := f.c.Following(ctx); len(list) != 0 {
		t.Errorf("Following() lists a declined follow: %v", actorIDs(list))
	}
	if f.c.FollowsAuthor(ctx, bob) || f.c.IsFollowing(ctx, bob) {
		t.Error("a declined follow still counts")
	}
	if err := f.c.FollowHandler().FollowAnswered(ctx, carol, true); !errors.Is(err, ErrNotFound) {
		t.Errorf("answer to no follow: %v, want ErrNotFound", err)
	}

	// Asking again sends a new Follow with a new id.
	first := f.net.published[0].act.ID
	if ct, err := f.c.Follow(ctx, "@bob@example.social"); err != nil || ct.Following != StatePending {
		t.Fatalf("follow again = %+v, %v", ct, err)
	}
	if again := f.net.last(t).act; again.Type != vocab.TypeFollow || again.ID == first {
		t.Errorf("second request %+v reuses %s", again, first)
	}
}

func TestUnfollowEmbedsTheOriginalFollow(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.following(t, "@bob@example.social")
	follow := f.net.published[0].act

	if err := f.c.Unfollow(ctx, bob); err != nil {
		t.Fatal(err)
	}
	undo := f.net.last(t)
	if undo.act.Type != vocab.TypeUndo || undo.act.Actor != owner || !slices.Equal(undo.to.Actors, []string{bob}) {
		t.Fatalf("published %+v to %+v, want an Undo to bob", undo.act, undo.to)
	}
	inner := embedded(t, undo)
	want := vocab.OutActivity{ID: follow.ID, Type: vocab.TypeFollow, Actor: owner, Object: bob}
	if inner.ID != want.ID || inner.Type != want.Type || inner.Actor != want.Actor || inner.Object != want.Object {
		t.Errorf("embedded %+v, want %+v", inner, want)
	}
	if undo.act.ID == follow.ID {
		t.Error("the Undo reuses the Follow's id")
	}
	if f.c.IsFollowing(ctx, bob) || f.c.FollowsAuthor(ctx, bob) {
		t.Error("still following after Unfollow")
	}
	if err := f.c.Unfollow(ctx, bob); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Unfollow: %v, want ErrNotFound", err)
	}
}

func TestFollowFailures(t *testing.T) {
	tests := []struct {
		name  string
		input string
		setup func(*fixture)
		check func(*testing.T, error)
	}{
		{"empty", "   ", nil, func(t *testing.T, err error) {
			if !errors.Is(err, ErrEmptyInput) {
				t.Errorf("err = %v, want ErrEmptyInput", err)
			}
		}},
		{"unresolvable keeps the steps", "nobody.example", nil, func(t *testing.T, err error) {
			var rerr *ResolveError
			if !errors.As(err, &rerr) || len(rerr.Tried) != 2 || !strings.Contains(rerr.Tried[0], "WebFinger") {
				t.Errorf("err = %#v, want a ResolveError with two steps", err)
			}
		}},
		{"feeds only", "blog.example", nil, func(t *testing.T, err error) {
			var ferr *ErrFeedOnly
			if !errors.As(err, &ferr) || !slices.Equal(ferr.Feeds, []string{"https://blog.example/feed.xml"}) {
				t.Errorf("err = %v, want ErrFeedOnly with the feed", err)
			}
		}},
		{"self", "@alice.example", nil, func(t *testing.T, err error) {
			if !errors.Is(err, ErrSelf) {
				t.Errorf("err = %v, want ErrSelf", err)
			}
		}},
		{"blocked domain", "@bob@example.social", func(f *fixture) {
			if _, err := f.c.BlockDomain(context.Background(), "example.social"); err != nil {
				panic(err)
			}
		}, func(t *testing.T, err error) {
			if !errors.Is(err, ErrBlocked) {
				t.Errorf("err = %v, want ErrBlocked", err)
			}
		}},
		{"publish fails", "@bob@example.social", func(f *fixture) { f.net.publishErr = errBoom }, func(t *testing.T, err error) {
			if !errors.Is(err, errBoom) {
				t.Errorf("err = %v, want the publish error", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			if tt.setup != nil {
				tt.setup(f)
			}
			_, err := f.c.Follow(context.Background(), tt.input)
			tt.check(t, err)
			if list, _ := f.c.Following(context.Background()); len(list) != 0 {
				t.Errorf("a failed follow left %v", actorIDs(list))
			}
			if len(f.net.published) != 0 {
				t.Errorf("a failed follow published %+v", f.net.published)
			}
		})
	}
}

func TestNote(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.following(t, "@bob@example.social")
	if err := f.c.SetNote(ctx, bob, "  met at the allotment \n"); err != nil {
		t.Fatal(err)
	}
	// A fresh snapshot of the actor keeps the owner's note.
	if _, err := f.c.saveActor(ctx, f.net.actors[bob]); err != nil {
		t.Fatal(err)
	}
	if ct, _ := f.c.Get(ctx, bob); ct.Note != "met at the allotment" {
		t.Errorf("note = %q", ct.Note)
	}
	if err := f.c.SetNote(ctx, "https://nowhere.example/x", "hi"); !errors.Is(err, ErrNotFound) {
		t.Errorf("note on a stranger: %v, want ErrNotFound", err)
	}
}

// The Undo must reach the wire with the Follow embedded, not just named.
func TestUndoMarshalsTheEmbeddedFollow(t *testing.T) {
	f := newFixture(t)
	f.following(t, "@bob@example.social")
	followID := f.net.published[0].act.ID
	if err := f.c.Unfollow(context.Background(), bob); err != nil {
		t.Fatal(err)
	}
	data, err := vocab.MarshalActivity(f.net.last(t).act)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Type   string `json:"type"`
		Object struct {
			ID, Type, Actor, Object string
		} `json:"object"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Type != vocab.TypeUndo || doc.Object.ID != followID || doc.Object.Type != vocab.TypeFollow ||
		doc.Object.Actor != owner || doc.Object.Object != bob {
		t.Errorf("wire form %s", data)
	}
}
