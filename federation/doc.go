// Package federation is the site's ActivityPub face: the owner's actor and
// profile, keys, discovery documents, the inbox and outbox, the delivery queue
// and the outbound HTTP client. It imports no room; the rooms import it to
// publish and to resolve, and receive incoming activities through the small
// interfaces it declares.
//
// It answers other servers with documents and renders no pages: the owner's
// pages built on it (the remote-interaction page in contacts, the profile
// form in cmd/roost/settings) live where the page templates may be imported.
package federation

// Migrations is the append-only schema of the federation room.
var Migrations = []string{
	`CREATE TABLE profile (
		id INTEGER PRIMARY KEY CHECK (id = 1),
		username TEXT NOT NULL,
		name TEXT NOT NULL DEFAULT '',
		bio TEXT NOT NULL DEFAULT '',
		avatar_url TEXT NOT NULL DEFAULT '',
		header_url TEXT NOT NULL DEFAULT '',
		fields TEXT NOT NULL DEFAULT '[]',
		also_known_as TEXT NOT NULL DEFAULT '[]',
		manually_approves INTEGER NOT NULL DEFAULT 0,
		discoverable INTEGER NOT NULL DEFAULT 1,
		created INTEGER NOT NULL
	)`,
	// The site's RSA key pair, PEM-encoded: one row, created on first start.
	`CREATE TABLE site_key (
		id INTEGER PRIMARY KEY CHECK (id = 1),
		private_pem TEXT NOT NULL,
		public_pem TEXT NOT NULL,
		created INTEGER NOT NULL
	)`,
	// Remote actors as fetched (the raw document), keyed by id and findable
	// by key id for servers whose keyId is not "actor#fragment".
	`CREATE TABLE remote_actors (
		id TEXT PRIMARY KEY,
		key_id TEXT NOT NULL DEFAULT '',
		document TEXT NOT NULL,
		fetched INTEGER NOT NULL
	)`,
	`CREATE INDEX remote_actors_key_id ON remote_actors(key_id)`,
	// Outgoing activities, stored once and shared by their deliveries.
	`CREATE TABLE activities (
		id TEXT PRIMARY KEY,
		document TEXT NOT NULL,
		created INTEGER NOT NULL
	)`,
	// The delivery queue: one row per (activity, inbox). Times are unix
	// milliseconds. lease_until marks a row claimed by a worker; done is 1
	// once delivered or given up (last_error then says why).
	`CREATE TABLE deliveries (
		id INTEGER PRIMARY KEY,
		activity_id TEXT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
		inbox TEXT NOT NULL,
		attempts INTEGER NOT NULL DEFAULT 0,
		next_try INTEGER NOT NULL,
		lease_until INTEGER NOT NULL DEFAULT 0,
		last_error TEXT NOT NULL DEFAULT '',
		done INTEGER NOT NULL DEFAULT 0,
		created INTEGER NOT NULL,
		UNIQUE (activity_id, inbox)
	)`,
	`CREATE INDEX deliveries_due ON deliveries(done, next_try)`,
	// Ids of activities already received, so a redelivery is a no-op.
	`CREATE TABLE inbox_seen (
		id TEXT PRIMARY KEY,
		seen INTEGER NOT NULL
	)`,
	// The transactional outbox: an activity published in a room's
	// transaction waits here, with whom it is for (a JSON Audience), until a
	// worker has worked out the inboxes and queued its deliveries. Times
	// are unix milliseconds; next_try delays a retry after a failure.
	`CREATE TABLE outbox_pending (
		activity_id TEXT PRIMARY KEY REFERENCES activities(id) ON DELETE CASCADE,
		audience TEXT NOT NULL,
		created INTEGER NOT NULL,
		attempts INTEGER NOT NULL DEFAULT 0,
		next_try INTEGER NOT NULL DEFAULT 0,
		last_error TEXT NOT NULL DEFAULT ''
	)`,
	// The inbox queue: every accepted activity, stored before the peer is
	// answered and worked through by the inbox workers. dedupe_key (actor
	// and activity id) makes a redelivery a no-op for as long as the row is
	// kept. state is 0 while waiting, 1 once processed (the document is then
	// emptied) and 2 when parked: an activity that kept failing, kept with its
	// error for the operator and never retried again. Times are unix
	// milliseconds. It replaces inbox_seen, whose ids are carried over.
	`CREATE TABLE inbox_queue (
		id INTEGER PRIMARY KEY,
		dedupe_key TEXT NOT NULL UNIQUE,
		actor TEXT NOT NULL,
		document TEXT NOT NULL,
		received INTEGER NOT NULL,
		state INTEGER NOT NULL DEFAULT 0,
		attempts INTEGER NOT NULL DEFAULT 0,
		next_try INTEGER NOT NULL,
		lease_until INTEGER NOT NULL DEFAULT 0,
		last_error TEXT NOT NULL DEFAULT ''
	)`,
	`CREATE INDEX inbox_queue_waiting ON inbox_queue(next_try, id) WHERE state = 0`,
	`INSERT INTO inbox_queue(dedupe_key, actor, document, received, state, next_try)
		SELECT id, '', '', seen * 1000, 1, 0 FROM inbox_seen`,
	`DROP TABLE inbox_seen`,
	// The account the owner moved to (movedTo), once they did.
	`ALTER TABLE profile ADD COLUMN moved_to TEXT NOT NULL DEFAULT ''`,
	// The address each remote actor is shown by, once WebFinger confirmed
	// that it leads back to the actor ('' when none did), and the claims
	// its document made when it was checked (asked again when they change).
	`CREATE TABLE remote_handles (
		actor_id TEXT PRIMARY KEY,
		claims TEXT NOT NULL,
		handle TEXT NOT NULL,
		checked INTEGER NOT NULL
	)`,
	// The instance actor's key pair (see instance_actor.go), apart from the
	// owner's: it signs the site's fetches.
	`CREATE TABLE instance_key (
		id INTEGER PRIMARY KEY CHECK (id = 1),
		private_pem TEXT NOT NULL,
		public_pem TEXT NOT NULL
	)`,
	// The owner's Ed25519 key (PKCS#8 PEM) beside the RSA key: it signs the
	// object integrity proofs of the owner's activities (FEP-8b32). Sites
	// from before it get one at their next start ('' until then).
	`ALTER TABLE site_key ADD COLUMN proof_private_pem TEXT NOT NULL DEFAULT ''`,
	// The server that delivered an activity signed by someone other than
	// its actor (inbox forwarding), when no object proof vouched for it:
	// the inbox workers then believe only what the object's origin serves.
	`ALTER TABLE inbox_queue ADD COLUMN forwarded_by TEXT NOT NULL DEFAULT ''`,
	// The posts whose Create or Update roost forwarded to the owner's
	// followers (replies to the owner's posts), so that their Delete is
	// forwarded too.
	`CREATE TABLE forwarded_objects (
		object_id TEXT PRIMARY KEY,
		created INTEGER NOT NULL
	)`,
	// The open deliveries of each inbox in queue order: a row is sent only
	// once the rows queued before it for the same inbox are sent or waiting
	// for a retry (delivery_order.go).
	`CREATE INDEX deliveries_inbox_open ON deliveries(inbox, id) WHERE done = 0`,
}
