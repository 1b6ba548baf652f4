package main

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// runExport writes a backup of the data directory as a .tar.gz: a
// consistent copy of the database (taken with VACUUM INTO, so the site may
// keep running) and the media files. Restoring is unpacking it as --data.
func runExport(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	data := dataFlag(fs)
	out := fs.String("out", "", "file to write (default: roost-export-DATE.tar.gz)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		*out = "roost-export-" + time.Now().UTC().Format("20060102-150405") + ".tar.gz"
	}
	ctx := context.Background()
	db, err := openData(ctx, *data)
	if err != nil {
		return err
	}
	defer db.Close()
	tmp, err := os.MkdirTemp("", "roost-export")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer os.RemoveAll(tmp)
	snapshot := filepath.Join(tmp, "roost.db")
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, snapshot); err != nil {
		return fmt.Errorf("export: copy the database: %w", err)
	}
	f, err := os.Create(*out)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := writeArchive(f, snapshot, filepath.Join(*data, "media")); err != nil {
		f.Close()
		os.Remove(*out)
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(stdout, "Exported to %s. Unpack it into an empty folder and run roost serve --data with it.\n", *out)
	return nil
}

// writeArchive packs the database snapshot as roost.db and the media
// folder as media/.
func writeArchive(w io.Writer, dbFile, mediaDir string) error {
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	if err := addFile(tw, dbFile, "roost.db"); err != nil {
		return err
	}
	err := filepath.WalkDir(mediaDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(mediaDir, path)
		if err != nil {
			return err
		}
		return addFile(tw, path, filepath.ToSlash(filepath.Join("media", rel)))
	})
	if err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("export media: %w", err)
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := gz.Close(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

func addFile(tw *tar.Writer, path, name string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("export %s: %w", name, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("export %s: %w", name, err)
	}
	hdr := &tar.Header{Name: name, Mode: 0o640, Size: info.Size(), ModTime: info.ModTime()}
	if err := tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("export %s: %w", name, err)
	}
	if _, err := io.Copy(tw, f); err != nil {
		return fmt.Errorf("export %s: %w", name, err)
	}
	return nil
}
