package federation

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"roost/federation/vocab"
)

// keyFixture is alice's site on a clock that moves only when told, and
// bob, whose key alice has fetched once for a real delivery.
func keyFixture(t *testing.T) (*inboxFixture, *testClock) {
	t.Helper()
	clock := newTestClock()
	f := newIdleInboxFixture(t, func(c *Config) { c.Now = clock.Now })
	like := mustJSON(t, map[string]any{"id": f.bobID + "/likes/real", "type": vocab.TypeLike, "actor": f.bobID, "object": "http://alice.test/notes/1"})
	if w := f.postRaw(t, like, f.bobID+"#main-key", f.bobKey, clock.Now()); w.Code != http.StatusAccepted {
		t.Fatalf("bob's real delivery: %d %s", w.Code, w.Body)
	}
	if n := f.bob.fetches("/users/bob"); n != 1 {
		t.Fatalf("bob's actor fetched %d times for the first delivery, want 1", n)
	}
	// Bob's key has been known for a while.
	clock.advance(time.Hour)
	return f, clock
}

// A hostile server sends many activities naming bob's key but signed with
// another: each used to make alice refetch bob's actor, so alice could be
// used to flood bob.test. Now the refetch happens at most once a minute.
func TestForgedSignatureFloodDoesNotRefetchTheKeyEachTime(t *testing.T) {
	f, clock := keyFixture(t)
	forger := testKey(t, 2)
	post := func(i int) int {
		body := mustJSON(t, map[string]any{"id": fmt.Sprintf("%s/likes/forged-%d", f.bobID, i), "type": vocab.TypeLike,
			"actor": f.bobID, "object": "http://alice.test/notes/1"})
		return f.postRaw(t, body, f.bobID+"#main-key", forger, clock.Now()).Code
	}
	for i := range 300 {
		if code := post(i); code != http.StatusUnauthorized {
			t.Fatalf("forged delivery %d: %d, want 401", i, code)
		}
	}
	// The first failure may be a rotated key: one refetch, no more.
	if n := f.bob.fetches("/users/bob"); n != 2 {
		t.Errorf("300 forged signatures fetched bob's actor %d times, want 2 (the first fetch and one refetch)", n)
	}
	clock.advance(keyRefetchEvery + time.Second)
	for i := range 100 {
		post(300 + i)
	}
	if n := f.bob.fetches("/users/bob"); n != 3 {
		t.Errorf("after a minute, 100 more forged signatures fetched bob's actor %d times in all, want 3", n)
	}
	if got := f.rec.got(); len(got) != 0 {
		t.Errorf("forged activities reached handlers: %v", got)
	}
}

// Naming ever new key ids on one server gets round a limit per key id; the
// limit per host bounds it, and what is refused beyond it is a 429 with
// Retry-After, so that an honest peer tries again rather than giving up.
func TestMadeUpKeyIDsFetchBoundedPerHost(t *testing.T) {
	f, clock := keyFixture(t)
	before := f.bob.fetchesAll()
	forger := testKey(t, 2)
	var refused int
	for i := range 300 {
		actor := fmt.Sprintf("http://bob.test/users/nobody%d", i)
		body := mustJSON(t, map[string]any{"id": actor + "/likes/1", "type": vocab.TypeLike, "actor": actor, "object": "http://alice.test/notes/1"})
		w := f.postRaw(t, body, actor+"#main-key", forger, clock.Now())
		switch w.Code {
		case http.StatusUnauthorized:
		case http.StatusTooManyRequests:
			refused++
			if w.Header().Get("Retry-After") == "" {
				t.Fatalf("429 without Retry-After")
			}
		default:
			t.Fatalf("made-up key %d: %d", i, w.Code)
		}
	}
	// Each key fetch is at most two GETs: the key's document as an actor,
	// then as a bare key naming its owner.
	fetched := f.bob.fetchesAll() - before
	if fetched > 2*keyHostBurst {
		t.Errorf("300 made-up key ids cost bob.test %d GETs, want at most %d", fetched, 2*keyHostBurst)
	}
	if refused < 300-keyHostBurst {
		t.Errorf("%d refused with 429, want at least %d", refused, 300-keyHostBurst)
	}
}

// Bob rotates his key: his next delivery, signed with the new key, fails
// with the cached one, and alice fetches the key again once and accepts
// it. Forged signatures after that do not refetch it again.
func TestRotatedKeyIsRefetchedOnce(t *testing.T) {
	f, clock := keyFixture(t)
	rotated := testKey(t, 2)
	f.bob.addActor("bob", rotated)
	like := mustJSON(t, map[string]any{"id": f.bobID + "/likes/after-rotation", "type": vocab.TypeLike, "actor": f.bobID, "object": "http://alice.test/notes/1"})
	if w := f.postRaw(t, like, f.bobID+"#main-key", rotated, clock.Now()); w.Code != http.StatusAccepted {
		t.Fatalf("delivery with the rotated key: %d %s", w.Code, w.Body)
	}
	if n := f.bob.fetches("/users/bob"); n != 2 {
		t.Errorf("bob's actor fetched %d times, want 2 (first delivery, rotation)", n)
	}
	for i := range 50 {
		body := mustJSON(t, map[string]any{"id": fmt.Sprintf("%s/likes/old-key-%d", f.bobID, i), "type": vocab.TypeLike, "actor": f.bobID, "object": "http://alice.test/notes/1"})
		if w := f.postRaw(t, body, f.bobID+"#main-key", f.bobKey, clock.Now()); w.Code != http.StatusUnauthorized {
			t.Fatalf("signed with the old key: %d", w.Code)
		}
	}
	if n := f.bob.fetches("/users/bob"); n != 2 {
		t.Errorf("signatures with the old key fetched bob's actor %d times in all, want 2", n)
	}
}

// A peer delivers from several connections at once. Its first requests
// all need its key: they share one fetch rather than the later ones being
// refused because the key was "fetched just now".
func TestConcurrentFirstDeliveriesShareOneKeyFetch(t *testing.T) {
	f := newIdleInboxFixture(t)
	const n = 16
	codes := make(chan int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			body := mustJSON(t, map[string]any{"id": fmt.Sprintf("%s/likes/c%d", f.bobID, i), "type": vocab.TypeLike,
				"actor": f.bobID, "object": "http://alice.test/notes/1"})
			codes <- f.postRaw(t, body, f.bobID+"#main-key", f.bobKey, time.Now()).Code
		})
	}
	wg.Wait()
	close(codes)
	for code := range codes {
		if code != http.StatusAccepted {
			t.Errorf("a concurrent first delivery got %d, want 202", code)
		}
	}
	if got := f.bob.fetches("/users/bob"); got != 1 {
		t.Errorf("%d concurrent first deliveries fetched bob's actor %d times, want 1", n, got)
	}
}
