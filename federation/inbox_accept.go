package federation

import (
	"context"
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
}

type acceptRequest struct {
	key, actor, document string
	fresh                bool
	err                  error
	// turn says, once the request's group has committed, false; or true
	// when it is this request's turn to commit the waiting group.
	turn chan bool
}

// enqueue stores an accepted activity and reports whether it is new. Once
// it returns, the activity survives a crash.
func (s *Service) enqueue(ctx context.Context, act vocab.Envelope, body []byte) (bool, error) {
	req := &acceptRequest{key: seenKey(act), actor: act.Actor, document: string(body), turn: make(chan bool, 1)}
	g := &s.accepts
	g.mu.Lock()
	g.waiting = append(g.waiting, req)
	if g.writing {
		g.mu.Unlock()
		if lead := <-req.turn; !lead {
			return req.fresh, req.err
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
	return req.fresh, req.err
}

// storeAccepted inserts a group in one transaction; a redelivery (a key
// already stored, or twice in the group) is not new.
func (s *Service) storeAccepted(ctx context.Context, group []*acceptRequest) {
	ctx, cancel := context.WithTimeout(ctx, acceptTimeout)
	defer cancel()
	const insert = `INSERT INTO inbox_queue(dedupe_key, actor, document, received, next_try)
		VALUES(?, ?, ?, ?, ?) ON CONFLICT(dedupe_key) DO NOTHING`
	now := s.now().UnixMilli()
	err := func() error {
		if len(group) == 1 {
			// Alone, the statement is its own transaction.
			r := group[0]
			res, err := s.cfg.DB.ExecContext(ctx, insert, r.key, r.actor, r.document, now, now)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			r.fresh = n == 1
			return err
		}
		tx, err := s.cfg.DB.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		stmt, err := tx.PrepareContext(ctx, insert)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, r := range group {
			res, err := stmt.ExecContext(ctx, r.key, r.actor, r.document, now, now)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			r.fresh = n == 1
		}
		return tx.Commit()
	}()
	if err != nil {
		for _, r := range group {
			r.fresh, r.err = false, fmt.Errorf("enqueue: %w", err)
		}
	}
}
