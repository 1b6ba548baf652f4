package syndication

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func serve(t *testing.T, method string, f Format, feed Feed, header map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, selfURLFor(f), nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	ServeFeed(rec, req, f, feed, selfURLFor(f))
	return rec.Result()
}

func TestServeFeedHeaders(t *testing.T) {
	for _, f := range []Format{Atom, RSS, JSONFeed} {
		t.Run(f.Extension(), func(t *testing.T) {
			resp := serve(t, http.MethodGet, f, testFeed(), nil)
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status = %d", resp.StatusCode)
			}
			if got := resp.Header.Get("Content-Type"); got != f.ContentType() {
				t.Errorf("Content-Type = %q, want %q", got, f.ContentType())
			}
			if got, want := resp.Header.Get("Last-Modified"), feedUpdatedAt.Format(http.TimeFormat); got != want {
				t.Errorf("Last-Modified = %q, want %q", got, want)
			}
			if !bytes.Equal(body, render(t, f, testFeed())) {
				t.Errorf("body differs from Write's output")
			}
			if got, want := resp.Header.Get("ETag"), bodyETag(body); got != want {
				t.Errorf("ETag = %q, want %q", got, want)
			}
		})
	}
}

func TestServeFeedConditional(t *testing.T) {
	etag := bodyETag(render(t, Atom, testFeed()))
	lastMod := feedUpdatedAt.Format(http.TimeFormat)
	tests := []struct {
		name       string
		method     string
		header     map[string]string
		wantStatus int
		wantBody   bool
	}{
		{"unconditional", http.MethodGet, nil, http.StatusOK, true},
		{"matching etag", http.MethodGet, map[string]string{"If-None-Match": etag}, http.StatusNotModified, false},
		{"etag in a list", http.MethodGet, map[string]string{"If-None-Match": `"old", ` + etag}, http.StatusNotModified, false},
		{"weak form of the etag", http.MethodGet, map[string]string{"If-None-Match": "W/" + etag}, http.StatusNotModified, false},
		{"stale etag", http.MethodGet, map[string]string{"If-None-Match": `"old"`}, http.StatusOK, true},
		{"same date", http.MethodGet, map[string]string{"If-Modified-Since": lastMod}, http.StatusNotModified, false},
		{"later date", http.MethodGet, map[string]string{"If-Modified-Since": feedUpdatedAt.Add(time.Hour).Format(http.TimeFormat)}, http.StatusNotModified, false},
		{"earlier date", http.MethodGet, map[string]string{"If-Modified-Since": feedUpdatedAt.Add(-time.Second).Format(http.TimeFormat)}, http.StatusOK, true},
		// RFC 9110: when If-None-Match is present, If-Modified-Since is ignored.
		{"stale etag beats fresh date", http.MethodGet, map[string]string{"If-None-Match": `"old"`, "If-Modified-Since": lastMod}, http.StatusOK, true},
		{"head", http.MethodHead, nil, http.StatusOK, false},
		{"head with matching etag", http.MethodHead, map[string]string{"If-None-Match": etag}, http.StatusNotModified, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := serve(t, tt.method, Atom, testFeed(), tt.header)
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if gotBody := len(body) > 0; gotBody != tt.wantBody {
				t.Errorf("body of %d bytes, want body: %v", len(body), tt.wantBody)
			}
			if resp.Header.Get("ETag") != etag {
				t.Errorf("ETag = %q, want %q", resp.Header.Get("ETag"), etag)
			}
		})
	}
}

// TestServeFeedETagFollowsContent checks that an edit which keeps the feed's
// date still reaches readers that poll with If-None-Match.
func TestServeFeedETagFollowsContent(t *testing.T) {
	before := serve(t, http.MethodGet, Atom, testFeed(), nil).Header.Get("ETag")
	edited := testFeed()
	edited.Entries[1].ContentHTML += "<p>P.S.</p>"
	resp := serve(t, http.MethodGet, Atom, edited, map[string]string{"If-None-Match": before})
	if resp.StatusCode != http.StatusOK {
		t.Errorf("status = %d after an edit, want 200", resp.StatusCode)
	}
	if after := resp.Header.Get("ETag"); after == before {
		t.Errorf("ETag %q did not change with the content", after)
	}
}

func TestServeFeedWithoutDate(t *testing.T) {
	resp := serve(t, http.MethodGet, JSONFeed, Feed{Title: "Nothing yet"}, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %d", resp.StatusCode)
	}
	if got := resp.Header.Get("Last-Modified"); got != "" {
		t.Errorf("Last-Modified = %q for a feed without a date, want none", got)
	}
}

func TestServeFeedUnknownFormat(t *testing.T) {
	resp := serve(t, http.MethodGet, Format(42), testFeed(), nil)
	if resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("status = %d, want 500", resp.StatusCode)
	}
}

func BenchmarkWriteAtom(b *testing.B) {
	feed := testFeed()
	article := feed.Entries[1]
	feed.Entries = make([]Entry, 50)
	for i := range feed.Entries {
		e := article
		e.ID = fmt.Sprintf("https://alice.example/blog/post-%d", i)
		e.URL = e.ID
		e.ContentHTML = strings.Repeat(postHTML, 8) // a few kilobytes, like a real post
		feed.Entries[i] = e
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(io.Discard, Atom, feed, selfURLFor(Atom)); err != nil {
			b.Fatal(err)
		}
	}
}
