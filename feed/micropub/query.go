package micropub

import (
	"net/http"
	"strings"
)

// Queries the endpoint answers (Micropub, "Querying").
const (
	queryConfig       = "config"
	querySource       = "source"
	querySyndicateTo  = "syndicate-to"
	syndicateToMember = "syndicate-to"
)

// postType is one entry of the config's post-types list, which clients use
// to show only the editors the server supports.
type postType struct {
	Type string `json:"type"`
	Name string `json:"name"`
}

// handleQuery serves GET /micropub, Micropub's "Querying" section: the
// configuration, source content and syndication targets queries. Every query needs a valid token, of any scope: the source of a
// draft is as private as the draft.
func (h *Handler) handleQuery(w http.ResponseWriter, r *http.Request) error {
	token, err := headerToken(r)
	if err != nil {
		return err
	}
	if token == "" {
		return unauthorized(msgNoToken)
	}
	if _, err := h.scopes(r.Context(), token); err != nil {
		return err
	}
	q := r.URL.Query()
	switch q.Get("q") {
	case queryConfig:
		writeJSON(w, http.StatusOK, h.config())
		return nil
	case querySyndicateTo:
		writeJSON(w, http.StatusOK, map[string]any{syndicateToMember: []any{}})
		return nil
	case querySource:
		return h.querySource(w, r)
	case "":
		return invalidRequest("the q parameter is required: config, source or syndicate-to")
	}
	return invalidRequest("unknown query q=%s: this endpoint answers config, source and syndicate-to", q.Get("q"))
}

func (h *Handler) config() map[string]any {
	c := map[string]any{
		syndicateToMember: []any{},
		"post-types": []postType{
			{Type: KindNote, Name: "Note"},
			{Type: KindArticle, Name: "Article"},
			{Type: "photo", Name: "Photo"},
		},
		"q": []string{queryConfig, querySource, querySyndicateTo},
	}
	if h.SaveMedia != nil {
		c["media-endpoint"] = h.BaseURL + "/micropub/media"
	}
	return c
}

// querySource answers q=source&url=...: the post's properties in
// microformats2 JSON, with its type when all properties are asked for, and
// only the named ones (properties[]=name) otherwise, as the "Source Content" section shows.
func (h *Handler) querySource(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	u := strings.TrimSpace(q.Get("url"))
	if u == "" {
		return invalidRequest("q=source needs the url of a post")
	}
	e, _, err := h.Publisher.Source(r.Context(), u)
	if err != nil {
		return publisherError("source", u, err)
	}
	only := append(q["properties[]"], q["properties"]...)
	props := sourceProperties(propertiesFromEntry(e), only)
	if len(only) > 0 {
		writeJSON(w, http.StatusOK, map[string]any{"properties": props})
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]any{"type": []string{"h-entry"}, "properties": props})
	return nil
}
