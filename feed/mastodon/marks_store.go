package mastodon

import (
	"context"
	"fmt"
)

// setMark writes one of the table's marks.
func (a *API) setMark(ctx context.Context, kind string, id int64, objectID string, on bool) error {
	var err error
	if on {
		_, err = a.db.ExecContext(ctx, `INSERT INTO mastodon_marks (kind, status_id, object_id, created) VALUES (?, ?, ?, ?)
			ON CONFLICT (kind, status_id) DO NOTHING`, kind, id, objectID, a.cfg.Now().UnixMilli())
	} else {
		_, err = a.db.ExecContext(ctx, `DELETE FROM mastodon_marks WHERE kind = ? AND status_id = ?`, kind, id)
	}
	if err != nil {
		return fmt.Errorf("mark %s: %w", kind, err)
	}
	return nil
}

// markedIDs lists status ids with a mark in the table, most recently marked
// first. The cursors are the marks' times shaped like snowflakes
// (milliseconds << 16), as the feed room's bookmarks and likes are, so that
// pages of both merge by time; before is such a cursor.
func (a *API) markedIDs(ctx context.Context, kind string, limit int, before int64) ([]int64, []int64, error) {
	if before <= 0 {
		before = 1 << 62
	}
	rows, err := a.db.QueryContext(ctx, `SELECT status_id, created << 16 FROM mastodon_marks WHERE kind = ? AND (created << 16) < ?
		ORDER BY created DESC LIMIT ?`, kind, before, limit)
	if err != nil {
		return nil, nil, fmt.Errorf("marked %s: %w", kind, err)
	}
	defer rows.Close()
	var ids, cursors []int64
	for rows.Next() {
		var id, at int64
		if err := rows.Scan(&id, &at); err != nil {
			return nil, nil, fmt.Errorf("marked %s: %w", kind, err)
		}
		ids, cursors = append(ids, id), append(cursors, at)
	}
	return ids, cursors, rows.Err()
}

// forgetMarks drops every mark on a deleted status.
func (a *API) forgetMarks(ctx context.Context, id int64) error {
	if _, err := a.db.ExecContext(ctx, `DELETE FROM mastodon_marks WHERE status_id = ?`, id); err != nil {
		return fmt.Errorf("forget marks: %w", err)
	}
	return nil
}
