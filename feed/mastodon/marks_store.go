package mastodon

import (
	"context"
	"fmt"
)

// readMarks reads every mark of the owner, as bits by status id.
func (a *API) readMarks(ctx context.Context) (map[int64]markSet, error) {
	rows, err := a.db.QueryContext(ctx, `SELECT kind, status_id FROM mastodon_marks`)
	if err != nil {
		return nil, fmt.Errorf("load marks: %w", err)
	}
	defer rows.Close()
	byID := map[int64]markSet{}
	for rows.Next() {
		var kind string
		var id int64
		if err := rows.Scan(&kind, &id); err != nil {
			return nil, fmt.Errorf("load marks: %w", err)
		}
		byID[id] |= markBits[kind]
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load marks: %w", err)
	}
	return byID, nil
}

// setMark writes one mark, then the in-memory mirror.
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
	a.marks.update(id, kind, on)
	return nil
}

// markedIDs lists status ids with a mark, most recently marked first, paged by
// the mark's time (as Mastodon pages bookmarks and favourites).
func (a *API) markedIDs(ctx context.Context, kind string, limit int, before int64) ([]int64, []int64, error) {
	if before <= 0 {
		before = 1 << 62
	}
	rows, err := a.db.QueryContext(ctx, `SELECT status_id, created FROM mastodon_marks WHERE kind = ? AND created < ?
		ORDER BY created DESC LIMIT ?`, kind, before, limit)
	if err != nil {
		return nil, nil, fmt.Errorf("marked %s: %w", kind, err)
	}
	defer rows.Close()
	var ids, times []int64
	for rows.Next() {
		var id, at int64
		if err := rows.Scan(&id, &at); err != nil {
			return nil, nil, err
		}
		ids, times = append(ids, id), append(times, at)
	}
	return ids, times, rows.Err()
}

// forgetMarks drops every mark on a deleted status.
func (a *API) forgetMarks(ctx context.Context, id int64) error {
	if _, err := a.db.ExecContext(ctx, `DELETE FROM mastodon_marks WHERE status_id = ?`, id); err != nil {
		return fmt.Errorf("forget marks: %w", err)
	}
	a.marks.update(id, "", false)
	return nil
}
