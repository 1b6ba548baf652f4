package federation

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"roost/federation/vocab"
)

// like is a Like by actor, numbered so that each is a new activity.
func like(t *testing.T, actor string, n int) []byte {
	return mustJSON(t, map[string]any{"id": fmt.Sprintf("%s/likes/%d", actor, n), "type": vocab.TypeLike,
		"actor": actor, "object": "http://alice.test/notes/1"})
}

// One stranger delivering as fast as it can is stopped at its budget with
// 429 and Retry-After; another actor on the same server still gets in.
func TestInboxBudgetStopsOneActor(t *testing.T) {
	clock := newTestClock()
	f := newIdleInboxFixture(t, func(c *Config) { c.Now = clock.Now })
	carolKey := testKey(t, 2)
	carol := f.bob.addActor("carol", carolKey)
	budget := DefaultInboxBudget.ActorBurst
	for i := range budget {
		if w := f.postRaw(t, like(t, f.bobID, i), f.bobID+"#main-key", f.bobKey, clock.Now()); w.Code != http.StatusAccepted {
			t.Fatalf("bob's activity %d of his budget of %d: %d %s", i+1, budget, w.Code, w.Body)
		}
	}
	w := f.postRaw(t, like(t, f.bobID, budget), f.bobID+"#main-key", f.bobKey, clock.Now())
	if w.Code != http.StatusTooManyRequests {
		t.Fatalf("bob over his budget: %d, want 429", w.Code)
	}
	if secs, err := strconv.Atoi(w.Header().Get("Retry-After")); err != nil || secs < 1 {
		t.Errorf("Retry-After %q, want whole seconds", w.Header().Get("Retry-After"))
	}
	if w := f.postRaw(t, like(t, carol, 0), carol+"#main-key", carolKey, clock.Now()); w.Code != http.StatusAccepted {
		t.Errorf("carol, on bob's server, while bob is over his budget: %d, want 202", w.Code)
	}
	// Once the Retry-After has passed, bob is let in again.
	secs, _ := strconv.Atoi(w.Header().Get("Retry-After"))
	clock.advance(secondsOf(secs))
	if w := f.postRaw(t, like(t, f.bobID, budget+1), f.bobID+"#main-key", f.bobKey, clock.Now()); w.Code != http.StatusAccepted {
		t.Errorf("bob after Retry-After: %d, want 202", w.Code)
	}
	var stored int
	f.site.cfg.DB.QueryRow(`SELECT COUNT(*) FROM inbox_queue WHERE actor = ?`, f.bobID).Scan(&stored)
	if stored != budget+1 {
		t.Errorf("%d of bob's activities stored, want %d", stored, budget+1)
	}
}

// A big server delivers for many of its accounts at once: its budget is
// many accounts' worth, so none of them is throttled; and an account the
// owner follows may deliver more than a stranger.
func TestInboxBudgetLetsABusyServerAndFollowedActorsThrough(t *testing.T) {
	clock := newTestClock()
	f := newIdleInboxFixture(t, func(c *Config) {
		c.Now = clock.Now
		c.FollowsActor = func(_ context.Context, id string) bool { return id == "http://bob.test/users/bob" }
	})
	key := testKey(t, 2)
	accounts := DefaultInboxBudget.HostBurst / DefaultInboxBudget.ActorBurst
	for a := range accounts {
		actor := f.bob.addActor(fmt.Sprintf("user%d", a), key)
		for i := range DefaultInboxBudget.ActorBurst {
			if w := f.postRaw(t, like(t, actor, i), actor+"#main-key", key, clock.Now()); w.Code != http.StatusAccepted {
				t.Fatalf("account %d of %d, activity %d: %d", a+1, accounts, i+1, w.Code)
			}
		}
	}
	clock.advance(secondsOf(DefaultInboxBudget.HostBurst / int(DefaultInboxBudget.HostRate)))
	for i := range DefaultInboxBudget.FollowedBurst {
		if w := f.postRaw(t, like(t, f.bobID, i), f.bobID+"#main-key", f.bobKey, clock.Now()); w.Code != http.StatusAccepted {
			t.Fatalf("followed bob's activity %d of %d: %d", i+1, DefaultInboxBudget.FollowedBurst, w.Code)
		}
	}
}

func secondsOf(n int) time.Duration { return time.Duration(n) * time.Second }
