package main

import (
	"context"
	"errors"

	"roost/contacts"
	"roost/federation/vocab"
	"roost/feed"
	"roost/feed/mastodon"
)

// More of the adapters between the rooms and the Mastodon API: bookmarks
// and likes, who reacted, edit history, one account's posts, and mutes.

func (a remoteAdapter) Bookmark(ctx context.Context, id string) error { return a.f.Bookmark(ctx, id) }
func (a remoteAdapter) Unbookmark(ctx context.Context, id string) error {
	return a.f.Unbookmark(ctx, id)
}

func (a remoteAdapter) Bookmarked(ctx context.Context, p mastodon.Page) ([]mastodon.Post, []int64, error) {
	return a.marked(a.f.Bookmarked(ctx, p.Limit, p.MaxID))
}

func (a remoteAdapter) Favourites(ctx context.Context, p mastodon.Page) ([]mastodon.Post, []int64, error) {
	return a.marked(a.f.OwnLikes(ctx, p.Limit, p.MaxID))
}

// marked turns a page of marked posts into statuses and the marks' cursors.
func (a remoteAdapter) marked(list []feed.Entry, err error) ([]mastodon.Post, []int64, error) {
	if err != nil {
		return nil, nil, err
	}
	posts, cursors := make([]mastodon.Post, len(list)), make([]int64, len(list))
	for i, e := range list {
		posts[i], cursors[i] = a.post(e.Post), e.ID
	}
	return posts, cursors, nil
}

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
