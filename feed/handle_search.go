package feed

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"roost/templates"
)

// searchPerPage is how many statuses a page of search results shows.
const searchPerPage = 20

// maxSearchOffset keeps paging within what ranking a query costs.
const maxSearchOffset = 1000

// showSearch is /search?q=: the owner's notes and the posts they keep
// (timeline, bookmarks, web-feed items) that hold the words, best match
// first, with the known accounts and hashtags; ?offset= pages.
func (f *Feed) showSearch(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	offset = min(max(offset, 0), maxSearchOffset)
	p := f.cfg.Page(r, "Search")
	p.Section = "search"
	v := templates.SearchView{Query: q}
	if q == "" {
		templates.Render(w, r, http.StatusOK, templates.SearchPage(p, v))
		return
	}
	hits, err := f.Search(ctx, SearchQuery{Text: q, Limit: searchPerPage + 1, Offset: offset})
	if err != nil {
		f.serverError(w, r, err)
		return
	}
	page := func(o int) string { return "/search?" + url.Values{"q": {q}, "offset": {strconv.Itoa(o)}}.Encode() }
	if len(hits) > searchPerPage {
		hits = hits[:searchPerPage]
		if offset+searchPerPage <= maxSearchOffset {
			v.OlderURL = page(offset + searchPerPage)
		}
	}
	if offset > 0 {
		v.NewerURL = page(max(offset-searchPerPage, 0))
	}
	var owner Owner
	if f.cfg.Profile != nil {
		owner, _ = f.cfg.Profile(ctx)
	}
	for _, h := range hits {
		v.Statuses = append(v.Statuses, f.searchResultView(h, owner))
	}
	if offset == 0 {
		if v.Accounts, err = f.searchPeopleViews(r, q); err != nil {
			f.serverError(w, r, err)
			return
		}
		tags, err := f.KnownTags(ctx, q, 10)
		if err != nil {
			f.serverError(w, r, err)
			return
		}
		for _, t := range tags {
			v.Tags = append(v.Tags, templates.SearchTagView{Name: t, URL: f.TagURL(t)})
		}
	}
	templates.Render(w, r, http.StatusOK, templates.SearchPage(p, v))
}

// searchResultView links a note to its page and a post to its thread here,
// where the owner can answer it.
func (f *Feed) searchResultView(h SearchHit, owner Owner) templates.SearchStatusView {
	sv := templates.SearchStatusView{Published: h.Published}
	for _, part := range h.Snippet {
		sv.Snippet = append(sv.Snippet, templates.SnippetPart{Text: part.Text, Match: part.Match})
	}
	if h.Own {
		sv.URL, sv.AuthorName, sv.AuthorHandle = f.NoteURL(h.ID), owner.Name, owner.Handle
		return sv
	}
	sv.URL = "/home/thread?" + url.Values{"object": {h.ObjectID}}.Encode()
	sv.AuthorName, sv.AuthorHandle = h.Author.Name, h.Author.Handle
	return sv
}

func (f *Feed) searchPeopleViews(r *http.Request, q string) ([]templates.SearchAccountView, error) {
	find := f.cfg.FindPeople
	if find == nil {
		find = f.SearchAuthors
	}
	people, err := find(r.Context(), q, 10)
	if err != nil {
		return nil, err
	}
	var out []templates.SearchAccountView
	for _, a := range people {
		name := a.Name
		if name == "" {
			name = a.Handle
		}
		out = append(out, templates.SearchAccountView{Name: name, Handle: a.Handle,
			URL: "/contacts/view?" + url.Values{"actor": {a.ActorID}}.Encode()})
	}
	return out, nil
}
