package blog

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"
)

func getJSON(t *testing.T, f *fixture, path, accept string, status int) map[string]any {
	t.Helper()
	w := f.do(t, http.MethodGet, path, "", nil, false, "Accept", accept)
	wantStatus(t, w, status)
	if ct := w.Header().Get("Content-Type"); ct != "application/activity+json" {
		t.Errorf("content type %q", ct)
	}
	var m map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, w.Body.String())
	}
	return m
}

func strs(v any) []string {
	var out []string
	switch x := v.(type) {
	case string:
		out = append(out, x)
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

func TestArticleObject(t *testing.T) {
	f := newFixture(t)
	a := f.create(t, ArticleInput{Title: "Federated", Body: "Full **text**.", Summary: "Short", Tags: []string{"go", "web"}})
	f.clock.Add(time.Hour)

	for _, accept := range []string{"application/activity+json", `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`} {
		m := getJSON(t, f, "/blog/federated", accept, http.StatusOK)
		checks := map[string]any{
			"id": a.ObjectID, "type": "Article", "name": "Federated", "summary": "Short", "url": a.URL,
			"attributedTo": testBase + "/actor", "published": "2025-03-14T12:00:00Z",
		}
		for k, want := range checks {
			if m[k] != want {
				t.Errorf("%s = %v, want %v", k, m[k], want)
			}
		}
		if m["content"] != a.HTML || a.HTML != "<p>Full <strong>text</strong>.</p>\n" {
			t.Errorf("content %v", m["content"])
		}
		if !slices.Equal(strs(m["to"]), []string{"https://www.w3.org/ns/activitystreams#Public"}) ||
			!slices.Equal(strs(m["cc"]), []string{testBase + "/followers"}) {
			t.Errorf("addressing to %v cc %v", m["to"], m["cc"])
		}
		tags, _ := m["tag"].([]any)
		if len(tags) != 2 {
			t.Fatalf("tags %v", m["tag"])
		}
		tag0, _ := tags[0].(map[string]any)
		if tag0["type"] != "Hashtag" || tag0["name"] != "#go" || tag0["href"] != testBase+"/blog/tags/go" {
			t.Errorf("hashtag %v", tag0)
		}
		if m["@context"] == nil {
			t.Error("no @context")
		}
	}

	// Drafts and pages have no object document.
	f.create(t, ArticleInput{Title: "Secret", Draft: true})
	f.create(t, ArticleInput{Title: "About", Page: true})
	for _, p := range []string{"/blog/secret", "/blog/about", "/blog/missing"} {
		w := f.do(t, http.MethodGet, p, "", nil, false, "Accept", "application/activity+json")
		wantStatus(t, w, http.StatusNotFound)
	}

	// After a slug edit the original id still answers with the object.
	if _, err := f.blog.Update(t.Context(), a.ID, ArticleInput{Title: "Federated", Body: "Full **text**.", Slug: "moved", Tags: []string{"go"}}); err != nil {
		t.Fatal(err)
	}
	if m := getJSON(t, f, "/blog/federated", "application/activity+json", http.StatusOK); m["url"] != testBase+"/blog/moved" || m["id"] != a.ObjectID {
		t.Errorf("renamed object id %v url %v", m["id"], m["url"])
	}
	w := f.get(t, "/blog/federated", false)
	wantStatus(t, w, http.StatusMovedPermanently)
	if w.Header().Get("Location") != "/blog/moved" {
		t.Errorf("old address redirects to %q", w.Header().Get("Location"))
	}

	// Deleted: 410 with a Tombstone, at the old and the current address.
	if err := f.blog.Delete(t.Context(), a.ID); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/blog/moved", "/blog/federated"} {
		m := getJSON(t, f, p, "application/activity+json", http.StatusGone)
		if m["type"] != "Tombstone" || m["id"] != a.ObjectID || m["formerType"] != "Article" {
			t.Errorf("%s: tombstone %v", p, m)
		}
	}
	wantStatus(t, f.get(t, "/blog/moved", false), http.StatusGone)
}
