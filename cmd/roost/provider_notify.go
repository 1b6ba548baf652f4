package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"roost/cmd/roost/database"
)

// Several roost processes may serve the same PostgreSQL database (behind
// one load balancer) and split the deliveries between them: their claims
// skip each other's rows (FOR UPDATE SKIP LOCKED). A process learns that a
// site's deliveries are queued from the site's rooms when it queued them
// itself, and from the other processes by PostgreSQL's LISTEN/NOTIFY on
// one channel, whose payload is the site's domain. A process that missed a
// notice (it was restarting) finds the work in its scan at start.

// workChannel is the LISTEN/NOTIFY channel of queued deliveries.
const workChannel = "roost_deliveries"

// workNotices sends the notices of this process, a domain once however
// often its work is queued before the notice goes out, without ever
// making the room that queued it wait.
type workNotices struct {
	pg *database.Postgres

	mu      sync.Mutex
	pending map[string]bool
	ready   chan struct{}
}

func newWorkNotices(pg *database.Postgres) *workNotices {
	return &workNotices{pg: pg, pending: map[string]bool{}, ready: make(chan struct{}, 1)}
}

// queued tells the other processes, soon, that domain has deliveries.
func (n *workNotices) queued(domain string) {
	n.mu.Lock()
	n.pending[domain] = true
	n.mu.Unlock()
	select {
	case n.ready <- struct{}{}:
	default:
	}
}

// send issues the pending notices until ctx ends.
func (n *workNotices) send(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-n.ready:
		}
		n.mu.Lock()
		domains := n.pending
		n.pending = map[string]bool{}
		n.mu.Unlock()
		for d := range domains {
			if _, err := n.pg.Pool().Exec(ctx, `SELECT pg_notify($1, $2)`, workChannel, d); err != nil && ctx.Err() == nil {
				slog.Warn("tell other processes of queued deliveries", "domain", d, "err", err)
			}
		}
	}
}

// listenForWork nudges the delivery pool for every site another process
// (or this one) queued deliveries of, until ctx ends. It holds one
// connection of the pool while it listens.
func listenForWork(ctx context.Context, pg *database.Postgres, heard func(domain string)) {
	for ctx.Err() == nil {
		if err := listenOnce(ctx, pg, heard); err != nil && ctx.Err() == nil {
			slog.Warn("listen for other processes' deliveries", "err", err)
			t := time.NewTimer(time.Second)
			select {
			case <-ctx.Done():
			case <-t.C:
			}
			t.Stop()
		}
	}
}

func listenOnce(ctx context.Context, pg *database.Postgres, heard func(domain string)) error {
	pooled, err := pg.Pool().Acquire(ctx)
	if err != nil {
		return err
	}
	// Taken out of the pool: no other query may find the session listening.
	conn := pooled.Hijack()
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+workChannel); err != nil {
		return err
	}
	for {
		note, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		heard(note.Payload)
	}
}
