package contacts

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// book is the comparable part of a contacts book: each contact with its
// note and groups, and the lists.
type book map[string]string

func snapshot(t *testing.T, f *fixture) book {
	t.Helper()
	ctx := context.Background()
	list, err := f.c.list(ctx, "every contact", `ORDER BY c.id`)
	if err != nil {
		t.Fatal(err)
	}
	b := book{}
	for _, ct := range list {
		groups, _ := f.c.GroupsOf(ctx, ct.Key())
		var titles []string
		for _, g := range groups {
			titles = append(titles, g.Title)
		}
		b[ct.Key()] = strings.Join([]string{ct.Kind, ct.DisplayName(), ct.Note, strings.Join(titles, "+")}, "|")
	}
	return b
}

// populate gives a fixture a book with accounts, a feed, notes and groups.
func populate(t *testing.T, f *fixture, site *feedSite) {
	t.Helper()
	ctx := context.Background()
	f.following(t, "@bob@example.social")
	f.following(t, "@carol@example.social")
	if _, err := f.c.SubscribeFeed(ctx, site.url("/rss.xml")); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.c.SetNote(ctx, bob, "Met at the allotment;\nlikes, commas, and \"quotes\""))
	must(f.c.SetNote(ctx, site.url("/rss.xml"), "Frank's blog"))
	family, err := f.c.CreateGroup(ctx, "Family")
	must(err)
	work, err := f.c.CreateGroup(ctx, "Work, mostly")
	must(err)
	must(f.c.AddToGroup(ctx, family.ID, bob))
	must(f.c.AddToGroup(ctx, work.ID, bob))
	must(f.c.AddToGroup(ctx, work.ID, site.url("/rss.xml")))
	must(f.c.Block(ctx, dave))
	must(f.c.Mute(ctx, carol, false))
	_, err = f.c.BlockDomain(ctx, "spam.example")
	must(err)
}

func TestVCardRoundTrip(t *testing.T) {
	src := newFixture(t)
	site := newFeedSite(t)
	populate(t, src, site)
	var vcf bytes.Buffer
	if err := src.c.ExportVCard(context.Background(), &vcf, ""); err != nil {
		t.Fatal(err)
	}
	text := vcf.String()
	for _, want := range []string{"VERSION:4.0", "X-SOCIALPROFILE;", "TYPE=activitypub", "X-USER=bob@example.social",
		"PHOTO;VALUE=uri:https://example.social/avatars/bob.png", "CATEGORIES;X-GROUP=true:Family", "CATEGORIES;X-GROUP=true:Work\\, mostly", "URL;TYPE=feed:"} {
		if !strings.Contains(text, want) {
			t.Errorf("vCard lacks %q:\n%s", want, text)
		}
	}
	dst := newFixture(t)
	res, err := dst.c.Import(context.Background(), ImportVCard, &vcf, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failures) != 0 || res.Added != 4 || !res.Done {
		t.Fatalf("import = %+v", res)
	}
	want, got := snapshot(t, src), snapshot(t, dst)
	for k, v := range want {
		if k == dave {
			continue // blocks travel in blocked_accounts.csv; the card has no block
		}
		if gv := got[k]; gv != v {
			t.Errorf("%s: got %q, want %q", k, gv, v)
		}
	}
	// Importing again adds nothing.
	vcf.Reset()
	src.c.ExportVCard(context.Background(), &vcf, "")
	res, _ = dst.c.Import(context.Background(), ImportVCard, &vcf, false)
	if res.Added != 0 || res.Skipped != 4 {
		t.Errorf("second import = %+v", res)
	}

	// One contact, over HTTP.
	rec := httptest.NewRecorder()
	src.mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/contacts/export.vcf?actor="+bob, nil))
	if rec.Code != http.StatusOK || strings.Count(rec.Body.String(), "BEGIN:VCARD") != 1 ||
		!strings.HasPrefix(rec.Header().Get("Content-Type"), "text/vcard") {
		t.Errorf("one card: %d %s", rec.Code, rec.Body)
	}
}

func TestVCardImportFollows(t *testing.T) {
	f := newFixture(t)
	const cards = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Bob\r\nX-SOCIALPROFILE;TYPE=activitypub:https://example.social/users/bob\r\nEND:VCARD\r\n" +
		"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Carol\r\nIMPP:acct:carol@example.social\r\nEND:VCARD\r\n" +
		"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Nobody\r\nEMAIL:nobody@example.com\r\nEND:VCARD\r\n"
	res, err := f.c.Import(context.Background(), ImportVCard, strings.NewReader(cards), true)
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 2 || len(res.Failures) != 1 || res.Failures[0].Row != 3 || res.Failures[0].Input != "Nobody" {
		t.Fatalf("import = %+v", res)
	}
	if !f.c.FollowsAuthor(context.Background(), bob) || !f.c.FollowsAuthor(context.Background(), carol) {
		t.Error("the cards were not followed")
	}
}

func TestCSVRoundTrips(t *testing.T) {
	src := newFixture(t)
	site := newFeedSite(t)
	populate(t, src, site)
	ctx := context.Background()
	tests := []struct {
		file, kind string
		header     string
		check      func(t *testing.T, dst *fixture)
	}{
		{CSVFollowing, ImportFollowing, "Account address,Show boosts,Notify on new posts,Languages\n", func(t *testing.T, dst *fixture) {
			following, _ := dst.c.Following(ctx)
			if ids := actorIDs(following); len(ids) != 2 || !slices.Contains(ids, bob) || !slices.Contains(ids, carol) {
				t.Errorf("following = %v", ids)
			}
		}},
		{CSVBlocked, ImportBlocks, "", func(t *testing.T, dst *fixture) {
			if !dst.c.IsBlocked(ctx, dave) || dst.c.IsBlocked(ctx, bob) {
				t.Error("blocks differ")
			}
		}},
		{CSVMuted, ImportMutes, "Account address,Hide notifications\n", func(t *testing.T, dst *fixture) {
			id := mustID(t, dst, carol)
			if !dst.c.IsMuted(ctx, carol) || dst.c.mutedHidesNotifications(ctx, id) {
				t.Error("mute or its option differ")
			}
		}},
		{CSVBlockedDomains, ImportDomainBlocks, "", func(t *testing.T, dst *fixture) {
			if d, _ := dst.c.DomainBlocks(ctx); len(d) != 1 || d[0].Domain != "spam.example" {
				t.Errorf("domain blocks = %v", d)
			}
		}},
		{CSVLists, ImportLists, "", func(t *testing.T, dst *fixture) {
			work, err := dst.c.MembersOfGroupNamed(ctx, "Work, mostly")
			family, _ := dst.c.MembersOfGroupNamed(ctx, "Family")
			sort.Strings(work)
			if err != nil || !slices.Equal(work, []string{site.url("/rss.xml"), bob}) || !slices.Equal(family, []string{bob}) {
				t.Errorf("work = %v (%v), family = %v", work, err, family)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var out bytes.Buffer
			if err := src.c.ExportCSV(ctx, &out, tt.file); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(out.String(), tt.header) || (tt.header == "" && strings.HasPrefix(out.String(), "Account")) {
				t.Errorf("file starts %q", out.String())
			}
			dst := newFixture(t)
			if tt.kind == ImportLists {
				// The feed is in a list; the new book must know it first,
				// as Mastodon's lists name followed accounts only.
				if _, err := dst.c.SubscribeFeed(ctx, site.url("/rss.xml")); err != nil {
					t.Fatal(err)
				}
			}
			exported := out.String()
			res, err := dst.c.Import(ctx, tt.kind, strings.NewReader(exported), false)
			if err != nil || len(res.Failures) != 0 || res.Added == 0 {
				t.Fatalf("import = %+v, %v\n%s", res, err, exported)
			}
			tt.check(t, dst)
			var again bytes.Buffer
			dst.c.ExportCSV(ctx, &again, tt.file)
			if tt.kind != ImportFollowing && again.String() != exported {
				t.Errorf("exported again:\n%s\nwant:\n%s", again.String(), exported)
			}
		})
	}
}

func TestImportReportsBadRowsAndGoesOn(t *testing.T) {
	f := newFixture(t)
	f.following(t, "@bob@example.social")
	const file = "Account address,Show boosts,Notify on new posts,Languages\n" +
		"bob@example.social,true,false,\n" + // already followed
		"nobody@nowhere.example,true,false,\n" + // cannot be resolved
		"\n" +
		"carol@example.social,true,false,\n" +
		"alice.example@alice.example,true,false,\n" // the owner
	f.net.handles["@alice.example@alice.example"] = owner
	res, err := f.c.Import(context.Background(), ImportFollowing, strings.NewReader(file), false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 4 || res.Added != 1 || res.Skipped != 1 || len(res.Failures) != 2 {
		t.Fatalf("result = %+v", res)
	}
	if res.Failures[0].Row != 2 || res.Failures[0].Input != "nobody@nowhere.example" || res.Failures[0].Reason != "no fediverse account found for it" {
		t.Errorf("first failure = %+v", res.Failures[0])
	}
	if res.Failures[1].Reason != "that is you" {
		t.Errorf("second failure = %+v", res.Failures[1])
	}
	if !f.c.FollowsAuthor(context.Background(), carol) {
		t.Error("the row after the bad one was not imported")
	}
	res, _ = f.c.Import(context.Background(), ImportDomainBlocks, strings.NewReader("ok.example\ntwo words\nfine.example\n"), false)
	if res.Added != 2 || len(res.Failures) != 1 || res.Failures[0].Reason != "not a domain name" {
		t.Errorf("domains = %+v", res)
	}
}

func TestImportJobPage(t *testing.T) {
	f := newFixture(t)
	runRoom(t, f.c) // as on a running site: the import belongs to the room's lifetime
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("type", ImportBlocks)
	fw, _ := mw.CreateFormFile("file", "blocked_accounts.csv")
	fw.Write([]byte("dave@other.example\nwho@nowhere.example\n"))
	mw.Close()
	f.net.handles["@dave@other.example"] = dave
	req := httptest.NewRequest(http.MethodPost, "/contacts/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	rec := httptest.NewRecorder()
	f.mux.ServeHTTP(rec, req)
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/contacts/import/") {
		t.Fatalf("import = %d %s", rec.Code, rec.Header().Get("Location"))
	}
	loc := rec.Header().Get("Location")
	deadline := time.Now().Add(5 * time.Second)
	for {
		rec := httptest.NewRecorder()
		f.mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, loc, nil))
		doc := parse(t, rec)
		if doc.Find(`[data-testid=import]`).AttrOr("data-done", "") == "true" {
			if rec.Header().Get("Refresh") != "" {
				t.Error("a finished import still refreshes")
			}
			if doc.Find(`[data-testid=added]`).Text() != "1" || doc.Find(`[data-testid=failure]`).Length() != 1 {
				t.Errorf("summary: added %s, %d failures", doc.Find(`[data-testid=added]`).Text(), doc.Find(`[data-testid=failure]`).Length())
			}
			if !strings.Contains(doc.Find(`[data-testid=failure]`).Text(), "who@nowhere.example") {
				t.Error("the failed row is not named")
			}
			break
		}
		if rec.Header().Get("Refresh") == "" {
			t.Fatal("a running import does not refresh")
		}
		if time.Now().After(deadline) {
			t.Fatal("the import did not finish")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !f.c.IsBlocked(context.Background(), dave) {
		t.Error("dave is not blocked")
	}
	f.get(t, "/contacts/import/999", http.StatusNotFound)
}
