package micropub

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func query(f *fixture, params url.Values) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, "/micropub?"+params.Encode(), nil)
	setToken(r, tokenRead)
	return f.do(r)
}

// decodeJSON checks a 200 JSON answer and decodes it.
func decodeJSON(t *testing.T, w *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	if w.Code != http.StatusOK {
		t.Fatalf("status %d, want 200; body %s", w.Code, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	var v map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("body %s: %v", w.Body, err)
	}
	return v
}

func TestQueries(t *testing.T) {
	tests := []struct {
		name   string
		params url.Values
		want   string // the whole JSON answer
	}{
		{
			name:   "config",
			params: url.Values{"q": {"config"}},
			want: `{"media-endpoint":"https://example.com/micropub/media","syndicate-to":[],` +
				`"post-types":[{"type":"note","name":"Note"},{"type":"article","name":"Article"},{"type":"photo","name":"Photo"}],` +
				`"q":["config","source","syndicate-to"]}`,
		},
		{
			name:   "syndicate-to",
			params: url.Values{"q": {"syndicate-to"}},
			want:   `{"syndicate-to":[]}`,
		},
		{
			name:   "source of an article",
			params: url.Values{"q": {"source"}, "url": {articleURL}},
			want: `{"type":["h-entry"],"properties":{"name":["First"],"content":["Body *text*"],"category":["a","b"],` +
				`"photo":[{"value":"https://cdn.example/1.jpg","alt":"One"},"https://cdn.example/2.jpg"],` +
				`"published":["2024-03-01T12:00:00Z"],"post-status":["published"],"visibility":["unlisted"]}}`,
		},
		{
			name:   "source of a note, some properties",
			params: url.Values{"q": {"source"}, "url": {noteURL}, "properties[]": {"content", "category"}},
			want:   `{"properties":{"content":["A note"]}}`,
		},
		{
			name:   "source with a single properties parameter",
			params: url.Values{"q": {"source"}, "url": {articleURL}, "properties": {"published"}},
			want:   `{"properties":{"published":["2024-03-01T12:00:00Z"]}}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			seed(f)
			got := decodeJSON(t, query(f, tt.params))
			var want map[string]any
			if err := json.Unmarshal([]byte(tt.want), &want); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				gotJSON, _ := json.Marshal(got)
				t.Errorf("answer\n got %s\nwant %s", gotJSON, tt.want)
			}
		})
	}
}

func TestConfigWithoutMediaEndpoint(t *testing.T) {
	mux := http.NewServeMux()
	(&Handler{Publisher: newFakePublisher(), CheckToken: checkToken, BaseURL: testBase}).Routes(mux)
	r := httptest.NewRequest(http.MethodGet, "/micropub?q=config", nil)
	setToken(r, tokenAll)
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, r)
	if got := decodeJSON(t, w); got["media-endpoint"] != nil {
		t.Errorf("config advertises a media endpoint the site does not have: %v", got["media-endpoint"])
	}
}

func TestQueryRejects(t *testing.T) {
	tests := []struct {
		name   string
		params url.Values
		desc   string
	}{
		{"no q", url.Values{}, "q parameter"},
		{"unknown q", url.Values{"q": {"category"}}, "q=category"},
		{"source without url", url.Values{"q": {"source"}}, "url"},
		{"source of an unknown post", url.Values{"q": {"source"}, "url": {testBase + "/nope"}}, "no post at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			seed(f)
			e := wantError(t, query(f, tt.params), http.StatusBadRequest, codeInvalidRequest)
			if !strings.Contains(e.Description, tt.desc) {
				t.Errorf("description %q does not mention %q", e.Description, tt.desc)
			}
		})
	}
}

// What q=source shows, an update can send back unchanged: the round trip
// keeps every field, the slug included although source does not show it.
func TestSourceRoundTrip(t *testing.T) {
	f := newFixture()
	seed(f)
	want := f.pub.posts[articleURL].entry
	got, err := entryFromProperties(propertiesFromEntry(want), KindArticle)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Published.Equal(want.Published) {
		t.Errorf("published %v, want %v", got.Published, want.Published)
	}
	got.Published = want.Published
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip\n got %+v\nwant %+v", got, want)
	}
}
