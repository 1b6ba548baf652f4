package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The editor's autosave is the owner's, from the site's own pages: a signed
// out visitor and a form on another site are refused and store nothing.
func TestAutosaveIsTheOwnersFromTheSite(t *testing.T) {
	ts := startTestSite(t, newTestNet(), "alice.test", "")
	send := func(client *http.Client, origin string) (int, string) {
		t.Helper()
		form := url.Values{"title": {"Half a thought"}, "body": {"To be continued"}}
		req, _ := http.NewRequest(http.MethodPost, ts.Base+"/blog/autosave", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		req.Header.Set("Origin", origin)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := send(ts.Owner, "http://evil.example"); code != http.StatusForbidden {
		t.Errorf("a cross-site autosave answered %d", code)
	}
	visitor := &http.Client{Transport: ts.Owner.Transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if code, _ := send(visitor, ts.Base); code < 300 || code == http.StatusOK {
		t.Errorf("a visitor's autosave answered %d", code)
	}
	if all, _ := ts.blog.All(context.Background()); len(all) != 0 {
		t.Fatalf("refused autosaves stored %d posts", len(all))
	}
	code, body := send(ts.Owner, ts.Base)
	var out map[string]string
	if err := json.Unmarshal([]byte(body), &out); code != http.StatusOK || err != nil || out["slug"] != "half-a-thought" {
		t.Fatalf("the owner's autosave: %d %s", code, body)
	}
	if a, err := ts.blog.BySlug(context.Background(), "half-a-thought"); err != nil || !a.Draft {
		t.Errorf("the autosaved post: %+v %v", a, err)
	}
}
