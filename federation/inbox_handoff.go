package federation

import (
	"sync"
	"sync/atomic"
)

// While the inbox workers run, an accepted activity is stored already
// leased to them, and handed to them in memory once its row has committed:
// claiming it back from the table would cost one more write transaction
// per batch, the inbox's scarcest resource, and a wait for the claimer to
// wake. The row is the safety net: a crash leaves it leased, and the next
// start takes the lease over (takeOverInboxLeases) and processes it.

// handoffDepth is how many handed-off activities may wait for the
// claimer; beyond it, activities are stored unleased and claimed from the
// table as before.
const handoffDepth = 1024

// The channel (some 74 KiB) is made when an inboxLoop first runs: a site
// hosted among many has its inbox processed by shared pools that claim
// from the table, and never hands off.
type handoff struct {
	made sync.Once
	ch   chan inboxItem
	// on is set while an inboxLoop reads ch; ch is made before it is set.
	on atomic.Bool
}

// open makes the channel, once; the inboxLoop calls it before reading ch.
func (h *handoff) open() {
	h.made.Do(func() { h.ch = make(chan inboxItem, handoffDepth) })
}

// room is how many of the next accepted activities may be handed off. Only
// the committing group reads it and only the claimer drains ch, so the
// room cannot shrink before the group's rows are sent.
func (h *handoff) room() int {
	if !h.on.Load() {
		return 0
	}
	return cap(h.ch) - len(h.ch)
}

// send passes a committed, leased activity to the workers. It cannot block:
// room was reserved before the commit. Should the loop have stopped in
// between, the row keeps its lease until the next start takes it over.
func (h *handoff) send(it inboxItem) {
	select {
	case h.ch <- it:
	default:
	}
}
