package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/pprof"
	"testing"
)

// BenchmarkSiteCreate is roost sites add on the test PostgreSQL: register,
// create the schema with every room's tables, the actor, keys and settings.
func BenchmarkSiteCreate(b *testing.B) {
	pg := testPostgres(b)
	ctx := context.Background()
	data := b.TempDir()
	reg, err := openRegistry(ctx, pg)
	if err != nil {
		b.Fatal(err)
	}
	var domains []string
	b.Cleanup(func() {
		for _, d := range domains {
			removeSite(context.Background(), pg, reg, data, d, true, nil, io.Discard)
		}
	})
	for i := 0; b.Loop(); i++ {
		d := fmt.Sprintf("bench-%d-%d.test", b.N, i)
		if err := addSite(ctx, pg, reg, data, d, "http://"+d, io.Discard); err != nil {
			b.Fatal(err)
		}
		domains = append(domains, d)
	}
}

// BenchmarkBuiltSiteHeap builds b.N hosted sites in one provider, each
// asked for its front page, its notes and its public timeline, and reports
// the heap and the goroutines each built site holds (run with -benchtime
// 50x or so: every iteration creates a site). One more site is built and
// asked first, before the baseline, so that what a process makes once on
// its first requests (the compression encoders, some 2 MiB for brotli;
// the pgx type maps) is not counted against the sites. ROOST_HEAP_PROFILE
// names heap profiles to write (see writeHeapProfile).
func BenchmarkBuiltSiteHeap(b *testing.B) {
	pg := testPostgres(b)
	ctx := context.Background()
	data := b.TempDir()
	reg, err := openRegistry(ctx, pg)
	if err != nil {
		b.Fatal(err)
	}
	var sites []siteToAdd
	for i := range b.N + 1 {
		d := fmt.Sprintf("heap-%d-%d.test", b.N, i)
		sites = append(sites, siteToAdd{d, "http://" + d})
	}
	if err := addSites(ctx, pg, reg, data, sites, io.Discard); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		for _, s := range sites {
			removeSite(context.Background(), pg, reg, data, s.domain, true, nil, io.Discard)
		}
	})
	life, end := context.WithCancel(context.Background())
	p, err := newProvider(life, pg, config{DataDir: data, NoteLimit: 500, MaxUploadMB: 10}, siteOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer func() { end(); p.wait() }()
	get := func(domain string) {
		for _, path := range []string{"/", "/notes/", "/api/v1/timelines/public"} {
			r := httptest.NewRequest("GET", "http://"+domain+path, nil)
			r.Header.Set("Accept-Encoding", "gzip, br")
			w := httptest.NewRecorder()
			p.ServeHTTP(w, r)
			if w.Code != http.StatusOK {
				b.Fatalf("%s%s: %d", domain, path, w.Code)
			}
		}
	}
	// On one P, the encoders the warm-up pooled are the ones the sites'
	// requests take: sync.Pool keeps one per P, and a request on another P
	// would make (and count) one more.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	get(sites[0].domain)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	writeHeapProfile(b, os.Getenv("ROOST_HEAP_PROFILE"), "before")
	goroutines := runtime.NumGoroutine()
	b.ResetTimer()
	for _, s := range sites[1:] {
		get(s.domain)
	}
	b.StopTimer()
	runtime.GC()
	runtime.ReadMemStats(&after)
	writeHeapProfile(b, os.Getenv("ROOST_HEAP_PROFILE"), "after")
	b.ReportMetric(float64(int64(after.HeapInuse)-int64(before.HeapInuse))/float64(b.N)/1024, "heap-KiB/site")
	b.ReportMetric(float64(runtime.NumGoroutine()-goroutines)/float64(b.N), "goroutines/site")
}

// writeHeapProfile writes the live heap to path.when, when a path is
// given: the profile -memprofile writes is taken after the benchmark, once
// its sites are gone. What the sites hold is the difference,
// go tool pprof -sample_index=inuse_space -diff_base path.before path.after.
func writeHeapProfile(b *testing.B, path, when string) {
	if path == "" {
		return
	}
	f, err := os.Create(path + "." + when)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		b.Fatal(err)
	}
}
