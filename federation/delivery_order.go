package federation

import (
	"sync"
	"time"
)

// Deliveries to one inbox go out in the order they were published, one at
// a time. A peer that receives two activities at once may process them in
// either order or lose one to a race: Mastodon counted only one choice of
// a multiple-choice vote sent as simultaneous Creates. Order is kept in
// three places:
//
//   - Publish stamps each activity with a strictly increasing time
//     (publishClock), so activities published in one transaction or in one
//     millisecond still have an order;
//   - expansion commits the deliveries of a batch in that order, so the
//     rows of one inbox get increasing ids (expandAll);
//   - a row is claimed only when no earlier open row of its inbox is being
//     sent or is due (notBehind). A row waiting for a retry does not hold
//     the rows behind it back: one activity a peer keeps refusing must not
//     stop everything else to that peer for days.

// notBehind is the claim condition on a delivery row d: no earlier open row
// of the same inbox is leased (being sent) or due. It takes the current
// time twice.
const notBehind = `NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.inbox = d.inbox AND e.done = 0 AND e.id < d.id
	AND (e.lease_until > ? OR e.next_try <= ?))`

// notLeasedBehind is the part of notBehind that says when a row falls due:
// a row behind a leased one is sent after that one finishes (which wakes
// the loop), not at its own next_try; a row behind a due one changes
// nothing, as that one is due already. It takes no arguments, so hosts can
// read it for many sites at once (DeliveriesDueSQL).
const notLeasedBehind = `NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.inbox = d.inbox AND e.done = 0 AND e.id < d.id
	AND e.lease_until > 0)`

// publishClock hands out unix milliseconds that never repeat or go back
// within one process.
type publishClock struct {
	mu   sync.Mutex
	last int64
}

func (c *publishClock) next(now time.Time) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.last = max(c.last+1, now.UnixMilli())
	return c.last
}
