package mastodon

import (
	"context"
	"sort"
	"sync"

	"roost/federation/vocab"
)

func (f *fakeRemote) ReactedBy(_ context.Context, objectID, kind string) ([]*vocab.Actor, error) {
	return f.reacted[kind+" "+objectID], nil
}

func (f *fakeRemote) Edits(_ context.Context, id int64) ([]Edit, error) { return f.edits[id], nil }

func (f *fakeRemote) PostsBy(_ context.Context, actorID string, p Page) ([]Post, error) {
	var out []Post
	for _, x := range f.stored {
		if x.Author != nil && x.Author.ID == actorID && inPage(p, x.ID) {
			out = append(out, x)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	if len(out) > p.Limit {
		out = out[:p.Limit]
	}
	return out, nil
}

// fakeSocial is the contacts room as far as mutes and actors go.
type fakeSocial struct {
	mu      sync.Mutex
	actors  map[string]*vocab.Actor
	muted   map[string]bool // actor id → notifications hidden too
	blocked map[string]bool
}

func newFakeSocial(actors ...*vocab.Actor) *fakeSocial {
	f := &fakeSocial{actors: map[string]*vocab.Actor{}, muted: map[string]bool{}, blocked: map[string]bool{}}
	for _, a := range actors {
		f.actors[a.ID] = a
	}
	return f
}

// withSocial plugs a fake contacts room into a test API.
func (ta *testAPI) withSocial(f *fakeSocial) { ta.api.cfg.Social = f }

func (f *fakeSocial) Follow(_ context.Context, in string) (string, error) { return in, nil }
func (f *fakeSocial) Unfollow(context.Context, string) error              { return nil }
func (f *fakeSocial) Block(_ context.Context, id string) error            { f.blocked[id] = true; return nil }
func (f *fakeSocial) Unblock(_ context.Context, id string) error          { delete(f.blocked, id); return nil }
func (f *fakeSocial) BlockDomain(context.Context, string) error           { return nil }
func (f *fakeSocial) UnblockDomain(context.Context, string) error         { return nil }
func (f *fakeSocial) DomainBlocks(context.Context) ([]string, error)      { return nil, nil }
func (f *fakeSocial) SetNote(context.Context, string, string) error       { return nil }
func (f *fakeSocial) Approve(context.Context, string) error               { return nil }
func (f *fakeSocial) Reject(context.Context, string) error                { return nil }
func (f *fakeSocial) Following(context.Context) ([]*vocab.Actor, error)   { return nil, nil }
func (f *fakeSocial) Followers(context.Context) ([]*vocab.Actor, error)   { return nil, nil }
func (f *fakeSocial) Requests(context.Context) ([]*vocab.Actor, error)    { return nil, nil }
func (f *fakeSocial) Blocks(context.Context) ([]*vocab.Actor, error)      { return nil, nil }
func (f *fakeSocial) Relationship(_ context.Context, id string) (Relationship, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	hide, muted := f.muted[id]
	return Relationship{Blocking: f.blocked[id], Muting: muted, MutingNotifications: hide}, nil
}

func (f *fakeSocial) Actor(_ context.Context, id string) (*vocab.Actor, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if a, ok := f.actors[id]; ok {
		return a, nil
	}
	return nil, ErrNotFound
}

func (f *fakeSocial) Hidden(_ context.Context, id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, muted := f.muted[id]
	return muted || f.blocked[id]
}

func (f *fakeSocial) Mute(_ context.Context, id string, hideNotifications bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.muted[id] = hideNotifications
	return nil
}

func (f *fakeSocial) Unmute(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.muted[id]; !ok {
		return ErrNotFound
	}
	delete(f.muted, id)
	return nil
}

func (f *fakeSocial) Mutes(context.Context) ([]*vocab.Actor, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*vocab.Actor
	for id := range f.muted {
		if a, ok := f.actors[id]; ok {
			out = append(out, a)
		} else {
			out = append(out, &vocab.Actor{ID: id})
		}
	}
	return out, nil
}
