package main

import (
	"archive/zip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"roost/cmd/roost/archive"
	"roost/cmd/roost/database"
)

// restoreExport rebuilds a site from a roost export in an empty data
// folder: the tables as they were (keys, followers and their inboxes, ids,
// settings, queued deliveries) and the media. Served at the same address,
// the site is the same site to every follower.
func restoreExport(ctx context.Context, data string, z *zip.Reader, stdout, stderr io.Writer) error {
	var m manifest
	if err := readZipJSON(z, "roost/manifest.json", &m); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if m.Format > exportFormat {
		return fmt.Errorf("restore: the export is of format %d, this roost reads up to %d: use a newer roost", m.Format, exportFormat)
	}
	known := map[string]database.Room{}
	for _, r := range rooms() {
		known[r.Name] = r
	}
	for room, v := range m.Schema {
		if r, ok := known[room]; !ok || v > len(r.Steps) {
			return fmt.Errorf("restore: the export comes from a newer roost (%s at version %d): use roost %s or newer", room, v, m.Version)
		}
	}
	dbPath := filepath.Join(data, "roost.db")
	if done, err := alreadyRestored(ctx, data, m); err != nil {
		return err
	} else if done {
		fmt.Fprintf(stdout, "This export (%s of %s) was restored here already; nothing to do.\n", m.Exported.Format(time.RFC3339), m.URL)
		return nil
	}
	if err := os.MkdirAll(data, 0o750); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(dbPath + suffix)
	}
	db, err := database.Open(dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	// The tables are loaded into the schema they were dumped from, then
	// migrated forward like any older database.
	var at []database.Room
	for _, r := range rooms() {
		at = append(at, database.Room{Name: r.Name, Steps: r.Steps[:m.Schema[r.Name]]})
	}
	if err := database.Migrate(ctx, db, at...); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	progress := archive.NewProgress(stderr, "restoring", int64(len(m.Tables)))
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
		return err
	}
	rows := 0
	for _, t := range m.Tables {
		f := archive.ZipFile(z, "roost/tables/"+t+".jsonl")
		if f == nil {
			return fmt.Errorf("restore: the export lacks the table %s", t)
		}
		r, err := f.Open()
		if err != nil {
			return err
		}
		n, err := database.LoadTable(ctx, tx, t, r)
		r.Close()
		if err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		rows += n
		progress.Add(1, int64(f.UncompressedSize64))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := database.Migrate(ctx, db, rooms()...); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := archive.NewStore(db).MarkImported(ctx, restoreMark(m), m.URL, time.Now()); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	files, err := restoreMedia(z, filepath.Join(data, "media"))
	if err != nil {
		return err
	}
	progress.Done()
	fmt.Fprintf(stdout, "Restored %s: %d tables, %d rows, %d media files.\nServe it with: roost serve --data %s --url %s\n",
		m.URL, len(m.Tables), rows, files, data, m.URL)
	return nil
}

// restoreMark is how a restored export is remembered, so running the same
// restore again does nothing.
func restoreMark(m manifest) string {
	return "roost-export:" + m.URL + "@" + m.Exported.UTC().Format(time.RFC3339Nano)
}

// alreadyRestored tells whether the folder holds this very export; it
// refuses a folder whose site has content of its own, which a restore
// would replace.
func alreadyRestored(ctx context.Context, data string, m manifest) (bool, error) {
	dbPath := filepath.Join(data, "roost.db")
	if _, err := os.Stat(dbPath); errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	db, err := openData(ctx, data)
	if err != nil {
		return false, err
	}
	defer db.Close()
	if _, done := archive.NewStore(db).Imported(ctx, restoreMark(m)); done {
		return true, nil
	}
	var content int
	err = db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM notes WHERE author = '') + (SELECT COUNT(*) FROM articles)
		+ (SELECT COUNT(*) FROM contacts)`).Scan(&content)
	if err != nil {
		return false, fmt.Errorf("restore: %w", err)
	}
	if content > 0 {
		return false, fmt.Errorf("restore: %s already holds a site with posts or contacts; restore into an empty folder", data)
	}
	return false, nil
}

// restoreMedia unpacks media/ into dir, refusing names that would leave it.
func restoreMedia(z *zip.Reader, dir string) (int, error) {
	n := 0
	for _, f := range z.File {
		if !strings.HasPrefix(f.Name, "media/") || strings.HasSuffix(f.Name, "/") {
			continue
		}
		rel := path.Clean(strings.TrimPrefix(f.Name, "media/"))
		if rel == "." || strings.HasPrefix(rel, "..") || path.IsAbs(rel) {
			return n, fmt.Errorf("restore: refusing the media file name %q", f.Name)
		}
		target := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(target), 0o750); err != nil {
			return n, err
		}
		if err := unzipTo(f, target); err != nil {
			return n, fmt.Errorf("restore %s: %w", f.Name, err)
		}
		n++
	}
	return n, nil
}

func unzipTo(f *zip.File, target string) error {
	r, err := f.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	out, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o640)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, r); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// readZipJSON decodes one JSON file of a zip.
func readZipJSON(z *zip.Reader, name string, v any) error {
	f := archive.ZipFile(z, name)
	if f == nil {
		return fmt.Errorf("no %s", name)
	}
	r, err := f.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	if err := json.NewDecoder(r).Decode(v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}
