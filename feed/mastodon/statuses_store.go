package mastodon

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// idempotencyWindow is how long a repeated Idempotency-Key returns the
// status made the first time (Mastodon keeps keys for an hour).
const idempotencyWindow = time.Hour

// idempotent finds the status posted under an Idempotency-Key within the window.
func (a *API) idempotent(ctx context.Context, key string) (int64, bool) {
	var id int64
	err := a.db.QueryRowContext(ctx, `SELECT status_id FROM mastodon_idempotency WHERE key = ? AND created > ?`,
		key, a.cfg.Now().Add(-idempotencyWindow).Unix()).Scan(&id)
	return id, err == nil
}

// rememberIdempotent records the status posted under a key. Failing to
// remember costs at most a duplicate post on a retry, so the error is only
// returned for the caller to log.
func (a *API) rememberIdempotent(ctx context.Context, key string, id int64) error {
	_, err := a.db.ExecContext(ctx, `INSERT INTO mastodon_idempotency (key, status_id, created) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET status_id = excluded.status_id, created = excluded.created`, key, id, a.cfg.Now().Unix())
	if err != nil {
		return fmt.Errorf("remember idempotency key: %w", err)
	}
	return nil
}

// ownStatusStats counts the owner's notes and finds the newest one's time
// (zero when there is none). It reads the feed room's notes table, which
// offers no count of its own.
func (a *API) ownStatusStats(ctx context.Context) (int, time.Time, error) {
	var n int
	var last int64
	err := a.db.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(MAX(created), 0) FROM notes WHERE author = '' AND deleted_at IS NULL`).Scan(&n, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, nil
	}
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("count own statuses: %w", err)
	}
	if last == 0 {
		return n, time.Time{}, nil
	}
	return n, time.Unix(last, 0), nil
}
