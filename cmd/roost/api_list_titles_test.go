package main

import (
	"net/http"
	"net/url"
	"testing"
)

// TestListTitlesMayRepeat: Mastodon lets two lists share a title, and apps
// that create "Friends" twice get two lists.
func TestListTitlesMayRepeat(t *testing.T) {
	alice := startTestSite(t, newTestNet(), "alice.test", "")
	token := passwordGrant(t, alice.site, testPassword)
	code, first := apiCall(t, alice, token, http.MethodPost, "/api/v1/lists", url.Values{"title": {"Friends"}})
	if code != http.StatusOK {
		t.Fatalf("first list: %d %v", code, first)
	}
	code, second := apiCall(t, alice, token, http.MethodPost, "/api/v1/lists", url.Values{"title": {"Friends"}})
	if code != http.StatusOK || second["id"] == first["id"] || second["title"] != "Friends" {
		t.Fatalf("second list titled Friends: %d %v", code, second)
	}
	code, work := apiCall(t, alice, token, http.MethodPost, "/api/v1/lists", url.Values{"title": {"Work"}})
	if code != http.StatusOK {
		t.Fatalf("third list: %d %v", code, work)
	}
	if code, renamed := apiCall(t, alice, token, http.MethodPut, "/api/v1/lists/"+work["id"].(string), url.Values{"title": {"Friends"}}); code != http.StatusOK || renamed["title"] != "Friends" {
		t.Errorf("renaming onto a taken title: %d %v", code, renamed)
	}
	if code, _ := apiCall(t, alice, token, http.MethodPost, "/api/v1/lists", url.Values{"title": {"  "}}); code != http.StatusUnprocessableEntity {
		t.Errorf("a blank title: %d, want 422", code)
	}
}
