package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"roost/federation"
	"roost/federation/httpsig"
	"roost/federation/vocab"
	"roost/feed"
)

// The inbox over real HTTP: a roost site on a loopback listener, a peer
// server on another publishing its actors, activities signed with RSA-2048
// the way Mastodon signs them, sent from many connections.
//
//	go test ./cmd/roost -run '^$' -bench BenchmarkInboxOverHTTP -benchtime 3000x

var floodKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

// floodRig is the site and the peer of one run.
type floodRig struct {
	site   *site
	client *http.Client
	peer   string // http://flood.test
	stop   func()
}

func newFloodRig(b *testing.B, budget federation.InboxBudget, conns int) *floodRig {
	b.Helper()
	tn := newTestNet()
	der, err := x509.MarshalPKIXPublicKey(&floodKey().PublicKey)
	if err != nil {
		b.Fatal(err)
	}
	pubPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	peer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusAccepted)
			return
		}
		id := "http://flood.test" + r.URL.Path
		w.Header().Set("Content-Type", vocab.ContentTypeActivity)
		json.NewEncoder(w).Encode(map[string]any{"@context": []any{vocab.ContextAS, vocab.ContextSecurity},
			"id": id, "type": vocab.TypePerson, "preferredUsername": strings.TrimPrefix(r.URL.Path, "/users/"),
			"inbox": id + "/inbox", "publicKey": map[string]any{"id": id + "#main-key", "owner": id, "publicKeyPem": pubPEM}})
	}))
	b.Cleanup(peer.Close)
	tn.add("flood.test", peer.Listener.Addr().String())

	ctx, cancel := context.WithCancel(context.Background())
	dir := b.TempDir()
	db, err := openData(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	// InboxBudget 1 is the flag's default: the budgets as they ship,
	// unless the run chose others.
	cfg := config{DataDir: dir, BaseURL: "http://alice.test", AllowPrivate: true, NoteLimit: 500, MaxUploadMB: 10, InboxBudget: 1}
	s, err := newSite(ctx, cfg, db, siteOptions{DialContext: tn.dial, InboxBudget: budget})
	if err != nil {
		b.Fatal(err)
	}
	for i := range 200 {
		if _, err := s.feed.Create(ctx, feedNote(i)); err != nil {
			b.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	tn.add("alice.test", ln.Addr().String())
	srv := &http.Server{Handler: s.handler, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	background := make(chan struct{})
	go func() { s.run(ctx); close(background) }()
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DialContext: tn.dial,
		MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}}
	r := &floodRig{site: s, client: client, peer: "http://flood.test"}
	r.stop = func() { srv.Close(); cancel(); <-background; db.Close() }
	b.Cleanup(r.stop)
	return r
}

// signedActivity is an activity and the headers that sign it.
type signedActivity struct {
	body   []byte
	header http.Header
}

// signMentions signs n Creates of notes that mention the owner, by the
// peer's actors in turn.
func (r *floodRig) signMentions(b *testing.B, actors []string, n int) []signedActivity {
	b.Helper()
	out := make([]signedActivity, n)
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Go(func() {
			for i := w; i < n; i += 2 {
				actor := r.peer + "/users/" + actors[i%len(actors)]
				id := fmt.Sprintf("%s/statuses/%d", actor, i)
				body, _ := json.Marshal(map[string]any{"@context": vocab.ContextAS, "id": id + "/activity", "type": vocab.TypeCreate,
					"actor": actor, "object": map[string]any{"id": id, "type": vocab.TypeNote, "attributedTo": actor,
						"content": fmt.Sprintf("<p>@alice.test hello %d</p>", i), "to": []any{"http://alice.test/actor", vocab.Public},
						"tag": []any{map[string]any{"type": vocab.TypeMention, "href": "http://alice.test/actor"}}}})
				req := httptest.NewRequest(http.MethodPost, "http://alice.test/inbox", bytes.NewReader(body))
				req.Header.Set("Content-Type", vocab.ContentTypeActivity)
				signer := httpsig.Signer{KeyID: actor + "#main-key", Key: floodKey()}
				if err := signer.Sign(req, body); err != nil {
					b.Error(err)
					return
				}
				out[i] = signedActivity{body: body, header: req.Header}
			}
		})
	}
	wg.Wait()
	return out
}

// deliver POSTs one signed activity and returns the status.
func (r *floodRig) deliver(a signedActivity) (int, error) {
	req, err := http.NewRequest(http.MethodPost, "http://alice.test/inbox", bytes.NewReader(a.body))
	if err != nil {
		return 0, err
	}
	req.Header = a.header.Clone()
	resp, err := r.client.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// peakMemory samples the heap until stop is closed and returns its peak.
func peakMemory(stop <-chan struct{}) func() uint64 {
	var peak atomic.Uint64
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 { <-done; return peak.Load() }
}

// peakRSS is the process's peak resident set (VmHWM), in bytes: the
// harness and the site together.
func peakRSS() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// BenchmarkInboxOverHTTP/accepted: b.N mentions of the owner from 50
// accounts of one server, over 16 connections, budgets lifted: how many
// signed activities a second the inbox accepts (202) over HTTP.
//
// BenchmarkInboxOverHTTP/flood: one stranger floods the inbox from 15
// connections under the default budgets while 50 other accounts of the
// same server deliver 20 activities a second between them; b.N page views
// of / and /notes/ are timed meanwhile, one after another from one
// connection, for the p99. BenchmarkInboxOverHTTP/quiet is the same
// without the flood, to tell the flood's cost from the machine's.
func BenchmarkInboxOverHTTP(b *testing.B) {
	b.Run("accepted", func(b *testing.B) {
		const conns = 16
		rig := newFloodRig(b, federation.UnlimitedInboxBudget, conns)
		actors := make([]string, 50)
		for i := range actors {
			actors[i] = "u" + strconv.Itoa(i)
		}
		reqs := rig.signMentions(b, actors, b.N)
		stop := make(chan struct{})
		peak := peakMemory(stop)
		var next, accepted atomic.Int64
		b.ResetTimer()
		var wg sync.WaitGroup
		for range conns {
			wg.Go(func() {
				for i := next.Add(1) - 1; i < int64(len(reqs)); i = next.Add(1) - 1 {
					code, err := rig.deliver(reqs[i])
					if err != nil || code != http.StatusAccepted {
						b.Errorf("delivery %d: %d %v", i, code, err)
						return
					}
					accepted.Add(1)
				}
			})
		}
		wg.Wait()
		b.StopTimer()
		close(stop)
		b.ReportMetric(float64(accepted.Load())/b.Elapsed().Seconds(), "accepted/s")
		b.ReportMetric(float64(peak())/(1<<20), "peak-heap-MB")
		b.ReportMetric(float64(peakRSS())/(1<<20), "peak-RSS-MB")
	})
	b.Run("quiet", func(b *testing.B) { benchmarkPagesDuring(b, 0, 0) })
	// The rate of the flood seen in the wild: 3,440 POSTs in 10 s.
	b.Run("flood", func(b *testing.B) { benchmarkPagesDuring(b, 15, 344) })
	// As fast as 15 connections on this machine go: the harness's own
	// sending then competes with the site for the CPU.
	b.Run("flood-max", func(b *testing.B) { benchmarkPagesDuring(b, 15, 0) })
}

// benchmarkPagesDuring times b.N page views while flooders connections
// deliver one stranger's activities, perSecond between them (0: as fast as
// they can); with no flooders, the same site and the other accounts'
// deliveries without the flood.
func benchmarkPagesDuring(b *testing.B, flooders int, perSecond float64) {
	rig := newFloodRig(b, federation.InboxBudget{}, flooders+3)
	flood := rig.signMentions(b, []string{"eve"}, 512)
	others := make([]string, 50)
	for i := range others {
		others[i] = "bob" + strconv.Itoa(i)
	}
	honest := rig.signMentions(b, others, 2000)
	stop := make(chan struct{})
	peak := peakMemory(stop)
	var sent, floodAccepted, refused, honestSent, honestAccepted atomic.Int64
	var wg sync.WaitGroup
	pace := rate.NewLimiter(rate.Inf, 1)
	if perSecond > 0 {
		pace = rate.NewLimiter(rate.Limit(perSecond), 1)
	}
	for w := range flooders {
		wg.Go(func() {
			for i := w; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				pace.Wait(context.Background())
				code, err := rig.deliver(flood[i%len(flood)])
				sent.Add(1)
				switch {
				case err != nil:
				case code == http.StatusAccepted:
					floodAccepted.Add(1)
				case code == http.StatusTooManyRequests:
					refused.Add(1)
				}
			}
		})
	}
	wg.Go(func() {
		// 20 a second from 50 accounts: each within its budget.
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for i := 0; i < len(honest); i++ {
			select {
			case <-stop:
				return
			case <-t.C:
			}
			honestSent.Add(1)
			if code, err := rig.deliver(honest[i]); err == nil && code == http.StatusAccepted {
				honestAccepted.Add(1)
			}
		}
	})
	// Let the flood use up the stranger's budget before timing pages.
	for deadline := time.Now().Add(time.Minute); flooders > 0 && refused.Load() == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			b.Fatalf("the flood was never refused (%d sent, %d accepted)", sent.Load(), floodAccepted.Load())
		}
	}
	pages := []string{"/", "/notes/"}
	latencies := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		resp, err := rig.client.Get("http://alice.test" + pages[i%len(pages)])
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("GET %s: %d", pages[i%len(pages)], resp.StatusCode)
		}
		latencies = append(latencies, time.Since(start))
	}
	b.StopTimer()
	elapsed := b.Elapsed()
	close(stop)
	wg.Wait()
	slices.Sort(latencies)
	at := func(q float64) float64 {
		return float64(latencies[min(len(latencies)-1, int(q*float64(len(latencies))))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.5), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
	b.ReportMetric(float64(sent.Load())/elapsed.Seconds(), "flood-req/s")
	b.ReportMetric(float64(floodAccepted.Load()), "flood-accepted")
	b.ReportMetric(float64(refused.Load()), "flood-429")
	b.ReportMetric(float64(honestAccepted.Load()), "other-accepted")
	b.ReportMetric(float64(honestSent.Load()-honestAccepted.Load()), "other-refused")
	b.ReportMetric(float64(peak())/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(peakRSS())/(1<<20), "peak-RSS-MB")
	if honestAccepted.Load() != honestSent.Load() {
		b.Errorf("another account of the flooder's server got %d of %d activities in", honestAccepted.Load(), honestSent.Load())
	}
}

func feedNote(i int) feed.NoteInput {
	return feed.NoteInput{Text: fmt.Sprintf("Note %d about #benchmarks", i), Visibility: feed.VisibilityPublic}
}
