package database

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// On SQLite a row inserted with an explicit id moves the table's rowid on,
// so the next insert without one gets a higher id. A PostgreSQL identity
// column's sequence does not see explicit ids: after steps (or loads) that
// insert them, the next generated id would collide. syncIdentities sets
// the identity sequence of every table of the current schema that holds
// rows past its column's largest value, in one round trip. It reads
// pg_catalog rather than the information_schema views, which take several
// times as long, and leaves the sequences of empty tables alone: a fresh
// site's schema has dozens.
var syncIdentitiesSQL = syncIdentitiesOf(nil)

// syncIdentitiesOf is syncIdentitiesSQL for the named tables only; nil
// means every table of the schema.
func syncIdentitiesOf(tables []string) string {
	only := ""
	if tables != nil {
		quoted := make([]string, len(tables))
		for i, t := range tables {
			quoted[i] = quoteLiteral(t)
		}
		only = "\n\t\t\tAND c.relname IN (" + strings.Join(quoted, ", ") + ")"
	}
	return `DO $$
DECLARE r record; top bigint;
BEGIN
	FOR r IN SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
		WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
			AND a.attidentity <> '' AND NOT a.attisdropped` + only + `
	LOOP
		EXECUTE format('SELECT MAX(%I) FROM %I', r.attname, r.relname) INTO top;
		IF top IS NOT NULL THEN
			PERFORM setval(pg_get_serial_sequence(quote_ident(r.relname), r.attname), top + 1, false);
		END IF;
	END LOOP;
END $$`
}

// syncIdentities runs syncIdentitiesSQL on a PostgreSQL *sql.DB or *sql.Tx.
func syncIdentities(ctx context.Context, db interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}) error {
	if _, err := db.ExecContext(ctx, syncIdentitiesSQL); err != nil {
		return fmt.Errorf("identity sequences: %w", err)
	}
	return nil
}
