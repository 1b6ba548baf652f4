package federation

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// buckets holds one token bucket per name (an actor, a host): each name may
// take burst tokens at once and gets every tokens back at the bucket's
// rate. Memory is bounded by max names; when it is reached, the names whose
// buckets are full again (they owe nothing) are forgotten, and a name
// first seen costs nothing to remember until then.
type buckets struct {
	mu    sync.Mutex
	every rate.Limit
	burst int
	max   int
	m     map[string]*rate.Limiter
}

func newBuckets(perSecond float64, burst, max int) *buckets {
	return &buckets{every: rate.Limit(perSecond), burst: burst, max: max, m: map[string]*rate.Limiter{}}
}

// take spends one token of name's bucket at now. When there is none, it
// spends nothing and says how long until there is. undo gives a token
// taken back, for a request that another budget refused after all.
func (b *buckets) take(name string, now time.Time) (ok bool, wait time.Duration, undo func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	l, found := b.m[name]
	if !found {
		if len(b.m) >= b.max {
			b.forgetFull(now)
		}
		l = rate.NewLimiter(b.every, b.burst)
		b.m[name] = l
	}
	r := l.ReserveN(now, 1)
	if wait = r.DelayFrom(now); wait > 0 {
		r.CancelAt(now)
		return false, wait, nil
	}
	return true, 0, func() { r.CancelAt(now) }
}

// spent reports whether name has a bucket (known) and whether it is empty
// at now, with how long until it holds a token; it takes nothing.
func (b *buckets) spent(name string, now time.Time) (known, empty bool, wait time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	l, ok := b.m[name]
	if !ok {
		return false, false, 0
	}
	short := 1 - l.TokensAt(now)
	if short <= 0 {
		return true, false, 0
	}
	return true, true, time.Duration(short / float64(b.every) * float64(time.Second))
}

// forgetFull drops buckets that have refilled; should every one still owe
// tokens (a flood from more names than max), all are dropped, which
// forgives some debt but keeps memory bounded.
func (b *buckets) forgetFull(now time.Time) {
	for name, l := range b.m {
		if l.TokensAt(now) >= float64(b.burst) {
			delete(b.m, name)
		}
	}
	if len(b.m) >= b.max {
		clear(b.m)
	}
}
