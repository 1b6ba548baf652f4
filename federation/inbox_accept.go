package federation

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"

	"roost/federation/vocab"
)

// Storing accepted activities is the inbox's only write, and peers deliver
// side by side, so the writes are grouped: while one request commits, the
// ones arriving meanwhile wait, and the next of them commits them all in
// one transaction (group commit). Each request still answers only after
// its own row has committed.

// acceptTimeout bounds one group's transaction.
const acceptTimeout = 10 * time.Second

// acceptGroup is the queue of requests waiting to be stored.
type acceptGroup struct {
	mu      sync.Mutex
	writing bool
	waiting []*acceptRequest
	insert  *sql.Stmt // acceptInsert, prepared once
}

type acceptRequest struct {
	key, actor, document string
	forwardedBy          string
	fresh                bool
	// id is the row's id once stored; leased says it was stored leased to
	// the running workers, to be handed to them after the commit.
	id     int64
	leased bool
	err    error
	// turn says, once the request's group has committed, false; or true
	// when it is this request's turn to commit the waiting group.
	turn chan bool
}

// enqueue stores an accepted activity (a redelivery is dropped by its key).
// Once it returns without error, the activity survives a crash.
// forwardedBy names the server that delivered an activity it did not
// write and no proof vouches for ("" for every other activity).
func (s *Service) enqueue(ctx context.Context, act vocab.Envelope, body []byte, forwardedBy string) error {
	req := &acceptRequest{key: seenKey(act), actor: act.Actor, document: string(body), forwardedBy: forwardedBy, turn: make(chan bool, 1)}
	g := &s.accepts
	g.mu.Lock()
	g.waiting = append(g.waiting, req)
	if g.writing {
		g.mu.Unlock()
		if lead := <-req.turn; !lead {
			return req.err
		}
		g.mu.Lock()
	}
	g.writing = true
	group := g.waiting
	g.waiting = nil
	g.mu.Unlock()

	s.storeAccepted(context.WithoutCancel(ctx), group)
	for _, r := range group {
		if r != req {
			r.turn <- false
		}
	}
	g.mu.Lock()
	if len(g.waiting) > 0 {
		next := g.waiting[0]
		g.mu.Unlock()
		next.turn <- true
	} else {
		g.writing = false
		g.mu.Unlock()
	}
	return req.err
}

// storeAccepted inserts a group in one transaction; a redelivery (a key
// already stored, or twice in the group) is not new. New activities go to
// the workers: handed off when there is room, else woken to claim them.
func (s *Service) storeAccepted(ctx context.Context, group []*acceptRequest) {
	ctx, cancel := context.WithTimeout(ctx, acceptTimeout)
	defer cancel()
	now := s.now()
	room := s.handoff.room()
	for _, r := range group {
		r.leased = room > 0
		room--
	}
	err := s.insertAccepted(ctx, group, now.UnixMilli())
	if err != nil {
		for _, r := range group {
			r.fresh, r.err = false, fmt.Errorf("enqueue: %w", err)
		}
		return
	}
	wake := false
	for _, r := range group {
		switch {
		case !r.fresh:
		case r.leased:
			s.handoff.send(inboxItem{id: r.id, actor: r.actor, document: []byte(r.document), attempts: 1, received: now, forwardedBy: r.forwardedBy})
		default:
			wake = true
		}
	}
	if wake {
		s.inboxQueued()
	}
}

// acceptInsert stores one accepted activity; a leased row counts its first
// attempt, as a claim would.
const acceptInsert = `INSERT INTO inbox_queue(dedupe_key, actor, document, received, next_try, lease_until, attempts, forwarded_by)
	VALUES(?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(dedupe_key) DO NOTHING RETURNING id`

// insertAccepted writes the group's rows in one transaction through a
// statement prepared once: parsing the SQL again for every group would
// cost the pure-Go SQLite more than the insert.
func (s *Service) insertAccepted(ctx context.Context, group []*acceptRequest, now int64) error {
	stmt, err := s.accepts.statement(ctx, s.cfg.DB)
	if err != nil {
		return err
	}
	if len(group) == 1 {
		// Alone, the statement is its own transaction.
		return insertOne(ctx, stmt, group[0], now)
	}
	tx, err := s.cfg.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	inTx := tx.StmtContext(ctx, stmt)
	for _, r := range group {
		if err := insertOne(ctx, inTx, r, now); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func insertOne(ctx context.Context, stmt *sql.Stmt, r *acceptRequest, now int64) error {
	lease, attempts := int64(0), 0
	if r.leased {
		lease, attempts = now+inboxLease.Milliseconds(), 1
	}
	// A duplicate inserts nothing and so returns no row.
	err := stmt.QueryRowContext(ctx, r.key, r.actor, r.document, now, now, lease, attempts, r.forwardedBy).Scan(&r.id)
	if err == sql.ErrNoRows {
		r.fresh = false
		return nil
	}
	r.fresh = err == nil
	return err
}

// statement is acceptInsert prepared on db, the first time it is needed.
func (g *acceptGroup) statement(ctx context.Context, db *sql.DB) (*sql.Stmt, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.insert == nil {
		stmt, err := db.PrepareContext(ctx, acceptInsert)
		if err != nil {
			return nil, err
		}
		g.insert = stmt
	}
	return g.insert, nil
}
