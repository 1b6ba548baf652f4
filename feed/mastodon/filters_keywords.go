package mastodon

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// A keyword's id is unique across filters: its filter's id times
// maxFilterKeywords plus its slot in the filter (0 to maxFilterKeywords-1).
// The row keeps the slot + 1 as the keyword's id. The ids of v1 filters
// are the same numbers, so both APIs name a keyword alike.
func keywordID(filterID int64, slot int) string {
	return idString(filterID*maxFilterKeywords + int64(slot))
}

// keywordSlot splits a keyword id into its filter and slot.
func keywordSlot(id string) (filterID int64, slot int, ok bool) {
	n, ok := parseID(id)
	if !ok || n < 0 {
		return 0, 0, false
	}
	return n / maxFilterKeywords, int(n % maxFilterKeywords), true
}

// keywordEdit is one entry of keywords_attributes: an id names a keyword
// to change (or, with _destroy, to remove); without one it is added.
type keywordEdit struct {
	id, keyword        string
	wholeWord, destroy bool
	wholeWordSet       bool
}

// keywordEdits reads keywords_attributes as apps send it: indexed Rails
// style (keywords_attributes[0][keyword]), or without an index
// (keywords_attributes[][keyword], as Mastodon.py and others send it),
// where the n-th value of each field belongs to the n-th keyword.
func keywordEdits(p *params) []keywordEdit {
	var out []keywordEdit
	read := func(field func(name string, i int) (string, bool), i int) bool {
		kw, hasKw := field("keyword", i)
		id, hasID := field("id", i)
		if !hasKw && !hasID {
			return false
		}
		e := keywordEdit{id: id, keyword: strings.TrimSpace(kw)}
		if v, ok := field("whole_word", i); ok {
			e.wholeWord, e.wholeWordSet = parseBool(v), true
		}
		if v, ok := field("_destroy", i); ok {
			e.destroy = parseBool(v)
		}
		out = append(out, e)
		return true
	}
	indexed := func(name string, i int) (string, bool) {
		k := "keywords_attributes[" + strconv.Itoa(i) + "][" + name + "]"
		return p.get(k), p.has(k)
	}
	unindexed := func(name string, i int) (string, bool) {
		vs := p.values["keywords_attributes[]["+name+"]"]
		if i < len(vs) {
			return vs[i], true
		}
		return "", false
	}
	for i := range maxFilterKeywords {
		read(indexed, i)
	}
	for i := 0; i < maxFilterKeywords && read(unindexed, i); i++ {
	}
	return out
}

// applyKeywordEdits changes a filter's keywords as Mastodon does: edits
// with an id change or remove that keyword, the others are added, and the
// keywords no edit names stay.
func applyKeywordEdits(old []FilterKeyword, edits []keywordEdit) []FilterKeyword {
	out := append([]FilterKeyword(nil), old...)
	for _, e := range edits {
		i := -1
		for j, k := range out {
			if e.id != "" && k.ID == e.id {
				i = j
			}
		}
		switch {
		case i >= 0 && e.destroy:
			out = append(out[:i], out[i+1:]...)
		case i >= 0:
			if e.keyword != "" {
				out[i].Keyword = e.keyword
			}
			if e.wholeWordSet {
				out[i].WholeWord = e.wholeWord
			}
		case !e.destroy && e.keyword != "":
			whole := e.wholeWord
			if !e.wholeWordSet {
				whole = true // Mastodon's default
			}
			out = append(out, FilterKeyword{Keyword: e.keyword, WholeWord: whole})
		}
	}
	return out
}

// storedKeywords encodes a filter's keywords for its row: a keyword keeps
// its slot, a new one takes the first free slot.
func storedKeywords(filterID int64, list []FilterKeyword) (string, error) {
	used := map[int]bool{}
	slots := make([]int, len(list))
	for i, k := range list {
		slots[i] = -1
		if fid, slot, ok := keywordSlot(k.ID); ok && k.ID != "" && fid == filterID && !used[slot] {
			slots[i], used[slot] = slot, true
		}
	}
	next := 0
	kw := make([]FilterKeyword, len(list))
	for i, k := range list {
		if slots[i] < 0 {
			for used[next] {
				next++
			}
			slots[i], used[next] = next, true
		}
		kw[i] = FilterKeyword{ID: strconv.Itoa(slots[i] + 1), Keyword: k.Keyword, WholeWord: k.WholeWord}
	}
	b, err := json.Marshal(kw)
	return string(b), err
}

// loadedKeywords decodes a row's keywords and gives them their ids.
func loadedKeywords(filterID int64, stored string) []FilterKeyword {
	var list []FilterKeyword
	if err := json.Unmarshal([]byte(stored), &list); err != nil || list == nil {
		return []FilterKeyword{}
	}
	for i := range list {
		slot, err := strconv.Atoi(list[i].ID)
		if err != nil || slot < 1 || slot > maxFilterKeywords {
			slot = i + 1
		}
		list[i].ID = keywordID(filterID, slot-1)
	}
	return list
}

func (a *API) filterKeywordRoutes(mux Mux) {
	a.handle(mux, "GET /api/v2/filters/keywords/{id}", "read:filters", a.getFilterKeyword)
	a.handle(mux, "PUT /api/v2/filters/keywords/{id}", "write:filters", a.updateFilterKeyword)
	a.handle(mux, "DELETE /api/v2/filters/keywords/{id}", "write:filters", a.deleteFilterKeyword)
}

// keywordOf finds a keyword by id with its filter; ErrNotFound when none.
func (a *API) keywordOf(r *http.Request) (FilterEntity, int, error) {
	fid, _, ok := keywordSlot(r.PathValue("id"))
	if !ok {
		return FilterEntity{}, 0, ErrNotFound
	}
	f, err := a.filterByID(r.Context(), fid)
	if err != nil {
		return FilterEntity{}, 0, err
	}
	for i, k := range f.Keywords {
		if k.ID == r.PathValue("id") {
			return f, i, nil
		}
	}
	return FilterEntity{}, 0, ErrNotFound
}

func (a *API) getFilterKeyword(w http.ResponseWriter, r *http.Request, t *token) {
	f, i, err := a.keywordOf(r)
	if err != nil {
		failLookup(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, f.Keywords[i])
}

// addFilterKeyword serves POST /api/v2/filters/:id/keywords.
func (a *API) addFilterKeyword(w http.ResponseWriter, r *http.Request, t *token) {
	fid, _ := parseID(r.PathValue("id"))
	f, err := a.filterByID(r.Context(), fid)
	if err != nil {
		failLookup(w, r, err)
		return
	}
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	e := keywordEdit{keyword: strings.TrimSpace(p.get("keyword")), wholeWord: p.boolean("whole_word", true), wholeWordSet: true}
	if e.keyword == "" {
		unprocessable(w, "keyword can't be blank")
		return
	}
	a.saveKeywords(w, r, f, []keywordEdit{e}, len(f.Keywords))
}

func (a *API) updateFilterKeyword(w http.ResponseWriter, r *http.Request, t *token) {
	f, i, err := a.keywordOf(r)
	if err != nil {
		failLookup(w, r, err)
		return
	}
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	e := keywordEdit{id: f.Keywords[i].ID, keyword: strings.TrimSpace(p.get("keyword"))}
	if p.has("whole_word") {
		e.wholeWord, e.wholeWordSet = p.boolean("whole_word", false), true
	}
	a.saveKeywords(w, r, f, []keywordEdit{e}, i)
}

func (a *API) deleteFilterKeyword(w http.ResponseWriter, r *http.Request, t *token) {
	f, i, err := a.keywordOf(r)
	if err != nil {
		failLookup(w, r, err)
		return
	}
	fid, _ := parseID(f.ID)
	row := filterRow{edits: []keywordEdit{{id: f.Keywords[i].ID, destroy: true}}}.over(f)
	if err := a.updateFilter(r.Context(), fid, row); err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}

// saveKeywords applies edits to a filter and answers with its keyword at
// position at, as it is stored.
func (a *API) saveKeywords(w http.ResponseWriter, r *http.Request, f FilterEntity, edits []keywordEdit, at int) {
	fid, _ := parseID(f.ID)
	row := filterRow{edits: edits}.over(f)
	if problem := row.problem(); problem != "" {
		unprocessable(w, problem)
		return
	}
	if err := a.updateFilter(r.Context(), fid, row); err != nil {
		fail(w, r, err)
		return
	}
	saved, err := a.filterByID(r.Context(), fid)
	if err == nil && at >= len(saved.Keywords) {
		err = fmt.Errorf("filter %d: keyword %d not saved", fid, at)
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, saved.Keywords[at])
}
