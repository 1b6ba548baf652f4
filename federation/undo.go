package federation

import (
	"context"

	"roost/federation/vocab"
)

// undoneByID handles an Undo that names the undone activity by its IRI
// only, as some servers send it: the id is looked up among the actor's
// Follow of the owner, likes and boosts, and whichever of them has it is
// taken back. Each lookup matches the actor too, so nobody undoes another's
// activity by naming its id.
func (s *Service) undoneByID(ctx context.Context, h handlers, act *vocab.Activity) error {
	if !SameOrigin(act.ObjectID, act.Actor) {
		return ignore(act, "undo of an activity from another origin")
	}
	if h.follows != nil {
		if err := h.follows.FollowUndoneByID(ctx, act.Actor, act.ObjectID); err != nil {
			return err
		}
	}
	if h.reactions != nil {
		if err := h.reactions.Unliked(ctx, act.ObjectID, "", act.Actor); err != nil {
			return err
		}
		if err := h.reactions.Unannounced(ctx, act.ObjectID, act.Actor); err != nil {
			return err
		}
	}
	return nil
}
