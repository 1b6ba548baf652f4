package settings

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Migrations is the append-only schema of the site settings.
var Migrations = []string{
	`CREATE TABLE site_settings (
		id INTEGER PRIMARY KEY CHECK (id = 1),
		title TEXT NOT NULL DEFAULT '',
		tagline TEXT NOT NULL DEFAULT '',
		language TEXT NOT NULL DEFAULT 'en',
		time_zone TEXT NOT NULL DEFAULT 'UTC',
		default_visibility TEXT NOT NULL DEFAULT 'public'
	)`,
	// The address the site was last served at, so that commands working on
	// a stopped site's folder (export) know its URLs.
	`ALTER TABLE site_settings ADD COLUMN url TEXT NOT NULL DEFAULT ''`,
	`ALTER TABLE site_settings ADD COLUMN notify_only_following INTEGER NOT NULL DEFAULT 0`,
	`ALTER TABLE site_settings ADD COLUMN hold_comments INTEGER NOT NULL DEFAULT 0`,
	// Who may quote the owner's new notes: public, followers or nobody.
	`ALTER TABLE site_settings ADD COLUMN quote_policy TEXT NOT NULL DEFAULT 'public'`,
	// The blog pages in the site menu, their ids in menu order, separated
	// by commas.
	`ALTER TABLE site_settings ADD COLUMN menu_pages TEXT NOT NULL DEFAULT ''`,
}

// Site is what the owner chose about the site as a whole.
type Site struct {
	// Title names the site in page titles and the header; empty means the
	// owner's display name.
	Title   string
	Tagline string
	// Language is a BCP 47 tag: the pages' lang and new posts' language.
	Language string
	// TimeZone is an IANA zone name; every date on a page, and the time a
	// post is scheduled for, reads in it.
	TimeZone string
	// DefaultVisibility is what a new note gets when nobody chose:
	// public, unlisted, followers or direct.
	DefaultVisibility string
	// NotifyOnlyFollowing keeps notifications to accounts the owner
	// follows (follows, follow requests and reports still notify).
	NotifyOnlyFollowing bool
	// HoldComments keeps new comments under articles hidden until the
	// owner approves them.
	HoldComments bool
	// QuotePolicy is who may quote a new note when nobody chose: public
	// (anyone), followers or nobody.
	QuotePolicy string
	// MenuPages are the blog pages (About, Now…) the site menu shows on
	// every page, by article id, in menu order.
	MenuPages []int64
}

// SiteStore keeps the site settings. Every page reads them, so the current
// value (and its loaded time zone) is held in memory and replaced on each save.
type SiteStore struct {
	db  *sql.DB
	cur atomic.Pointer[current]
}

type current struct {
	site Site
	loc  *time.Location
}

func (s *SiteStore) set(v Site) {
	loc, err := time.LoadLocation(v.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	s.cur.Store(&current{v, loc})
}

// OpenSiteStore reads the settings once; Migrations must have been applied.
func OpenSiteStore(ctx context.Context, db *sql.DB) (*SiteStore, error) {
	s := &SiteStore{db: db}
	if _, err := db.ExecContext(ctx, `INSERT INTO site_settings(id) VALUES(1) ON CONFLICT(id) DO NOTHING`); err != nil {
		return nil, fmt.Errorf("site settings: %w", err)
	}
	var v Site
	var menu string
	err := db.QueryRowContext(ctx, `SELECT title, tagline, language, time_zone, default_visibility, notify_only_following,
		hold_comments, quote_policy, menu_pages FROM site_settings WHERE id = 1`).Scan(&v.Title, &v.Tagline, &v.Language, &v.TimeZone, &v.DefaultVisibility,
		&v.NotifyOnlyFollowing, &v.HoldComments, &v.QuotePolicy, &menu)
	if err != nil {
		return nil, fmt.Errorf("site settings: %w", err)
	}
	v.MenuPages = parseMenu(menu)
	s.set(v)
	return s, nil
}

// RecordURL remembers the address the site is served at.
func (s *SiteStore) RecordURL(ctx context.Context, url string) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE site_settings SET url = ? WHERE id = 1 AND url != ?`, url, url); err != nil {
		return fmt.Errorf("record the site's URL: %w", err)
	}
	return nil
}

// StoredURL is the address a data folder's site was last served at, or "".
func StoredURL(ctx context.Context, db *sql.DB) string {
	var u string
	db.QueryRowContext(ctx, `SELECT url FROM site_settings WHERE id = 1`).Scan(&u)
	return u
}

// Get is the current settings.
func (s *SiteStore) Get() Site { return s.cur.Load().site }

// Location is the site's time zone, UTC when the stored name is unknown.
func (s *SiteStore) Location() *time.Location { return s.cur.Load().loc }

// InvalidError is a setting the store refuses; its message is for the owner.
type InvalidError struct{ Message string }

func (e *InvalidError) Error() string { return e.Message }

func invalid(format string, args ...any) error { return &InvalidError{fmt.Sprintf(format, args...)} }

// Save checks and stores new settings.
func (s *SiteStore) Save(ctx context.Context, v Site) error {
	if err := v.check(); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE site_settings SET title = ?, tagline = ?, language = ?,
		time_zone = ?, default_visibility = ?, notify_only_following = ?, hold_comments = ?, quote_policy = ?, menu_pages = ? WHERE id = 1`,
		v.Title, v.Tagline, v.Language, v.TimeZone, v.DefaultVisibility, v.NotifyOnlyFollowing, v.HoldComments, v.QuotePolicy,
		formatMenu(v.MenuPages)); err != nil {
		return fmt.Errorf("save site settings: %w", err)
	}
	s.set(v)
	return nil
}

// parseMenu reads the stored menu; an id that is not a number is skipped.
func parseMenu(s string) []int64 {
	var ids []int64
	for _, part := range strings.Split(s, ",") {
		if id, err := strconv.ParseInt(strings.TrimSpace(part), 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	return ids
}

func formatMenu(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}
