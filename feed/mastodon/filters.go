package mastodon

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// FilterHead is a filter without its rules, as a FilterResult names it.
type FilterHead struct {
	ID           string   `json:"id"`
	Title        string   `json:"title"`
	Context      []string `json:"context"`
	ExpiresAt    *string  `json:"expires_at"`
	FilterAction string   `json:"filter_action"`
}

// FilterEntity is Mastodon's v2 Filter. Filters are applied here (see
// filters_apply.go) and returned so that apps can apply them as well.
type FilterEntity struct {
	FilterHead
	Keywords []FilterKeyword `json:"keywords"`
	Statuses []FilterStatus  `json:"statuses"`
	// expires is when the filter stops applying; zero for never.
	expires time.Time
}

// FilterKeyword is one word of a filter.
type FilterKeyword struct {
	ID        string `json:"id"`
	Keyword   string `json:"keyword"`
	WholeWord bool   `json:"whole_word"`
}

// The contexts a filter may apply in, and its actions. "blur" (Mastodon
// 4.4) keeps the status like "warn"; apps blur its media.
var (
	filterContexts = []string{"home", "notifications", "public", "thread", "account"}
	filterActions  = []string{"warn", "hide", "blur"}
)

func (a *API) filterRoutes(mux Mux) {
	a.handle(mux, "GET /api/v2/filters", "read:filters", a.getFilters)
	a.handle(mux, "POST /api/v2/filters", "write:filters", a.saveFilter)
	a.handle(mux, "GET /api/v2/filters/{id}", "read:filters", a.getFilter)
	a.handle(mux, "PUT /api/v2/filters/{id}", "write:filters", a.saveFilter)
	a.handle(mux, "DELETE /api/v2/filters/{id}", "write:filters", a.deleteFilter)
	a.filterV1Routes(mux)
	a.filterStatusRoutes(mux)
	a.filterKeywordRoutes(mux)
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
// keywords_attributes (see keywordEdits), applied to the filter's keywords
// by over. What an app did not send is left unset, which an update reads
// as "keep".
func filterInput(p *params, now time.Time) filterRow {
	f := filterRow{title: strings.TrimSpace(p.get("title")), contexts: p.list("context"), action: p.get("filter_action")}
	f.edits = keywordEdits(p)
	f.keywords = applyKeywordEdits(nil, f.edits)
	// expires_in is in seconds; sent empty it removes the expiry.
	if p.has("expires_in") {
		f.expiresSet = true
		if secs, err := strconv.ParseInt(p.get("expires_in"), 10, 64); err == nil && secs > 0 {
			f.expires = now.Unix() + secs
		}
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
	if f.action == "" {
		f.action = old.FilterAction
	}
	f.keywords = applyKeywordEdits(old.Keywords, f.edits)
	if !f.expiresSet && !old.expires.IsZero() {
		f.expires = old.expires.Unix()
	}
	return f
}

// problem tells what makes a complete filter invalid, "" when nothing.
func (f filterRow) problem() string {
	if f.title == "" || len(f.contexts) == 0 {
		return "title and context can't be blank"
	}
	for _, c := range f.contexts {
		if !contains(filterContexts, c) {
			return "context is not one of home, notifications, public, thread, account"
		}
	}
	if !contains(filterActions, f.action) {
		return "filter_action is not one of warn, hide, blur"
	}
	if len(f.keywords) > maxFilterKeywords {
		return "a filter has at most " + strconv.Itoa(maxFilterKeywords) + " keywords"
	}
	return ""
}

// saveFilter is both POST (create) and PUT /{id} (update).
func (a *API) saveFilter(w http.ResponseWriter, r *http.Request, t *token) {
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	f := filterInput(p, a.cfg.Now())
	id, _ := parseID(r.PathValue("id"))
	if r.PathValue("id") != "" {
		old, err := a.filterByID(r.Context(), id)
		if err != nil {
			failLookup(w, r, err)
			return
		}
		f = f.over(old)
	} else if f.action == "" {
		f.action = "warn"
	}
	if problem := f.problem(); problem != "" {
		unprocessable(w, problem)
		return
	}
	var err error
	if r.PathValue("id") != "" {
		err = a.updateFilter(r.Context(), id, f)
	} else {
		id, err = a.insertFilter(r.Context(), f)
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	saved, err := a.filterByID(r.Context(), id)
	writeResult(w, r, saved, err)
}

func (a *API) deleteFilter(w http.ResponseWriter, r *http.Request, t *token) {
	id, _ := parseID(r.PathValue("id"))
	if err := a.removeFilter(r.Context(), id); err != nil {
		failLookup(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}
