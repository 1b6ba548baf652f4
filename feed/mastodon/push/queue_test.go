package push_test

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"roost/cmd/roost/database"
	"roost/feed/mastodon"
	"roost/feed/mastodon/push"
	"roost/feed/mastodon/push/pushtest"
)

// clock is a test's time, moved by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type fixture struct {
	db      *sql.DB
	clock   *clock
	svc     *push.Service
	service *pushtest.Service
	sub     push.Subscription
}

// newFixture opens a database with the API's tables, one token with a
// subscription to a loopback push service, and the push service over it.
func newFixture(t *testing.T, alerts map[string]bool, policy string) *fixture {
	t.Helper()
	db, err := database.OpenTemp(t.TempDir(), database.Room{Name: "mastodon", Steps: mastodon.Migrations})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `INSERT INTO mastodon_apps(id, name, redirect_uris, scopes, client_id, client_secret, created)
		VALUES(1, 'app', 'urn:ietf:wg:oauth:2.0:oob', 'push', 'cid', 'csecret', 0)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO mastodon_tokens(id, hash, app_id, scopes, owner, created) VALUES(7, 'h', 1, 'push', 1, 0)`); err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, clock: &clock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}, service: pushtest.New(t)}
	f.restart(t)
	p256dh, auth := f.service.Keys()
	if err := push.CheckSubscription(f.service.Endpoint("/push/one"), p256dh, auth); err != nil {
		t.Fatal(err)
	}
	f.sub, err = f.svc.Subscribe(ctx, push.Subscription{TokenID: 7, Endpoint: f.service.Endpoint("/push/one"),
		P256dh: p256dh, Auth: auth, Alerts: alerts, Policy: policy, AccessToken: "the-token"})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// restart builds the push service afresh over the same database, as a
// new process would.
func (f *fixture) restart(t *testing.T) {
	t.Helper()
	svc, err := push.New(context.Background(), push.Config{DB: f.db, Client: http.DefaultClient,
		Subscriber: "https://alice.test/", Now: f.clock.now})
	if err != nil {
		t.Fatal(err)
	}
	f.svc = svc
}

func (f *fixture) queued(t *testing.T) int {
	t.Helper()
	var n int
	if err := f.db.QueryRow(`SELECT COUNT(*) FROM mastodon_push_deliveries`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (f *fixture) deliver(t *testing.T) int {
	t.Helper()
	n, err := f.svc.DeliverDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

var mention = push.Message{PreferredLocale: "en", NotificationID: 42, NotificationType: "mention",
	Icon: "https://alice.test/avatar.png", Title: "Bob mentioned you", Body: "hello there"}

func always(string) bool { return true }

func TestPushArrivesEncryptedAndSigned(t *testing.T) {
	f := newFixture(t, map[string]bool{"mention": true}, push.PolicyAll)
	ctx := context.Background()
	if n, err := f.svc.Queue(ctx, mention, always); err != nil || n != 1 {
		t.Fatalf("queued %d, %v", n, err)
	}
	if n := f.deliver(t); n != 1 {
		t.Fatalf("sent %d, failures %v", n, f.service.Failures())
	}
	got := f.service.Received()
	if len(got) != 1 {
		t.Fatalf("received %d, failures %v", len(got), f.service.Failures())
	}
	m := got[0].Message
	want := map[string]any{"access_token": "the-token", "preferred_locale": "en", "notification_id": float64(42),
		"notification_type": "mention", "icon": "https://alice.test/avatar.png", "title": "Bob mentioned you", "body": "hello there"}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s = %v, want %v", k, m[k], v)
		}
	}
	if got[0].VAPIDKey != f.svc.PublicKey() || got[0].Path != "/push/one" {
		t.Errorf("signed with %q at %s, the site's key is %q", got[0].VAPIDKey, got[0].Path, f.svc.PublicKey())
	}
	if f.queued(t) != 0 {
		t.Error("a delivered message stays queued")
	}
	// The key pair is made once: a restart signs with the same one.
	key := f.svc.PublicKey()
	f.restart(t)
	if f.svc.PublicKey() != key {
		t.Error("the VAPID key changed on restart")
	}
}

func TestPushHonoursAlertsAndPolicy(t *testing.T) {
	f := newFixture(t, map[string]bool{"mention": true, "favourite": false}, push.PolicyFollowed)
	ctx := context.Background()
	fav := mention
	fav.NotificationType = "favourite"
	if n, _ := f.svc.Queue(ctx, fav, always); n != 0 {
		t.Error("a favourite was queued for a subscription without the favourite alert")
	}
	var asked []string
	notFollowed := func(p string) bool { asked = append(asked, p); return false }
	if n, _ := f.svc.Queue(ctx, mention, notFollowed); n != 0 || len(asked) != 1 || asked[0] != push.PolicyFollowed {
		t.Errorf("queued %d with policy answers %v", n, asked)
	}
	if _, err := f.svc.Change(ctx, 7, nil, push.PolicyNone); err != nil {
		t.Fatal(err)
	}
	if n, _ := f.svc.Queue(ctx, mention, always); n != 0 {
		t.Error("policy none still pushes")
	}
}

// A push service that fails is retried later with a growing delay, from
// the queue in the database: a new process sends what the old one could not.
func TestPushRetriesWithBackOffAcrossRestart(t *testing.T) {
	f := newFixture(t, map[string]bool{"mention": true}, push.PolicyAll)
	ctx := context.Background()
	f.service.Answer(http.StatusServiceUnavailable)
	f.svc.Queue(ctx, mention, always)
	if n := f.deliver(t); n != 0 {
		t.Fatal("a 503 counted as sent")
	}
	if f.deliver(t); len(f.service.Received()) != 1 {
		t.Fatal("retried before the back-off")
	}
	f.clock.advance(time.Minute)
	f.deliver(t)
	if len(f.service.Received()) != 2 {
		t.Fatal("not retried after a minute")
	}
	// The second retry waits twice as long.
	f.clock.advance(time.Minute)
	if f.deliver(t); len(f.service.Received()) != 2 {
		t.Fatal("second retry came after one minute")
	}
	f.service.Answer(http.StatusCreated)
	f.restart(t)
	f.clock.advance(time.Minute)
	if n := f.deliver(t); n != 1 || f.queued(t) != 0 {
		t.Fatalf("after restart sent %d, %d still queued", n, f.queued(t))
	}
}

// A message that cannot be sent for two days is dropped, as Mastodon's
// pushes expire.
func TestPushGivesUpAfterTTL(t *testing.T) {
	f := newFixture(t, map[string]bool{"mention": true}, push.PolicyAll)
	f.service.Answer(http.StatusBadGateway)
	f.svc.Queue(context.Background(), mention, always)
	for range 20 {
		f.deliver(t)
		f.clock.advance(6 * time.Hour)
	}
	if f.queued(t) != 0 {
		t.Error("an undeliverable message is kept past its TTL")
	}
	if _, err := f.svc.Subscription(context.Background(), 7); err != nil {
		t.Errorf("the subscription went with the message: %v", err)
	}
}

// 404 and 410 mean the push service forgot the subscription: it goes.
func TestGoneEndpointDropsSubscription(t *testing.T) {
	for _, status := range []int{http.StatusGone, http.StatusNotFound} {
		f := newFixture(t, map[string]bool{"mention": true}, push.PolicyAll)
		ctx := context.Background()
		f.service.Answer(status)
		f.svc.Queue(ctx, mention, always)
		f.svc.Queue(ctx, mention, always)
		f.deliver(t)
		if _, err := f.svc.Subscription(ctx, 7); !errors.Is(err, push.ErrNotFound) {
			t.Errorf("%d: subscription still there (%v)", status, err)
		}
		if len(f.service.Received()) != 1 || f.queued(t) != 0 {
			t.Errorf("%d: %d sent, %d still queued", status, len(f.service.Received()), f.queued(t))
		}
	}
}

func TestCheckSubscriptionRefusesBadKeys(t *testing.T) {
	s := pushtest.New(t)
	p256dh, auth := s.Keys()
	for _, c := range []struct{ endpoint, p256dh, auth string }{
		{"ftp://push.test/x", p256dh, auth},
		{"/relative", p256dh, auth},
		{s.Endpoint("/x"), "bm90IGEga2V5", auth},
		{s.Endpoint("/x"), p256dh, "c2hvcnQ"},
	} {
		if push.CheckSubscription(c.endpoint, c.p256dh, c.auth) == nil {
			t.Errorf("accepted %+v", c)
		}
	}
}
