package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"roost/cmd/roost/archive"
	"roost/cmd/roost/settings"
)

// runExport writes the site as one zip of standard files (see
// exportReadme) while the site may keep running.
func runExport(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	data := dataFlag(fs)
	dbURL := databaseFlag(fs)
	domain := siteFlag(fs)
	out := fs.String("out", "", "file to write (default: roost-export-DATE.zip)")
	siteURL := fs.String("url", envDefault("URL", ""), "the site's address (default: where it was last served)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		*out = "roost-export-" + time.Now().UTC().Format("20060102-150405") + ".zip"
	}
	ctx := context.Background()
	s, closeSite, err := openSiteOf(ctx, *data, *dbURL, *domain, *siteURL, false)
	if err != nil {
		return err
	}
	defer closeSite()
	tmp := *out + ".partial"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	progress := archive.NewProgress(stderr, "exporting", 0)
	err = writeExport(ctx, s, f, progress)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, *out)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	progress.Done()
	fmt.Fprintf(stdout, "Exported %s to %s.\nIt holds the site's private key and password hash (roost/): keep it safe.\n", s.cfg.BaseURL, *out)
	return nil
}

// openFolderSite builds the site of a data folder without serving it, for
// commands that read or fill it (export, import). The address is the one
// given, else the one the site was last served at.
func openFolderSite(ctx context.Context, data, siteURL string, allowPrivate bool) (*site, func(), error) {
	return openSiteOf(ctx, data, "", "", siteURL, allowPrivate)
}

// openSiteOf is openFolderSite for either engine: the SQLite site of a
// data folder, or the hosted site --site names in a PostgreSQL database.
func openSiteOf(ctx context.Context, data, dbURL, domain, siteURL string, allowPrivate bool) (*site, func(), error) {
	cs, err := openCommandSite(ctx, data, dbURL, domain)
	if err != nil {
		return nil, nil, err
	}
	db, data := cs.db, cs.dataDir
	if siteURL == "" {
		siteURL = cs.url
	}
	if siteURL == "" {
		siteURL = settings.StoredURL(ctx, db)
	}
	if siteURL == "" {
		cs.close()
		return nil, nil, errors.New("this folder's site has never been served: give its address with --url https://your.domain")
	}
	cfg := config{DataDir: data, BaseURL: strings.TrimRight(siteURL, "/"), NoteLimit: envInt("NOTE_LIMIT", 500),
		MaxUploadMB: envInt("MAX_UPLOAD_MB", 10), AllowPrivate: allowPrivate}
	s, err := newSite(ctx, cfg, db, siteOptions{})
	if err != nil {
		cs.close()
		return nil, nil, err
	}
	return s, cs.close, nil
}
