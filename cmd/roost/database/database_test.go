package database

import (
	"context"
	"database/sql"
	"errors"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func openTest(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func versions(t *testing.T, db *sql.DB) map[string]int {
	t.Helper()
	rows, err := db.Query(`SELECT room, version FROM schema_versions`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var room string
		var v int
		if err := rows.Scan(&room, &v); err != nil {
			t.Fatal(err)
		}
		out[room] = v
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func column(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// Each step logs itself, so the log shows which steps ran and in what order.
var blog = Room{Name: "blog", Steps: []string{
	`CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT NOT NULL)`,
	`CREATE TABLE blog_log (step TEXT)`,
	`INSERT INTO blog_log VALUES ('3')`,
	`ALTER TABLE posts ADD COLUMN slug TEXT NOT NULL DEFAULT ''`,
	`INSERT INTO blog_log VALUES ('5')`,
}}

var feed = Room{Name: "feed", Steps: []string{
	`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`,
}}

func TestMigrate(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, filepath.Join(t.TempDir(), "roost.db"))
	if err := Migrate(ctx, db, blog, feed); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"blog": 5, "feed": 1}
	if got := versions(t, db); !maps.Equal(got, want) {
		t.Errorf("versions = %v, want %v", got, want)
	}
	if got := column(t, db, `SELECT step FROM blog_log ORDER BY rowid`); !slices.Equal(got, []string{"3", "5"}) {
		t.Errorf("blog_log = %v, want [3 5]", got)
	}
	// The later step changed the table the earlier one made.
	if _, err := db.Exec(`INSERT INTO posts(title, slug) VALUES('Hi', 'hi')`); err != nil {
		t.Errorf("steps not applied in order: %v", err)
	}

	// Running again (every start of roost) changes nothing.
	for range 2 {
		if err := Migrate(ctx, db, blog, feed); err != nil {
			t.Fatal(err)
		}
	}
	if got := versions(t, db); !maps.Equal(got, want) {
		t.Errorf("after rerun: versions = %v, want %v", got, want)
	}
	if got := column(t, db, `SELECT step FROM blog_log ORDER BY rowid`); !slices.Equal(got, []string{"3", "5"}) {
		t.Errorf("after rerun: blog_log = %v, want [3 5]: steps ran twice", got)
	}
}

func TestMigrateAppendedSteps(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "roost.db")
	db := openTest(t, path)
	older := Room{Name: blog.Name, Steps: blog.Steps[:3]}
	if err := Migrate(ctx, db, older); err != nil {
		t.Fatal(err)
	}
	if got := versions(t, db)["blog"]; got != 3 {
		t.Fatalf("version %d after three steps", got)
	}
	db.Close()

	// A newer binary on the same file runs only the steps it added.
	db = openTest(t, path)
	if err := Migrate(ctx, db, blog); err != nil {
		t.Fatal(err)
	}
	if got := versions(t, db)["blog"]; got != 5 {
		t.Errorf("version %d, want 5", got)
	}
	if got := column(t, db, `SELECT step FROM blog_log ORDER BY rowid`); !slices.Equal(got, []string{"3", "5"}) {
		t.Errorf("blog_log = %v, want [3 5]", got)
	}
}

func TestMigrateFailingStep(t *testing.T) {
	tests := []struct {
		name string
		bad  string
	}{
		{"syntax error", `CREATE TABLE broken (`},
		{"missing table", `INSERT INTO nowhere VALUES (1)`},
		// The first half of the step succeeds; the transaction must undo it.
		{"fails halfway", `INSERT INTO blog_log VALUES ('half'); INSERT INTO nowhere VALUES (1)`},
		{"constraint", `INSERT INTO posts(id, title) VALUES (1, NULL)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db := openTest(t, filepath.Join(t.TempDir(), "roost.db"))
			room := Room{Name: "blog", Steps: append(slices.Clip(blog.Steps[:3]), tt.bad, `INSERT INTO blog_log VALUES ('after')`)}
			err := Migrate(ctx, db, room, feed)
			if err == nil {
				t.Fatal("Migrate succeeded with a failing step")
			}
			if !strings.Contains(err.Error(), "blog") || !strings.Contains(err.Error(), "4") {
				t.Errorf("error %q does not name the room and the version", err)
			}
			if got := versions(t, db); got["blog"] != 3 {
				t.Errorf("versions = %v, want blog at 3", got)
			}
			// The earlier steps stay; nothing of the failing one or those after it.
			if got := column(t, db, `SELECT step FROM blog_log ORDER BY rowid`); !slices.Equal(got, []string{"3"}) {
				t.Errorf("blog_log = %v, want [3]", got)
			}
			// Fixing the step and starting again carries on from version 3.
			room.Steps[3] = `INSERT INTO blog_log VALUES ('fixed')`
			if err := Migrate(ctx, db, room, feed); err != nil {
				t.Fatal(err)
			}
			if got := column(t, db, `SELECT step FROM blog_log ORDER BY rowid`); !slices.Equal(got, []string{"3", "fixed", "after"}) {
				t.Errorf("after the fix: blog_log = %v", got)
			}
		})
	}
}

func TestMigrateTooNew(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "roost.db")
	db := openTest(t, path)
	if err := Migrate(ctx, db, blog, feed); err != nil {
		t.Fatal(err)
	}
	db.Close()

	// An older binary (fewer steps) on the same file must refuse.
	db = openTest(t, path)
	older := Room{Name: "blog", Steps: blog.Steps[:2]}
	err := Migrate(ctx, db, feed, older)
	var tooNew ErrTooNew
	if !errors.As(err, &tooNew) {
		t.Fatalf("Migrate = %v, want ErrTooNew", err)
	}
	if tooNew.Room != "blog" || tooNew.Have != 5 || tooNew.Support != 2 {
		t.Errorf("ErrTooNew = %+v", tooNew)
	}
	if msg := err.Error(); !strings.Contains(msg, "run a newer roost") || !strings.Contains(msg, "blog") {
		t.Errorf("message %q does not tell to run a newer roost", msg)
	}
	if got := versions(t, db)["blog"]; got != 5 {
		t.Errorf("version changed to %d", got)
	}

	// OpenTemp passes the refusal on as well.
	if _, err := OpenTemp(t.TempDir(), Room{Name: "x", Steps: []string{`CREATE TABLE t (a TEXT)`,
		`INSERT INTO schema_versions VALUES ('y', 9)`}}, Room{Name: "y"}); !errors.As(err, &tooNew) {
		t.Errorf("OpenTemp = %v, want ErrTooNew", err)
	}
}

func TestOpenPragmas(t *testing.T) {
	ctx := context.Background()
	db, err := OpenTemp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if IsPostgres(db) {
		t.Skip("SQLite's per-connection pragmas; PostgreSQL has none of them")
	}
	// The pragmas are per connection: check several at once, since the pool
	// hands out whichever is free.
	var conns []*sql.Conn
	for range 3 {
		c, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
	}
	tests := []struct {
		pragma, want string
	}{
		{"journal_mode", "wal"},
		{"foreign_keys", "1"},
		{"busy_timeout", "10000"},
		{"synchronous", "1"}, // NORMAL
	}
	for i, c := range conns {
		for _, tt := range tests {
			var got string
			if err := c.QueryRowContext(ctx, "PRAGMA "+tt.pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("connection %d: PRAGMA %s = %q, want %q", i, tt.pragma, got, tt.want)
			}
		}
	}
}

func TestOpenEnforcesForeignKeys(t *testing.T) {
	db, err := OpenTemp(t.TempDir(), Room{Name: "r", Steps: []string{
		`CREATE TABLE parent (id INTEGER PRIMARY KEY)`,
		`CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER NOT NULL REFERENCES parent(id) ON DELETE CASCADE)`,
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO child(parent) VALUES (42)`); err == nil {
		t.Error("a row pointing at no parent was accepted")
	}
	if _, err := db.Exec(`INSERT INTO parent(id) VALUES (1); INSERT INTO child(parent) VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DELETE FROM parent`); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM child`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Error("ON DELETE CASCADE did not run")
	}
}

func TestOpenRelativePathAndBadPath(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	db, err := OpenTemp(".")
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(filepath.Join(dir, "missing", "dir", "roost.db")); err == nil {
		t.Error("Open in a missing directory succeeded")
	}
}
