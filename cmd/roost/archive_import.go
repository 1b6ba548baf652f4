package main

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"roost/cmd/roost/archive"
)

// importReport is what an import says at the end: how many of each kind
// came in, and what was left out and why.
type importReport struct {
	Imported map[string]int
	Skipped  map[string]int // by reason
	Failed   []string       // one line per item that could not be imported
}

func newImportReport() *importReport {
	return &importReport{Imported: map[string]int{}, Skipped: map[string]int{}}
}

func (r *importReport) imported(kind string) { r.Imported[kind]++ }
func (r *importReport) skipped(why string)   { r.Skipped[why]++ }
func (r *importReport) failed(item string, err error) {
	r.Failed = append(r.Failed, item+": "+err.Error())
}

func (r *importReport) String() string {
	var b strings.Builder
	counts := func(title string, m map[string]int) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "%s %d %s\n", title, m[k], k)
		}
	}
	if len(r.Imported) == 0 {
		b.WriteString("Imported nothing new.\n")
	}
	counts("Imported", r.Imported)
	counts("Skipped", r.Skipped)
	for _, f := range r.Failed {
		fmt.Fprintf(&b, "Failed: %s\n", f)
	}
	return b.String()
}

// importKind is what a file is, told apart by its content.
type importKind int

const (
	importUnknown importKind = iota
	importRoost
	importMastodon
	importWordPress
)

// sniffImport tells a roost export, a Mastodon archive and a WordPress
// export apart by what they contain, not by their names.
func sniffImport(f *os.File) (importKind, *zip.Reader, error) {
	info, err := f.Stat()
	if err != nil {
		return importUnknown, nil, err
	}
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return importUnknown, nil, err
	}
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		z, err := zip.NewReader(f, info.Size())
		if err != nil {
			return importUnknown, nil, fmt.Errorf("not a readable zip: %w", err)
		}
		switch {
		case archive.ZipFile(z, "roost/manifest.json") != nil:
			return importRoost, z, nil
		case archive.ZipFile(z, "outbox.json") != nil:
			return importMastodon, z, nil
		}
		return importUnknown, nil, errors.New("the zip is neither a roost export nor a Mastodon archive (no roost/manifest.json or outbox.json)")
	}
	if archive.IsWXR(head) {
		return importWordPress, nil, nil
	}
	return importUnknown, nil, errors.New("not a roost export, a Mastodon archive or a WordPress export (WXR)")
}

// runImport brings a roost export, a Mastodon archive or a WordPress
// export into a site's folder.
func runImport(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	data := dataFlag(fs)
	siteURL := fs.String("url", envDefault("URL", ""), "the site's address (default: where it was last served)")
	announce := fs.Bool("announce", false, "send imported posts to followers (default: keep them quiet)")
	allowPrivate := fs.Bool("allow-private", envBool("ALLOW_PRIVATE"), "let image downloads reach private and loopback addresses (tests only)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: roost import [--data DIR] [--url URL] [--announce] FILE")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	kind, z, err := sniffImport(f)
	if err != nil {
		return fmt.Errorf("import %s: %w", fs.Arg(0), err)
	}
	ctx := context.Background()
	if kind == importRoost {
		return restoreExport(ctx, *data, z, stdout, stderr)
	}
	s, closeSite, err := openFolderSite(ctx, *data, *siteURL, *allowPrivate)
	if err != nil {
		return err
	}
	defer closeSite()
	imp := &importer{s: s, store: archive.NewStore(s.db), report: newImportReport(), quiet: !*announce}
	switch kind {
	case importMastodon:
		imp.progress = archive.NewProgress(stderr, "importing the Mastodon archive", 0)
		err = imp.mastodon(ctx, z)
	case importWordPress:
		imp.progress = archive.NewProgress(stderr, "importing the WordPress export", 0)
		err = imp.wordpress(ctx, f)
	}
	imp.progress.Done()
	fmt.Fprint(stdout, imp.report)
	return err
}
