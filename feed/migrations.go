package feed

// Migrations is the append-only schema of the feed room. Times are unix
// seconds. The notes table holds the owner's notes only (its author column
// stays empty); posts by others have a table of their own below.
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

	// What arrives from the fediverse. Remote posts live in their own table
	// (their fields differ from the owner's notes) but take snowflake ids
	// from the same space, so one id names a status in the Mastodon API.
	`CREATE TABLE authors (
		actor_id TEXT PRIMARY KEY,
		name TEXT NOT NULL DEFAULT '',
		handle TEXT NOT NULL DEFAULT '',
		avatar_url TEXT NOT NULL DEFAULT '',
		profile_url TEXT NOT NULL DEFAULT '',
		updated INTEGER NOT NULL
	)`,
	`CREATE TABLE posts (
		id INTEGER PRIMARY KEY,
		object_id TEXT NOT NULL UNIQUE,
		type TEXT NOT NULL,
		author TEXT NOT NULL,
		html TEXT NOT NULL DEFAULT '',
		summary TEXT NOT NULL DEFAULT '',
		sensitive INTEGER NOT NULL DEFAULT 0,
		name TEXT NOT NULL DEFAULT '',
		url TEXT NOT NULL DEFAULT '',
		in_reply_to TEXT NOT NULL DEFAULT '',
		conversation TEXT NOT NULL DEFAULT '',
		visibility TEXT NOT NULL,
		published INTEGER NOT NULL,
		updated INTEGER,
		deleted_at INTEGER,
		likes INTEGER NOT NULL DEFAULT 0,
		boosts INTEGER NOT NULL DEFAULT 0,
		replies INTEGER NOT NULL DEFAULT 0
	)`,
	`CREATE INDEX posts_in_reply_to ON posts(in_reply_to)`,
	`CREATE INDEX posts_author ON posts(author, id)`,
	`CREATE TABLE post_media (
		post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
		position INTEGER NOT NULL,
		url TEXT NOT NULL,
		media_type TEXT NOT NULL DEFAULT '',
		width INTEGER NOT NULL DEFAULT 0,
		height INTEGER NOT NULL DEFAULT 0,
		blurhash TEXT NOT NULL DEFAULT '',
		alt TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (post_id, position)
	)`,
	`CREATE TABLE post_tags (
		post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
		position INTEGER NOT NULL,
		kind TEXT NOT NULL,
		name TEXT NOT NULL,
		href TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (post_id, position)
	)`,
	`CREATE TABLE post_edits (
		id INTEGER PRIMARY KEY,
		post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
		html TEXT NOT NULL,
		summary TEXT NOT NULL DEFAULT '',
		sensitive INTEGER NOT NULL DEFAULT 0,
		name TEXT NOT NULL DEFAULT '',
		created INTEGER NOT NULL
	)`,
	`CREATE INDEX post_edits_post ON post_edits(post_id, id)`,
	// home is the owner's timeline: one row per entry, its id the position
	// (a note's or post's own id, or a fresh id for a boost), so a page is
	// one range scan of the primary key. kind is note, post or boost; item
	// is the note or post id; actor_id who put it there ('' for the owner's
	// notes), for group timelines.
	`CREATE TABLE home (
		id INTEGER PRIMARY KEY,
		kind TEXT NOT NULL,
		item INTEGER NOT NULL,
		actor_id TEXT NOT NULL DEFAULT ''
	)`,
	`CREATE INDEX home_item ON home(item)`,
	`CREATE INDEX home_actor ON home(actor_id, id)`,
	`INSERT INTO home(id, kind, item, actor_id) SELECT id, 'note', id, '' FROM notes WHERE author = '' AND deleted_at IS NULL`,
	`CREATE INDEX notes_in_reply_to ON notes(in_reply_to)`,
	// reactions holds likes and boosts, by peers and by the owner (whose
	// actor id is then actor_id); home_id is the timeline entry of a boost.
	`CREATE TABLE reactions (
		activity_id TEXT PRIMARY KEY,
		kind TEXT NOT NULL,
		object_id TEXT NOT NULL,
		actor_id TEXT NOT NULL,
		created INTEGER NOT NULL,
		home_id INTEGER
	)`,
	`CREATE INDEX reactions_object ON reactions(object_id, kind, actor_id)`,
	`CREATE TABLE reports (
		activity_id TEXT PRIMARY KEY,
		actor_id TEXT NOT NULL,
		content TEXT NOT NULL DEFAULT '',
		object_ids TEXT NOT NULL DEFAULT '',
		created INTEGER NOT NULL
	)`,
	`CREATE TABLE notifications (
		id INTEGER PRIMARY KEY,
		type TEXT NOT NULL,
		actor_id TEXT NOT NULL DEFAULT '',
		object_id TEXT NOT NULL DEFAULT '',
		object_url TEXT NOT NULL DEFAULT '',
		text TEXT NOT NULL DEFAULT '',
		created INTEGER NOT NULL,
		seen INTEGER NOT NULL DEFAULT 0
	)`,
	`CREATE INDEX notifications_seen ON notifications(seen, id)`,
	`CREATE INDEX notifications_object ON notifications(object_id)`,
	// source tells where a post came from: 'activitypub' for the fediverse,
	// 'feed' for an item of a followed RSS, Atom or JSON Feed site, which
	// has no inbox to send a like, a boost or a reply to.
	`ALTER TABLE posts ADD COLUMN source TEXT NOT NULL DEFAULT 'activitypub'`,
	// bookmarks are the owner's private marks on posts; nothing is sent
	// about them. id is a snowflake of the moment of bookmarking, which
	// orders and pages the Bookmarks page; item is the note's or post's
	// id (one id space), so a timeline page finds its marks by key.
	`CREATE TABLE bookmarks (
		id INTEGER PRIMARY KEY,
		object_id TEXT NOT NULL UNIQUE,
		item INTEGER NOT NULL,
		created INTEGER NOT NULL
	)`,
	`CREATE INDEX bookmarks_item ON bookmarks(item)`,
	// Polls. note_polls and poll_options hold the owner's polls;
	// poll_votes who voted for what (an actor counts once per option, and
	// once in all on a single-choice poll). expires_at is NULL for a poll
	// without an end; notified marks an ended poll the owner was told about.
	`CREATE TABLE note_polls (
		note_id INTEGER PRIMARY KEY REFERENCES notes(id) ON DELETE CASCADE,
		expires_at INTEGER,
		multiple INTEGER NOT NULL DEFAULT 0,
		voters_count INTEGER NOT NULL DEFAULT 0,
		notified INTEGER NOT NULL DEFAULT 0
	)`,
	`CREATE TABLE poll_options (
		note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
		position INTEGER NOT NULL,
		title TEXT NOT NULL,
		votes INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (note_id, position)
	)`,
	`CREATE TABLE poll_votes (
		note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
		actor_id TEXT NOT NULL,
		position INTEGER NOT NULL,
		created INTEGER NOT NULL,
		PRIMARY KEY (note_id, actor_id, position)
	)`,
	// post_polls are polls by others (a Question): options is a JSON array
	// of {"title","votes"} as the author's server last counted them,
	// own_votes a JSON array of the positions the owner chose.
	`CREATE TABLE post_polls (
		post_id INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
		expires_at INTEGER,
		multiple INTEGER NOT NULL DEFAULT 0,
		voters_count INTEGER NOT NULL DEFAULT 0,
		options TEXT NOT NULL,
		own_votes TEXT NOT NULL DEFAULT '[]'
	)`,
	// One notification per event. event_type groups the types that name
	// the same event (a reply is a mention); with the actor and the object
	// it is unique, so a redelivered activity or a reply reported by both
	// the blog and the feed notifies once. The duplicates already stored go
	// before the index comes: of each event the first notification stays,
	// of an edit the latest.
	`ALTER TABLE notifications ADD COLUMN event_type TEXT NOT NULL DEFAULT ''`,
	`UPDATE notifications SET event_type = CASE type WHEN 'reply' THEN 'mention' ELSE type END`,
	`DELETE FROM notifications WHERE id NOT IN (
		SELECT CASE event_type WHEN 'update' THEN MAX(id) ELSE MIN(id) END
		FROM notifications GROUP BY event_type, actor_id, object_id)`,
	`CREATE UNIQUE INDEX notifications_event ON notifications(event_type, actor_id, object_id)`,
	// One like and one boost per actor and object, as a constraint: two
	// deliveries racing (or a peer that sends a second Like under a new id)
	// cannot both count. Duplicates already stored go first, with the
	// timeline entries of duplicate boosts; the counts are recomputed.
	`DELETE FROM home WHERE kind = 'boost' AND id IN (SELECT home_id FROM reactions WHERE home_id IS NOT NULL
		AND rowid NOT IN (SELECT MIN(rowid) FROM reactions GROUP BY object_id, kind, actor_id))`,
	`DELETE FROM reactions WHERE rowid NOT IN (SELECT MIN(rowid) FROM reactions GROUP BY object_id, kind, actor_id)`,
	`DROP INDEX reactions_object`,
	`CREATE UNIQUE INDEX reactions_once ON reactions(object_id, kind, actor_id)`,
	// Web-feed items move to ids of their own (FeedItemID: "feed-item:",
	// the feed URL, a space, the guid), so that a guid equal to a
	// fediverse post's id no longer takes that id. The owner's likes,
	// shares and bookmarks of items follow them.
	`UPDATE reactions SET object_id = (SELECT 'feed-item:' || p.author || ' ' || p.object_id FROM posts p
		WHERE p.object_id = reactions.object_id)
		WHERE object_id IN (SELECT object_id FROM posts WHERE source = 'feed' AND object_id NOT LIKE 'feed-item:%')`,
	`UPDATE bookmarks SET object_id = (SELECT 'feed-item:' || p.author || ' ' || p.object_id FROM posts p
		WHERE p.object_id = bookmarks.object_id)
		WHERE object_id IN (SELECT object_id FROM posts WHERE source = 'feed' AND object_id NOT LIKE 'feed-item:%')`,
	`UPDATE posts SET object_id = 'feed-item:' || author || ' ' || object_id,
		conversation = CASE WHEN conversation = object_id THEN 'feed-item:' || author || ' ' || object_id ELSE conversation END
		WHERE source = 'feed' AND object_id NOT LIKE 'feed-item:%'`,
	// Earlier versions of the owner's notes, kept at each edit so that apps
	// show the edit history from the first text on, as Mastodon does.
	`CREATE TABLE note_edits (
		id INTEGER PRIMARY KEY,
		note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
		html TEXT NOT NULL,
		content_warning TEXT NOT NULL DEFAULT '',
		created INTEGER NOT NULL
	)`,
	`CREATE INDEX note_edits_note ON note_edits(note_id, id)`,
	// feed_search is the full-text index of everything the owner can read
	// here: their notes (kept in step by the triggers below) and other
	// people's posts and web-feed items (written by the feed room in the
	// transaction that stores, edits or deletes the post, because their
	// HTML must become plain text first, which SQL cannot do; the posts
	// stored before the index existed are indexed at start, by
	// IndexMissing). The rowid is the note's or post's id, one id space.
	`CREATE VIRTUAL TABLE feed_search USING fts5(title, body, warning, tokenize = 'unicode61 remove_diacritics 2')`,
	`CREATE TRIGGER notes_search_insert AFTER INSERT ON notes WHEN new.deleted_at IS NULL BEGIN
		INSERT INTO feed_search(rowid, title, body, warning) VALUES(new.id, '', new.text, new.content_warning);
	END`,
	`CREATE TRIGGER notes_search_update AFTER UPDATE OF text, content_warning, deleted_at ON notes BEGIN
		DELETE FROM feed_search WHERE rowid = old.id;
		INSERT INTO feed_search(rowid, title, body, warning) SELECT new.id, '', new.text, new.content_warning WHERE new.deleted_at IS NULL;
	END`,
	`CREATE TRIGGER notes_search_delete AFTER DELETE ON notes BEGIN
		DELETE FROM feed_search WHERE rowid = old.id;
	END`,
	`INSERT INTO feed_search(rowid, title, body, warning) SELECT id, '', text, content_warning FROM notes WHERE deleted_at IS NULL`,
	// Direct posts (the owner's and others') are the apps' conversations:
	// partial indexes keep listing them from scanning every post.
	`CREATE INDEX notes_direct ON notes(id) WHERE visibility = 'direct'`,
	`CREATE INDEX posts_direct ON posts(id) WHERE visibility = 'direct'`,
	// The apps' tag timelines read others' posts by hashtag, in any case.
	`CREATE INDEX post_tags_hashtag ON post_tags(lower(name), post_id) WHERE kind = 'hashtag'`,
	// The actor type of an author, so apps mark bots and groups.
	`ALTER TABLE authors ADD COLUMN actor_type TEXT NOT NULL DEFAULT ''`,
	// Quote posts: the object id of the post a note or post quotes ('' for
	// none), indexed so that a post's quotes are counted without a scan.
	`ALTER TABLE notes ADD COLUMN quote TEXT NOT NULL DEFAULT ''`,
	`ALTER TABLE posts ADD COLUMN quote TEXT NOT NULL DEFAULT ''`,
	`CREATE INDEX notes_quote ON notes(quote) WHERE quote <> ''`,
	`CREATE INDEX posts_quote ON posts(quote) WHERE quote <> ''`,
	// Quote consent (FEP-044f): who may quote each of the owner's notes,
	// the state of the owner's own quote and the stamp it was given, what
	// a remote post says about being quoted and the stamp it carries.
	`ALTER TABLE notes ADD COLUMN quote_policy TEXT NOT NULL DEFAULT 'public'`,
	`ALTER TABLE notes ADD COLUMN quote_state TEXT NOT NULL DEFAULT ''`,
	`ALTER TABLE notes ADD COLUMN quote_authorization TEXT NOT NULL DEFAULT ''`,
	`ALTER TABLE posts ADD COLUMN quote_policy TEXT NOT NULL DEFAULT ''`,
	`ALTER TABLE posts ADD COLUMN quote_authorization TEXT NOT NULL DEFAULT ''`,
	// The owner's answers to requests to quote their notes; an accepted
	// row is a QuoteAuthorization served at /quote-authorizations/{id}.
	`CREATE TABLE quote_authorizations (
		id INTEGER PRIMARY KEY,
		note_id INTEGER NOT NULL,
		quoting_object TEXT NOT NULL,
		quoting_author TEXT NOT NULL,
		state TEXT NOT NULL,
		created INTEGER NOT NULL,
		UNIQUE (note_id, quoting_object)
	)`,
	`CREATE INDEX quote_authorizations_quoting ON quote_authorizations(quoting_object)`,
	// The replies collection each remote post names, on the post's own
	// server, and when a thread view last read it (thread_replies.go):
	// replies that never reached the site are fetched from there.
	`CREATE TABLE post_replies_crawl (
		object_id TEXT PRIMARY KEY,
		collection TEXT NOT NULL,
		crawled INTEGER NOT NULL DEFAULT 0
	)`,
}
