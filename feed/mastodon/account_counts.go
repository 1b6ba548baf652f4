package mastodon

import (
	"context"
	"log/slog"
)

// AccountCounts are what a remote account's server says of its followers,
// follows and posts.
type AccountCounts struct {
	Followers, Following, Statuses int
}

// withRemoteStats fills the counts of a remote account shown as a
// profile, and its last_status_at from the posts the site keeps: apps show
// them on the profile screen, where 0 followers reads as a new or empty
// account. Lists of accounts (timelines, followers) go without, as the
// counts may take a fetch.
func (a *API) withRemoteStats(ctx context.Context, acct *Account, actorID string) {
	if a.cfg.Counts != nil && !a.blockedAccount(ctx, actorID) {
		c, err := a.cfg.Counts(ctx, actorID)
		if err != nil {
			slog.Debug("mastodon: account counts", "actor", actorID, "err", err)
		}
		acct.Followers, acct.Following, acct.Statuses = c.Followers, c.Following, c.Statuses
	}
	if a.cfg.Remote == nil {
		return
	}
	posts, err := a.cfg.Remote.PostsBy(ctx, actorID, Page{Limit: 1})
	if err != nil || len(posts) == 0 {
		return
	}
	d := posts[0].Created.UTC().Format("2006-01-02")
	acct.LastStatusAt = &d
}

// blockedAccount tells whether the owner blocked the account or its
// server: the site does not go asking a blocked server for anything.
func (a *API) blockedAccount(ctx context.Context, actorID string) bool {
	if a.cfg.Social == nil {
		return false
	}
	rel, err := a.cfg.Social.Relationship(ctx, actorID)
	return err == nil && (rel.Blocking || rel.DomainBlocking)
}
