package mastodon

import (
	"context"
	"log/slog"
	"slices"

	"roost/feed"
)

// listStreams are the list streams a post appears on: those of the lists
// its author belongs to. The owner's own posts and direct messages are in
// no list's timeline.
func (a *API) listStreams(ctx context.Context, p Post) []string {
	if a.cfg.Lists == nil || p.Author == nil || p.Visibility == feed.VisibilityDirect {
		return nil
	}
	lists, err := a.cfg.Lists.Lists(ctx)
	if err != nil {
		slog.Warn("mastodon: lists for the stream", "err", err)
		return nil
	}
	var out []string
	for _, l := range lists {
		members, err := a.cfg.Lists.ListMembers(ctx, l.ID)
		if err != nil {
			slog.Warn("mastodon: list members for the stream", "list", l.ID, "err", err)
			continue
		}
		if slices.Contains(members, p.Author.ID) {
			out = append(out, "list:"+idString(l.ID))
		}
	}
	return out
}
