package contacts

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"roost/federation/vocab"
)

// BenchmarkContactsPage renders the following list of a book with 500
// accounts and 200 feeds, and a search over all of it.
func BenchmarkContactsPage(b *testing.B) {
	f := newFixture(b)
	ctx := context.Background()
	for i := range 700 {
		kind, key := KindActor, fmt.Sprintf("https://s%d.example/users/u%d", i%50, i)
		if i >= 500 {
			kind, key = KindFeed, fmt.Sprintf("https://blog%d.example/feed.xml", i)
		}
		var id int64
		var err error
		if kind == KindActor {
			id, err = f.c.saveActor(ctx, &vocab.Actor{ID: key, Type: vocab.TypePerson, PreferredUsername: fmt.Sprintf("u%d", i),
				Name: fmt.Sprintf("User %d", i), Inbox: key + "/inbox"})
		} else {
			err = f.c.db.QueryRowContext(ctx, `INSERT INTO contacts(kind, feed_url, name, created) VALUES('feed', ?, ?, 1) RETURNING id`,
				key, fmt.Sprintf("Blog %d", i)).Scan(&id)
		}
		if err == nil {
			_, err = f.c.db.ExecContext(ctx, `INSERT INTO following(contact_id, state, activity_id, created) VALUES(?, 'accepted', ?, ?)`, id, key, i)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	for _, path := range []string{"/contacts?show=following", "/contacts?q=user+4"} {
		b.Run(path, func(b *testing.B) {
			for b.Loop() {
				rec := httptest.NewRecorder()
				f.mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
				if rec.Code != http.StatusOK {
					b.Fatal(rec.Code)
				}
			}
		})
	}
}
