package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// apiJSON sends one Mastodon API request and decodes the answer into out.
func apiJSON(t *testing.T, ts *testSite, token, method, path string, form url.Values, out any) int {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	ts.handler.ServeHTTP(rec, req)
	if out != nil && rec.Code == http.StatusOK {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, path, err, rec.Body)
		}
	}
	return rec.Code
}

type apiConversation struct {
	ID       string `json:"id"`
	Unread   bool   `json:"unread"`
	Accounts []struct {
		Acct string `json:"acct"`
	} `json:"accounts"`
	LastStatus struct {
		ID         string `json:"id"`
		Content    string `json:"content"`
		Visibility string `json:"visibility"`
	} `json:"last_status"`
}

// TestDirectMessagesBecomeConversations: a direct message from another
// roost site shows in the owner's conversations in the apps, with its
// sender; the owner's answer and the sender's next reply stay one
// conversation; reading and removing it work as Mastodon's do.
func TestDirectMessagesBecomeConversations(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	at, bt := passwordGrant(t, alice.site, testPassword), passwordGrant(t, bob.site, testPassword)

	conversations := func(path string) []apiConversation {
		var list []apiConversation
		if code := apiJSON(t, alice, at, "GET", path, nil, &list); code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, code)
		}
		return list
	}
	var sent map[string]any
	if code := apiJSON(t, bob, bt, "POST", "/api/v1/statuses", url.Values{"status": {"@alice.test@alice.test psst 42"}, "visibility": {"direct"}}, &sent); code != http.StatusOK {
		t.Fatalf("bob posts: %d", code)
	}
	var first apiConversation
	eventually(t, federationWait, "bob's direct message is among alice's conversations", func() bool {
		list := conversations("/api/v1/conversations")
		if len(list) == 1 && strings.Contains(list[0].LastStatus.Content, "psst 42") {
			first = list[0]
			return true
		}
		return false
	})
	if !first.Unread || len(first.Accounts) != 1 || first.Accounts[0].Acct != "bob.test@bob.test" || first.LastStatus.Visibility != "direct" {
		t.Fatalf("conversation: %+v", first)
	}
	if list := conversations("/api/v1/conversations/"); len(list) != 1 || list[0].ID != first.ID {
		t.Fatalf("with a trailing slash: %+v", list)
	}

	// Alice answers in the thread: still one conversation, read, hers last.
	var answer map[string]any
	if code := apiJSON(t, alice, at, "POST", "/api/v1/statuses", url.Values{"status": {"@bob.test@bob.test loud and clear"},
		"visibility": {"direct"}, "in_reply_to_id": {first.LastStatus.ID}}, &answer); code != http.StatusOK {
		t.Fatalf("alice answers: %d", code)
	}
	list := conversations("/api/v1/conversations")
	if len(list) != 1 || list[0].ID != first.ID || list[0].Unread || !strings.Contains(list[0].LastStatus.Content, "loud and clear") {
		t.Fatalf("after alice's answer: %+v", list)
	}

	// Bob replies to her answer: the same conversation, unread again.
	eventually(t, federationWait, "alice's answer reaches bob", func() bool {
		var home []map[string]any
		apiJSON(t, bob, bt, "GET", "/api/v1/timelines/direct", nil, &home)
		for _, s := range home {
			if strings.Contains(s["content"].(string), "loud and clear") {
				var reply map[string]any
				apiJSON(t, bob, bt, "POST", "/api/v1/statuses", url.Values{"status": {"@alice.test@alice.test thanks"},
					"visibility": {"direct"}, "in_reply_to_id": {s["id"].(string)}}, &reply)
				return true
			}
		}
		return false
	})
	eventually(t, federationWait, "bob's reply joins the conversation", func() bool {
		list := conversations("/api/v1/conversations")
		return len(list) == 1 && strings.Contains(list[0].LastStatus.Content, "thanks")
	})
	list = conversations("/api/v1/conversations")
	if list[0].ID != first.ID || !list[0].Unread {
		t.Fatalf("after bob's reply: %+v", list)
	}

	var read apiConversation
	if code := apiJSON(t, alice, at, "POST", "/api/v1/conversations/"+first.ID+"/read", nil, &read); code != http.StatusOK || read.Unread {
		t.Fatalf("read: %d %+v", code, read)
	}
	if list := conversations("/api/v1/conversations"); list[0].Unread {
		t.Fatalf("still unread after reading: %+v", list)
	}
	var direct []map[string]any
	if apiJSON(t, alice, at, "GET", "/api/v1/timelines/direct", nil, &direct); len(direct) != 3 {
		t.Fatalf("direct timeline has %d statuses, want 3", len(direct))
	}
	if code := apiJSON(t, alice, at, "DELETE", "/api/v1/conversations/"+first.ID, nil, nil); code != http.StatusOK {
		t.Fatalf("remove: %d", code)
	}
	if list := conversations("/api/v1/conversations"); len(list) != 0 {
		t.Fatalf("removed conversation still listed: %+v", list)
	}
}
