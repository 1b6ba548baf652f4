package main

import (
	"container/heap"
	"context"
	"sync"
	"time"
)

// workPool is one kind of background work (deliveries, the inbox, feed
// polls...) done for every hosted site by a fixed number of workers. It
// keeps one schedule: each site that has work of this kind, by the time it
// falls due. A worker takes the site due first, runs one step of its work
// and puts the site back by the time the step says the next item is due.
// Sites with nothing due cost one map entry, or nothing at all.
type workPool struct {
	name    string
	workers int
	// exclusive pools run at most one step of a site at a time (the inbox,
	// whose order per actor must hold); the others let several workers
	// share a site's big fan-out.
	exclusive bool
	// step does what is due now for one site. more puts the site back as due
	// at once, for another worker, while this step still runs. The time
	// returned is when its next item is due (zero: nothing waits).
	step func(ctx context.Context, domain string, more func()) time.Time
	now  func() time.Time

	mu      sync.Mutex
	entries map[string]*poolEntry
	queue   dueQueue
	// wake tells a sleeping worker that the schedule's head changed.
	wake chan struct{}
}

// poolEntry is one site in a pool's schedule.
type poolEntry struct {
	domain  string
	due     time.Time
	index   int // in queue; -1 when not queued
	running int
	// again is set when work arrived during an exclusive step; the site is
	// queued by due when the step ends.
	again bool
	// looks counts the quick second looks left after a nudge (see nudge).
	looks int
}

// nudgeLooks are the delays of the second looks after a nudge whose step
// found nothing yet.
var nudgeLooks = []time.Duration{10 * time.Millisecond, 100 * time.Millisecond, time.Second}

// nudge makes domain due now, for a room telling that it queued work. A
// room may tell before the transaction that queues the work has committed
// (federation's Publish runs inside the caller's transaction), so a step
// that finds nothing looks again a few times shortly after, as Run's loops
// look again soon after a wake-up that found nothing.
func (p *workPool) nudge(domain string) { p.add(domain, p.now(), len(nudgeLooks)) }

func newWorkPool(name string, workers int, exclusive bool, step func(context.Context, string, func()) time.Time) *workPool {
	return &workPool{name: name, workers: workers, exclusive: exclusive, step: step, now: time.Now,
		entries: map[string]*poolEntry{}, wake: make(chan struct{}, 1)}
}

// schedule makes domain due at t at the latest.
func (p *workPool) schedule(domain string, t time.Time) { p.add(domain, t, 0) }

func (p *workPool) add(domain string, t time.Time, looks int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	e := p.entries[domain]
	if e == nil {
		e = &poolEntry{domain: domain, due: t, index: -1}
		p.entries[domain] = e
	}
	e.looks = max(e.looks, looks)
	switch {
	case e.index >= 0:
		if t.Before(e.due) {
			e.due = t
			heap.Fix(&p.queue, e.index)
		}
	case p.exclusive && e.running > 0:
		if !e.again || t.Before(e.due) {
			e.due = t
		}
		e.again = true
		return
	default:
		e.due = t
		heap.Push(&p.queue, e)
	}
	if p.queue[0] == e {
		p.signal()
	}
}

func (p *workPool) signal() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// take returns the site due first if it is due, or how long until it is.
func (p *workPool) take() (*poolEntry, time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.queue) == 0 {
		return nil, time.Hour
	}
	if wait := p.queue[0].due.Sub(p.now()); wait > 0 {
		return nil, wait
	}
	e := heap.Pop(&p.queue).(*poolEntry)
	e.running++
	if len(p.queue) > 0 {
		p.signal() // another worker may take the next one
	}
	return e, 0
}

// finished puts a site back by the time its step named, or earlier if
// work arrived meanwhile.
func (p *workPool) finished(e *poolEntry, next time.Time) {
	p.mu.Lock()
	e.running--
	again, due := e.again, e.due
	e.again = false
	if e.looks > 0 {
		look := p.now().Add(nudgeLooks[len(nudgeLooks)-e.looks])
		e.looks--
		if next.IsZero() || look.Before(next) {
			next = look
		}
	}
	p.mu.Unlock()
	if again && (next.IsZero() || due.Before(next)) {
		next = due
	}
	if next.IsZero() {
		p.mu.Lock()
		if e.index < 0 && e.running == 0 && p.entries[e.domain] == e {
			delete(p.entries, e.domain) // nothing waits: the site costs nothing here
		}
		p.mu.Unlock()
		return
	}
	p.schedule(e.domain, next)
}

// run is one worker, until ctx ends; the step under way is finished first.
func (p *workPool) run(ctx context.Context) {
	for ctx.Err() == nil {
		e, wait := p.take()
		if e == nil {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
			case <-p.wake:
			case <-t.C:
			}
			t.Stop()
			continue
		}
		more := func() { p.schedule(e.domain, p.now()) }
		p.finished(e, p.step(ctx, e.domain, more))
	}
	p.signal() // the next worker sees ctx end too
}

// start runs the pool's workers until ctx ends.
func (p *workPool) start(ctx context.Context, wg *sync.WaitGroup) {
	for range p.workers {
		wg.Go(func() { p.run(ctx) })
	}
}

// size is how many sites the schedule holds.
func (p *workPool) size() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.entries)
}

// dueQueue is a min-heap of sites by due time.
type dueQueue []*poolEntry

func (q dueQueue) Len() int           { return len(q) }
func (q dueQueue) Less(i, j int) bool { return q[i].due.Before(q[j].due) }
func (q dueQueue) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].index, q[j].index = i, j
}
func (q *dueQueue) Push(x any) {
	e := x.(*poolEntry)
	e.index = len(*q)
	*q = append(*q, e)
}
func (q *dueQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	old[len(old)-1] = nil
	e.index = -1
	*q = old[:len(old)-1]
	return e
}
