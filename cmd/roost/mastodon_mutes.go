package main

import (
	"context"
	"errors"

	"roost/contacts"
	"roost/federation/vocab"
	"roost/feed/mastodon"
)

// The contacts room's mutes and the hiding of muted accounts, for the
// Mastodon API.

func (a socialAdapter) Hidden(ctx context.Context, id string) bool { return a.c.Hidden(ctx, id) }

func (a socialAdapter) Mute(ctx context.Context, id string, hideNotifications bool) error {
	return a.c.Mute(ctx, id, hideNotifications)
}

func (a socialAdapter) Unmute(ctx context.Context, id string) error {
	err := a.c.Unmute(ctx, id)
	if errors.Is(err, contacts.ErrNotFound) {
		return mastodon.ErrNotFound
	}
	return err
}

func (a socialAdapter) Mutes(ctx context.Context) ([]*vocab.Actor, error) {
	return actors(a.c.Mutes(ctx))
}
