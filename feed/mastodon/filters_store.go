package mastodon

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// filterRow is what a filter stores: contexts space-separated, keywords as JSON.
type filterRow struct {
	title    string
	contexts []string
	action   string
	keywords []FilterKeyword
}

// readFilters lists the filters, or the one with id when id > 0.
func (a *API) readFilters(ctx context.Context, id int64) ([]FilterEntity, error) {
	q := `SELECT id, title, contexts, action, keywords FROM mastodon_filters`
	var args []any
	if id > 0 {
		q += ` WHERE id = ?`
		args = append(args, id)
	}
	rows, err := a.db.QueryContext(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("read filters: %w", err)
	}
	defer rows.Close()
	out := []FilterEntity{}
	for rows.Next() {
		var f FilterEntity
		var n int64
		var contexts, keywords string
		if err := rows.Scan(&n, &f.Title, &contexts, &f.FilterAction, &keywords); err != nil {
			return nil, fmt.Errorf("read filters: %w", err)
		}
		f.ID, f.Context, f.Statuses = idString(n), strings.Fields(contexts), []any{}
		if err := json.Unmarshal([]byte(keywords), &f.Keywords); err != nil || f.Keywords == nil {
			f.Keywords = []FilterKeyword{}
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// filterByID reads one filter, ErrNotFound when there is none.
func (a *API) filterByID(ctx context.Context, id int64) (FilterEntity, error) {
	if id <= 0 {
		return FilterEntity{}, ErrNotFound
	}
	list, err := a.readFilters(ctx, id)
	if err != nil {
		return FilterEntity{}, err
	}
	if len(list) == 0 {
		return FilterEntity{}, ErrNotFound
	}
	return list[0], nil
}

func (a *API) insertFilter(ctx context.Context, f filterRow) (int64, error) {
	kw, err := json.Marshal(f.keywords)
	if err != nil {
		return 0, fmt.Errorf("insert filter: %w", err)
	}
	res, err := a.db.ExecContext(ctx, `INSERT INTO mastodon_filters (title, contexts, action, keywords, created) VALUES (?, ?, ?, ?, ?)`,
		f.title, strings.Join(f.contexts, " "), f.action, string(kw), a.cfg.Now().Unix())
	if err != nil {
		return 0, fmt.Errorf("insert filter: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("insert filter: %w", err)
	}
	return id, nil
}

func (a *API) updateFilter(ctx context.Context, id int64, f filterRow) error {
	kw, err := json.Marshal(f.keywords)
	if err != nil {
		return fmt.Errorf("update filter %d: %w", id, err)
	}
	if _, err := a.db.ExecContext(ctx, `UPDATE mastodon_filters SET title = ?, contexts = ?, action = ?, keywords = ? WHERE id = ?`,
		f.title, strings.Join(f.contexts, " "), f.action, string(kw), id); err != nil {
		return fmt.Errorf("update filter %d: %w", id, err)
	}
	return nil
}

// removeFilter deletes a filter, ErrNotFound when there was none.
func (a *API) removeFilter(ctx context.Context, id int64) error {
	res, err := a.db.ExecContext(ctx, `DELETE FROM mastodon_filters WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete filter %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return ErrNotFound
	}
	return nil
}
