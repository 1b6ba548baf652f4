package feed

// Migrations is the append-only schema of the feed room. Times are unix
// seconds. The author column is empty for the owner's notes; remote posts
// for the home timeline will carry their actor id there, so the same table
// can hold both without another migration of the owner's rows.
var Migrations = []string{
	`CREATE TABLE notes (
		id INTEGER PRIMARY KEY,
		author TEXT NOT NULL DEFAULT '',
		text TEXT NOT NULL DEFAULT '',
		html TEXT NOT NULL DEFAULT '',
		content_warning TEXT NOT NULL DEFAULT '',
		visibility TEXT NOT NULL,
		in_reply_to TEXT NOT NULL DEFAULT '',
		language TEXT NOT NULL DEFAULT '',
		created INTEGER NOT NULL,
		updated INTEGER,
		deleted_at INTEGER,
		likes INTEGER NOT NULL DEFAULT 0,
		boosts INTEGER NOT NULL DEFAULT 0,
		replies INTEGER NOT NULL DEFAULT 0
	)`,
	`CREATE INDEX notes_author_id ON notes(author, id)`,
	`CREATE TABLE note_media (
		note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
		position INTEGER NOT NULL,
		url TEXT NOT NULL,
		preview_url TEXT NOT NULL DEFAULT '',
		media_type TEXT NOT NULL DEFAULT '',
		width INTEGER NOT NULL DEFAULT 0,
		height INTEGER NOT NULL DEFAULT 0,
		blurhash TEXT NOT NULL DEFAULT '',
		alt TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (note_id, position)
	)`,
	`CREATE TABLE note_tags (
		note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
		tag TEXT NOT NULL,
		PRIMARY KEY (note_id, tag)
	)`,
	`CREATE INDEX note_tags_tag ON note_tags(tag, note_id)`,
	`CREATE TABLE note_mentions (
		note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
		actor_id TEXT NOT NULL,
		handle TEXT NOT NULL,
		href TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (note_id, actor_id)
	)`,
}
