package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sites add refuses a domain twice and a URL of another host; commands
// need --site once there are two sites; sites remove deletes nothing
// unless the domain is typed again, then everything of that site only.
func TestSitesAddRemove(t *testing.T) {
	pg := testPostgres(t)
	ctx := context.Background()
	data := t.TempDir()
	reg, err := openRegistry(ctx, pg)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := addSite(ctx, pg, reg, data, "Keep.test", "", &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "https://keep.test/setup?code=") {
		t.Errorf("sites add does not print the set-up link: %s", out.String())
	}
	t.Cleanup(func() { removeSite(context.Background(), pg, reg, data, "keep.test", true, nil, io.Discard) })
	if err := addSite(ctx, pg, reg, data, "keep.test", "", io.Discard); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("adding keep.test twice: %v", err)
	}
	if err := addSite(ctx, pg, reg, data, "gone.test", "http://other.test", io.Discard); err == nil {
		t.Error("a URL of another host was accepted")
	}
	if err := addSite(ctx, pg, reg, data, "gone.test", "http://gone.test", io.Discard); err != nil {
		t.Fatal(err)
	}
	gone, err := reg.get(ctx, "gone.test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pickSite(ctx, pg, ""); err == nil || !strings.Contains(err.Error(), "--site") {
		t.Errorf("without --site among several sites: %v", err)
	}
	if h, err := pickSite(ctx, pg, "GONE.test"); err != nil || h.Schema != gone.Schema {
		t.Errorf("--site GONE.test: %v %v", h, err)
	}
	if err := os.WriteFile(filepath.Join(siteDataDir(data, "gone.test"), "marker"), nil, 0o600); err != nil {
		t.Fatal(err)
	}

	if err := removeSite(ctx, pg, reg, data, "gone.test", false, strings.NewReader("keep.test\n"), io.Discard); err == nil {
		t.Fatal("remove went ahead with the wrong domain typed")
	}
	if _, err := reg.get(ctx, "gone.test"); err != nil {
		t.Fatalf("a refused remove lost the site: %v", err)
	}
	if err := removeSite(ctx, pg, reg, data, "gone.test", false, strings.NewReader("gone.test\n"), io.Discard); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.get(ctx, "gone.test"); !errors.Is(err, errNoSuchSite) {
		t.Errorf("gone.test still registered: %v", err)
	}
	var schemas int
	pg.Shared().QueryRowContext(ctx, `SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = ?`, gone.Schema).Scan(&schemas)
	if schemas != 0 {
		t.Errorf("schema %s of gone.test remains", gone.Schema)
	}
	if _, err := os.Stat(siteDataDir(data, "gone.test")); !os.IsNotExist(err) {
		t.Errorf("media of gone.test remain: %v", err)
	}
	if _, err := reg.get(ctx, "keep.test"); err != nil {
		t.Errorf("removing gone.test touched keep.test: %v", err)
	}
}
