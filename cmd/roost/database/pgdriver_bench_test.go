package database

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"testing"
	"time"
)

// benchSites makes n site schemas on the test cluster, each with a notes
// table whose rows name their site, so a read that lands in another
// site's schema is caught.
func benchSites(tb testing.TB, n, notes int) []*sql.DB {
	tb.Helper()
	pg := serverPool(tb)
	ctx := context.Background()
	dbs := make([]*sql.DB, n)
	for i := range dbs {
		db, err := pg.Site(ctx, TestSchema())
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { db.Close() })
		if _, err := db.ExecContext(ctx, `CREATE TABLE notes (id INTEGER PRIMARY KEY, site INTEGER NOT NULL, body TEXT NOT NULL)`); err != nil {
			tb.Fatal(err)
		}
		for j := 1; j <= notes; j++ {
			if _, err := db.ExecContext(ctx, `INSERT INTO notes (id, site, body) VALUES (?, ?, ?)`, j, i, fmt.Sprintf("note %d of site %d", j, i)); err != nil {
				tb.Fatal(err)
			}
		}
		dbs[i] = db
	}
	return dbs
}

// serverPool opens the test cluster with the pool a provider gets by
// default, rather than the test binary's larger one.
func serverPool(tb testing.TB) *Postgres {
	u, err := url.Parse(testPostgres(tb).Pool().Config().ConnString())
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Del("pool_max_conns")
	u.RawQuery = q.Encode()
	pg, err := OpenPostgres(context.Background(), u.String())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { pg.Close() })
	return pg
}

// readNote reads one note of site i and fails if it belongs to another.
func readNote(ctx context.Context, db *sql.DB, i, id int) error {
	var site int
	var body string
	if err := db.QueryRowContext(ctx, `SELECT site, body FROM notes WHERE id = ?`, id).Scan(&site, &body); err != nil {
		return err
	}
	if site != i {
		return fmt.Errorf("site %d read a note of site %d", i, site)
	}
	return nil
}

// BenchmarkSiteRequests is BenchmarkSiteReads/sites=200 with five reads
// of one site in a row, as one page of a site reads several tables, and a
// pause of 100µs after each, as a page does some work between its reads.
func BenchmarkSiteRequests(b *testing.B) {
	const n = 200
	dbs := benchSites(b, n, 10)
	ctx := context.Background()
	b.SetParallelism(4)
	b.ResetTimer()
	s0 := switches.Load()
	defer func() { b.ReportMetric(float64(switches.Load()-s0)/float64(b.N), "switches/op") }()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := rand.IntN(n)
			for range 5 {
				if err := readNote(ctx, dbs[i], i, 1+rand.IntN(10)); err != nil {
					b.Error(err)
					return
				}
				time.Sleep(100 * time.Microsecond)
			}
		}
	})
}

// BenchmarkSiteReads reads one note at a time, 8 readers at once, from
// one site and from 200 sites in random order, so that on the second
// nearly every read lands on a connection that last served another site.
//
//	ROOST_TEST_DATABASE=postgres go test ./cmd/roost/database -run '^$' -bench BenchmarkSiteReads
func BenchmarkSiteReads(b *testing.B) {
	for _, n := range []int{1, 200} {
		b.Run(fmt.Sprintf("sites=%d", n), func(b *testing.B) {
			dbs := benchSites(b, n, 10)
			ctx := context.Background()
			b.SetParallelism(4) // 4 × GOMAXPROCS readers
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := rand.IntN(n)
					if err := readNote(ctx, dbs[i], i, 1+rand.IntN(10)); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
