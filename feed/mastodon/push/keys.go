package push

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	webpush "github.com/SherClockHolmes/webpush-go"
)

// Keys is the site's VAPID key pair, both halves base64url without
// padding, as apps and push services expect them: the public key is the
// uncompressed P-256 point, the private key the 32-byte scalar.
type Keys struct {
	Public, Private string
}

// loadOrCreateKeys reads the key pair, making it on first use. Apps bind
// their subscriptions to the public key (push services refuse messages
// signed by another), so once made it stays.
func loadOrCreateKeys(ctx context.Context, db *sql.DB, now int64) (Keys, error) {
	var k Keys
	err := db.QueryRowContext(ctx, `SELECT public_key, private_key FROM mastodon_push_keys WHERE id = 1`).Scan(&k.Public, &k.Private)
	if err == nil {
		return k, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return k, fmt.Errorf("read VAPID keys: %w", err)
	}
	priv, pub, err := webpush.GenerateVAPIDKeys()
	if err != nil {
		return k, fmt.Errorf("make VAPID keys: %w", err)
	}
	// Another process starting on the same database at the same moment
	// may have won: whichever pair was stored first is the site's.
	if _, err := db.ExecContext(ctx, `INSERT INTO mastodon_push_keys(id, public_key, private_key, created) VALUES(1, ?, ?, ?)
		ON CONFLICT(id) DO NOTHING`, pub, priv, now); err != nil {
		return k, fmt.Errorf("store VAPID keys: %w", err)
	}
	err = db.QueryRowContext(ctx, `SELECT public_key, private_key FROM mastodon_push_keys WHERE id = 1`).Scan(&k.Public, &k.Private)
	if err != nil {
		return k, fmt.Errorf("read VAPID keys: %w", err)
	}
	return k, nil
}
