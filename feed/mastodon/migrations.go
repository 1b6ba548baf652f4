package mastodon

// Migrations is the append-only schema of the Mastodon API (room name
// "mastodon"). Times are unix seconds. Secrets (client secrets aside, which
// apps must be able to read back) are stored as SHA-256 hashes.
var Migrations = []string{
	`CREATE TABLE mastodon_apps (
		id INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		website TEXT NOT NULL DEFAULT '',
		redirect_uris TEXT NOT NULL,
		scopes TEXT NOT NULL,
		client_id TEXT NOT NULL UNIQUE,
		client_secret TEXT NOT NULL,
		created INTEGER NOT NULL
	)`,
	`CREATE TABLE mastodon_codes (
		hash TEXT PRIMARY KEY,
		app_id INTEGER NOT NULL REFERENCES mastodon_apps(id) ON DELETE CASCADE,
		redirect_uri TEXT NOT NULL,
		scopes TEXT NOT NULL,
		challenge TEXT NOT NULL DEFAULT '',
		expires INTEGER NOT NULL
	)`,
	`CREATE TABLE mastodon_tokens (
		id INTEGER PRIMARY KEY,
		hash TEXT NOT NULL UNIQUE,
		app_id INTEGER NOT NULL REFERENCES mastodon_apps(id) ON DELETE CASCADE,
		scopes TEXT NOT NULL,
		owner INTEGER NOT NULL,
		created INTEGER NOT NULL,
		last_used INTEGER NOT NULL DEFAULT 0
	)`,
	// Remote accounts get small numeric ids that apps can page with; the row
	// with id 1 stands for the owner, whose actor id is filled in at start.
	`CREATE TABLE mastodon_accounts (
		id INTEGER PRIMARY KEY,
		actor_id TEXT NOT NULL UNIQUE
	)`,
	`INSERT INTO mastodon_accounts (id, actor_id) VALUES (1, '')`,
	`CREATE TABLE mastodon_markers (
		timeline TEXT PRIMARY KEY,
		last_read_id TEXT NOT NULL,
		version INTEGER NOT NULL,
		updated INTEGER NOT NULL
	)`,
	`CREATE TABLE mastodon_filters (
		id INTEGER PRIMARY KEY,
		title TEXT NOT NULL,
		contexts TEXT NOT NULL,
		action TEXT NOT NULL,
		keywords TEXT NOT NULL DEFAULT '[]',
		expires INTEGER NOT NULL DEFAULT 0,
		created INTEGER NOT NULL
	)`,
	`CREATE TABLE mastodon_idempotency (
		key TEXT PRIMARY KEY,
		status_id INTEGER NOT NULL,
		created INTEGER NOT NULL
	)`,
	// The owner's own marks on statuses: favourite, reblog, bookmark, pin.
	`CREATE TABLE mastodon_marks (
		kind TEXT NOT NULL,
		status_id INTEGER NOT NULL,
		object_id TEXT NOT NULL DEFAULT '',
		created INTEGER NOT NULL,
		PRIMARY KEY (kind, status_id)
	)`,
	`CREATE INDEX mastodon_marks_created ON mastodon_marks(kind, created)`,
	// Statuses the owner scheduled: the parameters as sent (JSON), posted
	// by PublishDue once due. problem is why posting failed for good (a
	// deleted attachment, say); such rows wait for a new date.
	`CREATE TABLE mastodon_scheduled (
		id INTEGER PRIMARY KEY,
		scheduled_at INTEGER NOT NULL,
		params TEXT NOT NULL,
		problem TEXT NOT NULL DEFAULT '',
		created INTEGER NOT NULL
	)`,
	`CREATE INDEX mastodon_scheduled_due ON mastodon_scheduled(scheduled_at)`,
	// Statuses a v2 filter matches by id (/api/v2/filters/:id/statuses).
	`CREATE TABLE mastodon_filter_statuses (
		id INTEGER PRIMARY KEY,
		filter_id INTEGER NOT NULL REFERENCES mastodon_filters(id) ON DELETE CASCADE,
		status_id INTEGER NOT NULL,
		created INTEGER NOT NULL,
		UNIQUE (filter_id, status_id)
	)`,
	// Web Push, kept by the push package. The site's VAPID key pair is
	// made once (apps bind their subscriptions to its public key, so it
	// never changes). Each token has at most one subscription, gone with
	// the token; access_token is the token itself, which Mastodon puts in
	// every message. Deliveries are the durable queue of messages, gone
	// with their subscription.
	`CREATE TABLE mastodon_push_keys (
		id INTEGER PRIMARY KEY CHECK (id = 1),
		public_key TEXT NOT NULL,
		private_key TEXT NOT NULL,
		created INTEGER NOT NULL
	)`,
	`CREATE TABLE mastodon_push_subscriptions (
		id INTEGER PRIMARY KEY,
		token_id INTEGER NOT NULL UNIQUE REFERENCES mastodon_tokens(id) ON DELETE CASCADE,
		endpoint TEXT NOT NULL,
		p256dh TEXT NOT NULL,
		auth TEXT NOT NULL,
		alerts TEXT NOT NULL,
		policy TEXT NOT NULL,
		access_token TEXT NOT NULL,
		created INTEGER NOT NULL
	)`,
	`CREATE TABLE mastodon_push_deliveries (
		id INTEGER PRIMARY KEY,
		subscription_id INTEGER NOT NULL REFERENCES mastodon_push_subscriptions(id) ON DELETE CASCADE,
		message TEXT NOT NULL,
		attempts INTEGER NOT NULL DEFAULT 0,
		next_try INTEGER NOT NULL,
		created INTEGER NOT NULL
	)`,
	`CREATE INDEX mastodon_push_deliveries_due ON mastodon_push_deliveries(next_try)`,
	`CREATE INDEX mastodon_push_deliveries_subscription ON mastodon_push_deliveries(subscription_id)`,
	// mastodon_conversations names the owner's private threads for apps:
	// thread is the feed room's thread root; read_id the newest status the
	// owner marked read; removed_id hides the conversation until a status
	// newer than it arrives, as Mastodon brings a removed one back.
	`CREATE TABLE mastodon_conversations (
		id INTEGER PRIMARY KEY,
		thread TEXT NOT NULL UNIQUE,
		read_id INTEGER NOT NULL DEFAULT 0,
		removed_id INTEGER NOT NULL DEFAULT 0
	)`,
	// mastodon_followed_tags are the hashtags the owner follows in the
	// apps; id orders and pages the list.
	`CREATE TABLE mastodon_followed_tags (
		id INTEGER PRIMARY KEY,
		name TEXT NOT NULL UNIQUE,
		created INTEGER NOT NULL
	)`,
}
