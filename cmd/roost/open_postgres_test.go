package main

import (
	"context"
	"errors"
	"os"
	"testing"

	"roost/cmd/roost/database"
)

// testPostgres returns the test binary's PostgreSQL, skipping the test when
// it is not installed (outside CI).
func testPostgres(t testing.TB) *database.Postgres {
	t.Helper()
	pg, err := database.TestPostgres()
	if errors.Is(err, database.ErrNoPostgres) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return pg
}

// Every room's migrations run on PostgreSQL, and a second start changes
// nothing.
func TestRoomsMigrateOnPostgres(t *testing.T) {
	pg := testPostgres(t)
	ctx := context.Background()
	schema := database.TestSchema()
	for range 2 {
		db, err := pg.Site(ctx, schema, rooms()...)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_versions`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != len(rooms()) {
			t.Errorf("%d rooms have a version, want %d", n, len(rooms()))
		}
		db.Close()
	}
}
