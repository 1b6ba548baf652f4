package mastodon

import (
	"context"
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

func (a *API) getFilters(w http.ResponseWriter, r *http.Request, t *token) {
	list, err := a.readFilters(r.Context(), 0)
	writeResult(w, r, list, err)
}

func (a *API) getFilter(w http.ResponseWriter, r *http.Request, t *token) {
	id, _ := parseID(r.PathValue("id"))
	f, err := a.filterByID(r.Context(), id)
	writeResult(w, r, f, err)
}

// maxFilterKeywords bounds the keywords_attributes indexes read from a form.
const maxFilterKeywords = 64

// filterInput reads a filter's fields. Keywords come Rails-style as
// keywords_attributes[i][keyword]; those marked _destroy are dropped, and
// none at all leaves nil, which an update reads as "keep the old ones".
func filterInput(p *params) filterRow {
	f := filterRow{title: strings.TrimSpace(p.get("title")), contexts: p.list("context"), action: p.get("filter_action")}
	if f.action == "" {
		f.action = "warn"
	}
	for i := range maxFilterKeywords {
		k := "keywords_attributes[" + idString(int64(i)) + "]"
		if !p.has(k+"[keyword]") || parseBool(p.get(k+"[_destroy]")) {
			continue
		}
		f.keywords = append(f.keywords, FilterKeyword{ID: idString(int64(i + 1)), Keyword: p.get(k + "[keyword]"), WholeWord: p.boolean(k+"[whole_word]", false)})
	}
	return f
}

// over fills what an update left out from the filter it changes.
func (f filterRow) over(old FilterEntity) filterRow {
	if f.title == "" {
		f.title = old.Title
	}
	if len(f.contexts) == 0 {
		f.contexts = old.Context
	}
	if f.keywords == nil {
		f.keywords = old.Keywords
	}
	return f
}

// saveFilter is both POST (create) and PUT /{id} (update).
func (a *API) saveFilter(w http.ResponseWriter, r *http.Request, t *token) {
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	f := filterInput(p)
	var id int64
	var err error
	if raw := r.PathValue("id"); raw != "" {
		id, _ = parseID(raw)
		err = a.changeFilter(r.Context(), id, f)
	} else {
		if f.title == "" || len(f.contexts) == 0 {
			unprocessable(w, "title and context can't be blank")
			return
		}
		id, err = a.insertFilter(r.Context(), f)
	}
	if err != nil {
		failLookup(w, r, err)
		return
	}
	saved, err := a.filterByID(r.Context(), id)
	writeResult(w, r, saved, err)
}

// changeFilter updates a filter with the fields an app sent.
func (a *API) changeFilter(ctx context.Context, id int64, f filterRow) error {
	old, err := a.filterByID(ctx, id)
	if err != nil {
		return err
	}
	return a.updateFilter(ctx, id, f.over(old))
}

func (a *API) deleteFilter(w http.ResponseWriter, r *http.Request, t *token) {
	id, _ := parseID(r.PathValue("id"))
	if err := a.removeFilter(r.Context(), id); err != nil {
		failLookup(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}
