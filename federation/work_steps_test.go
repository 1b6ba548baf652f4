package federation

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"roost/federation/vocab"
)

// workHeard records what OnWork told.
type workHeard struct {
	mu   sync.Mutex
	told []Work
}

func (h *workHeard) hear(w Work) { h.mu.Lock(); h.told = append(h.told, w); h.mu.Unlock() }

func (h *workHeard) has(w Work) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Contains(h.told, w)
}

// Without Run, DeliverDue steps do a fan-out: a full claim asks for another
// worker before sending, every inbox gets the activity once, and the step
// says when nothing more is due.
func TestDeliverDueStepsWithoutRun(t *testing.T) {
	network := newTestNet()
	bob := newPeer(t, network, "bob.test")
	var inboxes []string
	for i := range 5 {
		inboxes = append(inboxes, fmt.Sprintf("http://bob.test/inbox/%d", i))
	}
	s := newTestSite(t, network, func(c *Config) { c.Audience = audience{inboxes: inboxes} })
	heard := &workHeard{}
	s.OnWork(heard.hear)
	ctx := context.Background()
	if err := s.publishAlone(ctx, noteCreate(1), Audience{Followers: true}); err != nil {
		t.Fatal(err)
	}
	if !heard.has(WorkDeliveries) {
		t.Fatal("publishing did not tell the host of deliveries")
	}
	mores := 0
	for range 10 {
		next, err := s.DeliverDue(ctx, 2, func() { mores++ })
		if err != nil {
			t.Fatal(err)
		}
		if next.IsZero() {
			break
		}
	}
	paths := map[string]int{}
	for _, r := range bob.received() {
		paths[r.Path]++
	}
	if len(paths) != 5 {
		t.Errorf("inboxes reached: %v, want all 5", paths)
	}
	for p, n := range paths {
		if n != 1 {
			t.Errorf("%s received %d copies", p, n)
		}
	}
	if mores < 2 {
		t.Errorf("full claims asked for more work %d times, want at least 2 (5 deliveries, 2 a claim)", mores)
	}
	if next, err := s.DeliverDue(ctx, 2, func() { t.Error("nothing left, yet more was asked for") }); err != nil || !next.IsZero() {
		t.Errorf("after the fan-out: next %v, err %v; want nothing due", next, err)
	}
}

// A failed delivery is due again at its retry, which the step names.
func TestDeliverDueStepNamesTheRetry(t *testing.T) {
	network := newTestNet()
	bob := newPeer(t, network, "bob.test")
	tries := 0
	bob.status = func(path string, n int) int { tries = n; return 503 }
	s := newTestSite(t, network, func(c *Config) { c.RetryBase = time.Minute })
	ctx := context.Background()
	if err := s.publishAlone(ctx, noteCreate(1), Audience{Inboxes: []string{"http://bob.test/inbox"}}); err != nil {
		t.Fatal(err)
	}
	next, err := s.DeliverDue(ctx, 4, func() {})
	if err != nil {
		t.Fatal(err)
	}
	if wait := time.Until(next); wait < 40*time.Second || wait > 80*time.Second {
		t.Errorf("next due in %v, want about the retry delay of a minute", wait)
	}
	bob.mu.Lock()
	defer bob.mu.Unlock()
	if tries != 1 {
		t.Errorf("bob was tried %d times, want once before the retry is due", tries)
	}
}

// Without Run, an accepted activity is stored for the workers, the host is
// told, and ProcessInboxDue dispatches it in order of arrival.
func TestProcessInboxDueStepWithoutRun(t *testing.T) {
	f := newIdleInboxFixture(t)
	heard := &workHeard{}
	f.site.OnWork(heard.hear)
	for i := range 3 {
		id := fmt.Sprintf("%s/statuses/%d", f.bobID, i)
		w := f.post(t, map[string]any{"@context": vocab.ContextAS, "id": id + "/activity", "type": vocab.TypeCreate,
			"actor": f.bobID, "object": note(id, f.bobID)})
		if w.Code != 202 {
			t.Fatalf("inbox answered %d", w.Code)
		}
	}
	if !heard.has(WorkInbox) {
		t.Fatal("accepting did not tell the host of inbox work")
	}
	next, err := f.site.ProcessInboxDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !next.IsZero() {
		t.Errorf("next due %v after processing everything, want nothing", next)
	}
	f.rec.mu.Lock()
	calls := strings.Join(f.rec.calls, "\n")
	f.rec.mu.Unlock()
	for i := range 3 {
		want := fmt.Sprintf("created %s/statuses/%d by %s", f.bobID, i, f.bobID)
		if !strings.Contains(calls, want) {
			t.Errorf("not dispatched: %s (got %s)", want, calls)
		}
	}
	if i0, i2 := strings.Index(calls, "/statuses/0 "), strings.Index(calls, "/statuses/2 "); i0 > i2 {
		t.Errorf("dispatched out of order: %s", calls)
	}
}
