package mastodon

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
)

// FilterStatus is Mastodon's FilterStatus: a status a filter matches by id.
type FilterStatus struct {
	ID       string `json:"id"`
	StatusID string `json:"status_id"`
}

// filterStatusRow is a FilterStatus with the filter it belongs to.
type filterStatusRow struct {
	FilterStatus
	filterID int64
}

// filterStatusRoutes serves /api/v2/filters/:id/statuses (and .../keywords)
// and /api/v2/filters/statuses/:id. The first pair is registered with a
// wildcard for the last segment: "{id}/statuses" and "statuses/{id}" would
// overlap on /filters/statuses/statuses, which ServeMux refuses.
func (a *API) filterStatusRoutes(mux Mux) {
	a.handle(mux, "GET /api/v2/filters/{id}/{rules}", "read:filters", a.getFilterRules)
	a.handle(mux, "POST /api/v2/filters/{id}/{rules}", "write:filters", a.addFilterStatus)
	a.handle(mux, "GET /api/v2/filters/statuses/{id}", "read:filters", a.getFilterStatus)
	a.handle(mux, "DELETE /api/v2/filters/statuses/{id}", "write:filters", a.deleteFilterStatus)
}

// getFilterRules lists a filter's statuses or keywords.
func (a *API) getFilterRules(w http.ResponseWriter, r *http.Request, t *token) {
	id, _ := parseID(r.PathValue("id"))
	f, err := a.filterByID(r.Context(), id)
	if err != nil {
		failLookup(w, r, err)
		return
	}
	switch r.PathValue("rules") {
	case "statuses":
		writeJSON(w, http.StatusOK, f.Statuses)
	case "keywords":
		writeJSON(w, http.StatusOK, f.Keywords)
	default:
		notFound(w)
	}
}

// addFilterStatus adds status_id to a filter (POST .../keywords adds a
// keyword instead: the two share a pattern). Only statuses known here
// can be filtered, as on Mastodon.
func (a *API) addFilterStatus(w http.ResponseWriter, r *http.Request, t *token) {
	if r.PathValue("rules") == "keywords" {
		a.addFilterKeyword(w, r, t)
		return
	}
	if r.PathValue("rules") != "statuses" {
		notFound(w)
		return
	}
	filterID, _ := parseID(r.PathValue("id"))
	if _, err := a.filterByID(r.Context(), filterID); err != nil {
		failLookup(w, r, err)
		return
	}
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	statusID, ok := parseID(p.get("status_id"))
	if !ok {
		unprocessable(w, "status_id can't be blank")
		return
	}
	if _, _, err := a.findPost(r.Context(), statusID); err != nil {
		failLookup(w, r, err)
		return
	}
	id, err := a.insertFilterStatus(r.Context(), filterID, statusID)
	if errors.Is(err, errDuplicateFilterStatus) {
		unprocessable(w, "Status has already been taken")
		return
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, FilterStatus{ID: idString(id), StatusID: idString(statusID)})
}

func (a *API) getFilterStatus(w http.ResponseWriter, r *http.Request, t *token) {
	id, _ := parseID(r.PathValue("id"))
	list, err := a.readFilterStatuses(r.Context(), 0, id)
	if err == nil && len(list) == 0 {
		err = ErrNotFound
	}
	if err != nil {
		failLookup(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[0].FilterStatus)
}

func (a *API) deleteFilterStatus(w http.ResponseWriter, r *http.Request, t *token) {
	id, _ := parseID(r.PathValue("id"))
	if err := a.removeFilterStatus(r.Context(), id); err != nil {
		failLookup(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}

// readFilterStatuses lists filtered statuses: those of one filter when
// filterID > 0, the one with id when id > 0, all of them otherwise.
func (a *API) readFilterStatuses(ctx context.Context, filterID, id int64) ([]filterStatusRow, error) {
	q := `SELECT id, filter_id, status_id FROM mastodon_filter_statuses`
	var args []any
	switch {
	case id > 0:
		q += ` WHERE id = ?`
		args = append(args, id)
	case filterID > 0:
		q += ` WHERE filter_id = ?`
		args = append(args, filterID)
	}
	rows, err := a.db.QueryContext(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("read filter statuses: %w", err)
	}
	defer rows.Close()
	var out []filterStatusRow
	for rows.Next() {
		var n, statusID int64
		var s filterStatusRow
		if err := rows.Scan(&n, &s.filterID, &statusID); err != nil {
			return nil, fmt.Errorf("read filter statuses: %w", err)
		}
		s.ID, s.StatusID = idString(n), idString(statusID)
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read filter statuses: %w", err)
	}
	return out, nil
}

var errDuplicateFilterStatus = errors.New("status already in filter")

func (a *API) insertFilterStatus(ctx context.Context, filterID, statusID int64) (int64, error) {
	defer a.forgetFilters()
	var id int64
	err := a.db.QueryRowContext(ctx, `INSERT INTO mastodon_filter_statuses (filter_id, status_id, created) VALUES (?, ?, ?)
		ON CONFLICT (filter_id, status_id) DO NOTHING RETURNING id`, filterID, statusID, a.cfg.Now().Unix()).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, errDuplicateFilterStatus
	}
	if err != nil {
		return 0, fmt.Errorf("add filter status: %w", err)
	}
	return id, nil
}

// removeFilterStatus deletes one filtered status, ErrNotFound when unknown.
func (a *API) removeFilterStatus(ctx context.Context, id int64) error {
	defer a.forgetFilters()
	res, err := a.db.ExecContext(ctx, `DELETE FROM mastodon_filter_statuses WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("remove filter status %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return ErrNotFound
	}
	return nil
}
