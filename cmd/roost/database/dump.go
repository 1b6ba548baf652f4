package database

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Querier is a database, a connection or a transaction: dumps read inside
// one transaction so that every table shows the same moment.
type Querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// Tables lists the site's tables in name order, without SQLite's own,
// without schema_versions (a dump records versions beside the rows) and
// without full-text indexes and their shadow tables, which are derived
// from the other tables and rebuilt from them.
func Tables(ctx context.Context, db Querier) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT t.name FROM sqlite_master t WHERE t.type = 'table'
		AND t.name NOT LIKE 'sqlite_%' AND t.name != 'schema_versions'
		AND NOT EXISTS (SELECT 1 FROM sqlite_master v WHERE v.type = 'table' AND v.sql LIKE 'CREATE VIRTUAL TABLE%'
			AND (t.name = v.name OR t.name LIKE v.name || '\_%' ESCAPE '\'))
		ORDER BY t.name`)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		out = append(out, name)
	}
	return out, rows.Err()
}

// Versions reads how far each room's schema has been migrated.
func Versions(ctx context.Context, db Querier) (map[string]int, error) {
	rows, err := db.QueryContext(ctx, `SELECT room, version FROM schema_versions`)
	if err != nil {
		return nil, fmt.Errorf("schema versions: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var room string
		var v int
		if err := rows.Scan(&room, &v); err != nil {
			return nil, err
		}
		out[room] = v
	}
	return out, rows.Err()
}

// blobValue marks bytes in a dump, so they come back as bytes, not text.
type blobValue struct {
	Base64 string `json:"base64"`
}

// DumpTable writes one table as JSON lines: first {"columns": [...]}, then
// one array of values per row, in rowid order. Rows are streamed, so a
// table of any size takes the memory of one row.
func DumpTable(ctx context.Context, db Querier, table string, w io.Writer) (rows int, err error) {
	if !plainName(table) {
		return 0, fmt.Errorf("dump: odd table name %q", table)
	}
	r, err := db.QueryContext(ctx, `SELECT * FROM "`+table+`"`)
	if err != nil {
		return 0, fmt.Errorf("dump %s: %w", table, err)
	}
	defer r.Close()
	cols, err := r.Columns()
	if err != nil {
		return 0, err
	}
	enc := json.NewEncoder(w)
	if err := enc.Encode(map[string]any{"columns": cols}); err != nil {
		return 0, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for r.Next() {
		if err := r.Scan(ptrs...); err != nil {
			return rows, fmt.Errorf("dump %s: %w", table, err)
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				vals[i] = blobValue{base64.StdEncoding.EncodeToString(b)}
			}
		}
		if err := enc.Encode(vals); err != nil {
			return rows, err
		}
		rows++
	}
	return rows, r.Err()
}

// LoadTable replaces a table's rows with those of a DumpTable stream, in
// the caller's transaction. Columns the dump has and the table lacks are an
// error: the dump must come from the same schema version.
func LoadTable(ctx context.Context, tx *sql.Tx, table string, r io.Reader) (rows int, err error) {
	if !plainName(table) {
		return 0, fmt.Errorf("load: odd table name %q", table)
	}
	dec := json.NewDecoder(bufio.NewReader(r))
	dec.UseNumber()
	var head struct {
		Columns []string `json:"columns"`
	}
	if err := dec.Decode(&head); err != nil || len(head.Columns) == 0 {
		return 0, fmt.Errorf("load %s: no column list: %v", table, err)
	}
	for _, c := range head.Columns {
		if !plainName(c) {
			return 0, fmt.Errorf("load %s: odd column name %q", table, c)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM "`+table+`"`); err != nil {
		return 0, fmt.Errorf("load %s: %w", table, err)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO "`+table+`" ("`+strings.Join(head.Columns, `", "`)+`") VALUES (`+
		strings.TrimSuffix(strings.Repeat("?, ", len(head.Columns)), ", ")+`)`)
	if err != nil {
		return 0, fmt.Errorf("load %s: %w", table, err)
	}
	defer stmt.Close()
	for {
		var raw []json.RawMessage
		if err := dec.Decode(&raw); errors.Is(err, io.EOF) {
			return rows, nil
		} else if err != nil {
			return rows, fmt.Errorf("load %s row %d: %w", table, rows+1, err)
		}
		if len(raw) != len(head.Columns) {
			return rows, fmt.Errorf("load %s row %d: %d values for %d columns", table, rows+1, len(raw), len(head.Columns))
		}
		args := make([]any, len(raw))
		for i, v := range raw {
			if args[i], err = sqlValue(v); err != nil {
				return rows, fmt.Errorf("load %s row %d: %w", table, rows+1, err)
			}
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return rows, fmt.Errorf("load %s row %d: %w", table, rows+1, err)
		}
		rows++
	}
}

// sqlValue turns one dumped JSON value back into what SQLite stored.
func sqlValue(raw json.RawMessage) (any, error) {
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case nil, string, bool:
		return x, nil
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i, nil
		}
		return x.Float64()
	case map[string]any:
		if s, ok := x["base64"].(string); ok {
			return base64.StdEncoding.DecodeString(s)
		}
	}
	return nil, fmt.Errorf("unexpected value %s", raw)
}

// plainName keeps dumps from naming anything but ordinary identifiers.
func plainName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
