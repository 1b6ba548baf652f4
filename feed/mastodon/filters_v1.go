package mastodon

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// FilterV1 is Mastodon's v1 Filter: one keyword of a v2 filter. Older apps
// still list filters through /api/v1/filters, so each keyword is shown there
// as Mastodon 4 shows it; "irreversible" is the v2 "hide" action.
type FilterV1 struct {
	ID           string   `json:"id"`
	Phrase       string   `json:"phrase"`
	Context      []string `json:"context"`
	WholeWord    bool     `json:"whole_word"`
	ExpiresAt    *string  `json:"expires_at"`
	Irreversible bool     `json:"irreversible"`
}

// filtersV1 shows v2 filters as v1 filters, each under its keyword's id.
func filtersV1(list []FilterEntity) []FilterV1 {
	out := []FilterV1{}
	for _, f := range list {
		for _, k := range f.Keywords {
			out = append(out, FilterV1{ID: k.ID, Phrase: k.Keyword, Context: f.Context,
				WholeWord: k.WholeWord, ExpiresAt: f.ExpiresAt, Irreversible: f.FilterAction == "hide"})
		}
	}
	return out
}

func (a *API) getFiltersV1(w http.ResponseWriter, r *http.Request, t *token) {
	list, err := a.readFilters(r.Context(), 0)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, filtersV1(list))
}

// filterV1Routes serve the v1 filters of older apps over the v2 ones, as
// Mastodon 4 does: a v1 filter is one keyword; creating one makes a v2
// filter titled by its phrase.
func (a *API) filterV1Routes(mux Mux) {
	a.handle(mux, "GET /api/v1/filters", "read:filters", a.getFiltersV1)
	a.handle(mux, "POST /api/v1/filters", "write:filters", a.createFilterV1)
	a.handle(mux, "GET /api/v1/filters/{id}", "read:filters", a.getFilterV1)
	a.handle(mux, "PUT /api/v1/filters/{id}", "write:filters", a.updateFilterV1)
	a.handle(mux, "DELETE /api/v1/filters/{id}", "write:filters", a.deleteFilterV1)
}

// v1Fields are what a v1 filter sends: the phrase and, for its filter,
// context, irreversible (hide) and expires_in.
func v1Fields(p *params, now time.Time) (phrase string, wholeWord bool, f filterRow) {
	phrase = strings.TrimSpace(p.get("phrase"))
	f = filterRow{title: phrase, contexts: p.list("context")}
	if p.has("irreversible") {
		f.action = "warn"
		if p.boolean("irreversible", false) {
			f.action = "hide"
		}
	}
	if p.has("expires_in") {
		f.expiresSet = true
		if secs, err := strconv.ParseInt(p.get("expires_in"), 10, 64); err == nil && secs > 0 {
			f.expires = now.Unix() + secs
		}
	}
	return phrase, p.boolean("whole_word", true), f
}

func (a *API) createFilterV1(w http.ResponseWriter, r *http.Request, t *token) {
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	phrase, whole, f := v1Fields(p, a.cfg.Now())
	if phrase == "" {
		unprocessable(w, "phrase can't be blank")
		return
	}
	if f.action == "" {
		f.action = "warn"
	}
	f.keywords = []FilterKeyword{{Keyword: phrase, WholeWord: whole}}
	if problem := f.problem(); problem != "" {
		unprocessable(w, problem)
		return
	}
	id, err := a.insertFilter(r.Context(), f)
	if err != nil {
		fail(w, r, err)
		return
	}
	a.writeFilterV1(w, r, keywordID(id, 0))
}

// writeFilterV1 answers with the v1 filter of a keyword id.
func (a *API) writeFilterV1(w http.ResponseWriter, r *http.Request, keywordID string) {
	fid, _, _ := keywordSlot(keywordID)
	f, err := a.filterByID(r.Context(), fid)
	if err != nil {
		failLookup(w, r, err)
		return
	}
	for _, v1 := range filtersV1([]FilterEntity{f}) {
		if v1.ID == keywordID {
			writeJSON(w, http.StatusOK, v1)
			return
		}
	}
	notFound(w)
}

func (a *API) getFilterV1(w http.ResponseWriter, r *http.Request, t *token) {
	a.writeFilterV1(w, r, r.PathValue("id"))
}

// updateFilterV1 changes the keyword and, with what else was sent, its
// filter (which the keyword's siblings share, as on Mastodon).
func (a *API) updateFilterV1(w http.ResponseWriter, r *http.Request, t *token) {
	f, i, err := a.keywordOf(r)
	if err != nil {
		failLookup(w, r, err)
		return
	}
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	phrase, whole, row := v1Fields(p, a.cfg.Now())
	row.title = "" // the filter keeps its title
	e := keywordEdit{id: f.Keywords[i].ID, keyword: phrase}
	if p.has("whole_word") {
		e.wholeWord, e.wholeWordSet = whole, true
	}
	row.edits = []keywordEdit{e}
	row = row.over(f)
	if problem := row.problem(); problem != "" {
		unprocessable(w, problem)
		return
	}
	fid, _ := parseID(f.ID)
	if err := a.updateFilter(r.Context(), fid, row); err != nil {
		fail(w, r, err)
		return
	}
	a.writeFilterV1(w, r, f.Keywords[i].ID)
}

// deleteFilterV1 removes the keyword; a filter left with nothing to match
// goes too, as the v1 app that made it knows of no filter beyond it.
func (a *API) deleteFilterV1(w http.ResponseWriter, r *http.Request, t *token) {
	f, i, err := a.keywordOf(r)
	if err != nil {
		failLookup(w, r, err)
		return
	}
	fid, _ := parseID(f.ID)
	if len(f.Keywords) == 1 && len(f.Statuses) == 0 {
		err = a.removeFilter(r.Context(), fid)
	} else {
		row := filterRow{edits: []keywordEdit{{id: f.Keywords[i].ID, destroy: true}}}.over(f)
		err = a.updateFilter(r.Context(), fid, row)
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}
