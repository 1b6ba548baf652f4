package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"roost/federation/vocab"
)

// TestKillDuringInboxBurstLosesNothing kills a real roost process with
// SIGKILL while a peer delivers notes that mention the owner, from several
// connections at once, starts it again on the same data and counts: every
// note the inbox answered 202 is stored and notified exactly once, and
// nothing is left waiting or parked.
func TestKillDuringInboxBurstLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it mid-burst")
	}
	peer := startLoopbackPeer(t, "pat")
	dir := t.TempDir()
	bin := buildRoostBinary(t, dir)
	data := filepath.Join(dir, "data")
	addr := freeLoopbackAddr(t)
	base := "http://" + addr
	seedFollowers(t, data, base, peer.base, 0)
	// The owner follows pat: a stranger's mentions would be collapsed into
	// a few notifications, and this test counts one per note.
	seedFollowing(t, data, peer.id)
	site := startRoostProcess(t, bin, data, base, addr)
	owner := base + "/actor"

	const notes, senders = 400, 6
	var acked sync.Map // note id -> true
	var ackedCount atomic.Int64
	var next atomic.Int64
	var wg sync.WaitGroup
	for range senders {
		wg.Go(func() {
			for {
				i := next.Add(1)
				if i > notes {
					return
				}
				id := fmt.Sprintf("%s/statuses/%d", peer.id, i)
				status, err := peer.trySend(base+"/inbox", map[string]any{"id": id + "/activity", "type": vocab.TypeCreate,
					"object": map[string]any{"id": id, "type": vocab.TypeNote, "attributedTo": peer.id,
						"content": fmt.Sprintf("<p>@owner note %d</p>", i), "to": []any{owner},
						"tag": []any{map[string]any{"type": vocab.TypeMention, "href": owner}}}})
				if err == nil && status == http.StatusAccepted {
					acked.Store(id, true)
					ackedCount.Add(1)
				}
			}
		})
	}
	waitUntil(t, 60*time.Second, "deliveries accepted", func() bool { return ackedCount.Load() >= notes/4 })
	site.Process.Signal(syscall.SIGKILL)
	site.Wait()
	wg.Wait()
	n := int(ackedCount.Load())
	if n == notes {
		t.Fatalf("all %d deliveries were accepted before the kill; the test did not interrupt the burst", n)
	}
	t.Logf("killed after %d of %d deliveries were accepted", n, notes)

	startRoostProcess(t, bin, data, base, addr)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "roost.db")+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	count := func(query string, args ...any) int {
		var c int
		if err := db.QueryRow(query, args...).Scan(&c); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		return c
	}
	waitUntil(t, 60*time.Second, "the inbox queue worked through", func() bool {
		return count(`SELECT COUNT(*) FROM inbox_queue WHERE state = 0`) == 0
	})
	if parked := count(`SELECT COUNT(*) FROM inbox_queue WHERE state = 2`); parked != 0 {
		t.Errorf("%d activities parked", parked)
	}
	acked.Range(func(id, _ any) bool {
		if c := count(`SELECT COUNT(*) FROM posts WHERE object_id = ?`, id); c != 1 {
			t.Errorf("accepted note %s stored %d times", id, c)
		}
		if c := count(`SELECT COUNT(*) FROM notifications WHERE object_id = ?`, id); c != 1 {
			t.Errorf("accepted note %s notified %d times", id, c)
		}
		return true
	})
}

// seedFollowing makes the owner follow actorID (accepted), as the contacts
// room would after the actor's Accept.
func seedFollowing(t *testing.T, data, actorID string) {
	t.Helper()
	db, err := openData(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var id int64
	if err := db.QueryRow(`INSERT INTO contacts(kind, actor_id, created) VALUES('actor', ?, 1) RETURNING id`, actorID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO following(contact_id, state, activity_id, created) VALUES(?, 'accepted', ?, 1)`, id, actorID+"#follow"); err != nil {
		t.Fatal(err)
	}
}
