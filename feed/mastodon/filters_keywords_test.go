package mastodon

import (
	"encoding/json"
	"net/url"
	"testing"
)

type keywordOut struct {
	ID        string `json:"id"`
	Keyword   string `json:"keyword"`
	WholeWord bool   `json:"whole_word"`
}

func (ta *testAPI) keywords(t *testing.T, filterID string) []keywordOut {
	t.Helper()
	var list []keywordOut
	ta.do(t, "GET", "/api/v2/filters/"+filterID+"/keywords", ta.token, nil, 200, &list)
	return list
}

// TestFilterKeywords: keywords sent without an index are kept; keywords
// are added, read, changed and removed one at a time under ids that stay
// theirs; an update's keywords_attributes change only the keywords named.
func TestFilterKeywords(t *testing.T) {
	c := loadSchemas(t)
	ta := newTestAPI(t, false)
	var f struct {
		ID       string
		Keywords []keywordOut
	}
	ta.do(t, "POST", "/api/v2/filters", ta.token, url.Values{"title": {"Shows"}, "context[]": {"home"},
		"keywords_attributes[][keyword]": {"spoiler", "finale"}, "keywords_attributes[][whole_word]": {"false", "true"}}, 200, &f)
	if len(f.Keywords) != 2 || f.Keywords[0].Keyword != "spoiler" || f.Keywords[0].WholeWord || !f.Keywords[1].WholeWord {
		t.Fatalf("keywords sent without an index: %+v", f.Keywords)
	}
	spoiler, finale := f.Keywords[0].ID, f.Keywords[1].ID

	var added json.RawMessage
	ta.do(t, "POST", "/api/v2/filters/"+f.ID+"/keywords", ta.token, url.Values{"keyword": {"cliffhanger"}}, 200, &added)
	validate(t, c, "FilterKeyword", added)
	var kw keywordOut
	json.Unmarshal(added, &kw)
	if kw.Keyword != "cliffhanger" || !kw.WholeWord || len(ta.keywords(t, f.ID)) != 3 {
		t.Fatalf("added %s; keywords %+v", added, ta.keywords(t, f.ID))
	}
	var got keywordOut
	ta.do(t, "GET", "/api/v2/filters/keywords/"+kw.ID, ta.token, nil, 200, &got)
	if got != kw {
		t.Errorf("GET keyword: %+v, want %+v", got, kw)
	}
	ta.do(t, "PUT", "/api/v2/filters/keywords/"+spoiler, ta.token, url.Values{"keyword": {"spoilers"}, "whole_word": {"true"}}, 200, &got)
	if got.ID != spoiler || got.Keyword != "spoilers" || !got.WholeWord {
		t.Errorf("PUT keyword: %+v", got)
	}
	ta.do(t, "DELETE", "/api/v2/filters/keywords/"+spoiler, ta.token, nil, 200, nil)
	ta.do(t, "GET", "/api/v2/filters/keywords/"+spoiler, ta.token, nil, 404, nil)
	list := ta.keywords(t, f.ID)
	if len(list) != 2 || list[0].ID != finale || list[1].ID != kw.ID {
		t.Fatalf("after removing one, the others keep their ids: %+v", list)
	}

	// An update names the keywords it changes; the rest stay.
	ta.do(t, "PUT", "/api/v2/filters/"+f.ID, ta.token, url.Values{"keywords_attributes[0][id]": {finale}, "keywords_attributes[0][_destroy]": {"true"},
		"keywords_attributes[1][keyword]": {"ending"}}, 200, &f)
	if len(f.Keywords) != 2 || f.Keywords[0].ID != kw.ID || f.Keywords[1].Keyword != "ending" {
		t.Errorf("after the update: %+v", f.Keywords)
	}
	ta.do(t, "POST", "/api/v2/filters/999/keywords", ta.token, url.Values{"keyword": {"x"}}, 404, nil)
	ta.do(t, "POST", "/api/v2/filters/"+f.ID+"/keywords", ta.token, url.Values{"keyword": {" "}}, 422, nil)
}

// TestFiltersV1Writes: older apps create, change and remove v1 filters,
// which are keywords of v2 filters.
func TestFiltersV1Writes(t *testing.T) {
	c := loadSchemas(t)
	ta := newTestAPI(t, false)
	var raw json.RawMessage
	ta.do(t, "POST", "/api/v1/filters", ta.token, url.Values{"phrase": {"politics"}, "context[]": {"home", "public"},
		"irreversible": {"true"}, "whole_word": {"false"}}, 200, &raw)
	validate(t, c, "V1Filter", raw)
	var v1 struct {
		ID           string
		Phrase       string
		Irreversible bool
		WholeWord    bool `json:"whole_word"`
		Context      []string
	}
	json.Unmarshal(raw, &v1)
	if v1.Phrase != "politics" || !v1.Irreversible || v1.WholeWord || len(v1.Context) != 2 {
		t.Fatalf("created %s", raw)
	}
	var v2 []FilterEntity
	ta.do(t, "GET", "/api/v2/filters", ta.token, nil, 200, &v2)
	if len(v2) != 1 || v2[0].Title != "politics" || v2[0].FilterAction != "hide" || v2[0].Keywords[0].ID != v1.ID {
		t.Fatalf("as a v2 filter: %+v", v2)
	}
	ta.do(t, "PUT", "/api/v1/filters/"+v1.ID, ta.token, url.Values{"phrase": {"elections"}, "context[]": {"home"}, "irreversible": {"false"}}, 200, &raw)
	json.Unmarshal(raw, &v1)
	if v1.Phrase != "elections" || v1.Irreversible || len(v1.Context) != 1 {
		t.Errorf("updated %s", raw)
	}
	ta.do(t, "GET", "/api/v1/filters/"+v1.ID, ta.token, nil, 200, nil)
	ta.do(t, "DELETE", "/api/v1/filters/"+v1.ID, ta.token, nil, 200, nil)
	ta.do(t, "GET", "/api/v1/filters/"+v1.ID, ta.token, nil, 404, nil)
	ta.do(t, "GET", "/api/v2/filters", ta.token, nil, 200, &v2)
	if len(v2) != 0 {
		t.Errorf("the v2 filter of a removed v1 filter stays: %+v", v2)
	}
	ta.do(t, "POST", "/api/v1/filters", ta.token, url.Values{"context[]": {"home"}}, 422, nil)
}
