package database

import (
	"context"
	"database/sql"
	"fmt"
)

// On SQLite a row inserted with an explicit id moves the table's rowid on,
// so the next insert without one gets a higher id. A PostgreSQL identity
// column's sequence does not see explicit ids: after steps (or loads) that
// insert them, the next generated id would collide. syncIdentities sets
// every identity sequence of the current schema past its column's largest
// value, in one round trip.
const syncIdentitiesSQL = `DO $$
DECLARE r record;
BEGIN
	FOR r IN SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND is_identity = 'YES'
	LOOP
		EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, %L), COALESCE(MAX(%I), 0) + 1, false) FROM %I',
			quote_ident(r.table_name), r.column_name, r.column_name, r.table_name);
	END LOOP;
END $$`

// syncIdentities runs syncIdentitiesSQL on a PostgreSQL *sql.DB or *sql.Tx.
func syncIdentities(ctx context.Context, db interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}) error {
	if _, err := db.ExecContext(ctx, syncIdentitiesSQL); err != nil {
		return fmt.Errorf("identity sequences: %w", err)
	}
	return nil
}
