// Package access is how the site's one owner gets in: the password (argon2id),
// the one-time set-up link, login sessions, bearer tokens for scripts and
// Micropub clients, and the middleware that keeps owner pages to the owner.
package access

import (
	"context"
	"database/sql"
)

// Migrations is the append-only schema of this package's tables.
var Migrations = []string{
	`CREATE TABLE owner_secret (
		id INTEGER PRIMARY KEY CHECK (id = 1),
		password_hash TEXT NOT NULL DEFAULT '',
		setup_code_hash TEXT NOT NULL DEFAULT ''
	)`,
	`CREATE TABLE sessions (
		id_hash TEXT PRIMARY KEY,
		created INTEGER NOT NULL,
		expires INTEGER NOT NULL
	)`,
	`CREATE TABLE tokens (
		id INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		hash TEXT NOT NULL UNIQUE,
		scope TEXT NOT NULL,
		created INTEGER NOT NULL,
		last_used INTEGER NOT NULL DEFAULT 0
	)`,
	// Small facts about the owner's use of the site, such as having
	// dismissed the first-run guide.
	`CREATE TABLE owner_flags (
		name TEXT PRIMARY KEY,
		since INTEGER NOT NULL
	)`,
	// Addresses and browsers that gave the right password, and when: they
	// are not held back when strangers have spent the budget of wrong
	// passwords (guesses.go).
	`CREATE TABLE trusted_logins (
		key TEXT PRIMARY KEY,
		last INTEGER NOT NULL
	)`,
	// IndieAuth authorization codes waiting to be redeemed, by the hash of
	// the code: in the database so that any process serving the site can
	// redeem what another issued (indieauth_codes.go).
	`CREATE TABLE indieauth_codes (
		code_hash TEXT PRIMARY KEY,
		client_id TEXT NOT NULL,
		redirect_uri TEXT NOT NULL,
		challenge TEXT NOT NULL,
		scopes TEXT NOT NULL,
		expires INTEGER NOT NULL
	)`,
}

// Store keeps the owner's secrets. It is safe for concurrent use.
type Store struct {
	db *sql.DB
	// RevokeTokens, when set, revokes the app tokens issued with the old
	// password, in the transaction that changes it (the root plugs in the
	// Mastodon API's tokens). It returns how many it revoked.
	RevokeTokens func(ctx context.Context, tx *sql.Tx) (int64, error)
	// PasswordChanged, when set, is told after a change committed (the
	// running API forgets the tokens it had verified).
	PasswordChanged func()
}

// NewStore wraps the database; Migrations must have been applied.
func NewStore(db *sql.DB) *Store { return &Store{db: db} }
