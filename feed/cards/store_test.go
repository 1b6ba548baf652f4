package cards

import (
	"context"
	"testing"
	"time"

	"roost/cmd/roost/database"
)

func newTestCards(t *testing.T, now func() time.Time) *Cards {
	t.Helper()
	db, err := database.OpenTemp(t.TempDir(), database.Room{Name: "cards", Steps: Migrations})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return New(Config{DB: db, Now: now})
}

// A card is fetched again after the refresh age, a failure after the
// failure age; a refresh that fails keeps the card known before.
func TestCardAgesAndFailedRefresh(t *testing.T) {
	ctx := context.Background()
	clock := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	c := newTestCards(t, func() time.Time { return clock })
	const link, broken = "https://news.example/a", "https://broken.example/"
	if err := c.save(ctx, link, &Card{URL: link, Title: "A", Type: TypeLink}); err != nil {
		t.Fatal(err)
	}
	if err := c.save(ctx, broken, nil); err != nil {
		t.Fatal(err)
	}
	due := func(u string) bool {
		t.Helper()
		d, err := c.due(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	if due(link) || due(broken) || !due("https://new.example/") {
		t.Fatal("fresh entries are due, or an unknown link is not")
	}
	clock = clock.Add(DefaultFailureAge)
	if due(link) || !due(broken) {
		t.Error("after the failure age: the card is due, or the failure is not")
	}
	clock = clock.Add(DefaultRefreshAge)
	if !due(link) {
		t.Error("after the refresh age the card is not due")
	}
	if err := c.save(ctx, link, nil); err != nil {
		t.Fatal(err)
	}
	found, err := c.Lookup(ctx, []string{link, broken, link})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 || found[link].Title != "A" {
		t.Errorf("Lookup = %v, want the card kept through the failed refresh and no card for the broken page", found)
	}
	if due(link) {
		t.Error("a failed refresh is asked again at once")
	}
}
