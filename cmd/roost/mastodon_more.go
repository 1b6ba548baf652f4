package main

import (
	"context"
	"errors"

	"roost/contacts"
	"roost/federation/vocab"
	"roost/feed/mastodon"
)

// More of the adapters between the rooms and the Mastodon API: who reacted,
// edit history, one account's posts, and mutes.

func (a remoteAdapter) ReactedBy(ctx context.Context, objectID, kind string) ([]*vocab.Actor, error) {
	list, err := a.f.ReactedBy(ctx, objectID, kind)
	if err != nil {
		return nil, err
	}
	out := make([]*vocab.Actor, len(list))
	for i, au := range list {
		out[i] = a.actor(au)
	}
	return out, nil
}

func (a remoteAdapter) Edits(ctx context.Context, id int64) ([]mastodon.Edit, error) {
	list, err := a.f.PostEdits(ctx, id)
	if err != nil {
		return nil, err
	}
	p, err := a.f.Post(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]mastodon.Edit, len(list))
	for i, e := range list {
		out[i] = mastodon.Edit{ContentHTML: e.HTML, Summary: e.Summary, Sensitive: e.Sensitive, Created: e.Created}
		if e.Name != "" && p.Type != vocab.TypeNote {
			out[i].ContentHTML, out[i].Summary = articleStatusHTML(e.Name, e.Summary, p.URL), ""
		}
	}
	return out, nil
}

func (a remoteAdapter) PostsBy(ctx context.Context, actorID string, p mastodon.Page) ([]mastodon.Post, error) {
	list, err := a.f.PostsBy(ctx, actorID, p.Limit, p.MaxID, max(p.SinceID, p.MinID))
	if err != nil {
		return nil, err
	}
	out := make([]mastodon.Post, len(list))
	for i, x := range list {
		out[i] = a.post(x)
	}
	return out, nil
}

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
