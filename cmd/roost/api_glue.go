package main

import (
	"context"
	"errors"
	"strings"
	"time"

	"roost/cmd/roost/access"
	"roost/feed/mastodon"
)

// micropubToMastodon maps the Micropub scopes of `roost token create` to
// the Mastodon API's: a script that may create posts may post statuses.
var micropubToMastodon = map[string][]string{
	"create": {"write:statuses"}, "update": {"write:statuses"}, "delete": {"write:statuses"},
	"media": {"write:media"}, "read": {"read"},
}

// mastodonScopes turns a site token's scope string into the Mastodon API's
// scopes: Micropub names are mapped, Mastodon names (read, write:statuses,
// follow...) are kept as they are, anything else is dropped.
func mastodonScopes(scope string) []string {
	var out []string
	add := func(s string) {
		for _, have := range out {
			if have == s {
				return
			}
		}
		out = append(out, s)
	}
	for _, f := range strings.Fields(scope) {
		if mapped, ok := micropubToMastodon[f]; ok {
			for _, s := range mapped {
				add(s)
			}
			continue
		}
		if mastodon.KnownScope(f) {
			add(f)
		}
	}
	return out
}

// siteTokenForAPI lets the Mastodon API accept the tokens of
// `roost token create`.
func (s *site) siteTokenForAPI(ctx context.Context, secret string) (int64, []string, error) {
	t, err := s.access.Store.VerifyToken(ctx, secret, time.Now())
	if errors.Is(err, access.ErrNotFound) {
		return 0, nil, mastodon.ErrNotFound
	}
	if err != nil {
		return 0, nil, err
	}
	return t.ID, mastodonScopes(t.Scope), nil
}

// accountCounts gives the Mastodon API a remote account's counts as its
// server reports them.
func (s *site) accountCounts(ctx context.Context, actorID string) (mastodon.AccountCounts, error) {
	c, err := s.fed.ActorCounts(ctx, actorID)
	return mastodon.AccountCounts{Followers: c.Followers, Following: c.Following, Statuses: c.Posts}, err
}

// knownAccountCounts gives the counts accountCounts fetched, if recent.
func (s *site) knownAccountCounts(actorID string) (mastodon.AccountCounts, bool) {
	c, ok := s.fed.KnownActorCounts(actorID)
	return mastodon.AccountCounts{Followers: c.Followers, Following: c.Following, Statuses: c.Posts}, ok
}
