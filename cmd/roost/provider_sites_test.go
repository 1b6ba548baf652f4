package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
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

// A provider creates a hundred sites in one sites add, each a site of its
// own (its schema, its set-up link), and removes them: each removed site's
// schema is gone, and the others stay until their turn.
func TestSitesAddRemoveHundred(t *testing.T) {
	pg := testPostgres(t)
	ctx := context.Background()
	data := t.TempDir()
	reg, err := openRegistry(ctx, pg)
	if err != nil {
		t.Fatal(err)
	}
	var list strings.Builder
	for i := range 100 {
		fmt.Fprintf(&list, "h%d.test http://h%d.test\n", i, i)
	}
	file := filepath.Join(t.TempDir(), "sites.txt")
	if err := os.WriteFile(file, []byte("# a provider's list\n"+list.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	sites, err := sitesToAdd(nil, "", file, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	start := time.Now()
	if err := addSites(ctx, pg, reg, data, sites, &out); err != nil {
		t.Fatal(err)
	}
	t.Logf("100 sites added in %v", time.Since(start))
	if n := strings.Count(out.String(), "/setup?code="); n != 100 {
		t.Errorf("%d set-up links printed, want 100", n)
	}
	schemaOf := map[string]string{}
	for i := range 100 {
		d := fmt.Sprintf("h%d.test", i)
		h, err := reg.get(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "http://"+d+"/setup?code=") {
			t.Errorf("no set-up link for %s", d)
		}
		schemaOf[d] = h.Schema
	}
	schemaExists := func(schema string) bool {
		var n int
		if err := pg.Shared().QueryRowContext(ctx, `SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = ?`, schema).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n == 1
	}
	// One site's tables hold its own owner, not another's.
	var name string
	one, err := pg.Site(ctx, schemaOf["h7.test"], rooms()...)
	if err != nil {
		t.Fatal(err)
	}
	if err := one.QueryRowContext(ctx, `SELECT username FROM profile`).Scan(&name); err != nil || name != "h7.test" {
		t.Errorf("h7.test's owner is %q (%v)", name, err)
	}
	one.Close()

	start = time.Now()
	for i := range 100 {
		d := fmt.Sprintf("h%d.test", i)
		if !schemaExists(schemaOf[d]) {
			t.Fatalf("schema of %s gone before its removal", d)
		}
		if err := removeSite(ctx, pg, reg, data, d, true, nil, io.Discard); err != nil {
			t.Fatal(err)
		}
		if schemaExists(schemaOf[d]) {
			t.Errorf("schema %s of removed %s remains", schemaOf[d], d)
		}
		if _, err := reg.get(ctx, d); !errors.Is(err, errNoSuchSite) {
			t.Errorf("removed %s still registered: %v", d, err)
		}
	}
	t.Logf("100 sites removed in %v", time.Since(start))
}

// sites add checks every domain of a list before it makes any site.
func TestSitesAddRefusesBadLists(t *testing.T) {
	for name, tt := range map[string]struct {
		args []string
		url  string
		file string
	}{
		"twice":              {args: []string{"a.test", "A.test"}},
		"bad domain":         {args: []string{"a.test", "not a domain"}},
		"url of another":     {file: "a.test http://b.test\n"},
		"url for many":       {args: []string{"a.test", "b.test"}, url: "http://a.test"},
		"three fields":       {file: "a.test http://a.test extra\n"},
		"nothing to add":     {file: "# only a comment\n"},
		"twice across files": {args: []string{"a.test"}, file: "a.test\n"},
	} {
		from := ""
		if tt.file != "" {
			from = "-"
		}
		if got, err := sitesToAdd(tt.args, tt.url, from, strings.NewReader(tt.file)); err == nil {
			t.Errorf("%s: accepted %v", name, got)
		}
	}
	got, err := sitesToAdd([]string{"One.test"}, "", "-", strings.NewReader("two.test\nthree.test http://three.test # plain http\n"))
	want := []siteToAdd{{"one.test", "https://one.test"}, {"two.test", "https://two.test"}, {"three.test", "http://three.test"}}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("sitesToAdd = %v, %v; want %v", got, err, want)
	}
}
