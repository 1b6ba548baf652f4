package federation

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"roost/federation/vocab"
)

// ActorCounts are the sizes of a remote actor's followers, following and
// outbox collections, as its server reports them (totalItems). A
// collection its server hides or does not count is 0.
type ActorCounts struct {
	Followers, Following, Posts int
}

// countsFetchTimeout bounds the fetch of each collection: a profile shown
// in an app waits for it.
const countsFetchTimeout = 5 * time.Second

// actorCounts keeps counts for actorMaxAge, like the actors themselves,
// and lets one fetch at a time run per actor.
type actorCounts struct {
	mu     sync.Mutex
	byID   map[string]cachedCounts
	flight singleflight.Group
}

type cachedCounts struct {
	counts  ActorCounts
	fetched time.Time
}

// maxCachedCounts bounds the cache as actorCache's size bounds actors.
const maxCachedCounts = 4096

func (c *actorCounts) get(id string, now time.Time) (ActorCounts, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byID[id]
	if !ok || now.Sub(e.fetched) >= actorMaxAge {
		return ActorCounts{}, false
	}
	return e.counts, true
}

func (c *actorCounts) put(id string, counts ActorCounts, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byID == nil || len(c.byID) >= maxCachedCounts {
		c.byID = map[string]cachedCounts{}
	}
	c.byID[id] = cachedCounts{counts: counts, fetched: now}
}

// ActorCounts returns the sizes of a remote actor's collections, read
// from their totalItems the first time they are asked for and kept as
// long as a fetched actor is. Only collections on the actor's own server
// are fetched, each once, signed and bounded like every fetch, the three
// at once.
func (s *Service) ActorCounts(ctx context.Context, actorID string) (ActorCounts, error) {
	if c, ok := s.counts.get(actorID, s.now()); ok {
		return c, nil
	}
	v, err, _ := s.counts.flight.Do(actorID, func() (any, error) {
		a, err := s.FetchActor(ctx, actorID, false)
		if err != nil {
			return ActorCounts{}, err
		}
		var c ActorCounts
		var wg sync.WaitGroup
		for _, f := range []struct {
			url  string
			into *int
		}{{a.Followers, &c.Followers}, {a.Following, &c.Following}, {a.Outbox, &c.Posts}} {
			if f.url == "" || !SameOrigin(f.url, a.ID) {
				continue
			}
			wg.Go(func() { *f.into = s.collectionSize(ctx, f.url) })
		}
		wg.Wait()
		if ctx.Err() == nil {
			// Counts of a fetch cut short are not kept for a day.
			s.counts.put(actorID, c, s.now())
		}
		return c, nil
	})
	return v.(ActorCounts), err
}

// KnownActorCounts returns a remote actor's counts when they were fetched
// recently, without fetching: lists of statuses show them where known.
func (s *Service) KnownActorCounts(actorID string) (ActorCounts, bool) {
	return s.counts.get(actorID, s.now())
}

// collectionSize fetches a collection and reads its totalItems; 0 when
// the fetch fails or the server does not say.
func (s *Service) collectionSize(ctx context.Context, u string) int {
	ctx, cancel := context.WithTimeout(ctx, countsFetchTimeout)
	defer cancel()
	body, _, _, err := s.get(ctx, u, "")
	if err != nil {
		return 0
	}
	c, err := vocab.ParseCollection(body)
	if err != nil || c.TotalItems < 0 {
		return 0
	}
	return c.TotalItems
}
