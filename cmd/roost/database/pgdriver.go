package database

import (
	"context"
	"database/sql/driver"
	"errors"
	"strconv"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
)

// schemaKey names the entry of a connection's custom data that remembers
// which schema its search_path points at, so that switching sites costs a
// round trip only when a connection changes hands between sites.
const schemaKey = "roost.schema"

// switches counts the SET search_path sent, for the benchmarks to report.
var switches atomic.Int64

// siteConnector hands out pool connections whose search_path is the site's
// schema and whose SQL is translated from the rooms' SQLite dialect.
type siteConnector struct {
	pool   driver.Connector
	park   *parking
	schema string
	texts  *siteTexts
}

func newSiteConnector(pool *pgxpool.Pool, park *parking, schema string) *siteConnector {
	return &siteConnector{pool: stdlib.GetPoolConnector(pool), park: park, schema: schema, texts: newSiteTexts(schema)}
}

func (c *siteConnector) Connect(ctx context.Context) (driver.Conn, error) {
	sc := c.park.take(c.schema)
	if sc == nil {
		dc, err := c.pool.Connect(ctx)
		if err != nil {
			return nil, err
		}
		sc = dc.(*stdlib.Conn)
	}
	data := sc.Conn().PgConn().CustomData()
	if data[schemaKey] != c.schema {
		// Forget first: if SET fails halfway the connection's path is unknown.
		delete(data, schemaKey)
		if _, err := sc.Conn().Exec(ctx, "SET search_path TO "+pgx.Identifier{c.schema}.Sanitize()); err != nil {
			sc.Close()
			return nil, err
		}
		data[schemaKey] = c.schema
		switches.Add(1)
	}
	return &siteConn{Conn: sc, park: c.park, texts: c.texts}, nil
}

func (c *siteConnector) Driver() driver.Driver { return c.pool.Driver() }

// siteConn translates every statement before pgx sees it, and tags it
// with the site's schema.
//
// The tag keeps each site's statements apart in pgx's per-connection cache
// of prepared statements. PostgreSQL plans a prepared statement under the
// search_path it was prepared with and plans it again from scratch when it
// runs under another one; with one statement per text shared by every site,
// a connection serving many sites in turn planned nearly every query it
// ran, and planning cost far more than running. Tagged, a statement of
// site A stays planned for A while the connection serves B.
type siteConn struct {
	*stdlib.Conn
	park  *parking
	texts *siteTexts
}

// Close parks the connection for the site's next query rather than giving
// it back to the pool.
func (c *siteConn) Close() error {
	schema, _ := c.Conn.Conn().PgConn().CustomData()[schemaKey].(string)
	c.park.put(c.Conn, schema)
	return nil
}

var (
	_ driver.ExecerContext      = (*siteConn)(nil)
	_ driver.QueryerContext     = (*siteConn)(nil)
	_ driver.ConnPrepareContext = (*siteConn)(nil)
	_ driver.SessionResetter    = (*siteConn)(nil)
	_ driver.NamedValueChecker  = (*siteConn)(nil)
)

func (c *siteConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, c.texts.text(query), convertArgs(args))
}

func (c *siteConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, c.texts.text(query), convertArgs(args))
}

// PrepareContext defers the work to execution: pgx already caches a
// prepared statement per connection and query text, and database/sql would
// otherwise prepare afresh on every connection it takes from the pool.
func (c *siteConn) PrepareContext(_ context.Context, query string) (driver.Stmt, error) {
	return &siteStmt{conn: c, query: query}, nil
}

func (c *siteConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// convertArgs gives PostgreSQL the leniency of SQLite's type affinity: an
// integer argument may land in a TEXT column or parameter (SQLite stores it
// as text), and Go booleans are stored as 0 and 1, since the rooms' flag
// columns are integers on both engines.
func convertArgs(args []driver.NamedValue) []driver.NamedValue {
	for i, a := range args {
		switch v := a.Value.(type) {
		case bool:
			if v {
				args[i].Value = affineInt(1)
			} else {
				args[i].Value = affineInt(0)
			}
		case int64:
			args[i].Value = affineInt(v)
		case int:
			args[i].Value = affineInt(v)
		case int32:
			args[i].Value = affineInt(v)
		case int16:
			args[i].Value = affineInt(v)
		case int8:
			args[i].Value = affineInt(v)
		case uint32:
			args[i].Value = affineInt(v)
		case uint16:
			args[i].Value = affineInt(v)
		case uint8:
			args[i].Value = affineInt(v)
		}
	}
	return args
}

// affineInt encodes as whatever integer, float or text parameter the
// statement has in its place.
type affineInt int64

func (n affineInt) Int64Value() (pgtype.Int8, error) {
	return pgtype.Int8{Int64: int64(n), Valid: true}, nil
}

func (n affineInt) Float64Value() (pgtype.Float8, error) {
	return pgtype.Float8{Float64: float64(n), Valid: true}, nil
}

func (n affineInt) TextValue() (pgtype.Text, error) {
	return pgtype.Text{String: strconv.FormatInt(int64(n), 10), Valid: true}, nil
}

type siteStmt struct {
	conn  *siteConn
	query string
}

func (s *siteStmt) Close() error  { return nil }
func (s *siteStmt) NumInput() int { return -1 }

func (s *siteStmt) Exec([]driver.Value) (driver.Result, error) {
	return nil, errors.New("database: Exec without context is not supported")
}

func (s *siteStmt) Query([]driver.Value) (driver.Rows, error) {
	return nil, errors.New("database: Query without context is not supported")
}

func (s *siteStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return s.conn.ExecContext(ctx, s.query, args)
}

func (s *siteStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return s.conn.QueryContext(ctx, s.query, args)
}
