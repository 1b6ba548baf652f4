package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestListsAreGroups checks that a list made in a Mastodon app is one of the
// owner's contact groups, and the other way round.
func TestListsAreGroups(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	token := apiToken(t, alice.site)
	call := func(method, path string, form url.Values) (int, []byte) {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Bearer "+token)
		alice.handler.ServeHTTP(rec, req)
		return rec.Code, rec.Body.Bytes()
	}
	code, body := call(http.MethodPost, "/api/v1/lists", url.Values{"title": {"Family"}})
	var list struct{ ID, Title string }
	if err := json.Unmarshal(body, &list); code != http.StatusOK || err != nil || list.Title != "Family" {
		t.Fatalf("create list: %d %s", code, body)
	}
	g, err := alice.contacts.GroupByTitle(context.Background(), "Family")
	if err != nil || list.ID == "" {
		t.Fatalf("the list is not a contacts group: %v", err)
	}
	if _, err := alice.contacts.CreateGroup(context.Background(), "Work"); err != nil {
		t.Fatal(err)
	}
	_, body = call(http.MethodGet, "/api/v1/lists", nil)
	if !strings.Contains(string(body), `"Work"`) || !strings.Contains(string(body), `"Family"`) {
		t.Errorf("GET /api/v1/lists does not show the groups: %s", body)
	}
	if code, body := call(http.MethodPut, "/api/v1/lists/"+list.ID, url.Values{"title": {"Kin"}, "replies_policy": {"followed"}}); code != http.StatusOK {
		t.Fatalf("rename list: %d %s", code, body)
	}
	if g2, err := alice.contacts.Group(context.Background(), g.ID); err != nil || g2.Title != "Kin" || g2.RepliesPolicy != "followed" {
		t.Errorf("group after rename: %+v %v", g2, err)
	}
	if code, _ := call(http.MethodDelete, "/api/v1/lists/"+list.ID, nil); code != http.StatusOK {
		t.Fatalf("delete list: %d", code)
	}
	if _, err := alice.contacts.Group(context.Background(), g.ID); err == nil {
		t.Error("the group survived deleting the list")
	}
}
