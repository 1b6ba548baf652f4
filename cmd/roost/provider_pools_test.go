package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"sync"
	"testing"
	"time"

	"roost/cmd/roost/database"
)

// testProvider is a provider serving the sites of a test PostgreSQL on a
// loopback listener, started and stopped as serve --database does.
type testProvider struct {
	p    *provider
	addr string
	stop func()
}

// addTestSites adds n sites named prefixN.test, a few at a time, and
// removes them when the test ends.
func addTestSites(t testing.TB, pg *database.Postgres, data, prefix string, n int) []string {
	t.Helper()
	ctx := context.Background()
	reg, err := openRegistry(ctx, pg)
	if err != nil {
		t.Fatal(err)
	}
	domains := make([]string, n)
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for i := range n {
		domains[i] = fmt.Sprintf("%s%d.test", prefix, i)
		d := domains[i]
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := addSite(ctx, pg, reg, data, d, "http://"+d, io.Discard); err != nil {
				t.Error(err)
			}
		})
		t.Cleanup(func() { removeSite(context.Background(), pg, reg, data, d, true, nil, io.Discard) })
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	return domains
}

// serveProvider starts a provider on the database's sites, its background
// work included.
func serveProvider(t *testing.T, tn *testNet, pg *database.Postgres, data string) *testProvider {
	t.Helper()
	life, endLife := context.WithCancel(context.Background())
	p, err := newProvider(life, pg, config{DataDir: data, AllowPrivate: true, NoteLimit: 500, MaxUploadMB: 10},
		siteOptions{DialContext: tn.dial, RetryBase: 200 * time.Millisecond, CardTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.startBackground(context.Background()); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: p, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	var once sync.Once
	tp := &testProvider{p: p, addr: ln.Addr().String()}
	tp.stop = func() { once.Do(func() { srv.Close(); endLife(); p.wait() }) }
	t.Cleanup(tp.stop)
	return tp
}

// visit asks a site for its profile through the provider, which builds it.
func (tp *testProvider) visit(t *testing.T, domain string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, "http://"+tp.addr+"/healthz", nil)
	req.Host = domain
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: /healthz answered %d", domain, resp.StatusCode)
	}
}

// goroutines is the number of goroutines once the short-lived ones (a
// request's, a step's) have ended.
func goroutines() int {
	best := runtime.NumGoroutine()
	for range 20 {
		time.Sleep(50 * time.Millisecond)
		best = min(best, runtime.NumGoroutine())
	}
	return best
}

// The background work of every site is done by the provider's fixed pools:
// the sites registered add no goroutine, and a site visited (which builds
// it) keeps none of its own but its database handle's: database/sql
// starts one connection opener per *sql.DB, parked until the handle is
// closed.
func TestProviderGoroutinesIndependentOfSites(t *testing.T) {
	pg := testPostgres(t)
	data := t.TempDir()
	domains := addTestSites(t, pg, data, "idle", 40)
	before := goroutines()
	tp := serveProvider(t, newTestNet(), pg, data)
	started := goroutines()
	for _, d := range domains[:10] {
		tp.visit(t, d)
	}
	ten := goroutines()
	for _, d := range domains[10:30] {
		tp.visit(t, d)
	}
	thirty := goroutines()
	t.Logf("goroutines: %d before the provider, %d serving %d sites, %d with 10 visited, %d with 30 visited",
		before, started, len(domains), ten, thirty)
	workers := 0
	for _, pool := range tp.p.pools.all {
		workers += pool.workers
	}
	// The pools, the notices to and from other processes, the rescan, the
	// accept loop.
	if started-before > workers+4 {
		t.Errorf("starting the provider on %d sites added %d goroutines, want at most %d", len(domains), started-before, workers+4)
	}
	const handleOpener = 1 // database/sql's, one per site handle
	if perSite := float64(thirty-ten) / 20; perSite > handleOpener {
		t.Errorf("each visited site keeps %.1f goroutines, want at most %d", perSite, handleOpener)
	}
}

// BenchmarkScanDue reads one site's due times as serve does at start for
// each site: the cost of a start is this times the sites, over
// scanParallel connections.
func BenchmarkScanDue(b *testing.B) {
	pg := testPostgres(b)
	data := b.TempDir()
	ctx := context.Background()
	reg, err := openRegistry(ctx, pg)
	if err != nil {
		b.Fatal(err)
	}
	if err := addSite(ctx, pg, reg, data, "scan.test", "http://scan.test", io.Discard); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { removeSite(context.Background(), pg, reg, data, "scan.test", true, nil, io.Discard) })
	h, err := reg.get(ctx, "scan.test")
	if err != nil {
		b.Fatal(err)
	}
	life, end := context.WithCancel(context.Background())
	defer end()
	p, err := newProvider(life, pg, config{DataDir: data}, siteOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		p.scheduleDue(ctx, h)
	}
	b.StopTimer()
	if n := p.pools.scheduler.size(); n != 0 {
		b.Errorf("a site with no due work was scheduled")
	}
}
