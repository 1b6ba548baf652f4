package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"roost/cmd/roost/database"
)

// providerRoom is the provider-wide schema: the registry of the sites one
// PostgreSQL database holds. Each site's own rows live in its own schema.
var providerRoom = database.Room{Name: "provider", Steps: []string{
	`CREATE TABLE sites (
		id INTEGER PRIMARY KEY,
		domain TEXT NOT NULL UNIQUE,
		url TEXT NOT NULL,
		schema_name TEXT NOT NULL UNIQUE,
		created TEXT NOT NULL
	)`,
}}

// hostedSite is one row of the sites registry.
type hostedSite struct {
	Domain  string
	URL     string
	Schema  string
	Created time.Time
}

// errNoSuchSite says the registry has no site of that domain.
var errNoSuchSite = errors.New("no such site")

// registry is the sites table of the shared schema.
type registry struct{ db *sql.DB }

func openRegistry(ctx context.Context, pg *database.Postgres) (registry, error) {
	if err := database.Migrate(ctx, pg.Shared(), providerRoom); err != nil {
		return registry{}, err
	}
	return registry{pg.Shared()}, nil
}

// normalizeDomain lower-cases a domain and refuses what cannot be a host name.
func normalizeDomain(domain string) (string, error) {
	d := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(domain)), ".")
	if d == "" || strings.ContainsAny(d, "/:@ ") {
		return "", fmt.Errorf("%q is not a domain such as example.com", domain)
	}
	return d, nil
}

// siteURL checks the site's address: absolute http(s), no path, the same
// host as its domain.
func siteURL(domain, raw string) (string, error) {
	if raw == "" {
		raw = "https://" + domain
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return "", fmt.Errorf("--url %q: want http(s)://%s with no path", raw, domain)
	}
	if strings.ToLower(u.Hostname()) != domain {
		return "", fmt.Errorf("--url %q: its host must be the site's domain %s", raw, domain)
	}
	return u.Scheme + "://" + strings.ToLower(u.Host), nil
}

// add registers a site and names its schema after its registry id, so two
// domains never share one however they are spelled.
func (r registry) add(ctx context.Context, domain, siteURL string, now time.Time) (hostedSite, error) {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return hostedSite{}, err
	}
	defer tx.Rollback()
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO sites (domain, url, schema_name, created) VALUES (?, ?, ?, ?) RETURNING id`,
		domain, siteURL, "pending_"+domain, now.UTC().Format(time.RFC3339)).Scan(&id)
	if err != nil {
		if _, lookErr := r.get(ctx, domain); lookErr == nil {
			return hostedSite{}, fmt.Errorf("site %s exists already", domain)
		}
		return hostedSite{}, fmt.Errorf("register site %s: %w", domain, err)
	}
	schema := fmt.Sprintf("site_%d", id)
	if _, err := tx.ExecContext(ctx, `UPDATE sites SET schema_name = ? WHERE id = ?`, schema, id); err != nil {
		return hostedSite{}, err
	}
	if err := tx.Commit(); err != nil {
		return hostedSite{}, err
	}
	return hostedSite{Domain: domain, URL: siteURL, Schema: schema, Created: now}, nil
}

func (r registry) get(ctx context.Context, domain string) (hostedSite, error) {
	var h hostedSite
	var created string
	err := r.db.QueryRowContext(ctx, `SELECT domain, url, schema_name, created FROM sites WHERE domain = ?`, domain).
		Scan(&h.Domain, &h.URL, &h.Schema, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return h, fmt.Errorf("site %s: %w", domain, errNoSuchSite)
	}
	h.Created, _ = time.Parse(time.RFC3339, created)
	return h, err
}

func (r registry) list(ctx context.Context) ([]hostedSite, error) {
	rows, err := r.db.QueryContext(ctx, `SELECT domain, url, schema_name, created FROM sites ORDER BY domain`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []hostedSite
	for rows.Next() {
		var h hostedSite
		var created string
		if err := rows.Scan(&h.Domain, &h.URL, &h.Schema, &created); err != nil {
			return nil, err
		}
		h.Created, _ = time.Parse(time.RFC3339, created)
		out = append(out, h)
	}
	return out, rows.Err()
}

func (r registry) remove(ctx context.Context, domain string) error {
	_, err := r.db.ExecContext(ctx, `DELETE FROM sites WHERE domain = ?`, domain)
	return err
}
