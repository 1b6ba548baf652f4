package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"roost/cmd/roost/database"
)

// databaseFlag adds --database, which chooses the storage engine.
func databaseFlag(fs *flag.FlagSet) *string {
	return fs.String("database", envDefault("DATABASE", ""),
		"empty or sqlite: for the SQLite file in --data; postgres://... for a PostgreSQL database holding many sites (ROOST_DATABASE)")
}

// siteFlag adds --site, the domain a command works on when one PostgreSQL
// database holds several sites.
func siteFlag(fs *flag.FlagSet) *string {
	return fs.String("site", envDefault("SITE", ""), "with a PostgreSQL --database: the domain of the site to work on (ROOST_SITE)")
}

// isSQLite says whether a --database value means the SQLite file in --data.
func isSQLite(dbURL string) (bool, error) {
	switch {
	case dbURL == "" || strings.HasPrefix(dbURL, "sqlite:"):
		return true, nil
	case database.IsPostgresURL(dbURL):
		return false, nil
	}
	return false, fmt.Errorf("--database %q: want empty, sqlite: or a postgres:// URL", dbURL)
}

// siteDataDir is where a hosted site keeps its media, under the provider's
// --data folder.
func siteDataDir(data, domain string) string {
	return filepath.Join(data, "sites", domain)
}

// commandSite is the database and data folder of the one site a command
// (passwd, token, export) works on, whichever engine holds it.
type commandSite struct {
	db      *sql.DB
	dataDir string
	// url is the registered address of a hosted site, empty on SQLite.
	url   string
	close func()
}

// openCommandSite opens the SQLite site of --data, or the hosted site
// --site names (the only one, when the database holds just one).
func openCommandSite(ctx context.Context, data, dbURL, domain string) (commandSite, error) {
	sqlite, err := isSQLite(dbURL)
	if err != nil {
		return commandSite{}, err
	}
	if sqlite {
		db, err := openData(ctx, data)
		if err != nil {
			return commandSite{}, err
		}
		return commandSite{db: db, dataDir: data, close: func() { db.Close() }}, nil
	}
	pg, err := database.OpenPostgres(ctx, dbURL)
	if err != nil {
		return commandSite{}, err
	}
	h, err := pickSite(ctx, pg, domain)
	if err != nil {
		pg.Close()
		return commandSite{}, err
	}
	db, err := pg.Site(ctx, h.Schema, rooms()...)
	if err != nil {
		pg.Close()
		return commandSite{}, err
	}
	return commandSite{db: db, dataDir: siteDataDir(data, h.Domain), url: h.URL,
		close: func() { db.Close(); pg.Close() }}, nil
}

// pickSite finds the site --site names; without it, the database must hold
// exactly one.
func pickSite(ctx context.Context, pg *database.Postgres, domain string) (hostedSite, error) {
	reg, err := openRegistry(ctx, pg)
	if err != nil {
		return hostedSite{}, err
	}
	if domain != "" {
		d, err := normalizeDomain(domain)
		if err != nil {
			return hostedSite{}, fmt.Errorf("--site: %w", err)
		}
		h, err := reg.get(ctx, d)
		if errors.Is(err, errNoSuchSite) {
			return h, fmt.Errorf("--site %s: no such site in this database (roost sites list shows them)", d)
		}
		return h, err
	}
	all, err := reg.list(ctx)
	if err != nil {
		return hostedSite{}, err
	}
	switch len(all) {
	case 0:
		return hostedSite{}, errors.New("this database holds no site yet: add one with roost sites add DOMAIN")
	case 1:
		return all[0], nil
	}
	return hostedSite{}, fmt.Errorf("this database holds %d sites: say which with --site DOMAIN", len(all))
}
