package contacts

// Migrations is the append-only schema of the contacts room. Times are unix
// seconds.
//
// A contact is either a fediverse actor (kind 'actor', actor_id set) or
// a plain syndication feed (kind 'feed', feed_url set); the
// relationship tables point at contacts by row id so both kinds can share
// notes, pages and the home timeline.
var Migrations = []string{
	`CREATE TABLE contacts (
		id INTEGER PRIMARY KEY,
		kind TEXT NOT NULL DEFAULT 'actor' CHECK (kind IN ('actor', 'feed')),
		actor_id TEXT UNIQUE,
		feed_url TEXT UNIQUE,
		actor_type TEXT NOT NULL DEFAULT '',
		domain TEXT NOT NULL DEFAULT '',
		handle TEXT NOT NULL DEFAULT '',
		name TEXT NOT NULL DEFAULT '',
		avatar_url TEXT NOT NULL DEFAULT '',
		header_url TEXT NOT NULL DEFAULT '',
		url TEXT NOT NULL DEFAULT '',
		inbox TEXT NOT NULL DEFAULT '',
		shared_inbox TEXT NOT NULL DEFAULT '',
		summary_html TEXT NOT NULL DEFAULT '',
		fields TEXT NOT NULL DEFAULT '[]',
		bot INTEGER NOT NULL DEFAULT 0,
		locked INTEGER NOT NULL DEFAULT 0,
		moved_to TEXT NOT NULL DEFAULT '',
		note TEXT NOT NULL DEFAULT '',
		fetched INTEGER NOT NULL DEFAULT 0,
		created INTEGER NOT NULL,
		CHECK ((kind = 'actor' AND actor_id IS NOT NULL) OR (kind = 'feed' AND feed_url IS NOT NULL))
	)`,
	`CREATE INDEX contacts_domain ON contacts(domain)`,
	// following: the owner's follows of others.
	`CREATE TABLE following (
		id INTEGER PRIMARY KEY,
		contact_id INTEGER NOT NULL UNIQUE REFERENCES contacts(id) ON DELETE CASCADE,
		state TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'rejected')),
		activity_id TEXT NOT NULL,
		created INTEGER NOT NULL
	)`,
	// followers: others' follows of the owner, with the id of their Follow,
	// which Accept and Reject must embed.
	`CREATE TABLE followers (
		id INTEGER PRIMARY KEY,
		contact_id INTEGER NOT NULL UNIQUE REFERENCES contacts(id) ON DELETE CASCADE,
		state TEXT NOT NULL CHECK (state IN ('pending', 'accepted')),
		activity_id TEXT NOT NULL,
		created INTEGER NOT NULL
	)`,
	// blocks: actors the owner blocked, with the Block activity's id, which
	// an Undo must embed.
	`CREATE TABLE blocks (
		contact_id INTEGER PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
		activity_id TEXT NOT NULL,
		created INTEGER NOT NULL
	)`,
	`CREATE TABLE domain_blocks (
		domain TEXT PRIMARY KEY,
		created INTEGER NOT NULL
	)`,
	// blocked_by: remote actors that told us they blocked the owner.
	`CREATE TABLE blocked_by (
		contact_id INTEGER PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
		created INTEGER NOT NULL
	)`,
	`CREATE TABLE moves (
		id INTEGER PRIMARY KEY,
		actor_id TEXT NOT NULL,
		target TEXT NOT NULL,
		created INTEGER NOT NULL
	)`,
	`CREATE INDEX moves_actor ON moves(actor_id)`,
	// feed_polls: a feed subscription's polling state. Its row is the
	// subscription; the contact row (kind 'feed') outlives it so that the
	// owner's note and groups survive an unfollow.
	`CREATE TABLE feed_polls (
		contact_id INTEGER PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
		etag TEXT NOT NULL DEFAULT '',
		last_modified TEXT NOT NULL DEFAULT '',
		min_interval INTEGER NOT NULL DEFAULT 0,
		interval INTEGER NOT NULL,
		failures INTEGER NOT NULL DEFAULT 0,
		unchanged INTEGER NOT NULL DEFAULT 0,
		last_fetch INTEGER NOT NULL DEFAULT 0,
		last_error TEXT NOT NULL DEFAULT '',
		next_fetch INTEGER NOT NULL
	)`,
	`CREATE INDEX feed_polls_due ON feed_polls(next_fetch)`,
	// feed_items: the recent items of each feed, for the contact page and to
	// tell new items from ones already handed to the timeline.
	`CREATE TABLE feed_items (
		id INTEGER PRIMARY KEY,
		contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
		guid TEXT NOT NULL,
		url TEXT NOT NULL DEFAULT '',
		title TEXT NOT NULL DEFAULT '',
		summary_html TEXT NOT NULL DEFAULT '',
		content_html TEXT NOT NULL DEFAULT '',
		image TEXT NOT NULL DEFAULT '',
		published INTEGER NOT NULL DEFAULT 0,
		updated INTEGER NOT NULL DEFAULT 0,
		UNIQUE (contact_id, guid)
	)`,
	// mutes hide an account from the timelines without telling it.
	`CREATE TABLE mutes (
		contact_id INTEGER PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
		hide_notifications INTEGER NOT NULL DEFAULT 1,
		created INTEGER NOT NULL
	)`,
	// Groups are Mastodon's lists. The tables are not named "groups":
	// GROUPS is a keyword of SQL window frames.
	`CREATE TABLE contact_groups (
		id INTEGER PRIMARY KEY,
		title TEXT NOT NULL UNIQUE,
		replies_policy TEXT NOT NULL DEFAULT 'list',
		exclusive INTEGER NOT NULL DEFAULT 0,
		created INTEGER NOT NULL
	)`,
	`CREATE TABLE contact_group_members (
		group_id INTEGER NOT NULL REFERENCES contact_groups(id) ON DELETE CASCADE,
		contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
		PRIMARY KEY (group_id, contact_id)
	)`,
	`CREATE INDEX contact_group_members_contact ON contact_group_members(contact_id)`,
	// imports: background imports of address books and Mastodon exports,
	// with their outcome for the status page.
	`CREATE TABLE imports (
		id INTEGER PRIMARY KEY,
		kind TEXT NOT NULL,
		total INTEGER NOT NULL DEFAULT 0,
		processed INTEGER NOT NULL DEFAULT 0,
		added INTEGER NOT NULL DEFAULT 0,
		skipped INTEGER NOT NULL DEFAULT 0,
		failures TEXT NOT NULL DEFAULT '[]',
		done INTEGER NOT NULL DEFAULT 0,
		created INTEGER NOT NULL
	)`,
	// An import cut off by a shutdown or its time limit is done but
	// interrupted: the rows before "processed" stay, the rest were not tried.
	`ALTER TABLE imports ADD COLUMN interrupted INTEGER NOT NULL DEFAULT 0`,
	// Hosts are compared in one canonical form (vocab.CanonicalHost);
	// rows stored before kept the case and trailing dot they came with.
	`UPDATE contacts SET domain = rtrim(lower(domain), '.')`,
	`UPDATE OR IGNORE domain_blocks SET domain = rtrim(lower(domain), '.')`,
	// Group titles may repeat, as Mastodon's list titles may (apps create
	// lists through the API). SQLite cannot drop a UNIQUE constraint, so
	// both tables are rebuilt: the members first, so that dropping the old
	// groups table cascades into nothing, then each renamed into place
	// (the rename carries the members' reference along).
	`CREATE TABLE contact_groups_v2 (
		id INTEGER PRIMARY KEY,
		title TEXT NOT NULL,
		replies_policy TEXT NOT NULL DEFAULT 'list',
		exclusive INTEGER NOT NULL DEFAULT 0,
		created INTEGER NOT NULL
	)`,
	`INSERT INTO contact_groups_v2(id, title, replies_policy, exclusive, created)
		SELECT id, title, replies_policy, exclusive, created FROM contact_groups`,
	`CREATE TABLE contact_group_members_v2 (
		group_id INTEGER NOT NULL REFERENCES contact_groups_v2(id) ON DELETE CASCADE,
		contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
		PRIMARY KEY (group_id, contact_id)
	)`,
	`INSERT INTO contact_group_members_v2(group_id, contact_id) SELECT group_id, contact_id FROM contact_group_members`,
	`DROP TABLE contact_group_members`,
	`DROP TABLE contact_groups`,
	`ALTER TABLE contact_groups_v2 RENAME TO contact_groups`,
	`ALTER TABLE contact_group_members_v2 RENAME TO contact_group_members`,
	`CREATE INDEX contact_group_members_contact ON contact_group_members(contact_id)`,
	`CREATE INDEX contact_groups_title ON contact_groups(title)`,
}
