package contacts

import (
	"context"
	"slices"
	"strings"
	"testing"

	"roost/cmd/roost/database"
)

// TestGroupTitlesMayRepeat: apps create lists through the Mastodon API,
// where titles may repeat. A database from before keeps its groups and
// members through the change, and deleting a group still takes its
// members with it.
func TestGroupTitlesMayRepeat(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	before := slices.IndexFunc(Migrations, func(s string) bool { return strings.Contains(s, "CREATE TABLE contact_groups_v2") })
	if before < 0 {
		t.Fatal("no migration rebuilds contact_groups")
	}
	db, err := database.OpenTemp(dir, database.Room{Name: "contacts", Steps: Migrations[:before], Postgres: PostgresMigrations})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO contacts(id, actor_id, name, created) VALUES(1, 'https://bob.test/bob', 'Bob', 0)`,
		`INSERT INTO contact_groups(id, title, created) VALUES(7, 'Friends', 0)`,
		`INSERT INTO contact_group_members(group_id, contact_id) VALUES(7, 1)`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := database.Migrate(ctx, db, database.Room{Name: "contacts", Steps: Migrations, Postgres: PostgresMigrations}); err != nil {
		t.Fatal(err)
	}
	c := New(Config{DB: db})
	if m, err := c.GroupMembers(ctx, 7); err != nil || !slices.Equal(m, []string{"https://bob.test/bob"}) {
		t.Fatalf("members of the old group after the migration: %v, %v", m, err)
	}
	second, err := c.CreateList(ctx, "Friends")
	if err != nil {
		t.Fatalf("a second list titled Friends: %v", err)
	}
	if err := c.RetitleList(ctx, second.ID, "friends"); err != nil {
		t.Errorf("retitling onto a taken title: %v", err)
	}
	if g, err := c.GroupByTitle(ctx, "Friends"); err != nil || g.ID != 7 {
		t.Errorf("the title names %+v, %v; want the oldest group, 7", g, err)
	}
	if err := c.DeleteGroup(ctx, 7); err != nil {
		t.Fatal(err)
	}
	var left int
	db.QueryRowContext(ctx, `SELECT COUNT(*) FROM contact_group_members WHERE group_id = 7`).Scan(&left)
	if left != 0 {
		t.Errorf("%d members of the deleted group remain", left)
	}
	// SQLite's rename must carry the reference along (PostgreSQL's
	// references follow the table itself, as the cascade above shows).
	if database.IsPostgres(db) {
		return
	}
	var fk string
	db.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE name = 'contact_group_members'`).Scan(&fk)
	if !strings.Contains(fk, `"contact_groups"`) && !strings.Contains(fk, "contact_groups(") {
		t.Errorf("members reference: %s", fk)
	}
}
