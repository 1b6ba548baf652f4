package mastodon

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"roost/feed/mastodon/push"
	"roost/feed/mastodon/push/pushtest"
)

// withPushClient lets the API send pushes to loopback.
func withPushClient(c *Config) { c.PushClient = http.DefaultClient }

// subscribe registers a push subscription to service for the token, the
// way apps send it (a form with Rails-style keys).
func (ta *testAPI) subscribe(t *testing.T, service *pushtest.Service, token string, extra url.Values) map[string]any {
	t.Helper()
	p256dh, auth := service.Keys()
	form := url.Values{"subscription[endpoint]": {service.Endpoint("/push/alice")},
		"subscription[keys][p256dh]": {p256dh}, "subscription[keys][auth]": {auth}}
	for k, v := range extra {
		form[k] = v
	}
	var sub map[string]any
	ta.do(t, "POST", "/api/v1/push/subscription", token, form, 200, &sub)
	return sub
}

// notify adds a mention by bob to the notifications and announces it, as
// the feed room does when one arrives.
func (ta *testAPI) notify(t *testing.T, id int64, text string) {
	t.Helper()
	p := Post{ID: id + 1000, ObjectID: "https://bob.test/notes/" + idString(id), Author: bob, ContentHTML: "<p>" + text + "</p>",
		Visibility: "public", Created: testNow()}
	ta.remote.notes = append(ta.remote.notes, Notification{ID: id, Type: "mention", Actor: bob, Status: &p, Created: testNow()})
	ta.api.NotificationCreated(context.Background(), id)
}

func (ta *testAPI) deliverPushes(t *testing.T) {
	t.Helper()
	if _, err := ta.api.push.DeliverDue(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestPushSubscriptionEntityAndVAPIDKey(t *testing.T) {
	ta := newTestAPI(t, true, withPushClient)
	service := pushtest.New(t)
	sub := ta.subscribe(t, service, ta.token, url.Values{"data[alerts][mention]": {"true"}, "data[alerts][favourite]": {"1"},
		"data[policy]": {"follower"}})
	var inst struct {
		Configuration struct {
			Vapid struct {
				PublicKey string `json:"public_key"`
			}
		}
	}
	ta.do(t, "GET", "/api/v2/instance", "", nil, 200, &inst)
	key := inst.Configuration.Vapid.PublicKey
	if key == "" || sub["server_key"] != key {
		t.Errorf("server_key %v, instance key %q", sub["server_key"], key)
	}
	var app map[string]any
	ta.do(t, "POST", "/api/v1/apps", "", url.Values{"client_name": {"Elk"}, "redirect_uris": {oob}, "scopes": {"push"}}, 200, &app)
	if app["vapid_key"] != key {
		t.Errorf("app vapid_key %v, want %q", app["vapid_key"], key)
	}
	alerts := sub["alerts"].(map[string]any)
	if len(alerts) != len(push.Alerts) || alerts["mention"] != true || alerts["favourite"] != true || alerts["follow"] != false {
		t.Errorf("alerts %v", alerts)
	}
	if sub["policy"] != "follower" || sub["endpoint"] != service.Endpoint("/push/alice") || sub["standard"] != true {
		t.Errorf("subscription %v", sub)
	}
	raw, _ := json.Marshal(sub)
	validate(t, loadSchemas(t), "WebPushSubscription", raw)

	var got map[string]any
	ta.do(t, "GET", "/api/v1/push/subscription", ta.token, nil, 200, &got)
	if got["id"] != sub["id"] {
		t.Errorf("GET answered %v", got)
	}
	// PUT sets the alerts it is given (the others go off) and the policy.
	ta.do(t, "PUT", "/api/v1/push/subscription", ta.token,
		map[string]any{"data": map[string]any{"alerts": map[string]any{"follow": true, "mention": true}}, "policy": "followed"}, 200, &got)
	alerts = got["alerts"].(map[string]any)
	if alerts["follow"] != true || alerts["favourite"] != false || got["policy"] != "followed" || got["id"] != sub["id"] {
		t.Errorf("after PUT %v", got)
	}
	// A new POST replaces the subscription.
	again := ta.subscribe(t, service, ta.token, nil)
	if again["policy"] != "all" || again["alerts"].(map[string]any)["mention"] != false {
		t.Errorf("second POST %v", again)
	}
	var n int
	ta.api.db.QueryRow(`SELECT COUNT(*) FROM mastodon_push_subscriptions`).Scan(&n)
	if n != 1 {
		t.Errorf("%d subscriptions for one token", n)
	}
	ta.do(t, "DELETE", "/api/v1/push/subscription", ta.token, nil, 200, nil)
	ta.do(t, "GET", "/api/v1/push/subscription", ta.token, nil, 404, nil)
}

func TestPushSubscriptionRefusesBadInput(t *testing.T) {
	ta := newTestAPI(t, true, withPushClient)
	service := pushtest.New(t)
	p256dh, auth := service.Keys()
	for _, form := range []url.Values{
		{"subscription[endpoint]": {"javascript:alert(1)"}, "subscription[keys][p256dh]": {p256dh}, "subscription[keys][auth]": {auth}},
		{"subscription[endpoint]": {service.Endpoint("/x")}, "subscription[keys][p256dh]": {"AAAA"}, "subscription[keys][auth]": {auth}},
		{"subscription[endpoint]": {service.Endpoint("/x")}, "subscription[keys][p256dh]": {p256dh}, "subscription[keys][auth]": {auth},
			"data[policy]": {"everyone"}},
	} {
		ta.do(t, "POST", "/api/v1/push/subscription", ta.token, form, 422, nil)
	}
	ta.do(t, "PUT", "/api/v1/push/subscription", ta.token, url.Values{"policy": {"all"}}, 404, nil)
	// The push scope is needed.
	reader := ta.passwordToken(t, "read")
	ta.do(t, "GET", "/api/v1/push/subscription", reader, nil, 403, nil)
}

// A mention reaches the app's push endpoint encrypted for its keys, with
// the fields Mastodon sends; a 410 from the push service ends the
// subscription.
func TestMentionIsPushedAndGoneEndpointUnsubscribes(t *testing.T) {
	ta := newTestAPI(t, true, withPushClient)
	service := pushtest.New(t)
	ta.subscribe(t, service, ta.token, url.Values{"data[alerts][mention]": {"true"}, "data[alerts][follow]": {"true"}})

	ta.notify(t, 501, "hi <b>alice</b>, lunch?")
	ta.deliverPushes(t)
	got := service.Received()
	if len(got) != 1 {
		t.Fatalf("received %d messages, refused %v", len(got), service.Failures())
	}
	m := got[0].Message
	want := map[string]any{"access_token": ta.token, "preferred_locale": "en", "notification_id": float64(501),
		"notification_type": "mention", "title": "Bob mentioned you", "body": "hi alice, lunch?"}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s = %#v, want %#v", k, m[k], v)
		}
	}
	if icon, _ := m["icon"].(string); icon == "" {
		t.Error("no icon")
	}
	if got[0].VAPIDKey != ta.api.push.PublicKey() {
		t.Error("not signed with the site's VAPID key")
	}
	// The same notification announced again is not pushed again.
	ta.api.NotificationCreated(context.Background(), 501)
	ta.deliverPushes(t)
	if len(service.Received()) != 1 {
		t.Error("one notification pushed twice")
	}

	service.Answer(http.StatusGone)
	ta.notify(t, 502, "are you there?")
	ta.deliverPushes(t)
	ta.do(t, "GET", "/api/v1/push/subscription", ta.token, nil, 404, nil)
	ta.notify(t, 503, "hello?")
	ta.deliverPushes(t)
	if len(service.Received()) != 2 {
		t.Errorf("%d messages sent after the push service said 410", len(service.Received())-2)
	}
}

// A subscription whose alerts leave the type out, or whose policy the
// author does not meet, gets nothing.
func TestPushHonoursAlertsAndPolicy(t *testing.T) {
	ta := newTestAPI(t, true, withPushClient)
	ta.withSocial(newFakeSocial(bob))
	service := pushtest.New(t)
	ta.subscribe(t, service, ta.token, url.Values{"data[alerts][favourite]": {"true"}})
	ta.notify(t, 601, "not a favourite")
	ta.do(t, "PUT", "/api/v1/push/subscription", ta.token, url.Values{"data[alerts][mention]": {"true"}, "policy": {"followed"}}, 200, nil)
	ta.notify(t, 602, "from someone the owner does not follow")
	ta.do(t, "PUT", "/api/v1/push/subscription", ta.token, url.Values{"policy": {"all"}}, 200, nil)
	ta.notify(t, 603, "for all")
	ta.deliverPushes(t)
	got := service.Received()
	if len(got) != 1 || got[0].Message["notification_id"] != float64(603) {
		t.Errorf("received %v", got)
	}
}

// Revoking the token ends its subscription.
func TestRevokedTokenLosesPushSubscription(t *testing.T) {
	ta := newTestAPI(t, true, withPushClient)
	service := pushtest.New(t)
	id, secret := ta.register(t, oob, "read push")
	var tok map[string]any
	ta.do(t, "POST", "/oauth/token", "", url.Values{"grant_type": {"password"}, "client_id": {id}, "client_secret": {secret},
		"username": {"alice.test"}, "password": {"correct horse"}, "scope": {"read push"}}, 200, &tok)
	access := tok["access_token"].(string)
	ta.subscribe(t, service, access, url.Values{"data[alerts][mention]": {"true"}})
	ta.do(t, "POST", "/oauth/revoke", "", url.Values{"client_id": {id}, "client_secret": {secret}, "token": {access}}, 200, nil)
	var n int
	ta.api.db.QueryRow(`SELECT COUNT(*) FROM mastodon_push_subscriptions`).Scan(&n)
	if n != 0 {
		t.Fatal("the revoked token's subscription stays")
	}
	ta.notify(t, 701, "anyone?")
	ta.deliverPushes(t)
	if len(service.Received()) != 0 {
		t.Error("pushed with a revoked token")
	}
}

// Push bodies are plain text cut to 140 characters, as Mastodon's are.
func TestPushBodyText(t *testing.T) {
	for _, c := range []struct{ html, want string }{
		{"<p>one &amp; two</p><p>three<br>four</p>", "one & two\n\nthree\nfour"},
		{"<p>" + strings.Repeat("é", 200) + "</p>", strings.Repeat("é", 137) + "..."},
	} {
		if got := truncate(plainText(c.html), pushBodyLength); got != c.want {
			t.Errorf("%q: %q, want %q", c.html, got, c.want)
		}
	}
}
