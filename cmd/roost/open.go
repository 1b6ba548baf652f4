package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	"roost/blog"
	"roost/cmd/roost/access"
	"roost/cmd/roost/archive"
	"roost/cmd/roost/database"
	"roost/cmd/roost/settings"
	"roost/contacts"
	"roost/federation"
	"roost/feed"
	"roost/feed/cards"
	"roost/feed/mastodon"
	"roost/feed/media"
)

// rooms lists every room's schema in the order they are migrated.
func rooms() []database.Room {
	return []database.Room{
		{Name: "access", Steps: access.Migrations},
		{Name: "federation", Steps: federation.Migrations},
		{Name: "media", Steps: media.Migrations},
		{Name: "blog", Steps: blog.Migrations, Postgres: blog.PostgresMigrations},
		{Name: "feed", Steps: feed.Migrations, Postgres: feed.PostgresMigrations},
		{Name: "contacts", Steps: contacts.Migrations, Postgres: contacts.PostgresMigrations},
		{Name: "mastodon", Steps: mastodon.Migrations},
		{Name: "settings", Steps: settings.Migrations},
		{Name: "archive", Steps: archive.Migrations},
		{Name: "cards", Steps: cards.Migrations},
	}
}

// openData opens the data directory's database, creating both on first run,
// and brings every room's schema up to date.
func openData(ctx context.Context, dir string) (*sql.DB, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	db, err := database.Open(filepath.Join(dir, "roost.db"))
	if err != nil {
		return nil, err
	}
	if err := database.Migrate(ctx, db, rooms()...); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}
