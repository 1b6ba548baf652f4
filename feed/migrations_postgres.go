package feed

// PostgresMigrations replaces the steps of Migrations that PostgreSQL
// cannot run, by index.
// The texts are parsed with < and > as spaces: PostgreSQL's parser takes
// "<word>" for a tag and drops it, where FTS5 indexes the word.
var PostgresMigrations = map[int]string{
	// reactions has no rowid on PostgreSQL; the owner's likes page pages by
	// it (likeCursor), so it gets an identity column of that name.
	19: `CREATE TABLE reactions (
		activity_id TEXT PRIMARY KEY,
		kind TEXT NOT NULL,
		object_id TEXT NOT NULL,
		actor_id TEXT NOT NULL,
		created BIGINT NOT NULL,
		home_id BIGINT,
		rowid BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE
	)`,
	// Removing duplicates a unique index later forbids: a PostgreSQL
	// database starts at a schema where there can be none.
	36: ``,
	37: ``,
	// feed_search is a plain table with a weighted tsvector (title A, body
	// B, warning C) and a GIN index; its rowid column is the note's or
	// post's id, so indexing and unindexing are shared with SQLite.
	45: `CREATE TABLE feed_search (
		rowid BIGINT PRIMARY KEY,
		title TEXT NOT NULL,
		body TEXT NOT NULL,
		warning TEXT NOT NULL,
		doc tsvector GENERATED ALWAYS AS (
			setweight(to_tsvector('simple', translate(title, '<>', '  ')), 'A') ||
			setweight(to_tsvector('simple', translate(body, '<>', '  ')), 'B') ||
			setweight(to_tsvector('simple', translate(warning, '<>', '  ')), 'C')) STORED
	);
	CREATE INDEX feed_search_doc ON feed_search USING GIN (doc)`,
	46: `CREATE FUNCTION notes_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		IF TG_OP <> 'INSERT' THEN
			DELETE FROM feed_search WHERE rowid = OLD.id;
		END IF;
		IF TG_OP <> 'DELETE' AND NEW.deleted_at IS NULL THEN
			INSERT INTO feed_search(rowid, title, body, warning) VALUES(NEW.id, '', NEW.text, NEW.content_warning);
		END IF;
		RETURN NULL;
	END $$;
	CREATE TRIGGER notes_search AFTER INSERT OR DELETE OR UPDATE OF text, content_warning, deleted_at
		ON notes FOR EACH ROW EXECUTE FUNCTION notes_search_sync()`,
	47: ``,
	48: ``,
}
