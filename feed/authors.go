package feed

import (
	"context"
	"fmt"

	"roost/federation"
	"roost/federation/vocab"
)

var _ federation.ProfileHandler = (*Feed)(nil)

// ActorUpdated refreshes the snapshot of an author the feed already knows
// (name, handle, avatar, profile page), which the timelines and the
// notifications show beside their posts: federation calls it after an
// Update from the actor, or when a refetch finds its document changed. An
// actor the feed never met is not added.
func (f *Feed) ActorUpdated(ctx context.Context, a *vocab.Actor) error {
	if a == nil || a.ID == "" {
		return nil
	}
	au := AuthorOf(a)
	_, err := f.db.ExecContext(ctx, `UPDATE authors SET name = ?, handle = ?, avatar_url = ?, profile_url = ?, updated = ?
		WHERE actor_id = ?`, au.Name, au.Handle, au.AvatarURL, au.ProfileURL, f.now().Unix(), a.ID)
	if err != nil {
		return fmt.Errorf("actor updated %s: %w", a.ID, err)
	}
	return nil
}
