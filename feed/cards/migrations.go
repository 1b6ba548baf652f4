package cards

// Migrations is the append-only schema of the preview cards (room name
// "cards"). A row with failed = 1 is a negative cache entry: the page could
// not be read at fetched (unix seconds), and card is empty.
var Migrations = []string{
	`CREATE TABLE preview_cards (
		url TEXT PRIMARY KEY,
		fetched INTEGER NOT NULL,
		failed INTEGER NOT NULL DEFAULT 0,
		card TEXT NOT NULL DEFAULT ''
	)`,
}
