package federation

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"roost/cmd/roost/database"
	"roost/federation/vocab"
)

// audience is a fixed follower list.
type audience struct{ inboxes []string }

func (a audience) FollowerInboxes(ctx context.Context) ([]string, error) { return a.inboxes, nil }
func (a audience) Followers(ctx context.Context, offset, limit int) ([]string, int, error) {
	return page(a.inboxes, offset, limit), len(a.inboxes), nil
}
func (a audience) Following(ctx context.Context, offset, limit int) ([]string, int, error) {
	return nil, 3, nil
}

func page(ids []string, offset, limit int) []string {
	if offset >= len(ids) {
		return nil
	}
	return ids[offset:min(len(ids), offset+limit)]
}

func noteCreate(n int) vocab.OutActivity {
	id := fmt.Sprintf("http://alice.test/notes/%d", n)
	return vocab.OutActivity{
		ID: id + "#create", Type: vocab.TypeCreate, Actor: "http://alice.test/actor",
		Object: map[string]any{"id": id, "type": vocab.TypeNote, "content": "<p>hello</p>"},
		To:     []string{"http://alice.test/actor/followers"},
	}
}

// deliveryState counts rows by outcome.
func deliveryState(t testing.TB, db *sql.DB) (pending, delivered, failed int) {
	t.Helper()
	err := db.QueryRow(`SELECT
		COALESCE(SUM(CASE WHEN done = 0 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN done = 1 AND last_error = '' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN done = 1 AND last_error <> '' THEN 1 ELSE 0 END), 0) FROM deliveries`).Scan(&pending, &delivered, &failed)
	if err != nil {
		t.Fatal(err)
	}
	return
}

func TestPublishDedupesInboxesAndReachesFollowersOnly(t *testing.T) {
	network := newTestNet()
	bob := newPeer(t, network, "bob.test")
	carol := newPeer(t, network, "carol.test")
	dave := carol.addActor("dave", testKey(t, 2))
	s := newTestSite(t, network, func(c *Config) {
		c.Audience = audience{inboxes: []string{
			"http://bob.test/inbox", "http://bob.test/inbox", "http://carol.test/inbox",
			"http://alice.test/inbox", "http://alice.test/actor/inbox", // the owner's own: never
		}}
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Run(ctx)

	err := s.publishAlone(ctx, noteCreate(1), Audience{Followers: true, Actors: []string{dave}, Inboxes: []string{"http://bob.test/inbox"}})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "two deliveries", func() bool {
		_, delivered, _ := deliveryState(t, s.cfg.DB)
		return delivered == 2
	})
	if n := len(bob.received()); n != 1 {
		t.Errorf("bob's shared inbox got %d copies", n)
	}
	if got := carol.received(); len(got) != 1 || got[0].Path != "/inbox" {
		t.Errorf("carol got %+v", got)
	}

	// A direct message goes to the addressee only, not to followers.
	if err := s.publishAlone(ctx, noteCreate(2), Audience{Actors: []string{dave}}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "the direct delivery", func() bool { return len(carol.received()) == 2 })
	waitFor(t, 5*time.Second, "the queue to settle", func() bool { done, err := s.Settled(ctx); return err == nil && done })
	if n := len(bob.received()); n != 1 {
		t.Errorf("bob received a message not meant for him (%d deliveries)", n)
	}
}

func TestDeliveryRetriesThenSucceeds(t *testing.T) {
	network := newTestNet()
	bob := newPeer(t, network, "bob.test")
	bob.status = func(path string, n int) int {
		if n <= 2 {
			return http.StatusInternalServerError
		}
		return http.StatusAccepted
	}
	s := newTestSite(t, network)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Run(ctx)
	if err := s.publishAlone(ctx, noteCreate(1), Audience{Inboxes: []string{"http://bob.test/inbox"}}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "the delivery", func() bool { return len(bob.received()) == 1 })
	var attempts int
	waitFor(t, time.Second, "the row to be marked", func() bool {
		// One read for both: the row can be marked between two.
		var done int
		s.cfg.DB.QueryRow(`SELECT attempts, done FROM deliveries`).Scan(&attempts, &done)
		return done == 1
	})
	if attempts != 3 {
		t.Errorf("attempts = %d, want 3", attempts)
	}
}

func TestDeliveryStopsOnPermanentFailure(t *testing.T) {
	tests := []struct {
		status    int
		permanent bool
	}{
		{http.StatusGone, true},
		{http.StatusNotFound, true},
		{http.StatusForbidden, true},
		{http.StatusUnauthorized, false},
		{http.StatusTooManyRequests, false},
		{http.StatusServiceUnavailable, false},
	}
	for _, tt := range tests {
		if got := permanentStatus(tt.status); got != tt.permanent {
			t.Errorf("permanentStatus(%d) = %v", tt.status, got)
		}
	}

	network := newTestNet()
	bob := newPeer(t, network, "bob.test")
	var mu sync.Mutex
	posts := 0
	bob.status = func(string, int) int { mu.Lock(); posts++; mu.Unlock(); return http.StatusGone }
	s := newTestSite(t, network)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Run(ctx)
	if err := s.publishAlone(ctx, noteCreate(1), Audience{Inboxes: []string{"http://bob.test/inbox"}}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "the failure to be recorded", func() bool {
		_, _, failed := deliveryState(t, s.cfg.DB)
		return failed == 1
	})
	// The delivery is marked done: no retry can follow.
	mu.Lock()
	defer mu.Unlock()
	if posts != 1 {
		t.Errorf("410 was retried: %d posts", posts)
	}
}

func TestRetryDelay(t *testing.T) {
	for attempts, want := range map[int]time.Duration{1: 30 * time.Second, 2: time.Minute, 3: 2 * time.Minute, 20: maxRetryDelay} {
		d := retryDelay(30*time.Second, attempts)
		if d < want*4/5 || d > want*6/5 {
			t.Errorf("retryDelay(%d) = %s, want about %s", attempts, d, want)
		}
	}
}

// TestDeliveryRestart cancels Run in the middle of a fan-out and starts a
// new Service on the same database: every inbox gets the activity once.
func TestDeliveryRestart(t *testing.T) {
	network := newTestNet()
	bob := newPeer(t, network, "bob.test")
	const inboxes = 60
	var list []string
	for i := range inboxes {
		list = append(list, fmt.Sprintf("http://bob.test/inbox/%d", i))
	}
	slow := make(chan struct{})
	var started atomic.Int64
	bob.extra.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {})
	bob.status = func(path string, n int) int {
		started.Add(1)
		<-slow
		return http.StatusAccepted
	}
	db, err := database.OpenTemp(t.TempDir(), database.Room{Name: "federation", Steps: Migrations})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	first := newTestSiteOn(t, db, network, func(c *Config) { c.Workers = 4 })
	if err := first.publishAlone(context.Background(), noteCreate(1), Audience{Inboxes: list}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { first.Run(ctx); close(done) }()
	// Let ten sends through, then stop while the next ones are on the
	// wire (the peer answers one at a time); those finish, the rest stay
	// queued.
	waitFor(t, 10*time.Second, "a send on the wire", func() bool { return started.Load() >= 1 })
	for range 10 {
		slow <- struct{}{}
	}
	waitFor(t, 10*time.Second, "some deliveries", func() bool {
		_, delivered, _ := deliveryState(t, db)
		return delivered > 0
	})
	cancel()
	close(slow)
	<-done
	pending, delivered, _ := deliveryState(t, db)
	if delivered == 0 || pending == 0 {
		t.Fatalf("expected a half-done fan-out, got %d pending, %d delivered", pending, delivered)
	}

	second := newTestSiteOn(t, db, network)
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	go second.Run(ctx2)
	waitFor(t, 10*time.Second, "every delivery", func() bool {
		_, delivered, _ := deliveryState(t, db)
		return delivered == inboxes
	})
	counts := map[string]int{}
	for _, r := range bob.received() {
		counts[r.Path]++
	}
	for _, inbox := range list {
		path := strings.TrimPrefix(inbox, "http://bob.test")
		if counts[path] != 1 {
			t.Errorf("%s received %d copies", path, counts[path])
		}
	}
}

func TestSSRFGuard(t *testing.T) {
	network := newTestNet()
	bob := newPeer(t, network, "bob.test")
	bob.extra.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("hi")) })
	loopback := bob.srv.URL + "/hello" // http://127.0.0.1:port

	guarded := newTestSite(t, network, func(c *Config) { c.AllowPrivate = false; c.DialContext = nil })
	if _, _, err := guarded.Get(context.Background(), loopback, "text/plain"); !errors.Is(err, ErrForbiddenAddress) {
		t.Errorf("guarded GET %s: %v, want ErrForbiddenAddress", loopback, err)
	}
	// A name mapped to loopback by the resolver is refused as well.
	mapped := newTestSite(t, network, func(c *Config) { c.AllowPrivate = false })
	if _, _, err := mapped.Get(context.Background(), "http://bob.test/hello", "text/plain"); !errors.Is(err, ErrForbiddenAddress) {
		t.Errorf("guarded GET via mapped name: %v, want ErrForbiddenAddress", err)
	}
	open := newTestSite(t, network)
	body, _, err := open.Get(context.Background(), loopback, "text/plain")
	if err != nil || string(body) != "hi" {
		t.Errorf("AllowPrivate GET: %q %v", body, err)
	}

	for _, addr := range []string{"10.1.2.3:80", "192.168.0.1:443", "169.254.169.254:80", "[::1]:80", "0.0.0.0:80", "[::ffff:127.0.0.1]:80", "224.0.0.1:80"} {
		if checkAddress(addr) == nil {
			t.Errorf("checkAddress(%s) allowed", addr)
		}
	}
	if err := checkAddress("93.184.216.34:443"); err != nil {
		t.Errorf("public address refused: %v", err)
	}
}
