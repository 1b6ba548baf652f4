package database

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"slices"
	"strings"
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
func testPostgres(t testing.TB) *Postgres {
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

// TestPostgresMigrateFailingStep: PostgreSQL runs the pending steps as one
// batch; when one fails the error still names the room and the step, the
// steps before it stay applied and nothing of it or later ones does, and
// the fixed step carries on from there, as on SQLite.
func TestPostgresMigrateFailingStep(t *testing.T) {
	ctx := context.Background()
	pg := testPostgres(t)
	schema := TestSchema()
	room := Room{Name: "blog", Steps: append(slices.Clip(blog.Steps[:3]),
		`INSERT INTO blog_log VALUES ('half'); INSERT INTO nowhere VALUES (1)`, `INSERT INTO blog_log VALUES ('after')`)}
	_, err := pg.Site(ctx, schema, room, feed)
	if err == nil || !strings.Contains(err.Error(), "blog") || !strings.Contains(err.Error(), "4") {
		t.Fatalf("Site = %v, want an error naming blog and step 4", err)
	}
	room.Steps[3] = `INSERT INTO blog_log VALUES ('fixed')`
	db, err := pg.Site(ctx, schema, room, feed)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := column(t, db, `SELECT step FROM blog_log`); !slices.Equal(got, []string{"3", "fixed", "after"}) {
		t.Errorf("blog_log = %v, want [3 fixed after]", got)
	}
	if got := versions(t, db); got["blog"] != 5 || got["feed"] != 1 {
		t.Errorf("versions = %v", got)
	}
}

// A site schema created in one batch is the one created step by step: the
// same tables, and a second Site call on it runs nothing.
func TestPostgresBatchMatchesSteps(t *testing.T) {
	ctx := context.Background()
	pg := testPostgres(t)
	batched, stepped := TestSchema(), TestSchema()
	db, err := pg.Site(ctx, batched, blog, feed)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Step by step: a room at a time, a step at a time.
	for i := 1; i <= len(blog.Steps); i++ {
		sdb, err := pg.Site(ctx, stepped, Room{Name: "blog", Steps: blog.Steps[:i]})
		if err != nil {
			t.Fatal(err)
		}
		sdb.Close()
	}
	sdb, err := pg.Site(ctx, stepped, blog, feed)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	tables := func(schema string) []string {
		return column(t, pg.Shared(), `SELECT table_name || '.' || column_name FROM information_schema.columns
			WHERE table_schema = '`+schema+`' ORDER BY 1`)
	}
	if a, b := tables(batched), tables(stepped); !slices.Equal(a, b) || len(a) == 0 {
		t.Errorf("batched %v\nstepped %v", a, b)
	}
	if got := column(t, db, `SELECT step FROM blog_log`); !slices.Equal(got, []string{"3", "5"}) {
		t.Errorf("blog_log = %v", got)
	}
	again, err := pg.Site(ctx, batched, blog, feed)
	if err != nil {
		t.Fatal(err)
	}
	again.Close()
	if got := column(t, db, `SELECT step FROM blog_log`); !slices.Equal(got, []string{"3", "5"}) {
		t.Errorf("after a second start blog_log = %v", got)
	}
}
