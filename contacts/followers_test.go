package contacts

import (
	"context"
	"errors"
	"slices"
	"testing"

	"roost/federation/vocab"
)

func TestFollowersAreAcceptedAtOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, id := range []string{bob, carol, dave} {
		if _, accepted := f.followMe(t, id); !accepted {
			t.Fatalf("follow from %s not accepted at once", id)
		}
	}
	if len(f.net.published) != 0 {
		t.Errorf("FollowRequested published %+v; the inbox sends the Accept", f.net.published)
	}
	if !f.c.IsFollower(ctx, bob) {
		t.Error("bob is not a follower")
	}
	list, err := f.c.Followers(ctx)
	if err != nil || !slices.Equal(actorIDs(list), []string{dave, carol, bob}) {
		t.Errorf("Followers() = %v, %v; want newest first", actorIDs(list), err)
	}
	boxes, err := f.c.Audience().FollowerInboxes(ctx)
	want := []string{"https://example.social/inbox", dave + "/inbox"}
	if err != nil || !slices.Equal(boxes, want) {
		t.Errorf("FollowerInboxes() = %v, %v; want %v", boxes, err, want)
	}
	ids, total, err := f.c.Audience().Followers(ctx, 0, 2)
	if err != nil || total != 3 || !slices.Equal(ids, []string{dave, carol}) {
		t.Errorf("followers page 1 = %v, %d, %v", ids, total, err)
	}
	ids, _, _ = f.c.Audience().Followers(ctx, 2, 2)
	if !slices.Equal(ids, []string{bob}) {
		t.Errorf("followers page 2 = %v", ids)
	}

	if err := f.c.FollowHandler().FollowUndone(ctx, carol); err != nil {
		t.Fatal(err)
	}
	if f.c.IsFollower(ctx, carol) {
		t.Error("carol still follows after Undo")
	}
	if err := f.c.FollowHandler().FollowUndone(ctx, carol); err != nil {
		t.Errorf("a repeated Undo is an error: %v", err)
	}
	if boxes, _ := f.c.Audience().FollowerInboxes(ctx); len(boxes) != 2 {
		t.Errorf("bob still shares example.social's inbox, got %v", boxes)
	}
}

func TestFollowOfSomeoneElseIsRefused(t *testing.T) {
	f := newFixture(t)
	_, err := f.c.FollowHandler().FollowRequested(context.Background(),
		&vocab.Activity{ID: bob + "#f", Type: vocab.TypeFollow, Actor: bob, ObjectID: carol}, f.net.actors[bob])
	if err == nil || f.c.IsFollower(context.Background(), bob) {
		t.Errorf("a Follow of carol made bob a follower (err %v)", err)
	}
}

func TestManualApproval(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.manual = true
	followID, accepted := f.followMe(t, bob)
	if accepted {
		t.Fatal("accepted although the owner approves by hand")
	}
	reqs, _ := f.c.Requests(ctx)
	if !slices.Equal(actorIDs(reqs), []string{bob}) || reqs[0].Follower != StatePending {
		t.Fatalf("Requests() = %+v", reqs)
	}
	if f.c.IsFollower(ctx, bob) {
		t.Error("a request counts as a follower")
	}
	if boxes, _ := f.c.Audience().FollowerInboxes(ctx); len(boxes) != 0 {
		t.Errorf("a request receives posts: %v", boxes)
	}

	if err := f.c.Approve(ctx, bob); err != nil {
		t.Fatal(err)
	}
	s := f.net.last(t)
	if s.act.Type != vocab.TypeAccept || s.act.Actor != owner || !slices.Equal(s.to.Actors, []string{bob}) {
		t.Fatalf("published %+v to %+v, want an Accept to bob", s.act, s.to)
	}
	inner := embedded(t, s)
	if inner.ID != followID || inner.Type != vocab.TypeFollow || inner.Actor != bob || inner.Object != owner {
		t.Errorf("Accept embeds %+v, want bob's Follow %s of the owner", inner, followID)
	}
	if !f.c.IsFollower(ctx, bob) {
		t.Error("not a follower after approval")
	}
	if err := f.c.Approve(ctx, bob); !errors.Is(err, ErrNotFound) {
		t.Errorf("approving twice: %v, want ErrNotFound", err)
	}

	// A follower who follows again (lost state on their side) stays accepted.
	if _, accepted := f.followMe(t, bob); !accepted {
		t.Error("a repeated Follow from a follower was not accepted")
	}
}

func TestRejectAndRemove(t *testing.T) {
	tests := []struct {
		name   string
		manual bool
		act    func(*Contacts, context.Context, string) error
		wrong  func(*Contacts, context.Context, string) error // the other action, which must not apply
	}{
		{"reject a request", true, (*Contacts).Reject, (*Contacts).RemoveFollower},
		{"remove a follower", false, (*Contacts).RemoveFollower, (*Contacts).Reject},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			ctx := context.Background()
			f.manual = tt.manual
			followID, _ := f.followMe(t, bob)
			if err := tt.wrong(f.c, ctx, bob); !errors.Is(err, ErrNotFound) {
				t.Errorf("the other action: %v, want ErrNotFound", err)
			}
			if err := tt.act(f.c, ctx, bob); err != nil {
				t.Fatal(err)
			}
			s := f.net.last(t)
			if s.act.Type != vocab.TypeReject || !slices.Equal(s.to.Actors, []string{bob}) {
				t.Fatalf("published %+v, want a Reject to bob", s.act)
			}
			if inner := embedded(t, s); inner.ID != followID || inner.Actor != bob || inner.Object != owner {
				t.Errorf("Reject embeds %+v", inner)
			}
			ct, _ := f.c.Get(ctx, bob)
			if ct.Follower != "" {
				t.Errorf("follower state = %q after %s", ct.Follower, tt.name)
			}
		})
	}
}

// TestActorUpdatedMovesDeliveries: when a follower's server tells of a new
// inbox, deliveries go there and the book shows the new name; an actor the
// book does not know is not added.
func TestActorUpdatedMovesDeliveries(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.followMe(t, bob)
	f.followMe(t, dave)
	moved := person(bob, "bob", "Robert")
	moved.Inbox = "https://bob.example/inbox"
	moved.IconURL = "https://bob.example/avatar.png"
	if err := f.c.ActorUpdated(ctx, moved); err != nil {
		t.Fatal(err)
	}
	boxes, err := f.c.Audience().FollowerInboxes(ctx)
	want := []string{"https://bob.example/inbox", dave + "/inbox"}
	if err != nil || !slices.Equal(boxes, want) {
		t.Errorf("FollowerInboxes() = %v, %v; want %v", boxes, err, want)
	}
	ct, err := f.c.Get(ctx, bob)
	if err != nil {
		t.Fatal(err)
	}
	if ct.Name != "Robert" || ct.AvatarURL != "https://bob.example/avatar.png" || ct.SharedInbox != "" || ct.Follower != StateAccepted {
		t.Errorf("contact after the update: %+v", ct)
	}
	if err := f.c.ActorUpdated(ctx, person(carol, "carol", "Carol")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.Get(ctx, carol); !errors.Is(err, ErrNotFound) {
		t.Errorf("an unknown actor was added: %v", err)
	}
}
