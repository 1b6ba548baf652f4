package micropub

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"
)

// FuzzFormRequest decodes a form-encoded Micropub request and builds the
// entry from it, as a create does. Nothing a client sends may panic.
func FuzzFormRequest(f *testing.F) {
	for _, s := range []string{
		"h=entry&content=Hello+world&category[]=go&category[]=web",
		"h=entry&name=Title&content[html]=<p>Hi</p>&photo=https://a.example/p.jpg&mp-slug=hi&published=2024-01-01T00:00:00Z",
		"action=delete&url=https://alice.example/notes/1",
		"h=entry&content=x&in-reply-to=https://b.example/1&post-status=draft&visibility=unlisted&mp-photo-alt=a",
		"h=card&content=x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		req, err := formRequest(form, nil)
		if err != nil || req.action != "" {
			return
		}
		for _, kind := range []string{KindNote, KindArticle} {
			if e, err := entryFromProperties(req.props, kind); err == nil {
				requireContent(e, 0)
			}
		}
	})
}

// FuzzJSONRequest decodes a JSON Micropub request: a create builds its
// entry, an update applies its changes to an existing entry.
func FuzzJSONRequest(f *testing.F) {
	for _, s := range []string{
		`{"type":["h-entry"],"properties":{"content":["Hello"],"category":["go"]}}`,
		`{"type":["h-entry"],"properties":{"name":["T"],"content":[{"html":"<p>x</p>"}],"photo":[{"value":"https://a.example/p.jpg","alt":"a"}],"published":["2024-01-01T00:00:00Z"]}}`,
		`{"action":"update","url":"https://alice.example/notes/1","replace":{"content":["new"]},"add":{"category":["x"]},"delete":["summary"]}`,
		`{"action":"update","url":"u","delete":{"category":["x"]}}`,
		`{"action":"delete","url":"https://alice.example/notes/1"}`,
		`{"type":"h-entry","properties":{"content":[{"value":"v"}],"in-reply-to":["https://b.example/1"]}}`,
	} {
		f.Add([]byte(s))
	}
	current := Entry{Name: "Title", Content: "Old text", Categories: []string{"go"}, Published: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest(http.MethodPost, "/micropub", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		req, err := readJSON(httptest.NewRecorder(), r)
		if err != nil {
			return
		}
		switch req.action {
		case "":
			entryFromProperties(req.props, KindNote)
		case actionUpdate:
			p := propertiesFromEntry(current)
			req.ops.apply(p)
			entryFromProperties(p, KindArticle)
		}
	})
}
