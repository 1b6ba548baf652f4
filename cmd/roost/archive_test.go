package main

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"roost/feed"
)

// zipDir packs a fixture folder as the zip a server would hand out.
func zipDir(t *testing.T, dir string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), filepath.Base(dir)+".zip")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		w, err := zw.Create(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return out
}

// runCommand runs one of roost's commands in-process and returns what it printed.
func runCommand(t testing.TB, run func(args []string, stdout, stderr io.Writer) error, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(args, &out, &errOut)
	return out.String() + errOut.String(), err
}

func countRows(t *testing.T, ts *testSite, q string, args ...any) int {
	t.Helper()
	var n int
	if err := ts.db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestImportMastodonArchive: a person leaving Mastodon brings their posts:
// public and unlisted ones with their dates, content warnings, images with
// alt text, polls and threads, boosts as links; followers-only posts stay
// behind; nothing is sent to anyone; importing again adds nothing.
func TestImportMastodonArchive(t *testing.T) {
	tn := newTestNet()
	dir := t.TempDir()
	carol := startTestSite(t, tn, "carol.test", dir)
	carol.stop()
	archivePath := zipDir(t, filepath.Join("testdata", "import", "mastodon-archive"))

	out, err := runCommand(t, runImport, "--data", dir, archivePath)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	for _, want := range []string{"Imported 7 notes", "Imported 1 boosts (as links)", "Skipped 1 followers posts", "Imported 1 bookmarks"} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
	again, err := runCommand(t, runImport, "--data", dir, archivePath)
	if err != nil || !strings.Contains(again, "Imported nothing new") || !strings.Contains(again, "Skipped 7 posts imported before") {
		t.Errorf("importing the same archive again: %v\n%s", err, again)
	}

	carol = startTestSite(t, tn, "carol.test", dir)
	ctx := context.Background()
	if n := countRows(t, carol, `SELECT COUNT(*) FROM deliveries`); n != 0 {
		t.Errorf("the import queued %d deliveries; it must send nothing", n)
	}
	notes, err := carol.feed.Notes(ctx, 50, 0, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 8 {
		t.Fatalf("%d notes after the import, want 8", len(notes))
	}
	byText := map[string]feed.Note{}
	for _, n := range notes {
		byText[strings.SplitN(n.Text, "\n", 2)[0]] = n
	}
	first := byText["First post on the old server, about #gardening"]
	if first.ID == 0 || !first.Created.Equal(time.Date(2020, 5, 1, 10, 0, 0, 0, time.UTC)) || !slices.Contains(first.Tags, "gardening") {
		t.Errorf("the first post: %+v", first)
	}
	if reply := byText["Answering myself: the beans came up."]; reply.InReplyTo != first.URL {
		t.Errorf("the self-reply answers %q, want the imported first post %q", reply.InReplyTo, first.URL)
	}
	if cw := byText["Spoilers for the finale"]; cw.ContentWarning != "TV finale" {
		t.Errorf("content warning %q", cw.ContentWarning)
	}
	photo := byText["Photo of the balcony"]
	if len(photo.Media) != 1 || photo.Media[0].Alt != "Tomatoes on a sunny balcony" || !strings.HasPrefix(photo.Media[0].URL, carol.Base+"/media/") {
		t.Errorf("the photo's media: %+v", photo.Media)
	}
	if u := byText["Quiet one, unlisted"]; u.Visibility != feed.VisibilityUnlisted {
		t.Errorf("the unlisted post became %q", u.Visibility)
	}
	if _, ok := byText["For followers only"]; ok {
		t.Error("a followers-only post was imported")
	}
	if poll, err := carol.feed.Get(ctx, byText["Which bean?"].ID); err != nil || poll.Poll == nil || len(poll.Poll.Options) != 2 ||
		!poll.Poll.Expired(time.Now()) || !poll.Poll.ExpiresAt.Equal(time.Date(2021, 6, 2, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("the poll: %+v %v", poll.Poll, err)
	}
	if r := byText["@dan I agree"]; r.InReplyTo != "https://elsewhere.example/users/dan/statuses/99" {
		t.Errorf("a reply to someone else answers %q", r.InReplyTo)
	}
	if b := byText["Boosted https://elsewhere.example/users/dan/statuses/100"]; b.ID == 0 {
		t.Error("the boost is not kept as a link")
	}
	pr, err := carol.profiles.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if pr.Name != "Carol Gardener" || !slices.Contains(pr.AlsoKnownAs, "https://old.example/users/carol") || pr.AvatarURL == "" {
		t.Errorf("profile after the import: name %q, alsoKnownAs %v, avatar %q", pr.Name, pr.AlsoKnownAs, pr.AvatarURL)
	}
	body, _ := page(t, carol.client(tn), carol.Base+"/notes/")
	if !strings.Contains(body, "1 May 2020") || !strings.Contains(body, "Tomatoes on a sunny balcony") {
		t.Error("/notes/ does not show the imported posts with their dates and alt text")
	}
}

// TestImportWordPress: a WordPress export comes in with dates, slugs, tags
// and categories, drafts as drafts, pages as pages, images downloaded into
// the site, approved comments threaded and cleaned, and the old permalinks
// answering 301 with the new address.
func TestImportWordPress(t *testing.T) {
	images := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := os.ReadFile(filepath.Join("testdata", "import", "mastodon-archive", "avatar.png"))
		if err != nil || !strings.HasSuffix(r.URL.Path, ".png") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "image/png")
		w.Write(b)
	}))
	defer images.Close()
	wxr, err := os.ReadFile(filepath.Join("testdata", "import", "wordpress.xml"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "export.xml")
	if err := os.WriteFile(file, bytes.ReplaceAll(wxr, []byte("IMAGES"), []byte(images.URL)), 0o600); err != nil {
		t.Fatal(err)
	}
	tn := newTestNet()
	dir := t.TempDir()
	carol := startTestSite(t, tn, "carol.test", dir)
	carol.stop()

	out, err := runCommand(t, runImport, "--data", dir, "--allow-private", file)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	for _, want := range []string{"Imported 1 blog posts\n", "Imported 1 blog posts (drafts)", "Imported 1 pages", "Imported 2 comments", "Skipped 1 trashed"} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
	if again, err := runCommand(t, runImport, "--data", dir, "--allow-private", file); err != nil || !strings.Contains(again, "Imported nothing new") {
		t.Errorf("importing the same export again: %v\n%s", err, again)
	}

	carol = startTestSite(t, tn, "carol.test", dir)
	ctx := context.Background()
	a, err := carol.blog.BySlug(ctx, "beans-a-year-on")
	if err != nil {
		t.Fatal(err)
	}
	if !a.PublishedAt.Equal(time.Date(2019, 3, 4, 10, 0, 0, 0, time.UTC)) || a.Draft || a.Summary != "How the beans did." {
		t.Errorf("the post: published %v draft %v summary %q", a.PublishedAt, a.Draft, a.Summary)
	}
	if !slices.Equal(a.Tags, []string{"Garden", "beans"}) {
		t.Errorf("tags %v, want the category and the tag as spelled there", a.Tags)
	}
	if !strings.Contains(a.Body, "**runner beans**") || !strings.Contains(a.Body, "## Next year") ||
		strings.Count(a.Body, "("+carol.Base+"/media/") != 2 || strings.Contains(a.Body, images.URL) {
		t.Errorf("the post's Markdown:\n%s", a.Body)
	}
	comments, err := carol.blog.Comments(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(comments) != 1 || comments[0].AuthorName != "Dan" || !strings.Contains(comments[0].ContentHTML, "<p>Any tips?</p>") ||
		len(comments[0].Replies) != 1 || strings.Contains(comments[0].Replies[0].ContentHTML, "script") {
		t.Errorf("comments: %+v", comments)
	}
	if about, err := carol.blog.BySlug(ctx, "about"); err != nil || !about.Page {
		t.Errorf("the page: %+v %v", about, err)
	}
	all, _ := carol.blog.All(ctx)
	drafts := 0
	for _, x := range all {
		if x.Draft {
			drafts++
		}
		if x.Title == "Thrown away" {
			t.Error("a trashed post was imported")
		}
	}
	if drafts != 1 || len(all) != 3 {
		t.Errorf("%d articles with %d drafts, want 3 with 1", len(all), drafts)
	}
	if n := countRows(t, carol, `SELECT COUNT(*) FROM deliveries`); n != 0 {
		t.Errorf("the import queued %d deliveries", n)
	}
	if n := countRows(t, carol, `SELECT COUNT(*) FROM notifications`); n != 0 {
		t.Errorf("imported comments made %d notifications", n)
	}
	visitor := carol.client(tn)
	for _, old := range []string{"/2019/03/04/beans-a-year-on/", "/2019/03/04/beans-a-year-on", "/?p=42"} {
		resp, err := visitor.Get(carol.Base + old)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/blog/beans-a-year-on" {
			t.Errorf("GET %s: %d to %q, want 301 to /blog/beans-a-year-on", old, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
}

// readZip maps each file of a zip to its content.
func readZip(t *testing.T, file string) map[string][]byte {
	t.Helper()
	z, err := zip.OpenReader(file)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	out := map[string][]byte{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], _ = io.ReadAll(r)
		r.Close()
	}
	return out
}

// TestExportRestoreSwitchesProviders: alice exports her site while it
// runs, stops, restores the zip into a fresh folder and serves it at the
// same address. Bob, who follows her, notices nothing: his follow holds,
// her next post reaches him signed with the same key, his reply reaches
// her; and an export of the restored site has the same content.
func TestExportRestoreSwitchesProviders(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	ctx := context.Background()
	follow(t, bob, alice)
	img, err := os.ReadFile(filepath.Join("testdata", "import", "mastodon-archive", "media_attachments", "files", "110", "001", "balcony.png"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := alice.saveNoteImage(ctx, bytes.NewReader(img), "A balcony")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := alice.feed.Create(ctx, feed.NoteInput{Text: "hello #world", Visibility: feed.VisibilityPublic, Media: []feed.Media{m}}); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.feed.Create(ctx, feed.NoteInput{Text: "for followers", Visibility: feed.VisibilityFollowers, ContentWarning: "private"}); err != nil {
		t.Fatal(err)
	}
	form := map[string][]string{"title": {"Moving day"}, "body": {"All *packed*."}, "tags": {"life"}, "status": {"published"}, "kind": {"post"}}
	if code := postForm(t, alice.Owner, alice.Base+"/blog/new", form); code != http.StatusSeeOther {
		t.Fatalf("new post: %d", code)
	}
	form["title"], form["status"] = []string{"Not yet"}, []string{"draft"}
	postForm(t, alice.Owner, alice.Base+"/blog/new", form)
	settled(t, alice, bob)

	first := filepath.Join(t.TempDir(), "alice.zip")
	if out, err := runCommand(t, runExport, "--data", alice.Data, "--out", first); err != nil {
		t.Fatalf("export while the site runs: %v\n%s", err, out)
	}
	files := readZip(t, first)
	for _, want := range []string{"README.txt", "actor.json", "outbox.json", "likes.json", "bookmarks.json", "contacts.vcf",
		"following_accounts.csv", "followers.csv", "blocked_accounts.csv", "muted_accounts.csv", "blocked_domains.csv",
		"lists.csv", "bookmarks.csv", "subscriptions.opml", "roost/manifest.json", "roost/tables/site_key.jsonl",
		"media/" + filepath.Base(m.URL)} {
		if _, ok := files[want]; !ok {
			t.Errorf("the export lacks %s", want)
		}
	}
	var posts, notes []string
	for name := range files {
		switch {
		case strings.HasPrefix(name, "posts/"):
			posts = append(posts, name)
		case strings.HasPrefix(name, "notes/"):
			notes = append(notes, name)
		}
	}
	if len(posts) != 2 || len(notes) != 2 {
		t.Errorf("posts %v, notes %v: want 2 of each", posts, notes)
	}
	for _, name := range notes {
		md := string(files[name])
		if strings.Contains(md, "for followers") && (!strings.Contains(md, "visibility: followers") || !strings.Contains(md, "content_warning: private")) {
			t.Errorf("%s:\n%s", name, md)
		}
		if strings.Contains(md, "hello #world") && !strings.Contains(md, "alt: A balcony") {
			t.Errorf("%s lacks the image's alt text:\n%s", name, md)
		}
	}
	if out := string(files["outbox.json"]); strings.Count(out, `"type":"Create"`) != 3 || !strings.Contains(out, "Moving day") {
		t.Errorf("outbox.json should carry both notes and the published post:\n%s", out)
	}
	if !strings.Contains(string(files["followers.csv"]), bob.fed.ActorID()) || !strings.Contains(string(files["README.txt"]), "SECRETS") {
		t.Error("followers.csv lacks bob, or the README does not warn about the secrets")
	}

	for name := range files {
		if strings.Contains(name, "_search") {
			t.Errorf("the export carries %s, a part of a full-text index, which is derived", name)
		}
	}

	keyBefore := actorKey(t, alice)
	alice.stop()
	moved := t.TempDir()
	if out, err := runCommand(t, runImport, "--data", moved, first); err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	if out, err := runCommand(t, runImport, "--data", moved, first); err != nil || !strings.Contains(out, "nothing to do") {
		t.Errorf("restoring the same export again: %v\n%s", err, out)
	}
	alice = startTestSite(t, tn, "alice.test", moved)
	if actorKey(t, alice) != keyBefore {
		t.Fatal("the restored site has another key")
	}
	// The full-text indexes are rebuilt from the restored rows.
	if hits, err := alice.feed.Search(ctx, feed.SearchQuery{Text: "hello"}); err != nil || len(hits) != 1 {
		t.Errorf("search the restored notes: %v %v", hits, err)
	}
	if arts, err := alice.blog.SearchArticles(ctx, feed.MatchExpression("packed"), 5, 0, 0); err != nil || len(arts) != 1 {
		t.Errorf("search the restored articles: %v %v", arts, err)
	}
	second := filepath.Join(t.TempDir(), "again.zip")
	if out, err := runCommand(t, runExport, "--data", moved, "--out", second); err != nil {
		t.Fatalf("export of the restored site: %v\n%s", err, out)
	}
	again := readZip(t, second)
	for name, b := range files {
		if strings.HasPrefix(name, "roost/") {
			continue // the dump carries the export's own bookkeeping
		}
		if !bytes.Equal(again[name], b) {
			t.Errorf("%s differs after export → import → export:\n%s\n---\n%s", name, b, again[name])
		}
	}
	if len(again) != len(files) {
		t.Errorf("%d files in the second export, %d in the first", len(again), len(files))
	}

	n, err := alice.feed.Create(ctx, feed.NoteInput{Text: "after the move", Visibility: feed.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, federationWait, "bob sees alice's post after the move", func() bool {
		body, _ := page(t, bob.Owner, bob.Base+"/home")
		return strings.Contains(body, "after the move")
	})
	unread := alice.feed.UnreadCount(ctx)
	if _, err := bob.feed.Create(ctx, feed.NoteInput{Text: "welcome to the new place", Visibility: feed.VisibilityPublic, InReplyTo: n.URL}); err != nil {
		t.Fatal(err)
	}
	eventually(t, federationWait, "bob's reply reaches alice", func() bool { return alice.feed.UnreadCount(ctx) > unread })

	// A folder whose site has posts is not overwritten.
	if _, err := runCommand(t, runImport, "--data", bob.Data, first); err == nil || !strings.Contains(err.Error(), "empty folder") {
		t.Errorf("restoring over a site with posts: %v", err)
	}
}

// actorKey is the public key a site's actor document publishes.
func actorKey(t *testing.T, ts *testSite) string {
	t.Helper()
	doc := actorDocument(t, ts)
	i := strings.Index(doc, "publicKeyPem")
	if i < 0 {
		t.Fatalf("no key in the actor: %s", doc)
	}
	return doc[i : i+200]
}

// TestDataSettings: the owner downloads the export from /settings/data and
// brings in a Mastodon archive there while the site runs; a roost export is
// refused with the way to restore it.
func TestDataSettings(t *testing.T) {
	tn := newTestNet()
	carol := startTestSite(t, tn, "carol.test", "")
	body, code := page(t, carol.Owner, carol.Base+"/settings/data")
	if code != http.StatusOK || !strings.Contains(body, carol.Data) || !strings.Contains(body, `href="/settings/export.zip"`) {
		t.Fatalf("/settings/data (%d):\n%s", code, body)
	}
	resp, err := carol.Owner.Get(carol.Base + "/settings/export.zip")
	if err != nil {
		t.Fatal(err)
	}
	zipped, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	z, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil || resp.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("the download is not a zip (%s): %v", resp.Header.Get("Content-Type"), err)
	}
	if !slices.ContainsFunc(z.File, func(f *zip.File) bool { return f.Name == "outbox.json" }) {
		t.Error("the downloaded export lacks outbox.json")
	}
	if resp, _ := carol.client(tn).Get(carol.Base + "/settings/export.zip"); resp != nil && resp.StatusCode == http.StatusOK {
		t.Error("a visitor can download the export")
	}

	upload := func(name string, content []byte) (int, string) {
		t.Helper()
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		w, _ := mw.CreateFormFile("archive", name)
		w.Write(content)
		mw.Close()
		resp, err := carol.Owner.Post(carol.Base+"/settings/import", mw.FormDataContentType(), &b)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		said, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(said)
	}
	if code, said := upload("mine.zip", zipped); code != http.StatusUnprocessableEntity || !strings.Contains(said, "restore it into an empty folder") {
		t.Errorf("uploading a roost export: %d, want 422 saying how to restore it", code)
	}
	archived, err := os.ReadFile(zipDir(t, filepath.Join("testdata", "import", "mastodon-archive")))
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := upload("archive.zip", archived); code != http.StatusSeeOther {
		t.Fatalf("uploading a Mastodon archive: %d", code)
	}
	eventually(t, 10*time.Second, "the import finishes", func() bool {
		body, _ := page(t, carol.Owner, carol.Base+"/settings/data")
		return strings.Contains(body, "finished") && strings.Contains(body, "Imported 7 notes")
	})
	body, _ = page(t, carol.client(tn), carol.Base+"/notes/")
	if !strings.Contains(body, "First post on the old server") {
		t.Error("the imported notes are not on /notes/")
	}
}

// TestMoveToAnotherAccount: alice moves to carol's account from the data
// settings; the move is refused until carol lists alice as an alias, and
// then bob, who followed alice, follows carol, and alice's page says so.
func TestMoveToAnotherAccount(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	carol := startTestSite(t, tn, "carol.test", "")
	ctx := context.Background()
	follow(t, bob, alice)

	move := func() (int, string) {
		t.Helper()
		resp, err := alice.Owner.PostForm(alice.Base+"/settings/move", map[string][]string{"to": {"@carol.test"}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := move(); code != http.StatusUnprocessableEntity || !strings.Contains(body, "alias") {
		t.Fatalf("a move to an account that does not name alice: %d", code)
	}
	pr, err := carol.profiles.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pr.AlsoKnownAs = []string{alice.fed.ActorID()}
	if err := carol.profiles.Save(ctx, pr); err != nil {
		t.Fatal(err)
	}
	if code, _ := move(); code != http.StatusSeeOther {
		t.Fatalf("the move: %d", code)
	}
	eventually(t, federationWait, "bob follows carol after alice's move", func() bool {
		return carol.contacts.IsFollower(ctx, bob.fed.ActorID())
	})
	body, _ := page(t, alice.client(tn), alice.Base+"/")
	if !strings.Contains(body, `data-testid="moved"`) || !strings.Contains(body, carol.fed.ActorID()) {
		t.Error("alice's front page does not say she moved")
	}
	if !strings.Contains(actorDocument(t, alice), `"movedTo":"`+carol.fed.ActorID()+`"`) {
		t.Error("alice's actor has no movedTo")
	}
}

func actorDocument(t *testing.T, ts *testSite) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, ts.fed.ActorID(), nil)
	req.Header.Set("Accept", "application/activity+json")
	resp, err := ts.Owner.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
