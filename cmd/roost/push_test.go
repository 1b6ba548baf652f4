package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"roost/feed"
	"roost/feed/mastodon/push/pushtest"
)

// pushToken logs an app in with the push scope, as apps that offer
// notifications do.
func pushToken(t *testing.T, ts *testSite) string {
	t.Helper()
	post := func(path string, form url.Values) map[string]any {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		ts.handler.ServeHTTP(rec, req)
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || rec.Code != http.StatusOK {
			t.Fatalf("POST %s: %d %s", path, rec.Code, rec.Body)
		}
		return out
	}
	app := post("/api/v1/apps", url.Values{"client_name": {"push test"}, "redirect_uris": {"urn:ietf:wg:oauth:2.0:oob"}, "scopes": {"read push"}})
	tok := post("/oauth/token", url.Values{"grant_type": {"password"}, "username": {ts.cfg.domain()}, "password": {testPassword},
		"client_id": {app["client_id"].(string)}, "client_secret": {app["client_secret"].(string)}, "scope": {"read push"}})
	return tok["access_token"].(string)
}

// subscribePush registers service as the push endpoint of a new app on ts.
func subscribePush(t *testing.T, ts *testSite, service *pushtest.Service, alerts ...string) string {
	t.Helper()
	token := pushToken(t, ts)
	p256dh, auth := service.Keys()
	form := url.Values{"subscription[endpoint]": {service.Endpoint("/push/" + ts.Host)},
		"subscription[keys][p256dh]": {p256dh}, "subscription[keys][auth]": {auth}}
	for _, a := range alerts {
		form.Set("data[alerts]["+a+"]", "true")
	}
	if code, body := apiCall(t, ts, token, "POST", "/api/v1/push/subscription", form); code != http.StatusOK {
		t.Fatalf("subscribe: %d %v", code, body)
	}
	return token
}

// A like from another site reaches the owner's phone: the notification is
// queued as it is written, sent by the site's background work through its
// outbound client, and decrypts to what Mastodon sends.
func TestLikeFromPeerIsPushed(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	service := pushtest.New(t)
	token := subscribePush(t, alice, service, "favourite")
	follow(t, bob, alice)
	note, err := alice.feed.Create(context.Background(), feed.NoteInput{Text: "Push me", Visibility: feed.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, federationWait, "the note reaches bob", homeShows(t, bob, "Push me"))
	if code := postForm(t, bob.Owner, bob.Base+"/home/like", url.Values{"object": {note.URL}}); code != http.StatusSeeOther {
		t.Fatalf("like: %d", code)
	}
	eventually(t, federationWait, "the like is pushed", func() bool { return len(service.Received()) > 0 })
	got := service.Received()
	m := got[0].Message
	if m["notification_type"] != "favourite" || m["access_token"] != token || m["body"] != "Push me" ||
		!strings.Contains(m["title"].(string), "favorited your post") {
		t.Errorf("message %v", m)
	}
	if len(got) != 1 || len(service.Failures()) != 0 {
		t.Errorf("%d messages, refused %v", len(got), service.Failures())
	}
}

// A site that may not reach private addresses does not post to an
// endpoint on loopback: an app cannot use push to make the site send
// requests inside its network. The same notification on a site that may
// (a test or home-network site) is delivered, so the refusal is the guard.
func TestPushEndpointGoesThroughTheGuard(t *testing.T) {
	tn := newTestNet()
	open := startTestSite(t, tn, "open.test", "")
	guarded := startTestSite(t, tn, "guarded.test", "", func(c *config) { c.AllowPrivate = false })
	follower := feed.Author{ActorID: "https://carol.example/actor", Name: "Carol", Handle: "@carol@carol.example"}
	for _, ts := range []*testSite{open, guarded} {
		service := pushtest.New(t)
		subscribePush(t, ts, service, "follow")
		if err := ts.feed.Notify(context.Background(), feed.Notification{Type: feed.NotifyFollow, Actor: follower}); err != nil {
			t.Fatal(err)
		}
		eventually(t, federationWait, ts.Host+" works through its push queue", func() bool {
			var n int
			return ts.db.QueryRow(`SELECT COUNT(*) FROM mastodon_push_deliveries`).Scan(&n) == nil && n == 0
		})
		arrived := len(service.Received()) + len(service.Failures())
		if ts == open && arrived != 1 {
			t.Errorf("open site: %d requests reached the endpoint, want 1", arrived)
		}
		if ts == guarded && arrived != 0 {
			t.Errorf("guarded site reached a loopback endpoint %d times", arrived)
		}
	}
}
