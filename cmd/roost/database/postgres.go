package database

import (
	"context"
	"database/sql"
	"fmt"
	neturl "net/url"
	"regexp"
	"runtime"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
)

// SharedSchema holds the provider-wide tables (the sites registry).
const SharedSchema = "roost"

// Postgres is one PostgreSQL server holding many sites, one schema each.
//
// Schema per site rather than a site column on every row: isolation holds by
// construction (a site's handle resolves table names in its own schema
// only, so no query of one site can read another's rows, whatever its
// WHERE clause says), the rooms' queries stay exactly as they are on
// SQLite, and removing a site is one DROP SCHEMA ... CASCADE. Every site
// handle shares one pgx pool: a connection is taken for a query and given
// back right after, and its search_path is switched only when it last
// served another site.
type Postgres struct {
	pool   *pgxpool.Pool
	park   *parking
	shared *sql.DB
}

// OpenPostgres connects to a PostgreSQL server (postgres:// or
// postgresql:// URL) with one shared connection pool.
func OpenPostgres(ctx context.Context, url string) (*Postgres, error) {
	if !IsPostgresURL(url) {
		return nil, fmt.Errorf("open postgres: %q is not a postgres:// or postgresql:// URL", url)
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if !hasPoolMaxConns(url) {
		cfg.MaxConns = defaultPoolSize()
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres %s: %w", cfg.ConnConfig.Host, err)
	}
	p := &Postgres{pool: pool, park: newParking(cfg.MaxConns)}
	if p.shared, err = p.Site(ctx, SharedSchema); err != nil {
		pool.Close()
		return nil, err
	}
	return p, nil
}

// defaultPoolSize is the pool size when the URL does not set
// pool_max_conns. pgx's own default (the number of CPUs, at least four)
// suits a client; a server of many sites waits on the database for most of
// a request, a listener holds one connection for good and the provider's
// workers hold some more, so four made requests queue for a connection
// while PostgreSQL sat idle. Four per CPU, at least 16, keeps both cores
// busy and stays well under PostgreSQL's default max_connections of 100.
func defaultPoolSize() int32 {
	return int32(max(16, 4*runtime.GOMAXPROCS(0)))
}

// hasPoolMaxConns tells whether the URL chooses the pool size itself.
func hasPoolMaxConns(raw string) bool {
	u, err := neturl.Parse(raw)
	return err == nil && u.Query().Has("pool_max_conns")
}

// IsPostgresURL tells a PostgreSQL URL from a SQLite one.
func IsPostgresURL(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

// Shared returns the handle on the provider-wide schema.
func (p *Postgres) Shared() *sql.DB { return p.shared }

// Pool is the connection pool every site handle shares.
func (p *Postgres) Pool() *pgxpool.Pool { return p.pool }

var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// Site returns a *sql.DB whose queries run in the given schema (created if
// missing) with every room migrated. All Site handles share p's pool: an
// idle site holds no connection.
func (p *Postgres) Site(ctx context.Context, schema string, rooms ...Room) (*sql.DB, error) {
	if !schemaName.MatchString(schema) {
		return nil, fmt.Errorf("site schema %q: want lower-case letters, digits and _, at most 63", schema)
	}
	if _, err := p.pool.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+pgx.Identifier{schema}.Sanitize()); err != nil {
		return nil, fmt.Errorf("create schema %s: %w", schema, err)
	}
	db := sql.OpenDB(newSiteConnector(p.pool, p.park, schema))
	// Connections belong to the shared pool; database/sql must not keep any.
	db.SetMaxIdleConns(0)
	if err := Migrate(ctx, db, rooms...); err != nil {
		db.Close()
		return nil, fmt.Errorf("site %s: %w", schema, err)
	}
	return db, nil
}

// DropSchema removes a site's schema and everything in it.
func (p *Postgres) DropSchema(ctx context.Context, schema string) error {
	if !schemaName.MatchString(schema) || schema == SharedSchema {
		return fmt.Errorf("drop schema %q: not a site schema", schema)
	}
	if _, err := p.pool.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
		return fmt.Errorf("drop schema %s: %w", schema, err)
	}
	return nil
}

// Close closes the shared handle and the pool; site handles stop working.
func (p *Postgres) Close() error {
	err := p.shared.Close()
	p.park.close()
	p.pool.Close()
	return err
}

// IsPostgres reports whether db is a PostgreSQL handle, for the few queries
// that must differ per engine.
func IsPostgres(db *sql.DB) bool {
	return db != nil && db.Driver() == stdlib.GetDefaultDriver()
}
