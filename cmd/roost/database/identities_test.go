package database

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"testing"
)

// TestIdentityAfterExplicitIDs: a migration step that inserts a row with
// its id (as mastodon's account 1) does not make the next generated id
// collide on PostgreSQL, as it does not on SQLite.
func TestIdentityAfterExplicitIDs(t *testing.T) {
	ctx := context.Background()
	pg := testPostgres(t)
	room := Room{Name: "ids", Steps: []string{
		`CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)`,
		`INSERT INTO items (id, name) VALUES (1, 'first'), (7, 'seventh')`,
	}}
	for name, db := range map[string]func() (*sql.DB, error){
		"sqlite":   func() (*sql.DB, error) { return OpenTemp(t.TempDir(), room) },
		"postgres": func() (*sql.DB, error) { return pg.Site(ctx, TestSchema(), room) },
	} {
		db, err := db()
		if err != nil {
			t.Fatal(name, err)
		}
		var id int64
		if err := db.QueryRowContext(ctx, `INSERT INTO items (name) VALUES ('next') RETURNING id`).Scan(&id); err != nil {
			t.Errorf("%s: %v", name, err)
		} else if id != 8 {
			t.Errorf("%s: next id %d, want 8", name, id)
		}
		db.Close()
	}
}

// testPostgres is the test binary's PostgreSQL; the test is skipped when
// it is not installed, except under CI.
func testPostgres(t *testing.T) *Postgres {
	t.Helper()
	pg, err := TestPostgres()
	if errors.Is(err, ErrNoPostgres) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return pg
}

// TestPostgresMigrateTooNew: a site's schema migrated by a newer binary is
// refused by an older one, as a SQLite file is, and left as it was.
func TestPostgresMigrateTooNew(t *testing.T) {
	ctx := context.Background()
	pg := testPostgres(t)
	schema := TestSchema()
	steps := []string{`CREATE TABLE a (id INTEGER PRIMARY KEY)`, `CREATE TABLE b (id INTEGER PRIMARY KEY)`, `ALTER TABLE a ADD COLUMN name TEXT`}
	db, err := pg.Site(ctx, schema, Room{Name: "r", Steps: steps})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = pg.Site(ctx, schema, Room{Name: "r", Steps: steps[:2]})
	var tooNew ErrTooNew
	if !errors.As(err, &tooNew) || tooNew.Have != 3 || tooNew.Support != 2 {
		t.Fatalf("older binary: %v, want ErrTooNew (have 3, support 2)", err)
	}
	db, err = pg.Site(ctx, schema, Room{Name: "r", Steps: steps})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `INSERT INTO a (name) VALUES ('still there')`); err != nil {
		t.Errorf("the schema changed: %v", err)
	}
}
