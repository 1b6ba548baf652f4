package micropub

import (
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

const (
	articleURL = testBase + "/blog/first"
	noteURL    = testBase + "/notes/7"
)

var postedAt = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

// seed stores an article and a note in the fake publisher.
func seed(f *fixture) {
	f.pub.posts[articleURL] = storedPost{kind: KindArticle, entry: Entry{
		Name: "First", Content: "Body *text*", Slug: "first", Categories: []string{"a", "b"},
		Photos:    []Photo{{URL: "https://cdn.example/1.jpg", Alt: "One"}, {URL: "https://cdn.example/2.jpg"}},
		Published: postedAt, Visibility: VisibilityUnlisted,
	}}
	f.pub.posts[noteURL] = storedPost{kind: KindNote, entry: Entry{Content: "A note", Published: postedAt}}
}

func TestUpdate(t *testing.T) {
	article := func(change func(e *Entry)) Entry {
		e := Entry{
			Name: "First", Content: "Body *text*", Slug: "first", Categories: []string{"a", "b"},
			Photos:    []Photo{{URL: "https://cdn.example/1.jpg", Alt: "One"}, {URL: "https://cdn.example/2.jpg"}},
			Published: postedAt, Visibility: VisibilityUnlisted,
		}
		change(&e)
		return e
	}
	tests := []struct {
		name string
		body string
		url  string
		want Entry
	}{
		{
			name: "replace content",
			body: `{"action":"update","url":"` + articleURL + `","replace":{"content":["New body"]}}`,
			url:  articleURL,
			want: article(func(e *Entry) { e.Content = "New body" }),
		},
		{
			name: "replace content with HTML on an article",
			body: `{"action":"update","url":"` + articleURL + `","replace":{"content":[{"html":"<h2>Sub</h2><p>x &amp; y</p>"}]}}`,
			url:  articleURL,
			want: article(func(e *Entry) { e.Content = "## Sub\n\nx & y" }),
		},
		{
			name: "add a category and a draft status",
			body: `{"action":"update","url":"` + articleURL + `","add":{"category":["c"]},"replace":{"post-status":["draft"]}}`,
			url:  articleURL,
			want: article(func(e *Entry) { e.Categories = []string{"a", "b", "c"}; e.Draft = true }),
		},
		{
			name: "delete whole properties",
			body: `{"action":"update","url":"` + articleURL + `","delete":["category","visibility"]}`,
			url:  articleURL,
			want: article(func(e *Entry) { e.Categories = nil; e.Visibility = "" }),
		},
		{
			name: "delete values, a photo by its URL",
			body: `{"action":"update","url":"` + articleURL + `","delete":{"category":["a"],"photo":["https://cdn.example/1.jpg"]}}`,
			url:  articleURL,
			want: article(func(e *Entry) {
				e.Categories = []string{"b"}
				e.Photos = []Photo{{URL: "https://cdn.example/2.jpg"}}
			}),
		},
		{
			name: "replace, add and delete together on a note",
			body: `{"action":"update","url":"` + noteURL + `","replace":{"content":["Edited"]},"add":{"category":["x","y"]},"delete":{"category":["x"]}}`,
			url:  noteURL,
			want: Entry{Content: "Edited", Categories: []string{"y"}, Published: postedAt},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			seed(f)
			w := f.do(postJSON(tokenAll, tt.body))
			if w.Code != http.StatusNoContent {
				t.Fatalf("status %d, want 204; body %s", w.Code, w.Body)
			}
			if len(f.pub.updated) != 1 {
				t.Fatalf("%d updates, want 1", len(f.pub.updated))
			}
			got := f.pub.updated[0]
			if got.url != tt.url {
				t.Errorf("updated %s, want %s", got.url, tt.url)
			}
			if !got.entry.Published.Equal(tt.want.Published) {
				t.Errorf("published %v, want %v", got.entry.Published, tt.want.Published)
			}
			got.entry.Published, tt.want.Published = time.Time{}, time.Time{}
			if !reflect.DeepEqual(got.entry, tt.want) {
				t.Errorf("entry\n got %+v\nwant %+v", got.entry, tt.want)
			}
		})
	}
}

func TestUpdateRejects(t *testing.T) {
	tests := []struct {
		name string
		body string
		desc string
	}{
		{"no url", `{"action":"update","replace":{"content":["x"]}}`, "url"},
		{"unknown url", `{"action":"update","url":"https://example.com/nope","replace":{"content":["x"]}}`, "no post at https://example.com/nope"},
		{"no changes", `{"action":"update","url":"` + noteURL + `"}`, "replace, add or delete"},
		{"replace value not an array", `{"action":"update","url":"` + noteURL + `","replace":{"content":"x"}}`, "replace.content"},
		{"add value not an array", `{"action":"update","url":"` + noteURL + `","add":{"category":"x"}}`, "add.category"},
		{"delete of the wrong shape", `{"action":"update","url":"` + noteURL + `","delete":"category"}`, "delete"},
		{"delete values not an array", `{"action":"update","url":"` + noteURL + `","delete":{"category":"x"}}`, "delete.category"},
		{"content removed entirely", `{"action":"update","url":"` + noteURL + `","delete":["content"]}`, "content or a photo"},
		{"bad value after the change", `{"action":"update","url":"` + noteURL + `","replace":{"published":["soon"]}}`, "RFC 3339"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			seed(f)
			e := wantError(t, f.do(postJSON(tokenAll, tt.body)), http.StatusBadRequest, codeInvalidRequest)
			if !strings.Contains(e.Description, tt.desc) {
				t.Errorf("description %q does not mention %q", e.Description, tt.desc)
			}
			if len(f.pub.updated) != 0 {
				t.Errorf("rejected update stored %+v", f.pub.updated)
			}
		})
	}
}

func TestDelete(t *testing.T) {
	tests := []struct {
		name string
		req  *http.Request
	}{
		{"form", postForm(tokenAll, url.Values{"action": {"delete"}, "url": {noteURL}})},
		{"form with the token in the body", postForm("", url.Values{"action": {"delete"}, "url": {noteURL}, "access_token": {tokenAll}})},
		{"JSON", postJSON(tokenAll, `{"action":"delete","url":"`+noteURL+`"}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			seed(f)
			w := f.do(tt.req)
			if w.Code != http.StatusNoContent {
				t.Fatalf("status %d, want 204; body %s", w.Code, w.Body)
			}
			if !reflect.DeepEqual(f.pub.deleted, []string{noteURL}) {
				t.Errorf("deleted %q, want %q", f.pub.deleted, noteURL)
			}
		})
	}
}

func TestDeleteRejects(t *testing.T) {
	tests := []struct {
		name string
		req  *http.Request
		desc string
	}{
		{"no url", postForm(tokenAll, url.Values{"action": {"delete"}}), "url"},
		{"unknown url", postJSON(tokenAll, `{"action":"delete","url":"https://example.com/gone"}`), "no post at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			seed(f)
			e := wantError(t, f.do(tt.req), http.StatusBadRequest, codeInvalidRequest)
			if !strings.Contains(e.Description, tt.desc) {
				t.Errorf("description %q does not mention %q", e.Description, tt.desc)
			}
			if len(f.pub.deleted) != 0 {
				t.Errorf("deleted %q", f.pub.deleted)
			}
		})
	}
}
