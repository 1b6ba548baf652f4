package database

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
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
// SQLite, and removing a site is one DROP SCHEMA ... CASCADE. Site handles
// share a few small pools (shards): a connection is taken for a query and
// given back right after, and its search_path is switched only when it
// last served another site.
type Postgres struct {
	// pool serves the provider-wide schema, the listener for other
	// processes' notifications and the schema DDL.
	pool *pgxpool.Pool
	// shards serve the sites, each site always the same shard.
	shards []shard
	shared *sql.DB
}

// shard is a small pool serving a fixed share of the sites, with the
// connections its sites gave back parked for their next query.
//
// PostgreSQL keeps, per connection, the catalog entries of every table it
// has touched and the plans of the statements prepared on it (see
// siteConn). Through one pool, every connection ends up serving every
// site: each of them plans each site's statements and loads each site's
// tables, so a process warms up as many times as it has connections and
// each server process grows with the number of sites. A site's queries
// always go to the same few connections instead; a page's queries run
// one after another, so a handful of connections is plenty for one site.
type shard struct {
	pool *pgxpool.Pool
	park *parking
}

// connsPerShard is how many connections serve one site's queries at most.
const connsPerShard = 4

// controlConns is the size of the provider-wide pool.
const controlConns = 4

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
	if !hasParam(url, "statement_cache_capacity") {
		cfg.ConnConfig.StatementCacheCapacity = 4096
	}
	if _, set := cfg.ConnConfig.RuntimeParams["plan_cache_mode"]; !set {
		cfg.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_generic_plan"
	}
	control := cfg.Copy()
	control.MaxConns = controlConns
	pool, err := pgxpool.NewWithConfig(ctx, control)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres %s: %w", cfg.ConnConfig.Host, err)
	}
	p := &Postgres{pool: pool}
	for _, size := range shardSizes(cfg.MaxConns) {
		sc := cfg.Copy()
		sc.MaxConns = size
		sp, err := pgxpool.NewWithConfig(ctx, sc)
		if err != nil {
			p.closePools()
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		p.shards = append(p.shards, shard{pool: sp, park: newParking(size)})
	}
	if p.shared, err = p.Site(ctx, SharedSchema); err != nil {
		p.closePools()
		return nil, err
	}
	return p, nil
}

// shardSizes splits a pool of total connections into shards of
// connsPerShard (the last one takes the rest).
func shardSizes(total int32) []int32 {
	n := max(1, total/connsPerShard)
	sizes := make([]int32, n)
	for i := range sizes {
		sizes[i] = total / n
	}
	sizes[n-1] += total % n
	return sizes
}

// shardOf is the shard serving a schema, the same in every process.
func (p *Postgres) shardOf(schema string) shard {
	h := fnv.New32a()
	h.Write([]byte(schema))
	return p.shards[h.Sum32()%uint32(len(p.shards))]
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
func hasPoolMaxConns(raw string) bool { return hasParam(raw, "pool_max_conns") }

// hasParam tells whether the URL sets a query parameter.
func hasParam(raw, name string) bool {
	u, err := neturl.Parse(raw)
	return err == nil && u.Query().Has(name)
}

// SiteConns is how many connections serve the sites, all shards together.
func (p *Postgres) SiteConns() int32 {
	var n int32
	for _, sh := range p.shards {
		n += sh.pool.Config().MaxConns
	}
	return n
}

// IsPostgresURL tells a PostgreSQL URL from a SQLite one.
func IsPostgresURL(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

// Shared returns the handle on the provider-wide schema.
func (p *Postgres) Shared() *sql.DB { return p.shared }

// Pool is the provider-wide pool (not the sites' shards), for listening
// and notifying.
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
	sh := p.shardOf(schema)
	db := sql.OpenDB(newSiteConnector(sh.pool, sh.park, schema))
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
	p.closePools()
	return err
}

func (p *Postgres) closePools() {
	for _, sh := range p.shards {
		sh.park.close()
		sh.pool.Close()
	}
	p.pool.Close()
}

// IsPostgres reports whether db is a PostgreSQL handle, for the few queries
// that must differ per engine.
func IsPostgres(db *sql.DB) bool {
	return db != nil && db.Driver() == stdlib.GetDefaultDriver()
}
