package federation

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"roost/cmd/roost/database"
)

// Several processes on one PostgreSQL database claim the delivery and inbox
// queues at once: each row goes to exactly one of them. Each worker here
// is its own Service on the same schema, as two roost processes would be.
func TestQueueClaimsAreExclusiveOnPostgres(t *testing.T) {
	pg, err := database.TestPostgres()
	if errors.Is(err, database.ErrNoPostgres) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, err := pg.Site(ctx, database.TestSchema(), database.Room{Name: "federation", Steps: Migrations})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const rows = 400
	if _, err := db.Exec(`INSERT INTO activities(id, document, created) VALUES('http://a.test/1', '{}', 0)`); err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		if _, err := db.Exec(`INSERT INTO deliveries(activity_id, inbox, next_try, created) VALUES(?, ?, 0, 0)`,
			"http://a.test/1", fmt.Sprintf("http://peer%d.test/inbox", i)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO inbox_queue(dedupe_key, actor, document, received, next_try) VALUES(?, 'http://b.test/actor', '{}', 0, 0)`,
			fmt.Sprintf("k%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	deliveries, inbox := map[int64]int{}, map[int64]int{}
	var wg sync.WaitGroup
	for range 8 {
		s := &Service{cfg: Config{DB: db, Now: time.Now}}
		wg.Go(func() {
			for {
				ds, err := s.claim(ctx, 7)
				if err != nil {
					t.Error(err)
					return
				}
				items, err := s.claimInbox(ctx, 7)
				if err != nil {
					t.Error(err)
					return
				}
				if len(ds) == 0 && len(items) == 0 {
					return
				}
				mu.Lock()
				for _, d := range ds {
					deliveries[d.id]++
				}
				for _, it := range items {
					inbox[it.id]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	for name, claimed := range map[string]map[int64]int{"deliveries": deliveries, "inbox": inbox} {
		if len(claimed) != rows {
			t.Errorf("%s: %d rows claimed, want %d", name, len(claimed), rows)
		}
		for id, n := range claimed {
			if n != 1 {
				t.Errorf("%s: row %d claimed %d times", name, id, n)
			}
		}
	}
}
