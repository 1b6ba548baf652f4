package mastodon

import "net/http"

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

// filtersV1 shows v2 filters as v1 filters. Keyword ids count within their
// filter, so the v1 id combines both to stay unique.
func filtersV1(list []FilterEntity) []FilterV1 {
	out := []FilterV1{}
	for _, f := range list {
		fid, _ := parseID(f.ID)
		for i, k := range f.Keywords {
			out = append(out, FilterV1{ID: idString(fid*maxFilterKeywords + int64(i)), Phrase: k.Keyword, Context: f.Context,
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
