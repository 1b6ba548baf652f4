package database

import (
	"context"
	"sync"
	"testing"
)

// Many readers of many sites on a pool smaller than their number: every
// read sees its own site's rows, whichever connection it got, and a
// transaction left open on a site is not parked for another.
func TestParkedConnectionsStayWithTheirSite(t *testing.T) {
	const n = 30
	dbs := benchSites(t, n, 3)
	ctx := context.Background()
	var wg sync.WaitGroup
	for g := range 24 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 60 {
				i := (g*7 + k*k) % n
				if err := readNote(ctx, dbs[i], i, 1+k%3); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()

	tx, err := dbs[0].BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE notes SET body = 'changed' WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < n; i++ {
		if err := readNote(ctx, dbs[i], i, 1); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	var body string
	if err := dbs[0].QueryRowContext(ctx, `SELECT body FROM notes WHERE id = 1`).Scan(&body); err != nil || body != "note 1 of site 0" {
		t.Fatalf("after rollback: %q, %v", body, err)
	}
}
