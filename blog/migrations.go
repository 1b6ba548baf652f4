package blog

// Migrations is the append-only schema of the blog room. Times are unix
// seconds. A deleted article keeps its row (deleted_at set) so its URL can
// answer 410 Gone with a Tombstone.
var Migrations = []string{
	`CREATE TABLE articles (
		id INTEGER PRIMARY KEY,
		slug TEXT NOT NULL UNIQUE,
		object_id TEXT NOT NULL UNIQUE,
		title TEXT NOT NULL,
		body TEXT NOT NULL,
		html TEXT NOT NULL,
		summary TEXT NOT NULL DEFAULT '',
		status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
		kind TEXT NOT NULL CHECK (kind IN ('post', 'page')),
		published_at INTEGER NOT NULL,
		created INTEGER NOT NULL,
		updated INTEGER NOT NULL,
		deleted_at INTEGER,
		federated_at INTEGER,
		likes INTEGER NOT NULL DEFAULT 0,
		boosts INTEGER NOT NULL DEFAULT 0
	)`,
	`CREATE INDEX articles_listing ON articles (kind, status, published_at, id)`,
	`CREATE TABLE article_tags (
		article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
		tag TEXT NOT NULL,
		PRIMARY KEY (article_id, tag)
	)`,
	`CREATE INDEX article_tags_tag ON article_tags (tag, article_id)`,
	`CREATE TABLE comments (
		id INTEGER PRIMARY KEY,
		article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
		parent_id INTEGER REFERENCES comments(id) ON DELETE SET NULL,
		object_id TEXT NOT NULL UNIQUE,
		author_id TEXT NOT NULL,
		author_name TEXT NOT NULL DEFAULT '',
		author_handle TEXT NOT NULL DEFAULT '',
		author_url TEXT NOT NULL DEFAULT '',
		author_avatar TEXT NOT NULL DEFAULT '',
		content_html TEXT NOT NULL,
		url TEXT NOT NULL DEFAULT '',
		published INTEGER NOT NULL
	)`,
	`CREATE INDEX comments_article ON comments (article_id, published)`,
	// The apps page posts by id (ByArrival): one range of this index.
	`CREATE INDEX articles_arrival ON articles (kind, status, id)`,
	// article_search is the full-text index of the published articles
	// (pages and drafts stay out), kept in step by triggers; the rowid is
	// the article's id. Whether an article's time has come is asked when
	// searching.
	`CREATE VIRTUAL TABLE article_search USING fts5(title, body, summary, tokenize = 'unicode61 remove_diacritics 2')`,
	`CREATE TRIGGER articles_search_insert AFTER INSERT ON articles
		WHEN new.status = 'published' AND new.kind = 'post' AND new.deleted_at IS NULL BEGIN
		INSERT INTO article_search(rowid, title, body, summary) VALUES(new.id, new.title, new.body, new.summary);
	END`,
	`CREATE TRIGGER articles_search_update AFTER UPDATE OF title, body, summary, status, kind, deleted_at ON articles BEGIN
		DELETE FROM article_search WHERE rowid = old.id;
		INSERT INTO article_search(rowid, title, body, summary) SELECT new.id, new.title, new.body, new.summary
			WHERE new.status = 'published' AND new.kind = 'post' AND new.deleted_at IS NULL;
	END`,
	`CREATE TRIGGER articles_search_delete AFTER DELETE ON articles BEGIN
		DELETE FROM article_search WHERE rowid = old.id;
	END`,
	`INSERT INTO article_search(rowid, title, body, summary) SELECT id, title, body, summary FROM articles
		WHERE status = 'published' AND kind = 'post' AND deleted_at IS NULL`,
	// Comments held for the owner's approval are stored but not shown.
	`ALTER TABLE comments ADD COLUMN held INTEGER NOT NULL DEFAULT 0`,
	// Tags keep the author's spelling (label) and order (position); tag
	// stays the lower-case key that tag pages match on.
	`ALTER TABLE article_tags ADD COLUMN label TEXT NOT NULL DEFAULT ''`,
	`ALTER TABLE article_tags ADD COLUMN position INTEGER NOT NULL DEFAULT 0`,
	// webmention is the kind of a comment that came as a Webmention (reply,
	// like, repost or mention; empty for fediverse replies): its object_id is
	// the source page, which a later Webmention updates or removes.
	`ALTER TABLE comments ADD COLUMN webmention TEXT NOT NULL DEFAULT ''`,
	// Webmentions received and waiting for their source to be checked, kept
	// as rows so that a restart loses none. gen grows when the same
	// Webmention arrives again while it waits, so a check that was already
	// under way does not take the newer request with it. Times are unix
	// milliseconds.
	`CREATE TABLE webmention_checks (
		id INTEGER PRIMARY KEY,
		source TEXT NOT NULL,
		target TEXT NOT NULL,
		gen INTEGER NOT NULL DEFAULT 1,
		attempts INTEGER NOT NULL DEFAULT 0,
		next_try INTEGER NOT NULL,
		lease_until INTEGER NOT NULL DEFAULT 0,
		UNIQUE (source, target)
	)`,
	// Webmentions this site sends, one row per (source post, linked page).
	// A row stays after it is sent: it is the record of what the post
	// linked to, so an edit or a delete tells the pages it no longer links
	// to (linked = 0) as well. gen grows with each edit that queues the row
	// again, so a send under way cannot mark the newer one done.
	`CREATE TABLE webmention_sends (
		id INTEGER PRIMARY KEY,
		source TEXT NOT NULL,
		target TEXT NOT NULL,
		linked INTEGER NOT NULL DEFAULT 1,
		gen INTEGER NOT NULL DEFAULT 1,
		attempts INTEGER NOT NULL DEFAULT 0,
		next_try INTEGER NOT NULL,
		lease_until INTEGER NOT NULL DEFAULT 0,
		done INTEGER NOT NULL DEFAULT 0,
		endpoint TEXT NOT NULL DEFAULT '',
		last_error TEXT NOT NULL DEFAULT '',
		UNIQUE (source, target)
	)`,
	`CREATE INDEX webmention_sends_due ON webmention_sends (done, next_try)`,
	// Webmentions whose target is one of the owner's notes: the comments
	// table belongs to articles. Moderated like comments (held).
	`CREATE TABLE note_webmentions (
		id INTEGER PRIMARY KEY,
		note_url TEXT NOT NULL,
		source TEXT NOT NULL,
		kind TEXT NOT NULL,
		author_id TEXT NOT NULL,
		author_name TEXT NOT NULL DEFAULT '',
		author_url TEXT NOT NULL DEFAULT '',
		author_avatar TEXT NOT NULL DEFAULT '',
		content_html TEXT NOT NULL DEFAULT '',
		url TEXT NOT NULL DEFAULT '',
		published INTEGER NOT NULL,
		held INTEGER NOT NULL DEFAULT 0,
		UNIQUE (note_url, source)
	)`,
}
