package mastodon

import (
	"cmp"
	"context"
	"slices"
)

// maxRefills bounds how many more pages a timeline reads when hiding muted
// accounts leaves a page short.
const maxRefills = 3

// hider answers, for one request, whose posts and notifications the owner
// hid. The contacts room decides (blocks, domain blocks and mutes, kept for
// the web and the apps alike); each author is asked about once per request.
type hider struct {
	a      *API
	ctx    context.Context
	hidden map[string]bool
	quiet  map[string]bool // hidden, but their notifications still shown
}

func (a *API) newHider(ctx context.Context) *hider {
	return &hider{a: a, ctx: ctx}
}

func (h *hider) actorHidden(actorID string) bool {
	if h.a.cfg.Social == nil || actorID == "" || actorID == h.a.cfg.ActorID {
		return false
	}
	if v, ok := h.hidden[actorID]; ok {
		return v
	}
	if h.hidden == nil {
		h.hidden = map[string]bool{}
	}
	v := h.a.cfg.Social.Hidden(h.ctx, actorID)
	h.hidden[actorID] = v
	return v
}

// post tells whether a post is hidden: by its author, or by the account
// that boosted it.
func (h *hider) post(p Post) bool {
	if p.Author != nil && h.actorHidden(p.Author.ID) {
		return true
	}
	return p.Reblog != nil && p.Reblog.Author != nil && h.actorHidden(p.Reblog.Author.ID)
}

// notification tells whether a notification is hidden. Mastodon lets a mute
// keep notifications ("notifications": false), so a muted account that is
// not blocked still notifies then.
func (h *hider) notification(n Notification) bool {
	if n.Actor == nil || !h.actorHidden(n.Actor.ID) {
		return n.Status != nil && h.post(*n.Status)
	}
	if v, ok := h.quiet[n.Actor.ID]; ok {
		return !v
	}
	rel, err := h.a.cfg.Social.Relationship(h.ctx, n.Actor.ID)
	keep := err == nil && rel.Muting && !rel.MutingNotifications && !rel.Blocking && !rel.DomainBlocking
	if h.quiet == nil {
		h.quiet = map[string]bool{}
	}
	h.quiet[n.Actor.ID] = keep
	return !keep
}

// readVisible reads a page from read, newest first, keeping what keep
// accepts. When that leaves the page short and the store has more, it reads
// on past the last batch, a few times at most, so that apps get full pages
// (some stop paging at a short one): downwards below the oldest item seen,
// or, for a min_id page, upwards above the newest. It returns at most
// pg.Limit items, newest first; a min_id page keeps the ones just above
// min_id.
func readVisible[T any](pg Page, read func(Page) ([]T, error), id func(T) int64, keep func(T) bool) ([]T, error) {
	var out []T
	for i := 0; i <= maxRefills; i++ {
		batch, err := read(pg)
		if err != nil {
			return nil, err
		}
		if i == 0 && all(batch, keep) {
			return batch, nil // the usual case: nothing hidden, nothing copied
		}
		for _, x := range batch {
			if keep(x) {
				out = append(out, x)
			}
		}
		if len(out) >= pg.Limit || len(batch) < pg.Limit || len(batch) == 0 {
			break
		}
		if pg.MinID > 0 {
			pg.MinID = id(batch[0])
		} else {
			pg.MaxID = id(batch[len(batch)-1])
		}
	}
	slices.SortFunc(out, func(a, b T) int { return cmp.Compare(id(b), id(a)) })
	if len(out) > pg.Limit {
		if pg.MinID > 0 {
			out = out[len(out)-pg.Limit:]
		} else {
			out = out[:pg.Limit]
		}
	}
	return out, nil
}

func all[T any](list []T, keep func(T) bool) bool {
	for _, x := range list {
		if !keep(x) {
			return false
		}
	}
	return true
}

func postID(p Post) int64                 { return p.ID }
func notificationID(n Notification) int64 { return n.ID }
