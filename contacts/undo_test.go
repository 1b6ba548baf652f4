package contacts

import (
	"context"
	"testing"
)

// An Undo naming a Follow by its id removes that follower only when the id
// is theirs; an Undo of a Block clears "blocks you" and brings no follow
// back.
func TestUndoByIDAndUndoBlock(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	h := f.c.FollowHandler()
	carolFollow, _ := f.followMe(t, carol)
	bobFollow, _ := f.followMe(t, bob)

	if err := h.FollowUndoneByID(ctx, carol, bobFollow); err != nil {
		t.Fatal(err)
	}
	if !f.c.IsFollower(ctx, bob) || !f.c.IsFollower(ctx, carol) {
		t.Error("carol undid bob's follow by naming its id")
	}
	if err := h.FollowUndoneByID(ctx, carol, carolFollow); err != nil {
		t.Fatal(err)
	}
	if f.c.IsFollower(ctx, carol) {
		t.Error("carol still follows after undoing her Follow by id")
	}

	if err := h.Blocked(ctx, bob); err != nil {
		t.Fatal(err)
	}
	if err := h.Unblocked(ctx, bob); err != nil {
		t.Fatal(err)
	}
	ct, _ := f.c.Get(ctx, bob)
	if ct.BlocksOwner || ct.Follower != "" {
		t.Errorf("after bob's Undo of his Block: blocks owner %v, follower %q", ct.BlocksOwner, ct.Follower)
	}
}
