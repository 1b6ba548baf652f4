package mastodon

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// marker is a saved read position of one timeline.
type marker struct {
	lastReadID string
	version    int
	updated    time.Time
}

// marker reads a timeline's read position; ErrNotFound when it was never saved.
func (a *API) marker(ctx context.Context, timeline string) (marker, error) {
	var m marker
	var updated int64
	err := a.db.QueryRowContext(ctx, `SELECT last_read_id, version, updated FROM mastodon_markers WHERE timeline = ?`, timeline).
		Scan(&m.lastReadID, &m.version, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return m, ErrNotFound
	}
	if err != nil {
		return m, fmt.Errorf("read marker %s: %w", timeline, err)
	}
	m.updated = time.Unix(updated, 0)
	return m, nil
}

// saveMarker moves a timeline's read position, counting the versions as
// Mastodon does so that apps can tell a newer position from theirs.
func (a *API) saveMarker(ctx context.Context, timeline, lastReadID string) error {
	_, err := a.db.ExecContext(ctx, `INSERT INTO mastodon_markers (timeline, last_read_id, version, updated) VALUES (?, ?, 1, ?)
		ON CONFLICT (timeline) DO UPDATE SET last_read_id = excluded.last_read_id, version = mastodon_markers.version + 1, updated = excluded.updated`,
		timeline, lastReadID, a.cfg.Now().Unix())
	if err != nil {
		return fmt.Errorf("save marker %s: %w", timeline, err)
	}
	return nil
}
