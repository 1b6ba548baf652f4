package federation

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"roost/federation/vocab"
)

// ErrNotAlias is returned by Move when the new account does not list this
// one in its alsoKnownAs: servers would refuse the move (Mastodon and
// GoToSocial check it), so roost refuses it first.
var ErrNotAlias = errors.New("the new account does not name this one as an alias")

// Move tells every follower that the owner now lives at another account
// (typed as @user@host, a domain or a URL): it checks that the account
// names this one in alsoKnownAs, sets movedTo on the profile, and sends a
// Move, on which Mastodon, GoToSocial and roost move their follows. It
// returns the new account's id.
func (s *Service) Move(ctx context.Context, to string) (string, error) {
	res, err := s.Resolve(ctx, to)
	if err != nil {
		return "", err
	}
	if res.Actor == nil {
		return "", fmt.Errorf("move to %s: it is not a fediverse account", to)
	}
	// Read the account afresh: the alias was most likely added a moment ago.
	target, err := s.FetchActor(ctx, res.Actor.ID, true)
	if err != nil {
		return "", fmt.Errorf("move to %s: %w", to, err)
	}
	if target.ID == s.ActorID() {
		return "", errors.New("move: that is this account")
	}
	if !slices.Contains(target.AlsoKnownAs, s.ActorID()) {
		return "", fmt.Errorf("move to %s: %w; add %s to its aliases (in Mastodon: Preferences → Account → Moving from a different account) and try again",
			target.ID, ErrNotAlias, s.ActorID())
	}
	pr, err := s.cfg.Profiles.Get(ctx)
	if err != nil {
		return "", err
	}
	pr.MovedTo = target.ID
	if err := s.cfg.Profiles.Save(ctx, pr); err != nil {
		return "", err
	}
	// The Update first, so that servers that re-read the actor on the
	// Move find movedTo.
	s.ProfileChanged(ctx)
	now := s.now()
	act := vocab.OutActivity{
		ID: s.ActorID() + "#move-" + strconv.FormatInt(now.UnixNano(), 36), Type: vocab.TypeMove,
		Actor: s.ActorID(), Object: s.ActorID(), Target: target.ID,
		To: []string{s.FollowersURL()}, Published: now,
	}
	if err := s.publishAlone(ctx, act, Audience{Followers: true}); err != nil {
		return "", fmt.Errorf("move: %w", err)
	}
	return target.ID, nil
}
