package federation

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
)

// TestActorCounts reads the sizes of an actor's collections once, and
// never follows a collection URL that leads off the actor's server: a
// hostile actor could otherwise aim the site's signed fetches anywhere.
func TestActorCounts(t *testing.T) {
	net := newTestNet()
	s := newTestSite(t, net)
	bob := newPeer(t, net, "bob.test")
	victim := newPeer(t, net, "victim.test")
	id := bob.addActor("bob", testKey(t, 1))
	bob.setActorField("bob", "following", "http://victim.test/admin/following")
	var victimHits, outboxHits atomic.Int32
	victim.extra.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { victimHits.Add(1) })
	serveJSON(bob, "/users/bob/followers", map[string]any{"id": id + "/followers", "type": "OrderedCollection", "totalItems": 42})
	bob.extra.HandleFunc("/users/bob/outbox", func(w http.ResponseWriter, r *http.Request) {
		outboxHits.Add(1)
		w.Header().Set("Content-Type", "application/activity+json")
		w.Write([]byte(`{"id": "` + id + `/outbox", "type": "OrderedCollection", "totalItems": 7}`))
	})
	ctx := context.Background()
	for range 2 {
		c, err := s.ActorCounts(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if c.Followers != 42 || c.Posts != 7 || c.Following != 0 {
			t.Errorf("counts %+v, want 42 followers, 7 posts, following unknown", c)
		}
	}
	if victimHits.Load() != 0 {
		t.Errorf("a collection on another server was fetched %d times", victimHits.Load())
	}
	if outboxHits.Load() != 1 {
		t.Errorf("the outbox was fetched %d times, want once (then cached)", outboxHits.Load())
	}
}
