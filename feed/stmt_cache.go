package feed

import (
	"context"
	"database/sql"
	"strings"
)

// query runs a read through the room's prepared-statement cache.
func (f *Feed) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return f.stmts.Query(ctx, q, args...)
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
