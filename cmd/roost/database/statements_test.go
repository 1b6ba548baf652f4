package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
)

// cached reports how many texts have a prepared statement, and the one for q.
func (s *Statements) cached(q string) (int, *sql.Stmt) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.stmts), s.stmts[q]
}

func statementsDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := OpenTemp(t.TempDir(), Room{Name: "notes", Steps: []string{
		`CREATE TABLE notes (id INTEGER PRIMARY KEY, author TEXT NOT NULL, body TEXT NOT NULL)`,
		`INSERT INTO notes(author, body) VALUES ('ada', 'one'), ('bob', 'two'), ('ada', 'three'), ('cy', 'four')`,
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// skipUncached skips a test of the statement cache on PostgreSQL, where
// Statements leaves it out (pgx keeps prepared statements itself).
func skipUncached(t *testing.T, db *sql.DB) {
	t.Helper()
	if IsPostgres(db) {
		t.Skip("Statements caches no statement on PostgreSQL")
	}
}

type queryFunc func(ctx context.Context, q string, args ...any) (*sql.Rows, error)

func collect(t *testing.T, query queryFunc, q string, args ...any) []string {
	t.Helper()
	rows, err := query(context.Background(), q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id int
		var body string
		if err := rows.Scan(&id, &body); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%d:%s", id, body))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

var statementCases = []struct {
	q    string
	args []any
}{
	{`SELECT id, body FROM notes ORDER BY id`, nil},
	{`SELECT id, body FROM notes WHERE author = ? ORDER BY id`, []any{"ada"}},
	{`SELECT id, body FROM notes WHERE author = ? ORDER BY id`, []any{"bob"}},
	{`SELECT id, body FROM notes WHERE author = ? ORDER BY id`, []any{"nobody"}},
	{`SELECT id, body FROM notes WHERE id > ? ORDER BY id DESC LIMIT ?`, []any{1, 2}},
}

func TestStatementsQueryMatchesDB(t *testing.T) {
	db := statementsDB(t)
	s := NewStatements(db)
	// Twice: the first round prepares, the second reuses.
	for round := range 2 {
		for _, c := range statementCases {
			want := collect(t, db.QueryContext, c.q, c.args...)
			got := collect(t, s.Query, c.q, c.args...)
			if !slices.Equal(got, want) {
				t.Errorf("round %d: Query(%q, %v) = %v, db.Query gives %v", round, c.q, c.args, got, want)
			}
			var id int
			var body string
			errWant := db.QueryRow(c.q, c.args...).Scan(&id, &body)
			wantRow := fmt.Sprintf("%d:%s", id, body)
			id, body = 0, ""
			errGot := s.QueryRow(context.Background(), c.q, c.args...).Scan(&id, &body)
			if gotRow := fmt.Sprintf("%d:%s", id, body); gotRow != wantRow || !errors.Is(errGot, errWant) {
				t.Errorf("round %d: QueryRow(%q, %v) = %s, %v; db.QueryRow gives %s, %v", round, c.q, c.args, gotRow, errGot, wantRow, errWant)
			}
		}
	}
}

func TestStatementsSeeWrites(t *testing.T) {
	db := statementsDB(t)
	s := NewStatements(db)
	const q = `SELECT count(*) FROM notes`
	var before, after int
	if err := s.QueryRow(context.Background(), q).Scan(&before); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO notes(author, body) VALUES ('dee', 'five')`); err != nil {
		t.Fatal(err)
	}
	if err := s.QueryRow(context.Background(), q).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if after != before+1 {
		t.Errorf("count %d then %d: a cached statement returned stale rows", before, after)
	}
}

func TestStatementsPrepareOncePerText(t *testing.T) {
	db := statementsDB(t)
	skipUncached(t, db)
	s := NewStatements(db)
	ctx := context.Background()
	texts := map[string]bool{}
	for _, c := range statementCases {
		texts[c.q] = true
	}
	var first = map[string]*sql.Stmt{}
	for round := range 3 {
		for _, c := range statementCases {
			rows, err := s.Query(ctx, c.q, c.args...)
			if err != nil {
				t.Fatal(err)
			}
			rows.Close()
			var id int
			var body string
			if err := s.QueryRow(ctx, c.q, c.args...).Scan(&id, &body); err != nil && !errors.Is(err, sql.ErrNoRows) {
				t.Fatal(err)
			}
			_, st := s.cached(c.q)
			if st == nil {
				t.Fatalf("no cached statement for %q", c.q)
			}
			if round == 0 && first[c.q] == nil {
				first[c.q] = st
			} else if st != first[c.q] {
				t.Errorf("round %d: %q was prepared again", round, c.q)
			}
		}
	}
	if n, _ := s.cached(""); n != len(texts) {
		t.Errorf("%d statements cached for %d texts", n, len(texts))
	}
}

func TestStatementsConcurrent(t *testing.T) {
	db := statementsDB(t)
	skipUncached(t, db)
	s := NewStatements(db)
	const q = `SELECT count(*) FROM notes WHERE author = ?`
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for i := range 32 {
		wg.Go(func() {
			var n int
			author := []string{"ada", "bob"}[i%2]
			if err := s.QueryRow(context.Background(), q, author).Scan(&n); err != nil {
				errs <- err
				return
			}
			if want := map[string]int{"ada": 2, "bob": 1}[author]; n != want {
				errs <- fmt.Errorf("%s has %d notes, want %d", author, n, want)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n, _ := s.cached(q); n != 1 {
		t.Errorf("%d statements cached for one text", n)
	}
}

func TestStatementsFullCacheFallsBack(t *testing.T) {
	db := statementsDB(t)
	skipUncached(t, db)
	s := NewStatements(db)
	ctx := context.Background()
	for i := range maxCachedStatements {
		var n int
		if err := s.QueryRow(ctx, fmt.Sprintf(`SELECT %d`, i)).Scan(&n); err != nil || n != i {
			t.Fatalf("SELECT %d gave %d, %v", i, n, err)
		}
	}
	if n, _ := s.cached(""); n != maxCachedStatements {
		t.Fatalf("%d statements cached, want %d", n, maxCachedStatements)
	}
	// Texts beyond the limit still answer, through plain queries.
	for _, c := range statementCases {
		want := collect(t, db.QueryContext, c.q, c.args...)
		if got := collect(t, s.Query, c.q, c.args...); !slices.Equal(got, want) {
			t.Errorf("full cache: Query(%q, %v) = %v, want %v", c.q, c.args, got, want)
		}
		var id int
		var body string
		err := s.QueryRow(ctx, c.q, c.args...).Scan(&id, &body)
		if len(want) == 0 {
			if !errors.Is(err, sql.ErrNoRows) {
				t.Errorf("full cache: QueryRow(%q, %v) = %v, want sql.ErrNoRows", c.q, c.args, err)
			}
		} else if got := fmt.Sprintf("%d:%s", id, body); err != nil || got != want[0] {
			t.Errorf("full cache: QueryRow(%q, %v) = %s, %v; want %s", c.q, c.args, got, err, want[0])
		}
		if n, st := s.cached(c.q); n != maxCachedStatements || st != nil {
			t.Errorf("full cache: %q was cached (size %d)", c.q, n)
		}
	}
	// Texts already cached keep their statements.
	var n int
	if err := s.QueryRow(ctx, `SELECT 7`).Scan(&n); err != nil || n != 7 {
		t.Errorf("SELECT 7 = %d, %v", n, err)
	}
}

func TestStatementsBadSQL(t *testing.T) {
	db := statementsDB(t)
	s := NewStatements(db)
	ctx := context.Background()
	const bad = `SELECT nope FROM nowhere`
	if _, err := s.Query(ctx, bad); err == nil {
		t.Error("Query with bad SQL succeeded")
	}
	var x int
	if err := s.QueryRow(ctx, bad).Scan(&x); err == nil {
		t.Error("QueryRow with bad SQL succeeded")
	}
	if n, st := s.cached(bad); n != 0 || st != nil {
		t.Errorf("bad SQL was cached (size %d)", n)
	}
}

func TestStatementsOutliveRequestContext(t *testing.T) {
	db := statementsDB(t)
	s := NewStatements(db)
	const q = `SELECT count(*) FROM notes`
	ctx, cancel := context.WithCancel(context.Background())
	var n int
	if err := s.QueryRow(ctx, q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	cancel()
	// The statement was prepared during a request that has ended; later
	// requests must still be able to use it.
	if err := s.QueryRow(context.Background(), q).Scan(&n); err != nil || n != 4 {
		t.Errorf("after the first request ended: count = %d, %v", n, err)
	}
}
