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
	pg, err := TestPostgres()
	if errors.Is(err, ErrNoPostgres) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
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
