package feed

import (
	"context"

	"roost/templates"
)

// followOffers decides, for one page, which authors get a Follow button:
// those on the fediverse whom the owner does not follow yet. Config.Follows
// asks the contacts room, once per distinct author on the page.
type followOffers struct {
	ctx     context.Context
	follows func(ctx context.Context, actorID string) bool
	known   map[string]bool
}

func (f *Feed) newFollowOffers(ctx context.Context) *followOffers {
	return &followOffers{ctx: ctx, follows: f.cfg.Follows, known: map[string]bool{}}
}

// mark sets CanFollow on a post whose author may be followed. postView
// leaves AuthorID empty for the owner's own posts and web-feed items.
func (o *followOffers) mark(v *templates.TimelinePostView) {
	if !v.Actions || v.AuthorID == "" {
		return
	}
	followed, seen := o.known[v.AuthorID]
	if !seen {
		followed = o.follows != nil && o.follows(o.ctx, v.AuthorID)
		o.known[v.AuthorID] = followed
	}
	v.CanFollow = !followed
}

// markEntries marks the posts of a timeline page.
func (o *followOffers) markEntries(entries []templates.TimelineEntryView) {
	for i := range entries {
		o.mark(&entries[i].Post)
	}
}

// markNodes marks the posts of a thread's replies, at every depth.
func (o *followOffers) markNodes(nodes []templates.ThreadNode) {
	for i := range nodes {
		o.mark(&nodes[i].Post)
		o.markNodes(nodes[i].Children)
	}
}
