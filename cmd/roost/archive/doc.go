// Package archive holds what moving a site in and out needs apart from the
// rooms themselves: reading a Mastodon archive and a WordPress export,
// writing Markdown with front matter, showing progress, and remembering
// what an import already brought in (so that running it again adds
// nothing) and which old addresses redirect where.
package archive

// Migrations is the append-only schema of the import bookkeeping.
var Migrations = []string{
	// One row per item an import brought in, by the id it had at its
	// source ("mastodon:https://old.example/users/a/statuses/1"); local is
	// what it became here.
	`CREATE TABLE imported_items (
		source_id TEXT PRIMARY KEY,
		local TEXT NOT NULL,
		at INTEGER NOT NULL
	)`,
	// Old permalinks that answer 301 with a new address: "/2019/03/04/x/"
	// or "/?p=42".
	`CREATE TABLE redirects (
		path TEXT PRIMARY KEY,
		target TEXT NOT NULL
	)`,
}
