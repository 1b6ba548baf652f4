package main

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// An exclusive pool never runs two steps of one site at once, even when
// work arrives during a step; that work gets a step of its own after it.
func TestExclusivePoolRunsOneStepOfASiteAtATime(t *testing.T) {
	var running, overlaps, steps atomic.Int32
	release := make(chan struct{})
	var pool *workPool
	pool = newWorkPool("test", 4, true, func(ctx context.Context, domain string, more func()) time.Time {
		if running.Add(1) > 1 {
			overlaps.Add(1)
		}
		defer running.Add(-1)
		if steps.Add(1) == 1 {
			pool.nudge(domain) // work arrives while the step runs
			more()
			<-release
		}
		return time.Time{}
	})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	pool.start(ctx, &wg)
	defer func() { cancel(); wg.Wait() }()
	pool.schedule("a.test", time.Now())
	time.Sleep(100 * time.Millisecond)
	if n := steps.Load(); n != 1 {
		t.Fatalf("%d steps began while the first ran, want only it", n)
	}
	close(release)
	eventually(t, 5*time.Second, "the step for the work that arrived", func() bool { return steps.Load() >= 2 })
	if overlaps.Load() > 0 {
		t.Error("two steps of one site ran at once")
	}
}

// A shared pool lets a site's step hand the rest of a big batch to other
// workers (more), and sites come in the order of their due times.
func TestSharedPoolSpreadsASiteOverWorkers(t *testing.T) {
	var running, most atomic.Int32
	var left atomic.Int32
	left.Store(12)
	pool := newWorkPool("test", 4, false, func(ctx context.Context, domain string, more func()) time.Time {
		n := running.Add(1)
		defer running.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		if left.Add(-1) > 0 {
			more()
		}
		time.Sleep(20 * time.Millisecond)
		return time.Time{}
	})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	pool.start(ctx, &wg)
	defer func() { cancel(); wg.Wait() }()
	pool.schedule("big.test", time.Now())
	eventually(t, 5*time.Second, "every batch", func() bool { return left.Load() <= 0 && running.Load() == 0 })
	if most.Load() < 2 {
		t.Errorf("at most %d workers shared the site's batches, want several", most.Load())
	}
	if n := pool.size(); n != 0 {
		t.Errorf("%d sites left in the schedule with nothing due", n)
	}
}

// A site due later waits its turn without holding a worker.
func TestPoolWaitsForDueTime(t *testing.T) {
	ran := make(chan time.Time, 2)
	pool := newWorkPool("test", 1, true, func(ctx context.Context, domain string, more func()) time.Time {
		ran <- time.Now()
		return time.Time{}
	})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	pool.start(ctx, &wg)
	defer func() { cancel(); wg.Wait() }()
	due := time.Now().Add(300 * time.Millisecond)
	pool.schedule("later.test", due)
	pool.schedule("now.test", time.Now())
	first := <-ran
	second := <-ran
	if first.After(due) {
		t.Error("the site due now waited for the later one")
	}
	if second.Before(due) {
		t.Errorf("the later site ran %v before its time", due.Sub(second))
	}
}
