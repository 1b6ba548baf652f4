package federation

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"roost/federation/vocab"
)

// scriptedPosts is a post handler whose answer a test decides.
type scriptedPosts struct {
	mu      sync.Mutex
	created []string
	answer  func(id string, call int) error
	calls   map[string]int
}

func (p *scriptedPosts) PostCreated(ctx context.Context, o *vocab.Object, a *vocab.Actor) error {
	p.mu.Lock()
	if p.calls == nil {
		p.calls = map[string]int{}
	}
	p.calls[o.ID]++
	n := p.calls[o.ID]
	answer := p.answer
	p.mu.Unlock()
	if answer != nil {
		if err := answer(o.ID, n); err != nil {
			return err
		}
	}
	p.mu.Lock()
	p.created = append(p.created, o.ID)
	p.mu.Unlock()
	return nil
}
func (p *scriptedPosts) PostUpdated(ctx context.Context, o *vocab.Object, a *vocab.Actor) error {
	return nil
}
func (p *scriptedPosts) PostDeleted(ctx context.Context, id, actor string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.created = append(p.created, "deleted "+id)
	return nil
}

func (p *scriptedPosts) got() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.created...)
}

func (p *scriptedPosts) callsOf(id string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls[id]
}

func (f *inboxFixture) create(n string) map[string]any {
	id := f.bobID + "/statuses/" + n
	return map[string]any{"@context": vocab.ContextAS, "id": id + "/activity", "type": vocab.TypeCreate,
		"actor": f.bobID, "object": note(id, f.bobID)}
}

func (f *inboxFixture) queueStates(t *testing.T) map[int]int {
	t.Helper()
	rows, err := f.site.cfg.DB.Query(`SELECT state, COUNT(*) FROM inbox_queue GROUP BY state`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int]int{}
	for rows.Next() {
		var state, n int
		if err := rows.Scan(&state, &n); err != nil {
			t.Fatal(err)
		}
		out[state] = n
	}
	return out
}

// The peer is answered as soon as the activity is stored, even while the
// handler is still waiting on something slow.
func TestInboxAnswersBeforeProcessing(t *testing.T) {
	f := newInboxFixture(t)
	release := make(chan struct{})
	posts := &scriptedPosts{answer: func(string, int) error { <-release; return nil }}
	f.site.SetHandlers(nil, posts, nil, nil, nil, nil)

	start := time.Now()
	w := f.postRaw(t, mustJSON(t, f.create("1")), f.bobID+"#main-key", f.bobKey, time.Now())
	if w.Code != http.StatusAccepted {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("the peer waited %v for processing", took)
	}
	if got := posts.got(); len(got) != 0 {
		t.Errorf("processed before the handler returned: %v", got)
	}
	close(release)
	f.site.waitInbox(t)
	if got := posts.got(); len(got) != 1 {
		t.Errorf("after release: %v", got)
	}
}

// An activity accepted while the workers were down (or before a crash) is
// processed at the next start, once.
func TestInboxAcceptedActivitySurvivesRestart(t *testing.T) {
	f := newIdleInboxFixture(t)
	posts := &scriptedPosts{}
	f.site.SetHandlers(nil, posts, nil, nil, nil, nil)
	for _, n := range []string{"1", "2", "1"} {
		if w := f.postRaw(t, mustJSON(t, f.create(n)), f.bobID+"#main-key", f.bobKey, time.Now()); w.Code != http.StatusAccepted {
			t.Fatalf("status %d", w.Code)
		}
	}
	// A claim that a dead process held is taken over at start.
	f.site.cfg.DB.Exec(`UPDATE inbox_queue SET lease_until = ? WHERE id = 1`, time.Now().Add(time.Hour).UnixMilli())

	restarted := newTestSiteOn(t, f.site.cfg.DB, f.network)
	restarted.SetHandlers(nil, posts, nil, nil, nil, nil)
	restarted.start(t)
	restarted.waitInbox(t)
	got := posts.got()
	if len(got) != 2 || got[0] != f.bobID+"/statuses/1" || got[1] != f.bobID+"/statuses/2" {
		t.Errorf("processed %v, want statuses 1 and 2 once each, in order", got)
	}
}

// A failing activity is retried with back-off until it succeeds; one that
// keeps failing is parked with its error and not tried again.
func TestInboxRetriesThenParks(t *testing.T) {
	f := newInboxFixture(t, func(c *Config) { c.RetryBase = time.Millisecond })
	flaky, broken := f.bobID+"/statuses/flaky", f.bobID+"/statuses/broken"
	posts := &scriptedPosts{answer: func(id string, call int) error {
		switch {
		case id == flaky && call < 3:
			return errors.New("parent's server timed out")
		case id == broken:
			return errors.New("database said no")
		}
		return nil
	}}
	f.site.SetHandlers(nil, posts, nil, nil, nil, nil)
	f.post(t, f.create("flaky"))
	f.post(t, f.create("broken"))

	if got := posts.got(); len(got) != 1 || got[0] != flaky {
		t.Errorf("created %v, want the flaky one after retries", got)
	}
	if n := posts.callsOf(flaky); n != 3 {
		t.Errorf("flaky tried %d times, want 3", n)
	}
	if n := posts.callsOf(broken); n != inboxMaxAttempts {
		t.Errorf("broken tried %d times, want %d", n, inboxMaxAttempts)
	}
	parked, err := f.site.Parked(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(parked) != 1 || parked[0].Error != "database said no" || !strings.Contains(parked[0].Document, "statuses/broken") ||
		parked[0].Attempts != inboxMaxAttempts || parked[0].Actor != f.bobID {
		t.Errorf("parked %+v", parked)
	}
	time.Sleep(50 * time.Millisecond) // well past any back-off at 1 ms
	if n := posts.callsOf(broken); n != inboxMaxAttempts {
		t.Errorf("a parked activity was tried again (%d calls)", n)
	}
	if ok, err := f.site.Settled(context.Background()); err != nil || !ok {
		t.Errorf("settled = %v, %v with only a parked activity left", ok, err)
	}
}

// A handler that panics parks its activity at once and the worker goes
// on with the next one.
func TestInboxPanicParksAndWorkerGoesOn(t *testing.T) {
	f := newInboxFixture(t)
	posts := &scriptedPosts{answer: func(id string, _ int) error {
		if strings.HasSuffix(id, "/boom") {
			panic("unexpected shape")
		}
		return nil
	}}
	f.site.SetHandlers(nil, posts, nil, nil, nil, nil)
	f.post(t, f.create("boom"))
	f.post(t, f.create("after"))
	if got := posts.got(); len(got) != 1 || !strings.HasSuffix(got[0], "/after") {
		t.Errorf("created %v", got)
	}
	if states := f.queueStates(t); states[inboxParked] != 1 || states[inboxDone] != 1 {
		t.Errorf("queue states %v", states)
	}
}

// Activities of one actor are processed in the order they arrived: a slow
// Create is not overtaken by the Delete that follows it.
func TestInboxKeepsEachActorsOrder(t *testing.T) {
	f := newInboxFixture(t)
	posts := &scriptedPosts{answer: func(string, int) error { time.Sleep(20 * time.Millisecond); return nil }}
	f.site.SetHandlers(nil, posts, nil, nil, nil, nil)
	id := f.bobID + "/statuses/1"
	f.postRaw(t, mustJSON(t, f.create("1")), f.bobID+"#main-key", f.bobKey, time.Now())
	f.post(t, map[string]any{"id": id + "#delete", "type": "Delete", "actor": f.bobID, "object": id})
	if got := posts.got(); len(got) != 2 || got[0] != id || got[1] != "deleted "+id {
		t.Errorf("order %v", got)
	}
}

// At shutdown the activity being processed finishes; the ones waiting
// behind it stay queued for the next start, and nothing runs twice.
func TestInboxShutdownFinishesCurrentAndKeepsTheRest(t *testing.T) {
	f := newIdleInboxFixture(t)
	started := make(chan struct{}, 1)
	release := make(chan struct{})
	var calls atomic.Int64
	posts := &scriptedPosts{answer: func(id string, _ int) error {
		calls.Add(1)
		if strings.HasSuffix(id, "/slow") {
			started <- struct{}{}
			<-release
		}
		return nil
	}}
	f.site.SetHandlers(nil, posts, nil, nil, nil, nil)
	f.postRaw(t, mustJSON(t, f.create("slow")), f.bobID+"#main-key", f.bobKey, time.Now())
	for _, n := range []string{"a", "b", "c"} {
		f.postRaw(t, mustJSON(t, f.create(n)), f.bobID+"#main-key", f.bobKey, time.Now())
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { f.site.Run(ctx); close(stopped) }()
	<-started
	cancel()
	select {
	case <-stopped:
		t.Fatal("Run returned before the activity in progress finished")
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	<-stopped
	if got := posts.got(); len(got) != 1 || !strings.HasSuffix(got[0], "/slow") {
		t.Fatalf("processed before shutdown: %v", got)
	}

	restarted := newTestSiteOn(t, f.site.cfg.DB, f.network)
	restarted.SetHandlers(nil, posts, nil, nil, nil, nil)
	restarted.start(t)
	restarted.waitInbox(t)
	if got := posts.got(); len(got) != 4 || calls.Load() != 4 {
		t.Errorf("after restart %v (%d calls), want each of the four once", got, calls.Load())
	}
	var attempts int
	f.site.cfg.DB.QueryRow(`SELECT MAX(attempts) FROM inbox_queue`).Scan(&attempts)
	if attempts != 1 {
		t.Errorf("max attempts %d: a claim given back at shutdown was counted as a try", attempts)
	}
}

// An activity whose stored actor and parsed actor disagree (the signer was
// checked against the first) is parked, not dispatched.
func TestInboxParksActorMismatch(t *testing.T) {
	f := newIdleInboxFixture(t)
	posts := &scriptedPosts{}
	f.site.SetHandlers(nil, posts, nil, nil, nil, nil)
	doc := string(mustJSON(t, map[string]any{"id": "http://eve.test/a", "type": "Create", "actor": "http://eve.test/eve",
		"object": note("http://eve.test/n", "http://eve.test/eve")}))
	// Received now: a row received at the epoch would be pruned as stale
	// parked work by housekeeping before the test could count it.
	f.site.cfg.DB.Exec(`INSERT INTO inbox_queue(dedupe_key, actor, document, received, next_try) VALUES('k', ?, ?, ?, 0)`,
		f.bobID, doc, time.Now().UnixMilli())
	f.site.start(t)
	f.site.waitInbox(t)
	if got := posts.got(); len(got) != 0 {
		t.Errorf("dispatched %v", got)
	}
	if states := f.queueStates(t); states[inboxParked] != 1 {
		t.Errorf("states %v", states)
	}
}
