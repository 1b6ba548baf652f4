package database

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// QuerySchema reads one row of a query (in the rooms' SQLite dialect) in a
// site's schema without building a handle for it or migrating it: a
// provider asks every site when its background work falls due at start,
// and builds only the sites that have some. SET LOCAL keeps the
// connection's own search_path once the read-only transaction ends.
func (p *Postgres) QuerySchema(ctx context.Context, schema, query string, dest ...any) error {
	if !schemaName.MatchString(schema) {
		return fmt.Errorf("query schema %q: not a schema name", schema)
	}
	tx, err := p.pool.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("query schema %s: %w", schema, err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "SET LOCAL search_path TO "+pgx.Identifier{schema}.Sanitize()); err != nil {
		return fmt.Errorf("query schema %s: %w", schema, err)
	}
	if err := tx.QueryRow(ctx, translate(query)).Scan(dest...); err != nil {
		return fmt.Errorf("query schema %s: %w", schema, err)
	}
	return tx.Commit(ctx)
}
