package federation

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"roost/federation/vocab"
)

// The inbox workers: they take accepted activities off the queue, fetch
// what is missing (actors, parents, boosted objects) and dispatch them to
// the rooms. Every activity of one actor goes to the same worker, its lane,
// in the order it arrived, so a Delete never overtakes the Create it
// deletes; different actors are processed side by side.

const (
	// inboxBatch is how many rows are claimed at a time.
	inboxBatch = 32
	// inboxLaneDepth is how many claimed activities may wait for one
	// worker before claiming pauses.
	inboxLaneDepth = 64
	// inboxTimeout bounds the processing of one activity, remote fetches
	// included.
	inboxTimeout = time.Minute
	// inboxIdle is how often the queue is looked at when nothing woke the
	// workers (retries falling due).
	inboxIdle = 5 * time.Second
	// inboxGather is how long the claimer lets arrivals gather after a
	// wake-up, so that under load one claim takes many rows.
	inboxGather = 2 * time.Millisecond
)

// errPoison marks a failure that retrying cannot fix.
var errPoison = errors.New("cannot be processed")

// inboxQueued wakes the claimer without blocking.
func (s *Service) inboxQueued() {
	select {
	case s.inboxWake <- struct{}{}:
	default:
	}
	s.woken(WorkInbox)
}

// inboxRun is the shared state of one inboxLoop: the activities being
// worked on and the ones finished but not yet marked in the database
// (marked in batches, which is most of the queue's write cost).
type inboxRun struct {
	mu       sync.Mutex
	inflight map[int64]bool
	done     []int64
	unstart  []inboxItem
	finished chan struct{}
}

func (r *inboxRun) finish(id int64, ok bool) {
	r.mu.Lock()
	delete(r.inflight, id)
	if ok {
		r.done = append(r.done, id)
	}
	r.mu.Unlock()
	select {
	case r.finished <- struct{}{}:
	default:
	}
}

func (r *inboxRun) takeDone() []int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	ids := r.done
	r.done = nil
	return ids
}

// inboxLoop feeds cfg.InboxWorkers lanes with the activities handed off
// by the inbox and the due ones claimed from the queue, until ctx ends.
// Then it stops, lets every lane finish the activity it is on, gives
// unstarted ones back to the queue and records what was finished, so a
// restart processes each activity once.
func (s *Service) inboxLoop(ctx context.Context) {
	// Activities handed to an earlier run in this process are claimable
	// again once its leases are taken over below.
	s.handoff.open()
	s.handedOff()
	if err := s.takeOverInboxLeases(ctx); err != nil && ctx.Err() == nil {
		slog.Error("inbox: take over leases", "err", err)
	}
	run := &inboxRun{inflight: map[int64]bool{}, finished: make(chan struct{}, 1)}
	lanes := make([]chan inboxItem, s.cfg.InboxWorkers)
	var wg sync.WaitGroup
	for i := range lanes {
		lane := make(chan inboxItem, inboxLaneDepth)
		lanes[i] = lane
		wg.Go(func() { s.workLane(ctx, run, lane) })
	}
	s.handoff.on.Store(true)
	s.claimInto(ctx, run, lanes)
	s.handoff.on.Store(false)
	for _, lane := range lanes {
		close(lane)
	}
	wg.Wait()
	final := context.WithoutCancel(ctx)
	s.recordDone(final, run)
	run.unstart = append(run.unstart, s.handedOff()...)
	if err := s.releaseInbox(final, run.unstart); err != nil {
		slog.Error("inbox: release at shutdown", "err", err)
	}
}

// claimInto feeds the lanes until ctx ends. The table is read for work only
// when something may be waiting there: at the start, when the inbox stored
// activities it could not hand off, when retries fall due, and while
// claims come back full.
func (s *Service) claimInto(ctx context.Context, run *inboxRun, lanes []chan inboxItem) {
	claim := true
	var due time.Duration
	for ctx.Err() == nil {
		s.recordDone(context.WithoutCancel(ctx), run)
		if claim {
			batch, err := s.claimInbox(ctx, inboxBatch)
			if err != nil && ctx.Err() == nil {
				slog.Error("inbox: claim", "err", err)
			}
			if !s.toLanes(ctx, run, lanes, batch, true) {
				return
			}
			if len(batch) == inboxBatch {
				continue
			}
			claim, due = false, s.untilInboxDue(ctx, inboxIdle)
		}
		t := time.NewTimer(due)
		select {
		case <-ctx.Done():
		case it := <-s.handoff.ch:
			if !s.toLanes(ctx, run, lanes, append([]inboxItem{it}, s.handedOff()...), false) {
				t.Stop()
				return
			}
		case <-s.inboxWake:
			claim = true
			s.sleepUnlessDone(ctx, inboxGather)
		case <-run.finished:
			// A failure may have set a retry sooner than the timer.
			s.sleepUnlessDone(ctx, inboxGather)
			due = s.untilInboxDue(ctx, inboxIdle)
		case <-t.C:
			claim = true
		}
		t.Stop()
	}
}

// handedOff takes the activities waiting in the hand-off without blocking.
func (s *Service) handedOff() []inboxItem {
	var out []inboxItem
	for {
		select {
		case it := <-s.handoff.ch:
			out = append(out, it)
		default:
			return out
		}
	}
}

// toLanes gives activities to their actors' lanes; false when ctx ended
// first, with the rest kept to be given back to the queue. claimed says
// the items come from a claim of the table, not from the hand-off.
func (s *Service) toLanes(ctx context.Context, run *inboxRun, lanes []chan inboxItem, items []inboxItem, claimed bool) bool {
	var busy []inboxItem
	defer func() {
		// A row claimed while its lane still works on it (handed off, or
		// failed and due again before its lane let go) got a lease and
		// an attempt from this claim: give both back, or the row would
		// wait out the lease once the lane is done.
		if !claimed || len(busy) == 0 {
			return
		}
		if err := s.releaseInbox(context.WithoutCancel(ctx), busy); err != nil {
			slog.Error("inbox: release rows in flight", "err", err)
		}
	}()
	for i, it := range items {
		run.mu.Lock()
		inflight := run.inflight[it.id]
		run.inflight[it.id] = true
		run.mu.Unlock()
		if inflight {
			busy = append(busy, it)
			continue
		}
		select {
		case lanes[laneOf(it.actor, len(lanes))] <- it:
		case <-ctx.Done():
			run.mu.Lock()
			run.unstart = append(run.unstart, items[i:]...)
			run.mu.Unlock()
			return false
		}
	}
	return true
}

func (s *Service) sleepUnlessDone(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// workLane processes one lane's activities in order. Once ctx has ended,
// the activities still waiting in the lane are not started.
func (s *Service) workLane(ctx context.Context, run *inboxRun, lane <-chan inboxItem) {
	for it := range lane {
		if ctx.Err() != nil {
			run.mu.Lock()
			run.unstart = append(run.unstart, it)
			delete(run.inflight, it.id)
			run.mu.Unlock()
			continue
		}
		run.finish(it.id, s.processQueued(it))
	}
}

// recordDone marks the finished activities processed.
func (s *Service) recordDone(ctx context.Context, run *inboxRun) {
	ids := run.takeDone()
	if err := s.inboxProcessed(ctx, ids); err != nil {
		// They stay waiting and are processed again later, which the
		// rooms' handlers take as a no-op.
		slog.Error("inbox: record processed", "count", len(ids), "err", err)
	}
}

func laneOf(actor string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(actor))
	return int(h.Sum32() % uint32(n))
}

// processQueued processes one activity and reports whether it is done; a
// failure is recorded for a retry, or parks the activity.
func (s *Service) processQueued(it inboxItem) bool {
	ctx, cancel := context.WithTimeout(context.Background(), inboxTimeout)
	defer cancel()
	err := s.processSafely(ctx, it)
	if err == nil {
		return true
	}
	parked, ferr := s.inboxFailed(context.WithoutCancel(ctx), it, err, !errors.Is(err, errPoison))
	switch {
	case ferr != nil:
		slog.Error("inbox: record failure", "row", it.id, "err", ferr, "cause", err)
	case parked:
		slog.Error("inbox: activity parked", "row", it.id, "actor", it.actor, "attempts", it.attempts, "err", err)
	default:
		slog.Warn("inbox: processing failed, will retry", "row", it.id, "actor", it.actor, "attempts", it.attempts, "err", err)
	}
	return false
}

// processSafely parses and dispatches a stored activity. A handler that
// panics parks the activity instead of taking the worker down.
func (s *Service) processSafely(ctx context.Context, it inboxItem) (err error) {
	defer func() {
		if p := recover(); p != nil {
			slog.Error("inbox: handler panicked", "row", it.id, "panic", p, "stack", string(debug.Stack()))
			err = fmt.Errorf("%w: handler panicked: %v", errPoison, p)
		}
	}()
	act, err := vocab.ParseActivity(it.document)
	if err != nil {
		return fmt.Errorf("%w: %v", errPoison, err)
	}
	if it.actor != "" && act.Actor != it.actor {
		// The signature was checked against the actor read at arrival.
		return fmt.Errorf("%w: actor %s is not the signer %s", errPoison, act.Actor, it.actor)
	}
	// The owner may have blocked the actor since the activity arrived.
	if g := s.h().gate; g != nil && g.Blocked(ctx, act.Actor) {
		return nil
	}
	if it.forwardedBy != "" {
		if !forwardableType(act.Type) {
			return fmt.Errorf("%w: %s forwarded by %s", errPoison, act.Type, it.forwardedBy)
		}
		err := s.believeForwarded(ctx, act)
		if errors.Is(err, errOriginDisagrees) {
			slog.Info("inbox: forwarded activity not borne out", "activity", act.ID, "forwarder", it.forwardedBy, "err", err)
			return nil
		}
		if err != nil {
			return err
		}
		// What only the origin vouched for is not passed on: the owner's
		// followers would have to ask it themselves anyway.
		return s.dispatch(ctx, act)
	}
	if err := s.dispatch(ctx, act); err != nil {
		return err
	}
	return s.forwardIfReply(ctx, act, it.document)
}
