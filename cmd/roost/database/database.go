// Package database opens roost's SQLite file and applies each room's
// append-only migrations. Rooms own their tables; this package only knows how
// to open the file with the right pragmas and how far each room's schema has
// come.
package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Open opens (creating if needed) the SQLite database at path with WAL
// journaling, a busy timeout so concurrent writers wait instead of failing,
// foreign keys on, and immediate write transactions so that a read that turns
// into a write cannot deadlock against another writer.
func Open(path string) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db, err := sql.Open("sqlite", "file:"+abs+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	// database/sql keeps only two idle connections by default, so under load
	// it would open and close SQLite connections (each with its own page
	// cache and prepared statements) on every burst. Keep a fixed pool.
	db.SetMaxOpenConns(64)
	db.SetMaxIdleConns(64)
	db.SetConnMaxIdleTime(0)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", abs, err)
	}
	return db, nil
}

// Room names a room's schema: its name and its append-only list of
// migrations. Step i of Steps brings the schema from version i to i+1.
//
// On PostgreSQL every step is translated from SQLite's dialect like any
// query; a step that cannot be (FTS5 tables, SQLite triggers, table
// rebuilds) has its PostgreSQL form in Postgres under the same index, the
// empty string when PostgreSQL has nothing to do for it. The version
// numbers are the same on both engines.
type Room struct {
	Name     string
	Steps    []string
	Postgres map[int]string
}

// ErrTooNew is returned when the database was written by a newer roost.
type ErrTooNew struct {
	Room          string
	Have, Support int
}

func (e ErrTooNew) Error() string {
	return fmt.Sprintf("database schema of %q is at version %d but this roost knows only %d: run a newer roost", e.Room, e.Have, e.Support)
}

// Migrate brings every room's tables up to date, each step in its own
// transaction (on PostgreSQL all pending steps in one, see
// migratePostgres), and refuses to touch a database that is newer than the
// binary.
func Migrate(ctx context.Context, db *sql.DB, rooms ...Room) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_versions (
		room TEXT PRIMARY KEY,
		version INTEGER NOT NULL
	)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if IsPostgres(db) {
		return migratePostgres(ctx, db, rooms)
	}
	for _, room := range rooms {
		if err := migrateRoom(ctx, db, room); err != nil {
			return err
		}
	}
	return nil
}

func migrateRoom(ctx context.Context, db *sql.DB, room Room) error {
	var have int
	err := db.QueryRowContext(ctx, `SELECT version FROM schema_versions WHERE room = ?`, room.Name).Scan(&have)
	if err != nil && err != sql.ErrNoRows {
		return fmt.Errorf("migrate %s: %w", room.Name, err)
	}
	if have > len(room.Steps) {
		return ErrTooNew{Room: room.Name, Have: have, Support: len(room.Steps)}
	}
	for v := have; v < len(room.Steps); v++ {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate %s to %d: %w", room.Name, v+1, err)
		}
		step := room.Steps[v]
		if pg, ok := room.Postgres[v]; ok && IsPostgres(db) {
			step = pg
		}
		if err := execStep(ctx, tx, step); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s to %d: %w", room.Name, v+1, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_versions(room, version) VALUES(?, ?)
			ON CONFLICT(room) DO UPDATE SET version = excluded.version`, room.Name, v+1); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s to %d: %w", room.Name, v+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate %s to %d: %w", room.Name, v+1, err)
		}
	}
	if have < len(room.Steps) && IsPostgres(db) {
		if err := syncIdentities(ctx, db); err != nil {
			return fmt.Errorf("migrate %s: %w", room.Name, err)
		}
	}
	return nil
}

// OpenTemp opens a fresh database in dir with the given rooms migrated; tests
// use it with t.TempDir() so that every test has a database of its own.
// With ROOST_TEST_DATABASE=postgres the database is instead a fresh schema
// on the test binary's throwaway PostgreSQL cluster (see TestPostgres);
// when PostgreSQL is not installed that falls back to SQLite with a note,
// except under CI=true, where it is an error.
func OpenTemp(dir string, rooms ...Room) (*sql.DB, error) {
	if os.Getenv(TestEngineEnv) == "postgres" {
		pg, err := TestPostgres()
		switch {
		case err == nil:
			return pg.Site(context.Background(), TestSchema(), rooms...)
		case !errors.Is(err, ErrNoPostgres) || os.Getenv("CI") == "true":
			return nil, err
		}
		noPostgresNote.Do(func() { fmt.Fprintf(os.Stderr, "%s=postgres: %v; the stores run on SQLite\n", TestEngineEnv, err) })
	}
	db, err := Open(filepath.Join(dir, "roost.db"))
	if err != nil {
		return nil, err
	}
	if err := Migrate(context.Background(), db, rooms...); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

var noPostgresNote sync.Once

func execStep(ctx context.Context, tx *sql.Tx, step string) error {
	if step == "" {
		return nil
	}
	_, err := tx.ExecContext(ctx, step)
	return err
}
