package mastodon

import (
	"context"

	"roost/feed"
)

// Kinds of status, by where it is stored.
const (
	kindNote    = "note"    // the owner's note, in the feed room
	kindRemote  = "remote"  // someone else's post or a boost, through Remote
	kindArticle = "article" // the owner's blog article
)

// findPost looks a status id up in every store that hands out status ids.
func (a *API) findPost(ctx context.Context, id int64) (Post, string, error) {
	n, err := a.cfg.Feed.Get(ctx, id)
	if err == nil {
		return noteToPost(n), kindNote, nil
	}
	if !isNotFound(err) {
		return Post{}, "", err
	}
	if a.cfg.Remote != nil {
		p, err := a.cfg.Remote.Post(ctx, id)
		if err == nil {
			return p, kindRemote, nil
		}
		if !isNotFound(err) {
			return Post{}, "", err
		}
	}
	if a.cfg.Articles != nil {
		ar, err := a.cfg.Articles.Article(ctx, id)
		if err == nil {
			return articleToPost(ar), kindArticle, nil
		}
		if !isNotFound(err) {
			return Post{}, "", err
		}
	}
	return Post{}, "", ErrNotFound
}

// postByObjectID finds a status by its ActivityStreams id.
func (a *API) postByObjectID(ctx context.Context, objectID string) (Post, error) {
	if n, err := a.cfg.Feed.ByURL(ctx, objectID); err == nil {
		return noteToPost(n), nil
	}
	if a.cfg.Remote != nil {
		return a.cfg.Remote.PostByObjectID(ctx, objectID)
	}
	return Post{}, ErrNotFound
}

// visible tells whether a status may be shown to a request without an owner
// token: public and unlisted only.
func visible(p Post, owner bool) bool {
	if owner {
		return true
	}
	return p.Visibility == "" || p.Visibility == feed.VisibilityPublic || p.Visibility == feed.VisibilityUnlisted
}
