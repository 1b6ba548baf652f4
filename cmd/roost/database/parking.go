package database

import (
	"sync"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
)

// parking keeps the connections site handles give back, with the schema
// their search_path points at, so that the next query of the same site
// takes one already pointing there. Switching a connection to another
// site costs a round trip for SET search_path and makes PostgreSQL plan
// each of its cached statements again on first use, and a page runs
// several queries of one site in a row: given back to the shared pool,
// its connection usually went to another site in between.
//
// Parked connections count as taken for pgxpool, so at most half the pool
// parks (the rest serves the listener, the workers and bursts), and one
// parked longer than parkedFor goes back to the pool, which checks a
// connection idle for a second before handing it out.
type parking struct {
	mu     sync.Mutex
	max    int
	closed bool
	idle   []parked // oldest first
}

type parked struct {
	conn   *stdlib.Conn
	schema string
	since  time.Time
}

const parkedFor = time.Second

func newParking(poolSize int32) *parking {
	return &parking{max: int(poolSize) / 2}
}

// take returns a parked connection, one of schema if there is one, else
// the one parked longest; nil when none is parked.
func (p *parking) take(schema string) *stdlib.Conn {
	p.mu.Lock()
	stale := p.sweep(time.Now())
	var c *stdlib.Conn
	for i := len(p.idle) - 1; i >= 0; i-- {
		if p.idle[i].schema == schema {
			c = p.idle[i].conn
			p.idle = append(p.idle[:i], p.idle[i+1:]...)
			break
		}
	}
	if c == nil && len(p.idle) > 0 {
		c = p.idle[0].conn
		p.idle = p.idle[1:]
	}
	p.mu.Unlock()
	release(stale)
	return c
}

// put parks c, whose search_path points at schema, or gives it back to
// the pool when it cannot serve another query as it is.
func (p *parking) put(c *stdlib.Conn, schema string) {
	pc := c.Conn().PgConn()
	if pc.IsClosed() || pc.TxStatus() != 'I' || pc.IsBusy() {
		c.Close()
		return
	}
	p.mu.Lock()
	if p.closed || p.max == 0 {
		p.mu.Unlock()
		c.Close()
		return
	}
	stale := p.sweep(time.Now())
	if len(p.idle) >= p.max {
		stale = append(stale, p.idle[0].conn)
		p.idle = p.idle[1:]
	}
	p.idle = append(p.idle, parked{conn: c, schema: schema, since: time.Now()})
	p.mu.Unlock()
	release(stale)
}

// sweep takes out the connections parked too long; p.mu is held.
func (p *parking) sweep(now time.Time) []*stdlib.Conn {
	var stale []*stdlib.Conn
	for len(p.idle) > 0 && now.Sub(p.idle[0].since) > parkedFor {
		stale = append(stale, p.idle[0].conn)
		p.idle = p.idle[1:]
	}
	return stale
}

// close gives every parked connection back and parks none from now on, so
// that the pool can close.
func (p *parking) close() {
	p.mu.Lock()
	p.closed = true
	var all []*stdlib.Conn
	for _, c := range p.idle {
		all = append(all, c.conn)
	}
	p.idle = nil
	p.mu.Unlock()
	release(all)
}

// release gives connections back to the pool (stdlib.Conn.Close releases
// a pool connection rather than closing it).
func release(conns []*stdlib.Conn) {
	for _, c := range conns {
		c.Close()
	}
}
