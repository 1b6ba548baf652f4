package feed

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"roost/federation"
	"roost/federation/vocab"
)

// ErrCannotBoost means the post is followers-only or direct: boosting it
// would show it to people its author did not address.
var ErrCannotBoost = errors.New("only public and unlisted posts can be boosted")

// Like records the owner's like of a post and sends a Like to its author.
// Liking twice is a no-op. A like of a web-feed item stays on the site.
func (f *Feed) Like(ctx context.Context, objectID string) error {
	p, err := f.PostByObjectID(ctx, objectID)
	if err != nil {
		return fmt.Errorf("like: %w", err)
	}
	if p.Liked {
		return nil
	}
	id := f.cfg.ActorID + "#likes/" + formatID(f.nextID())
	r := reaction{activityID: id, kind: reactionLike, objectID: p.ObjectID, actor: Author{ActorID: f.cfg.ActorID}}
	like := vocab.OutActivity{ID: id, Type: vocab.TypeLike, Object: p.ObjectID}
	if _, err := f.addReaction(ctx, r, f.sendReaction(ctx, p, like)); err != nil {
		return fmt.Errorf("like %s: %w", objectID, err)
	}
	return nil
}

// Unlike takes the owner's like back with an Undo.
func (f *Feed) Unlike(ctx context.Context, objectID string) error {
	p, err := f.PostByObjectID(ctx, objectID)
	if err != nil {
		return fmt.Errorf("unlike: %w", err)
	}
	return f.undoOwn(ctx, p, reactionLike, vocab.TypeLike)
}

// Boost shares a public or unlisted post with the owner's followers: an
// Announce to Public, copied to the followers and the author. A web-feed
// item is shared as a note with its title and link instead.
func (f *Feed) Boost(ctx context.Context, objectID string) error {
	p, err := f.PostByObjectID(ctx, objectID)
	if err != nil {
		return fmt.Errorf("boost: %w", err)
	}
	if p.FromFeed {
		return f.shareFeedItem(ctx, p)
	}
	if p.Visibility != VisibilityPublic && p.Visibility != VisibilityUnlisted {
		return fmt.Errorf("boost %s: %w", objectID, ErrCannotBoost)
	}
	if p.Boosted {
		return nil
	}
	now := f.now()
	id := f.cfg.ActorID + "#boosts/" + formatID(f.nextID())
	r := reaction{activityID: id, kind: reactionBoost, objectID: p.ObjectID, actor: Author{ActorID: f.cfg.ActorID}}
	if !p.Local {
		r.boostOf = p.ID // the owner's boosts show on their home timeline too
	}
	announce := vocab.OutActivity{ID: id, Type: vocab.TypeAnnounce, Object: p.ObjectID, Published: now}
	if _, err := f.addReaction(ctx, r, f.sendReaction(ctx, p, announce)); err != nil {
		return fmt.Errorf("boost %s: %w", objectID, err)
	}
	return nil
}

// Unboost takes the owner's boost back with an Undo, or deletes the note
// that shared a web-feed item.
func (f *Feed) Unboost(ctx context.Context, objectID string) error {
	p, err := f.PostByObjectID(ctx, objectID)
	if err != nil {
		return fmt.Errorf("unboost: %w", err)
	}
	if p.FromFeed {
		return f.unshareFeedItem(ctx, p)
	}
	return f.undoOwn(ctx, p, reactionBoost, vocab.TypeAnnounce)
}

func (f *Feed) undoOwn(ctx context.Context, p Post, kind, activityType string) error {
	var id string
	var created int64
	err := f.db.QueryRowContext(ctx, `SELECT activity_id, created FROM reactions WHERE object_id = ? AND kind = ? AND actor_id = ?`,
		p.ObjectID, kind, f.cfg.ActorID).Scan(&id, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("undo %s %s: %w", kind, p.ObjectID, err)
	}
	inner := vocab.OutActivity{ID: id, Type: activityType, Actor: f.cfg.ActorID, Object: p.ObjectID}
	undo := vocab.OutActivity{ID: id + "/undo", Type: vocab.TypeUndo, Object: inner}
	if err := f.removeReaction(ctx, kind, id, p.ObjectID, f.cfg.ActorID, f.sendReaction(ctx, p, undo)); err != nil {
		return fmt.Errorf("undo %s %s: %w", kind, p.ObjectID, err)
	}
	return nil
}

// sendReaction addresses a Like or Announce (or the Undo of one) and
// returns the step that publishes it in the reaction's transaction, or nil
// when nothing is sent. A Like goes to the author only; an Announce is
// public, copied to the followers and the author, as Mastodon addresses
// boosts. Nothing is sent about the owner's own notes' likes, nor about
// web-feed items, whose sites have no inbox.
func (f *Feed) sendReaction(ctx context.Context, p Post, a vocab.OutActivity) func(*sql.Tx) error {
	if f.cfg.Publisher == nil || p.FromFeed {
		return nil
	}
	a.Actor = f.cfg.ActorID
	var audience federation.Audience
	author := ""
	if !p.Local && p.Author.ActorID != "" {
		author = p.Author.ActorID
		audience.Actors = []string{author}
	}
	kind := a.Type
	if inner, ok := a.Object.(vocab.OutActivity); ok {
		kind = inner.Type
		inner.To, inner.Cc = f.reactionAddressing(kind, author)
		a.Object = inner
	}
	a.To, a.Cc = f.reactionAddressing(kind, author)
	if kind == vocab.TypeAnnounce {
		audience.Followers = true
	}
	if !audience.Followers && len(audience.Actors) == 0 {
		return nil
	}
	return func(tx *sql.Tx) error { return f.cfg.Publisher.Publish(ctx, tx, a, audience) }
}

func (f *Feed) reactionAddressing(kind, author string) (to, cc []string) {
	if kind == vocab.TypeAnnounce {
		cc = []string{f.cfg.FollowersURL}
		if author != "" {
			cc = append(cc, author)
		}
		return []string{vocab.Public}, cc
	}
	if author != "" {
		return []string{author}, nil
	}
	return nil, nil
}
