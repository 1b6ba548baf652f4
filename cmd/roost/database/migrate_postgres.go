package database

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// On PostgreSQL a fresh site schema takes some 150 steps across the rooms.
// Run one by one, each in its own transaction, that is four round trips
// and a commit per step, most of the time of "roost sites add". DDL is
// transactional on PostgreSQL, so every pending step of every room goes to
// the server as one multi-statement text: one round trip, one implicit
// transaction, all or nothing. When that batch fails, the steps run one by
// one as on SQLite, so the error names the room and step and the steps
// before it stay applied.

// migratePostgres brings a PostgreSQL site handle's rooms up to date.
func migratePostgres(ctx context.Context, db *sql.DB, rooms []Room) error {
	have, err := checkedVersions(ctx, db, rooms)
	if err != nil {
		return err
	}
	batch := pendingBatch(rooms, have)
	if batch == "" {
		return nil
	}
	if err := execUntranslated(ctx, db, batch); err == nil {
		// A step may write schema_versions itself: check what it left.
		_, err := checkedVersions(ctx, db, rooms)
		return err
	}
	// Something in the batch failed, or another process migrated the
	// schema meanwhile: step by step finds out which and says so.
	for _, room := range rooms {
		if err := migrateRoom(ctx, db, room); err != nil {
			return err
		}
	}
	return nil
}

// checkedVersions reads every room's version and refuses one newer than
// the binary.
func checkedVersions(ctx context.Context, db *sql.DB, rooms []Room) (map[string]int, error) {
	have, err := roomVersions(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	for _, room := range rooms {
		if v := have[room.Name]; v > len(room.Steps) {
			return nil, ErrTooNew{Room: room.Name, Have: v, Support: len(room.Steps)}
		}
	}
	return have, nil
}

// roomVersions reads every room's version in one query.
func roomVersions(ctx context.Context, db *sql.DB) (map[string]int, error) {
	rows, err := db.QueryContext(ctx, `SELECT room, version FROM schema_versions`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	have := map[string]int{}
	for rows.Next() {
		var room string
		var v int
		if err := rows.Scan(&room, &v); err != nil {
			return nil, err
		}
		have[room] = v
	}
	return have, rows.Err()
}

// insertInto finds the tables a step inserts rows into: only those can
// hold explicit ids that their identity sequence has not seen.
var insertInto = regexp.MustCompile(`(?i)\bINSERT\s+INTO\s+"?([a-z_][a-z0-9_]*)`)

// pendingBatch is the PostgreSQL text of every step the rooms lack, each
// room's version recorded after its steps, then the identity sequences of
// the tables the steps inserted into moved past their rows (see
// syncIdentities); empty when no step is pending. The advisory lock makes a second process that migrates the same schema at
// the same time wait, then fail on the tables the first made, and go step
// by step, which finds nothing left to do.
func pendingBatch(rooms []Room, have map[string]int) string {
	var b strings.Builder
	var inserted []string
	for _, room := range rooms {
		from := have[room.Name]
		if from >= len(room.Steps) {
			continue
		}
		if b.Len() == 0 {
			b.WriteString("SELECT pg_advisory_xact_lock(hashtext(current_schema()));\n")
		}
		for v := from; v < len(room.Steps); v++ {
			step := room.Steps[v]
			if pg, ok := room.Postgres[v]; ok {
				step = pg
			}
			if strings.TrimSpace(step) == "" {
				continue
			}
			step = translate(step)
			for _, m := range insertInto.FindAllStringSubmatch(step, -1) {
				inserted = append(inserted, strings.ToLower(m[1]))
			}
			b.WriteString(step)
			// A step may end in a comment: the separator starts a line.
			b.WriteString("\n;\n")
		}
		fmt.Fprintf(&b, "INSERT INTO schema_versions(room, version) VALUES(%s, %d)\n"+
			"\tON CONFLICT(room) DO UPDATE SET version = excluded.version;\n", quoteLiteral(room.Name), len(room.Steps))
	}
	if b.Len() == 0 {
		return ""
	}
	if len(inserted) > 0 {
		slices.Sort(inserted)
		b.WriteString(syncIdentitiesOf(slices.Compact(inserted)))
	}
	return b.String()
}

// execUntranslated sends PostgreSQL text as it is, past the translation of
// the site connection, in the simple protocol that takes many statements.
func execUntranslated(ctx context.Context, db *sql.DB, text string) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		sc, ok := dc.(*siteConn)
		if !ok {
			return fmt.Errorf("database: %T is not a PostgreSQL site connection", dc)
		}
		_, err := sc.Conn.Conn().PgConn().Exec(ctx, text).ReadAll()
		return err
	})
}

func quoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
