package contacts

// PostgresMigrations replaces the steps of Migrations that PostgreSQL
// cannot run, by index.
var PostgresMigrations = map[int]string{
	// Canonicalizing hosts stored before the rule: a PostgreSQL database
	// starts after it, so there are none.
	19: ``,
}
