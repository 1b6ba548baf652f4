package mastodon

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
)

// FilterEntity is Mastodon's v2 Filter. Filters are stored and returned so
// that apps can manage them; apps apply them on their side as well.
type FilterEntity struct {
	ID           string          `json:"id"`
	Title        string          `json:"title"`
	Context      []string        `json:"context"`
	ExpiresAt    *string         `json:"expires_at"`
	FilterAction string          `json:"filter_action"`
	Keywords     []FilterKeyword `json:"keywords"`
	Statuses     []any           `json:"statuses"`
}

// FilterKeyword is one word of a filter.
type FilterKeyword struct {
	ID        string `json:"id"`
	Keyword   string `json:"keyword"`
	WholeWord bool   `json:"whole_word"`
}

func (a *API) filterRoutes(mux *http.ServeMux) {
	a.handle(mux, "GET /api/v2/filters", "read:filters", a.getFilters)
	a.handle(mux, "POST /api/v2/filters", "write:filters", a.saveFilter)
	a.handle(mux, "GET /api/v2/filters/{id}", "read:filters", a.getFilter)
	a.handle(mux, "PUT /api/v2/filters/{id}", "write:filters", a.saveFilter)
	a.handle(mux, "DELETE /api/v2/filters/{id}", "write:filters", a.deleteFilter)
	a.handle(mux, "GET /api/v1/filters", "read:filters", a.emptyList)
}

func (a *API) filters(ctx context.Context, id int64) ([]FilterEntity, error) {
	q := `SELECT id, title, contexts, action, keywords FROM mastodon_filters`
	var args []any
	if id > 0 {
		q += ` WHERE id = ?`
		args = append(args, id)
	}
	rows, err := a.db.QueryContext(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []FilterEntity{}
	for rows.Next() {
		var f FilterEntity
		var n int64
		var contexts, keywords string
		if err := rows.Scan(&n, &f.Title, &contexts, &f.FilterAction, &keywords); err != nil {
			return nil, err
		}
		f.ID, f.Context, f.Statuses = idString(n), strings.Fields(contexts), []any{}
		if err := json.Unmarshal([]byte(keywords), &f.Keywords); err != nil || f.Keywords == nil {
			f.Keywords = []FilterKeyword{}
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

func (a *API) getFilters(w http.ResponseWriter, r *http.Request, t *token) {
	f, err := a.filters(r.Context(), 0)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, f)
}

func (a *API) getFilter(w http.ResponseWriter, r *http.Request, t *token) {
	id, ok := parseID(r.PathValue("id"))
	f, err := a.filters(r.Context(), id)
	if !ok || err != nil || len(f) == 0 {
		notFound(w)
		return
	}
	writeJSON(w, http.StatusOK, f[0])
}

func (a *API) saveFilter(w http.ResponseWriter, r *http.Request, t *token) {
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	title := strings.TrimSpace(p.get("title"))
	contexts := p.list("context")
	action := p.get("filter_action")
	if action == "" {
		action = "warn"
	}
	var kws []FilterKeyword
	for i := 0; i < 64; i++ {
		k := "keywords_attributes[" + idString(int64(i)) + "]"
		if !p.has(k + "[keyword]") {
			continue
		}
		if parseBool(p.get(k + "[_destroy]")) {
			continue
		}
		kws = append(kws, FilterKeyword{ID: idString(int64(i + 1)), Keyword: p.get(k + "[keyword]"), WholeWord: p.boolean(k+"[whole_word]", false)})
	}
	kwJSON, _ := json.Marshal(kws)
	var id int64
	if raw := r.PathValue("id"); raw != "" {
		id, _ = parseID(raw)
		old, err := a.filters(r.Context(), id)
		if err != nil || len(old) == 0 {
			notFound(w)
			return
		}
		if title == "" {
			title = old[0].Title
		}
		if len(contexts) == 0 {
			contexts = old[0].Context
		}
		if kws == nil {
			kwJSON, _ = json.Marshal(old[0].Keywords)
		}
		if _, err := a.db.ExecContext(r.Context(), `UPDATE mastodon_filters SET title = ?, contexts = ?, action = ?, keywords = ? WHERE id = ?`,
			title, strings.Join(contexts, " "), action, string(kwJSON), id); err != nil {
			fail(w, r, err)
			return
		}
	} else {
		if title == "" || len(contexts) == 0 {
			unprocessable(w, "title and context can't be blank")
			return
		}
		res, err := a.db.ExecContext(r.Context(), `INSERT INTO mastodon_filters (title, contexts, action, keywords, created) VALUES (?, ?, ?, ?, ?)`,
			title, strings.Join(contexts, " "), action, string(kwJSON), a.cfg.Now().Unix())
		if err != nil {
			fail(w, r, err)
			return
		}
		id, _ = res.LastInsertId()
	}
	f, err := a.filters(r.Context(), id)
	if err != nil || len(f) == 0 {
		fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, f[0])
}

func (a *API) deleteFilter(w http.ResponseWriter, r *http.Request, t *token) {
	id, _ := parseID(r.PathValue("id"))
	res, err := a.db.ExecContext(r.Context(), `DELETE FROM mastodon_filters WHERE id = ?`, id)
	if err != nil {
		fail(w, r, err)
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		notFound(w)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}
