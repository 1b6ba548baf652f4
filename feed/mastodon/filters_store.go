package mastodon

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// filterRow is what a filter stores: contexts space-separated, keywords as
// JSON, the expiry in unix seconds (0 for never).
type filterRow struct {
	title    string
	contexts []string
	action   string
	keywords []FilterKeyword
	expires  int64
	// edits are the keywords_attributes sent, which an update applies to
	// the keywords it keeps.
	edits []keywordEdit
	// expiresSet tells that the app sent expires_in, so that an update
	// replaces it rather than keeping the old value.
	expiresSet bool
}

// readFilters lists the filters, or the one with id when id > 0, with the
// statuses each matches.
func (a *API) readFilters(ctx context.Context, id int64) ([]FilterEntity, error) {
	q := `SELECT id, title, contexts, action, keywords, expires FROM mastodon_filters`
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
		var n, expires int64
		var contexts, keywords string
		if err := rows.Scan(&n, &f.Title, &contexts, &f.FilterAction, &keywords, &expires); err != nil {
			return nil, fmt.Errorf("read filters: %w", err)
		}
		f.ID, f.Context, f.Statuses = idString(n), strings.Fields(contexts), []FilterStatus{}
		if expires > 0 {
			f.expires = time.Unix(expires, 0)
			f.ExpiresAt = strPtr(timeJSON(f.expires))
		}
		f.Keywords = loadedKeywords(n, keywords)
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read filters: %w", err)
	}
	return out, a.attachFilterStatuses(ctx, out)
}

// attachFilterStatuses fills the statuses of each filter in list.
func (a *API) attachFilterStatuses(ctx context.Context, list []FilterEntity) error {
	if len(list) == 0 {
		return nil
	}
	byID := map[string]*FilterEntity{}
	for i := range list {
		byID[list[i].ID] = &list[i]
	}
	statuses, err := a.readFilterStatuses(ctx, 0, 0)
	if err != nil {
		return err
	}
	for _, s := range statuses {
		if f := byID[idString(s.filterID)]; f != nil {
			f.Statuses = append(f.Statuses, s.FilterStatus)
		}
	}
	return nil
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
	kw, err := storedKeywords(0, f.keywords)
	if err != nil {
		return 0, fmt.Errorf("insert filter: %w", err)
	}
	var id int64
	err = a.db.QueryRowContext(ctx, `INSERT INTO mastodon_filters (title, contexts, action, keywords, expires, created) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		f.title, strings.Join(f.contexts, " "), f.action, kw, f.expires, a.cfg.Now().Unix()).Scan(&id)
	a.forgetFilters()
	if err != nil {
		return 0, fmt.Errorf("insert filter: %w", err)
	}
	return id, nil
}

func (a *API) updateFilter(ctx context.Context, id int64, f filterRow) error {
	kw, err := storedKeywords(id, f.keywords)
	if err != nil {
		return fmt.Errorf("update filter %d: %w", id, err)
	}
	_, err = a.db.ExecContext(ctx, `UPDATE mastodon_filters SET title = ?, contexts = ?, action = ?, keywords = ?, expires = ? WHERE id = ?`,
		f.title, strings.Join(f.contexts, " "), f.action, kw, f.expires, id)
	a.forgetFilters()
	if err != nil {
		return fmt.Errorf("update filter %d: %w", id, err)
	}
	return nil
}

// removeFilter deletes a filter and its statuses, ErrNotFound when there
// was none.
func (a *API) removeFilter(ctx context.Context, id int64) error {
	defer a.forgetFilters()
	if _, err := a.db.ExecContext(ctx, `DELETE FROM mastodon_filter_statuses WHERE filter_id = ?`, id); err != nil {
		return fmt.Errorf("delete filter %d: %w", id, err)
	}
	res, err := a.db.ExecContext(ctx, `DELETE FROM mastodon_filters WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete filter %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return ErrNotFound
	}
	return nil
}
