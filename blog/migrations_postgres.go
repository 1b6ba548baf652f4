package blog

// PostgresMigrations replaces the steps of Migrations that PostgreSQL
// cannot run, by index. article_search becomes a plain table with a
// weighted tsvector column (title A, body B, summary C) and a GIN index,
// kept in step by a trigger like the FTS5 table on SQLite; its rowid column
// is the article's id, so the queries that touch it by rowid are shared.
// The texts are parsed with < and > as spaces: PostgreSQL's parser takes
// "<word>" for a tag and drops it, where FTS5 indexes the word.
var PostgresMigrations = map[int]string{
	7: `CREATE TABLE article_search (
		rowid BIGINT PRIMARY KEY,
		title TEXT NOT NULL,
		body TEXT NOT NULL,
		summary TEXT NOT NULL,
		doc tsvector GENERATED ALWAYS AS (
			setweight(to_tsvector('simple', translate(title, '<>', '  ')), 'A') ||
			setweight(to_tsvector('simple', translate(body, '<>', '  ')), 'B') ||
			setweight(to_tsvector('simple', translate(summary, '<>', '  ')), 'C')) STORED
	);
	CREATE INDEX article_search_doc ON article_search USING GIN (doc)`,
	8: `CREATE FUNCTION articles_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		IF TG_OP <> 'INSERT' THEN
			DELETE FROM article_search WHERE rowid = OLD.id;
		END IF;
		IF TG_OP <> 'DELETE' AND NEW.status = 'published' AND NEW.kind = 'post' AND NEW.deleted_at IS NULL THEN
			INSERT INTO article_search(rowid, title, body, summary) VALUES(NEW.id, NEW.title, NEW.body, NEW.summary);
		END IF;
		RETURN NULL;
	END $$;
	CREATE TRIGGER articles_search AFTER INSERT OR DELETE OR UPDATE OF title, body, summary, status, kind, deleted_at
		ON articles FOR EACH ROW EXECUTE FUNCTION articles_search_sync()`,
	9:  ``,
	10: ``,
}
