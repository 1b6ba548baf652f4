package feed

import (
	"context"
	"database/sql"
	"strings"
	"sync"
)

// maxCachedStatements bounds the statement cache; queries beyond it are
// prepared each time, as database/sql does by default.
const maxCachedStatements = 256

// stmtCache keeps prepared statements for the reads behind the timelines.
// The pure-Go SQLite spends about a fifth of a /home request parsing and
// planning SQL when every query is prepared afresh.
type stmtCache struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// query runs a read through a cached prepared statement.
func (f *Feed) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	f.stmts.mu.Lock()
	st, ok := f.stmts.stmts[q]
	if !ok && len(f.stmts.stmts) < maxCachedStatements {
		var err error
		// Preparing under the lock keeps two requests from preparing the
		// same text; it happens once per distinct query.
		if st, err = f.db.PrepareContext(context.WithoutCancel(ctx), q); err != nil {
			f.stmts.mu.Unlock()
			return nil, err
		}
		if f.stmts.stmts == nil {
			f.stmts.stmts = map[string]*sql.Stmt{}
		}
		f.stmts.stmts[q], ok = st, true
	}
	f.stmts.mu.Unlock()
	if !ok {
		return f.db.QueryContext(ctx, q, args...)
	}
	return st.QueryContext(ctx, args...)
}

// inList returns the placeholders of an IN list for values, padded to a
// power of two (at least 8) with a value that matches no row, so that the
// lists of a page make only a few distinct query texts for the cache.
func inList[T int64 | string](values []T, pad T) (string, []any) {
	n := 8
	for n < len(values) {
		n *= 2
	}
	args := make([]any, n)
	for i := range args {
		if i < len(values) {
			args[i] = values[i]
		} else {
			args[i] = pad
		}
	}
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", "), args
}
