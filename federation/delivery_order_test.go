package federation

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"
)

// orderedInbox records the order activities arrive in and how many were
// being received at once; each POST takes a while, as on a busy server.
type orderedInbox struct {
	mu             sync.Mutex
	ids            []string
	inFlight, most int
	status         func(n int) int
}

func (o *orderedInbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.NotFound(w, r)
		return
	}
	o.mu.Lock()
	o.inFlight++
	o.most = max(o.most, o.inFlight)
	o.mu.Unlock()
	body, _ := io.ReadAll(r.Body)
	time.Sleep(30 * time.Millisecond)
	var doc struct{ ID string }
	json.Unmarshal(body, &doc)
	o.mu.Lock()
	defer o.mu.Unlock()
	o.inFlight--
	status := http.StatusAccepted
	if o.status != nil {
		status = o.status(len(o.ids) + 1)
	}
	if status == http.StatusAccepted {
		o.ids = append(o.ids, doc.ID)
	}
	w.WriteHeader(status)
}

func (o *orderedInbox) received() (ids []string, most int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.ids), o.most
}

func TestDeliveriesToOneInboxKeepPublicationOrder(t *testing.T) {
	network := newTestNet()
	inbox := &orderedInbox{}
	srv := httptest.NewServer(inbox)
	t.Cleanup(srv.Close)
	network.add("bob.test", srv)
	other := newPeer(t, network, "carol.test")
	s := newTestSite(t, network)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Run(ctx)

	// Three activities in one transaction (the choices of one vote), then
	// two more one by one, while another inbox gets its own at once.
	tx, err := s.cfg.DB.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for i := 1; i <= 3; i++ {
		a := noteCreate(i)
		want = append(want, a.ID)
		if err := s.Publish(ctx, tx, a, Audience{Inboxes: []string{"http://bob.test/inbox"}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	for i := 4; i <= 5; i++ {
		a := noteCreate(i)
		want = append(want, a.ID)
		if err := s.publishAlone(ctx, a, Audience{Inboxes: []string{"http://bob.test/inbox", "http://carol.test/inbox"}}); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, 10*time.Second, "five deliveries to bob", func() bool { ids, _ := inbox.received(); return len(ids) == 5 })
	ids, most := inbox.received()
	if !slices.Equal(ids, want) {
		t.Errorf("bob received %q, want %q", ids, want)
	}
	if most != 1 {
		t.Errorf("bob was sent %d activities at once, want one at a time", most)
	}
	waitFor(t, 5*time.Second, "carol's two", func() bool { return len(other.received()) == 2 })
}

// A delivery waiting for a retry does not hold back the later ones to the
// same inbox: they are sent, and the failed one follows when it is due.
func TestDeliveryRetryDoesNotBlockTheInbox(t *testing.T) {
	network := newTestNet()
	failed := false
	inbox := &orderedInbox{status: func(n int) int {
		if n == 1 && !failed {
			failed = true
			return http.StatusServiceUnavailable
		}
		return http.StatusAccepted
	}}
	srv := httptest.NewServer(inbox)
	t.Cleanup(srv.Close)
	network.add("bob.test", srv)
	s := newTestSite(t, network, func(c *Config) { c.RetryBase = time.Second })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Run(ctx)
	tx, err := s.cfg.DB.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 2; i++ {
		if err := s.Publish(ctx, tx, noteCreate(i), Audience{Inboxes: []string{"http://bob.test/inbox"}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "both deliveries", func() bool { ids, _ := inbox.received(); return len(ids) == 2 })
	ids, _ := inbox.received()
	if want := []string{noteCreate(2).ID, noteCreate(1).ID}; !slices.Equal(ids, want) {
		t.Errorf("bob received %q, want the second first (the first waited for its retry) %q", ids, want)
	}
}
