package archive

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"
)

// Store remembers imported items and old permalinks.
type Store struct {
	db        *sql.DB
	redirects atomic.Pointer[map[string]string]
}

// NewStore wraps the database; Migrations must have been applied.
func NewStore(db *sql.DB) *Store { return &Store{db: db} }

// Imported reports what an item with this source id became, if it was
// imported before.
func (s *Store) Imported(ctx context.Context, sourceID string) (string, bool) {
	var local string
	err := s.db.QueryRowContext(ctx, `SELECT local FROM imported_items WHERE source_id = ?`, sourceID).Scan(&local)
	return local, err == nil
}

// MarkImported records that sourceID is now local.
func (s *Store) MarkImported(ctx context.Context, sourceID, local string, now time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO imported_items(source_id, local, at) VALUES(?, ?, ?)
		ON CONFLICT(source_id) DO UPDATE SET local = excluded.local`, sourceID, local, now.Unix())
	if err != nil {
		return fmt.Errorf("mark imported: %w", err)
	}
	return nil
}

// AddRedirect sends an old path (with "?p=ID" for WordPress's plain links)
// to target from now on.
func (s *Store) AddRedirect(ctx context.Context, path, target string) error {
	if _, err := s.db.ExecContext(ctx, `INSERT INTO redirects(path, target) VALUES(?, ?)
		ON CONFLICT(path) DO UPDATE SET target = excluded.target`, path, target); err != nil {
		return fmt.Errorf("add redirect: %w", err)
	}
	s.redirects.Store(nil)
	return nil
}

// loadRedirects reads every redirect into memory; there are as many as
// imported posts, and every request consults them.
func (s *Store) loadRedirects(ctx context.Context) (map[string]string, error) {
	if m := s.redirects.Load(); m != nil {
		return *m, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT path, target FROM redirects`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var p, t string
		if err := rows.Scan(&p, &t); err != nil {
			return nil, err
		}
		m[p] = t
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	s.redirects.Store(&m)
	return m, nil
}

// Redirects answers old permalinks with 301 to their new address and
// passes everything else on.
func (s *Store) Redirects(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		m, err := s.loadRedirects(r.Context())
		if err != nil || len(m) == 0 {
			next.ServeHTTP(w, r)
			return
		}
		key := r.URL.Path
		if p := r.URL.Query().Get("p"); p != "" && key == "/" {
			key = "/?p=" + p
		}
		target, ok := m[key]
		if !ok && len(key) > 1 && key[len(key)-1] != '/' {
			target, ok = m[key+"/"]
		}
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
	})
}
