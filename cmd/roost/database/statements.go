package database

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedStatements bounds the cache; texts beyond it are prepared each
// time, as database/sql does by default.
const maxCachedStatements = 256

// Statements runs reads through prepared statements kept by their SQL text.
// The pure-Go SQLite spends a third or more of a small page's time parsing
// and planning SQL when every query is prepared afresh, so the rooms' hot
// reads (page lists, timelines) go through one of these.
//
// On PostgreSQL the cache is left out: pgx already prepares each text once
// per connection and reuses it, and a site's statements there are only
// texts until they run.
type Statements struct {
	db    *sql.DB
	pg    bool
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// NewStatements makes an empty cache over db.
func NewStatements(db *sql.DB) *Statements {
	return &Statements{db: db, pg: IsPostgres(db), stmts: map[string]*sql.Stmt{}}
}

// Query runs a read through the cached statement for q.
func (s *Statements) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := s.prepared(ctx, q)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return s.db.QueryContext(ctx, q, args...)
	}
	return st.QueryContext(ctx, args...)
}

// QueryRow is Query for one row.
func (s *Statements) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := s.prepared(ctx, q)
	if err != nil || st == nil {
		return s.db.QueryRowContext(ctx, q, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// prepared returns the statement for q, preparing it the first time; nil
// when the cache is full or not used.
func (s *Statements) prepared(ctx context.Context, q string) (*sql.Stmt, error) {
	if s.pg {
		return nil, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.stmts[q]; ok {
		return st, nil
	}
	if len(s.stmts) >= maxCachedStatements {
		return nil, nil
	}
	// Preparing under the lock keeps two requests from preparing the same
	// text; it happens once per distinct query. The statement outlives this
	// request, so it must not be tied to its context.
	st, err := s.db.PrepareContext(context.WithoutCancel(ctx), q)
	if err != nil {
		return nil, err
	}
	s.stmts[q] = st
	return st, nil
}
