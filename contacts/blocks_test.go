package contacts

import (
	"context"
	"errors"
	"slices"
	"testing"

	"roost/federation/vocab"
)

func TestBlockEndsFollowsBothWays(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.following(t, "@bob@example.social")
	f.followMe(t, bob)
	f.followMe(t, carol)
	gate := f.c.Gatekeeper()

	if err := f.c.Block(ctx, bob); err != nil {
		t.Fatal(err)
	}
	s := f.net.last(t)
	if s.act.Type != vocab.TypeBlock || s.act.Object != bob || !slices.Equal(s.to.Actors, []string{bob}) {
		t.Fatalf("published %+v, want a Block of bob", s.act)
	}
	if f.c.IsFollowing(ctx, bob) || f.c.IsFollower(ctx, bob) {
		t.Error("follows survived the block")
	}
	if !gate.Blocked(ctx, bob) || gate.Blocked(ctx, carol) {
		t.Errorf("gatekeeper: bob %v, carol %v", gate.Blocked(ctx, bob), gate.Blocked(ctx, carol))
	}
	if _, err := f.c.FollowHandler().FollowRequested(ctx,
		&vocab.Activity{ID: bob + "#again", Type: vocab.TypeFollow, Actor: bob, ObjectID: owner}, f.net.actors[bob]); !errors.Is(err, ErrBlocked) {
		t.Errorf("follow from a blocked account: %v", err)
	}
	blocks, _ := f.c.Blocks(ctx)
	if !slices.Equal(actorIDs(blocks), []string{bob}) {
		t.Errorf("Blocks() = %v", actorIDs(blocks))
	}
	n := len(f.net.published)
	if err := f.c.Block(ctx, bob); err != nil || len(f.net.published) != n {
		t.Errorf("blocking twice: %v, sent %d more", err, len(f.net.published)-n)
	}

	if err := f.c.Unblock(ctx, bob); err != nil {
		t.Fatal(err)
	}
	undo := f.net.last(t)
	if inner := embedded(t, undo); undo.act.Type != vocab.TypeUndo || inner.ID != s.act.ID || inner.Type != vocab.TypeBlock || inner.Object != bob {
		t.Errorf("Unblock sent %+v embedding %+v", undo.act, inner)
	}
	if gate.Blocked(ctx, bob) {
		t.Error("still blocked after Unblock")
	}
	if err := f.c.Unblock(ctx, bob); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Unblock: %v", err)
	}
}

func TestBlockUnknownAccount(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	stranger := "https://gone.example/users/x"
	if err := f.c.Block(ctx, stranger); err != nil {
		t.Fatal(err)
	}
	if !f.c.Gatekeeper().Blocked(ctx, stranger) {
		t.Error("an account that cannot be fetched was not blocked")
	}
	if err := f.c.Block(ctx, owner); !errors.Is(err, ErrSelf) {
		t.Errorf("blocking the owner: %v", err)
	}
}

func TestDomainBlock(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.following(t, "@carol@example.social")
	f.followMe(t, bob)
	f.followMe(t, dave)

	domain, err := f.c.BlockDomain(ctx, "https://Example.Social/about")
	if err != nil || domain != "example.social" {
		t.Fatalf("BlockDomain = %q, %v", domain, err)
	}
	if f.c.IsFollower(ctx, bob) || f.c.IsFollowing(ctx, carol) || !f.c.IsFollower(ctx, dave) {
		t.Error("the domain block did not end exactly the follows with example.social")
	}
	gate := f.c.Gatekeeper()
	for id, want := range map[string]bool{
		bob:                                    true,
		"https://media.example.social/users/x": true,
		"https://notexample.social/users/x":    false,
		dave:                                   false,
		// The same host spelled otherwise is the same host.
		"https://example.social./users/x":    true,
		"https://EXAMPLE.social:443/users/x": true,
		"https://media.example.social./x":    true,
	} {
		if got := gate.Blocked(ctx, id); got != want {
			t.Errorf("Blocked(%s) = %v, want %v", id, got, want)
		}
	}
	if ct, _ := f.c.Get(ctx, bob); !ct.DomainBlocked {
		t.Error("Get does not say the domain is blocked")
	}
	if len(f.net.published) != 1 {
		t.Errorf("a domain block sent activities: %+v", f.net.published[1:])
	}
	if err := f.c.UnblockDomain(ctx, "@someone@example.social"); err != nil {
		t.Fatal(err)
	}
	if gate.Blocked(ctx, bob) {
		t.Error("still blocked after UnblockDomain")
	}
	for _, bad := range []string{"", "  ", "two words"} {
		if _, err := f.c.BlockDomain(ctx, bad); !errors.Is(err, ErrBadDomain) {
			t.Errorf("BlockDomain(%q) = %v, want ErrBadDomain", bad, err)
		}
	}
	if _, err := f.c.BlockDomain(ctx, "alice.example"); !errors.Is(err, ErrSelf) {
		t.Errorf("blocking the own domain: %v", err)
	}
}

func TestBlockedByRemote(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.following(t, "@bob@example.social")
	f.followMe(t, bob)
	if err := f.c.FollowHandler().Blocked(ctx, bob); err != nil {
		t.Fatal(err)
	}
	ct, _ := f.c.Get(ctx, bob)
	if !ct.BlocksOwner || ct.Following != "" || ct.Follower != "" {
		t.Errorf("after being blocked: %+v", ct)
	}
	if f.c.Gatekeeper().Blocked(ctx, bob) {
		t.Error("being blocked is not the owner blocking")
	}
}

func TestMoved(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.following(t, "@bob@example.social")
	f.followMe(t, carol)
	h := f.c.FollowHandler()

	if err := h.Moved(ctx, bob, bob2); err != nil {
		t.Fatal(err)
	}
	if ct, _ := f.c.Get(ctx, bob); ct.MovedTo != bob2 || ct.Following != "" {
		t.Errorf("old account after the move: moved to %q, following %q", ct.MovedTo, ct.Following)
	}
	var types []string
	for _, s := range f.net.published[1:] {
		types = append(types, s.act.Type+" "+s.to.Actors[0])
	}
	if !slices.Equal(types, []string{vocab.TypeFollow + " " + bob2, vocab.TypeUndo + " " + bob}) {
		t.Errorf("the move sent %v, want a Follow of the new account and an Undo to the old", types)
	}
	var n int
	if err := f.c.db.QueryRow(`SELECT COUNT(*) FROM moves WHERE actor_id = ? AND target = ?`, bob, bob2).Scan(&n); err != nil || n != 1 {
		t.Errorf("moves rows = %d, %v", n, err)
	}

	// A follower's move, or one to an account that does not name the old
	// one as an alias, is only recorded.
	sentBefore := len(f.net.published)
	if err := h.Moved(ctx, carol, dave); err != nil {
		t.Fatal(err)
	}
	if ct, _ := f.c.Get(ctx, carol); ct.MovedTo != dave || len(f.net.published) != sentBefore {
		t.Errorf("carol's move: moved to %q, sent %d", ct.MovedTo, len(f.net.published)-sentBefore)
	}
	f.following(t, "dave@other.example")
	if err := h.Moved(ctx, dave, carol); err != nil {
		t.Fatal(err)
	}
	if !f.c.IsFollowing(ctx, dave) || f.c.FollowsAuthor(ctx, carol) {
		t.Error("a move to an account without the alias moved the follow")
	}
}

// A block typed in Unicode covers the punycode host servers send, and the
// other way round.
func TestDomainBlockInternationalNames(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.c.BlockDomain(ctx, "Bücher.example."); err != nil {
		t.Fatal(err)
	}
	gate := f.c.Gatekeeper()
	for _, id := range []string{"https://xn--bcher-kva.example/users/x", "https://bücher.example/users/y", "https://sub.BÜCHER.example./z"} {
		if !gate.Blocked(ctx, id) {
			t.Errorf("%s is not blocked", id)
		}
	}
}
