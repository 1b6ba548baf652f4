package database

import (
	"context"
	"database/sql/driver"
	"strings"
	"sync"
	"time"
)

// SQLite lets one connection write at a time. A second writer waits in
// SQLite's busy handler, which sleeps 1, 2, 5, 10, 15… ms between tries
// whatever happens meanwhile, so under concurrent writes (peers delivering
// side by side, apps posting, the queues' workers) most of a write's time
// was spent asleep after the lock had long been free. The write gate queues
// this process's writers on a Go channel instead: the next one starts the
// moment the previous one commits. Reads never pass through it (WAL lets
// them run beside the writer).
//
// A writer waits for the gate at most gateWait, the busy timeout: a caller
// that writes outside its own transaction while holding it (a bug, which
// SQLite would have answered with "database is locked") then falls back to
// SQLite's own waiting rather than hanging.
const gateWait = 10 * time.Second

type writeGate chan struct{}

// enter takes the gate and reports whether it did.
func (g writeGate) enter(ctx context.Context) bool {
	select {
	case g <- struct{}{}:
		return true
	default:
	}
	t := time.NewTimer(gateWait)
	defer t.Stop()
	select {
	case g <- struct{}{}:
		return true
	case <-ctx.Done():
	case <-t.C:
	}
	return false
}

func (g writeGate) leave() { <-g }

// gatedConnector opens connections that share one gate: one per database
// file, so that databases opened side by side (tests, several sites) do not
// wait for each other.
type gatedConnector struct {
	driver.Connector
	gate writeGate
}

func newGatedConnector(inner driver.Connector) *gatedConnector {
	return &gatedConnector{Connector: inner, gate: make(writeGate, 1)}
}

// rawConn is what the SQLite driver's connections implement and the gate
// forwards to.
type rawConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

func (c *gatedConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	raw, ok := conn.(rawConn)
	if !ok {
		return conn, nil // a driver without these methods goes ungated
	}
	return &gatedConn{raw: raw, gate: c.gate}, nil
}

// gatedConn is one connection. database/sql uses a connection from one
// goroutine at a time, so inTx needs no lock.
type gatedConn struct {
	raw  rawConn
	gate writeGate
	// inTx is set while a write transaction holds the gate: statements run
	// in it must not wait for the gate again.
	inTx bool
}

func (c *gatedConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *gatedConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	st, err := c.raw.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	raw, ok := st.(rawStmt)
	if !ok {
		return st, nil
	}
	return &gatedStmt{raw: raw, conn: c, write: isWrite(query)}, nil
}

func (c *gatedConn) Close() error { return c.raw.Close() }

func (c *gatedConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// BeginTx takes the gate for a write transaction (roost's transactions
// begin IMMEDIATE, taking SQLite's write lock at once) and gives it back
// at Commit or Rollback.
func (c *gatedConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if opts.ReadOnly {
		return c.raw.BeginTx(ctx, opts)
	}
	entered := c.gate.enter(ctx)
	tx, err := c.raw.BeginTx(ctx, opts)
	if err != nil {
		if entered {
			c.gate.leave()
		}
		return nil, err
	}
	c.inTx = true
	return &gatedTx{raw: tx, conn: c, entered: entered}, nil
}

func (c *gatedConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if c.inTx {
		return c.raw.ExecContext(ctx, query, args)
	}
	if c.gate.enter(ctx) {
		defer c.gate.leave()
	}
	return c.raw.ExecContext(ctx, query, args)
}

func (c *gatedConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if c.inTx || !isWrite(query) {
		return c.raw.QueryContext(ctx, query, args)
	}
	return gatedQuery(ctx, c.gate, func() (driver.Rows, error) { return c.raw.QueryContext(ctx, query, args) })
}

func (c *gatedConn) Ping(ctx context.Context) error                  { return c.raw.Ping(ctx) }
func (c *gatedConn) ResetSession(ctx context.Context) error          { return c.raw.ResetSession(ctx) }
func (c *gatedConn) IsValid() bool                                   { return c.raw.IsValid() }
func (t *gatedTx) Commit() error                                     { return t.end(t.raw.Commit) }
func (t *gatedTx) Rollback() error                                   { return t.end(t.raw.Rollback) }
func (s *gatedStmt) Close() error                                    { return s.raw.Close() }
func (s *gatedStmt) NumInput() int                                   { return s.raw.NumInput() }
func (s *gatedStmt) Exec(args []driver.Value) (driver.Result, error) { return s.raw.Exec(args) }
func (s *gatedStmt) Query(args []driver.Value) (driver.Rows, error)  { return s.raw.Query(args) }

type gatedTx struct {
	raw     driver.Tx
	conn    *gatedConn
	entered bool
	once    sync.Once
}

func (t *gatedTx) end(finish func() error) error {
	err := finish()
	t.once.Do(func() {
		t.conn.inTx = false
		if t.entered {
			t.conn.gate.leave()
		}
	})
	return err
}

type rawStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

type gatedStmt struct {
	raw   rawStmt
	conn  *gatedConn
	write bool
}

func (s *gatedStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	if s.conn.inTx {
		return s.raw.ExecContext(ctx, args)
	}
	if s.conn.gate.enter(ctx) {
		defer s.conn.gate.leave()
	}
	return s.raw.ExecContext(ctx, args)
}

func (s *gatedStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	if s.conn.inTx || !s.write {
		return s.raw.QueryContext(ctx, args)
	}
	return gatedQuery(ctx, s.conn.gate, func() (driver.Rows, error) { return s.raw.QueryContext(ctx, args) })
}

// gatedQuery runs a writing query (UPDATE … RETURNING) holding the gate
// until its rows are closed: SQLite finishes the write as they are read.
func gatedQuery(ctx context.Context, gate writeGate, query func() (driver.Rows, error)) (driver.Rows, error) {
	if !gate.enter(ctx) {
		return query()
	}
	rows, err := query()
	if err != nil {
		gate.leave()
		return nil, err
	}
	return &gatedRows{Rows: rows, gate: gate}, nil
}

type gatedRows struct {
	driver.Rows
	gate writeGate
	once sync.Once
}

func (r *gatedRows) Close() error {
	err := r.Rows.Close()
	r.once.Do(r.gate.leave)
	return err
}

// isWrite reports whether a statement that returns rows writes: the
// queues claim rows with UPDATE … RETURNING.
func isWrite(query string) bool {
	q := strings.TrimLeft(query, " \t\r\n(")
	if len(q) < 6 {
		return false
	}
	switch strings.ToUpper(q[:6]) {
	case "INSERT", "UPDATE", "DELETE", "REPLAC":
		return true
	}
	return false
}
