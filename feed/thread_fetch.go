package feed

import (
	"context"
	"errors"
	"fmt"
	"time"

	"roost/federation"
	"roost/federation/vocab"
)

// A thread view fetches at most this many documents (posts and their
// authors) from other servers, within this time: a long or hostile chain
// of replies must not hold the page for minutes.
const (
	threadFetchBudget = 25
	threadFetchTime   = 15 * time.Second
)

// errNotLoaded wraps the reason a post that is not stored could not be
// fetched either.
var errNotLoaded = errors.New("post could not be loaded")

// threadLoader finds the posts of a conversation for one thread view: in
// the database, or on their servers when they never reached the site.
// What it fetches is stored (off the home timeline) for the next visit.
type threadLoader struct {
	f      *Feed
	left   int // fetches left
	actors map[string]*vocab.Actor
}

func (f *Feed) newThreadLoader() *threadLoader {
	return &threadLoader{f: f, left: threadFetchBudget, actors: map[string]*vocab.Actor{}}
}

// post reads a post by object id, fetching and storing it when it is not
// stored and Config.FetchObject is set.
func (l *threadLoader) post(ctx context.Context, id string) (Post, error) {
	p, err := l.f.PostByObjectID(ctx, id)
	if !errors.Is(err, ErrNotFound) || l.f.cfg.FetchObject == nil || l.f.isOwnObject(id) || !isWebURL(id) {
		return p, err
	}
	if l.left <= 0 {
		return Post{}, fmt.Errorf("load %s: %w: fetch budget spent", id, errNotLoaded)
	}
	l.left--
	obj, err := l.f.cfg.FetchObject(ctx, id)
	if err != nil {
		return Post{}, fmt.Errorf("load %s: %w: %w", id, errNotLoaded, err)
	}
	if !vocab.IsPost(obj) {
		return Post{}, fmt.Errorf("load %s: %w: not a post", id, errNotLoaded)
	}
	// A server speaks only for its own accounts (Mastodon checks the same):
	// a post claiming an author elsewhere is not believed.
	if !federation.SameOrigin(obj.ID, obj.AttributedTo) {
		return Post{}, fmt.Errorf("load %s: %w: author %q is on another server", id, errNotLoaded, obj.AttributedTo)
	}
	p, err = l.f.StorePost(ctx, obj, l.actor(ctx, obj.AttributedTo))
	if err != nil {
		return Post{}, fmt.Errorf("load %s: %w", id, err)
	}
	return p, nil
}

// actor is the author of a fetched post: fetched once per view when the
// site holds no snapshot of them and the budget allows, else known by id
// only.
func (l *threadLoader) actor(ctx context.Context, id string) *vocab.Actor {
	if a, ok := l.actors[id]; ok {
		return a
	}
	a := &vocab.Actor{ID: id}
	known, err := l.f.authors(ctx, []string{id})
	if s := known[id]; err == nil && (s.Name != "" || s.Handle != "") {
		l.actors[id] = a // the stored snapshot stays
		return a
	}
	if l.f.cfg.FetchActor != nil && l.left > 0 {
		l.left--
		if got, err := l.f.cfg.FetchActor(ctx, id, false); err == nil && got != nil && got.ID == id {
			a = got
		}
	}
	l.actors[id] = a
	return a
}

// ancestors follows in_reply_to upwards from p, oldest first. complete is
// false when the chain ends at a post that could not be read (never
// reached the site and could not be fetched) or is deeper than
// maxAncestors; a deleted post ends it quietly.
func (f *Feed) ancestors(ctx context.Context, p Post, lookup func(context.Context, string) (Post, error)) (out []Post, complete bool) {
	seen := map[string]bool{p.ObjectID: true}
	complete = true
	for parent := p.InReplyTo; parent != "" && !seen[parent]; {
		if len(out) == maxAncestors {
			complete = false
			break
		}
		seen[parent] = true
		a, err := lookup(ctx, parent)
		if err != nil {
			complete = errors.Is(err, ErrGone)
			break
		}
		out = append(out, a)
		parent = a.InReplyTo
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, complete
}
