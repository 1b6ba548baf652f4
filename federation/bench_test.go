package federation

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"roost/federation/vocab"
)

// nopPosts accepts every post and does nothing with it.
type nopPosts struct{ n atomic.Int64 }

func (p *nopPosts) PostCreated(ctx context.Context, o *vocab.Object, a *vocab.Actor) error {
	p.n.Add(1)
	return nil
}
func (p *nopPosts) PostUpdated(ctx context.Context, o *vocab.Object, a *vocab.Actor) error {
	return nil
}
func (p *nopPosts) PostDeleted(ctx context.Context, id, actor string) error { return nil }

// BenchmarkInbox measures a signed Create(Note) from a known peer through
// verification, the inbox queue and dispatch: the timer runs until every
// activity is processed. Requests are signed outside the timer, in batches,
// because signing is the sender's cost; they are sent from 8 goroutines, as
// peers deliver side by side.
func BenchmarkInbox(b *testing.B) {
	const senders = 8 // peers delivering at once
	// One peer sends everything: its budget is lifted, since the budget's
	// cost is not what is measured here.
	f := newInboxFixture(b, func(c *Config) { c.InboxBudget = UnlimitedInboxBudget })
	posts := &nopPosts{}
	f.site.SetHandlers(nil, posts, nil, nil, nil, nil)
	type signed struct {
		body   []byte
		header http.Header
	}
	sign := func(from, n int) []signed {
		out := make([]signed, n)
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < n; i += 4 {
					id := fmt.Sprintf("%s/statuses/%d", f.bobID, from+i)
					body := mustJSON(b, map[string]any{"@context": vocab.ContextAS, "id": id + "/activity", "type": vocab.TypeCreate,
						"actor": f.bobID, "object": note(id, f.bobID)})
					r := signedPost(b, "http://alice.test/inbox", body, f.bobID+"#main-key", f.bobKey, time.Now())
					out[i] = signed{body: body, header: r.Header}
				}
			}()
		}
		wg.Wait()
		return out
	}
	reqs := sign(0, b.N)
	b.ReportAllocs()
	cpu0 := processCPU()
	b.ResetTimer()
	var wg sync.WaitGroup
	for w := range senders {
		wg.Go(func() {
			for i := w; i < len(reqs); i += senders {
				r := httptest.NewRequest(http.MethodPost, "http://alice.test/inbox", bytes.NewReader(reqs[i].body))
				r.Header = reqs[i].header
				rec := httptest.NewRecorder()
				f.site.mux.ServeHTTP(rec, r)
				if rec.Code != http.StatusAccepted {
					b.Errorf("status %d: %s", rec.Code, rec.Body)
					return
				}
			}
		})
	}
	wg.Wait()
	for int(posts.n.Load()) < b.N && !b.Failed() {
		time.Sleep(100 * time.Microsecond)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "activities/s")
	b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/float64(b.N), "cpu-µs/activity")
}

// BenchmarkFanout publishes one post to 10,000 followers who share 1,000
// inboxes spread over a few loopback servers, and waits until every inbox
// has it.
func BenchmarkFanout(b *testing.B) {
	network := newTestNet()
	var received atomic.Int64
	sink := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		received.Add(1)
		w.WriteHeader(http.StatusAccepted)
	})
	const servers, inboxes, followers = 4, 1000, 10000
	for i := range servers {
		srv := httptest.NewServer(sink)
		b.Cleanup(srv.Close)
		network.add(fmt.Sprintf("sink%d.test", i), srv)
	}
	var list []string
	for i := range followers {
		n := i % inboxes
		list = append(list, fmt.Sprintf("http://sink%d.test/inbox/%d", n%servers, n))
	}
	s := newTestSite(b, network, func(c *Config) { c.Audience = audience{inboxes: list} })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Run(ctx)

	b.ResetTimer()
	for i := range b.N {
		start := received.Load()
		if err := s.publishAlone(ctx, noteCreate(i), Audience{Followers: true}); err != nil {
			b.Fatal(err)
		}
		deadline := time.Now().Add(60 * time.Second)
		for received.Load()-start < inboxes {
			if time.Now().After(deadline) {
				b.Fatalf("only %d of %d inboxes reached", received.Load()-start, inboxes)
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
	b.StopTimer()
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/fanout")
}

// processCPU is the CPU time the process has used, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
