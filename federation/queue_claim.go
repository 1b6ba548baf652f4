package federation

import (
	"database/sql"

	"roost/cmd/roost/database"
)

// skipLocked ends the inner SELECT of a queue claim. On PostgreSQL, under
// READ COMMITTED, two processes sharing the database could both select the
// same due row and then both lease it, one after the other: FOR UPDATE
// SKIP LOCKED makes each claim pass over the rows another is taking, so
// every row goes to exactly one worker. SQLite has one writer at a time,
// so its UPDATE ... RETURNING claim is already exclusive and has no such
// clause.
func skipLocked(db *sql.DB) string {
	if database.IsPostgres(db) {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}
