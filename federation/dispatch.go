package federation

import (
	"context"
	"fmt"
	"log/slog"
	"slices"

	"roost/federation/vocab"
)

// dispatch hands a verified activity to the room that handles it: one flat
// switch on the activity type and, where it matters, the object's type.
// Activities that roost does not handle, or whose handler is not wired, are
// accepted and ignored. An error means "try again later" to the peer.
func (s *Service) dispatch(ctx context.Context, act *vocab.Activity) error {
	h := s.h()
	inner := innerType(act)
	switch {
	case act.Type == vocab.TypeFollow:
		if act.ObjectID != s.ActorID() || h.follows == nil {
			return ignore(act, "follow of someone else")
		}
		return s.followRequested(ctx, h.follows, act)

	case act.Type == vocab.TypeUndo && inner == vocab.TypeFollow:
		if act.Inner.Actor != act.Actor || h.follows == nil {
			return ignore(act, "undo of another actor's follow")
		}
		return h.follows.FollowUndone(ctx, act.Actor)

	case act.Type == vocab.TypeUndo && inner == vocab.TypeLike:
		if act.Inner.Actor != act.Actor || h.reactions == nil {
			return ignore(act, "undo of another actor's like")
		}
		return h.reactions.Unliked(ctx, act.Inner.ID, act.Inner.ObjectID, act.Actor)

	case act.Type == vocab.TypeUndo && inner == vocab.TypeAnnounce:
		if act.Inner.Actor != act.Actor || h.reactions == nil {
			return ignore(act, "undo of another actor's boost")
		}
		return h.reactions.Unannounced(ctx, act.Inner.ID, act.Actor)

	case act.Type == vocab.TypeUndo && inner == vocab.TypeBlock:
		if act.Inner.Actor != act.Actor || h.follows == nil {
			return ignore(act, "undo of another actor's block")
		}
		return h.follows.Unblocked(ctx, act.Actor)

	case act.Type == vocab.TypeUndo && act.Inner == nil && act.ObjectID != "":
		return s.undoneByID(ctx, h, act)

	case (act.Type == vocab.TypeAccept || act.Type == vocab.TypeReject) && s.answersOwnerFollow(act):
		if h.follows == nil {
			return ignore(act, "no follow handler")
		}
		return h.follows.FollowAnswered(ctx, act.Actor, act.Type == vocab.TypeAccept)

	case act.Type == vocab.TypeCreate:
		return s.postCreated(ctx, h.posts, act)

	case act.Type == vocab.TypeUpdate && (act.ObjectActor != nil || (act.Object == nil && act.ObjectID == act.Actor)):
		if act.ObjectActor != nil && act.ObjectActor.ID != act.Actor {
			return ignore(act, "update of another actor")
		}
		return s.actorUpdated(ctx, h.profiles, act.Actor)

	case act.Type == vocab.TypeUpdate:
		return s.postUpdated(ctx, h.posts, act)

	case act.Type == vocab.TypeDelete && act.ObjectID == act.Actor:
		// The account itself is gone (Mastodon sends this when an account
		// is deleted): forget its document and its follow.
		if err := s.forgetActor(ctx, act.Actor); err != nil {
			return err
		}
		if h.follows == nil {
			return nil
		}
		return h.follows.FollowUndone(ctx, act.Actor)

	case act.Type == vocab.TypeDelete:
		if !SameOrigin(act.ObjectID, act.Actor) || h.posts == nil {
			return ignore(act, "delete of an object from another origin")
		}
		return h.posts.PostDeleted(ctx, act.ObjectID, act.Actor)

	case act.Type == vocab.TypeLike:
		if h.reactions == nil || act.ObjectID == "" {
			return ignore(act, "no reaction handler")
		}
		from, err := s.FetchActor(ctx, act.Actor, false)
		if err != nil {
			return fmt.Errorf("like: %w", err)
		}
		return h.reactions.Liked(ctx, act.ID, act.ObjectID, from)

	case act.Type == vocab.TypeAnnounce:
		return s.announced(ctx, h.reactions, act)

	case act.Type == vocab.TypeMove:
		return s.moved(ctx, h.follows, act)

	case act.Type == vocab.TypeBlock:
		if act.ObjectID != s.ActorID() || h.follows == nil {
			return ignore(act, "block of someone else")
		}
		return h.follows.Blocked(ctx, act.Actor)

	case act.Type == vocab.TypeFlag:
		if h.reactions == nil {
			return ignore(act, "no reaction handler")
		}
		from, err := s.FetchActor(ctx, act.Actor, false)
		if err != nil {
			return fmt.Errorf("flag: %w", err)
		}
		content, _ := act.Raw["content"].(string)
		return h.reactions.Flagged(ctx, act.ID, vocab.PlainText(content), act.ObjectIDs, from)
	}
	return ignore(act, "unhandled type")
}

// innerType is the type of an embedded activity (Undo, Accept), or "".
func innerType(act *vocab.Activity) string {
	if act.Inner == nil {
		return ""
	}
	return act.Inner.Type
}

// ignore logs why an activity is accepted without effect.
func ignore(act *vocab.Activity, why string) error {
	slog.Debug("inbox: ignored", "activity", act.ID, "type", act.Type, "actor", act.Actor, "why", why)
	return nil
}

// followRequested asks the contacts room and, when it accepts at once,
// answers the follower with an Accept.
func (s *Service) followRequested(ctx context.Context, follows FollowHandler, act *vocab.Activity) error {
	from, err := s.FetchActor(ctx, act.Actor, false)
	if err != nil {
		return fmt.Errorf("follow: %w", err)
	}
	accepted, err := follows.FollowRequested(ctx, act, from)
	if err != nil {
		return fmt.Errorf("follow: %w", err)
	}
	if !accepted {
		return nil
	}
	return s.AnswerFollow(ctx, act.ID, act.Actor, true)
}

// answersOwnerFollow reports whether an Accept or Reject is about a Follow
// the owner sent: embedded (Mastodon) or named by its id, which roost mints
// under its own origin (GoToSocial and others send only the IRI).
func (s *Service) answersOwnerFollow(act *vocab.Activity) bool {
	if act.Inner != nil {
		return act.Inner.Type == vocab.TypeFollow && act.Inner.Actor == s.ActorID()
	}
	return act.ObjectID != "" && SameOrigin(act.ObjectID, s.base)
}

// postCreated stores a new post. The object is trusted only when the
// activity's actor wrote it; an object named by IRI alone is fetched from
// its origin.
func (s *Service) postCreated(ctx context.Context, posts PostHandler, act *vocab.Activity) error {
	if posts == nil {
		return ignore(act, "no post handler")
	}
	obj := act.Object
	if obj == nil && act.ObjectID != "" && SameOrigin(act.ObjectID, act.Actor) {
		fetched, err := s.FetchObject(ctx, act.ObjectID)
		if err != nil {
			slog.Warn("inbox: fetch created object", "object", act.ObjectID, "err", err)
			return nil
		}
		obj = fetched
	}
	if !vocab.IsPost(obj) {
		return ignore(act, "create of something that is not a post ("+objectType(obj)+")")
	}
	if obj.AttributedTo != act.Actor || !SameOrigin(obj.ID, act.Actor) {
		return ignore(act, "create of a post by someone else")
	}
	from, err := s.FetchActor(ctx, act.Actor, false)
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	return posts.PostCreated(ctx, obj, from)
}

// postUpdated applies an edit, which only the post's own origin may make.
func (s *Service) postUpdated(ctx context.Context, posts PostHandler, act *vocab.Activity) error {
	obj := act.Object
	if posts == nil || !vocab.IsPost(obj) {
		return ignore(act, "update of something that is not a post")
	}
	if !SameOrigin(obj.ID, act.Actor) || (obj.AttributedTo != "" && obj.AttributedTo != act.Actor) {
		return ignore(act, "update of a post from another origin")
	}
	from, err := s.FetchActor(ctx, act.Actor, false)
	if err != nil {
		return fmt.Errorf("update: %w", err)
	}
	return posts.PostUpdated(ctx, obj, from)
}

// announced records a boost. An embedded object is believed when it
// carries its author's object proof, or as far as objectFromOrigin allows;
// otherwise the object is fetched from where
// it lives, and when that fails the boost is still recorded, without it.
// The object's own id is what the boost is of, should the IRI the
// Announce named have led elsewhere.
func (s *Service) announced(ctx context.Context, reactions ReactionHandler, act *vocab.Activity) error {
	if reactions == nil || act.ObjectID == "" {
		return ignore(act, "no reaction handler")
	}
	from, err := s.FetchActor(ctx, act.Actor, false)
	if err != nil {
		return fmt.Errorf("announce: %w", err)
	}
	objectID := act.ObjectID
	obj, err := s.provenEmbedded(ctx, act), error(nil)
	if obj == nil {
		obj, err = s.objectFromOrigin(ctx, act.Object, act.ObjectID, act.Actor)
	}
	if err != nil {
		slog.Info("inbox: fetch boosted object", "object", act.ObjectID, "err", err)
		obj = nil
	} else {
		objectID = obj.ID
	}
	return reactions.Announced(ctx, act.ID, objectID, obj, from)
}

// moved follows an account to its new home, but only when the new account
// confirms the move by listing the old one in alsoKnownAs.
func (s *Service) moved(ctx context.Context, follows FollowHandler, act *vocab.Activity) error {
	if follows == nil || act.Target == "" || (act.ObjectID != "" && act.ObjectID != act.Actor) {
		return ignore(act, "move without a target or of someone else")
	}
	target, err := s.FetchActor(ctx, act.Target, true)
	if err != nil {
		slog.Info("inbox: fetch move target", "target", act.Target, "err", err)
		return nil
	}
	if !slices.Contains(target.AlsoKnownAs, act.Actor) {
		return ignore(act, "move target does not name the old account")
	}
	return follows.Moved(ctx, act.Actor, target.ID)
}

// objectType names an object's type for a log line, "none" without one.
func objectType(obj *vocab.Object) string {
	if obj == nil {
		return "none"
	}
	return obj.Type
}
