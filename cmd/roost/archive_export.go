package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"roost/blog"
	"roost/cmd/roost/archive"
	"roost/cmd/roost/database"
	"roost/contacts"
	"roost/federation/vocab"
	"roost/feed"
)

// exportFormat is the version of the zip's roost/ part; an import refuses
// a newer one.
const exportFormat = 1

// manifest is roost/manifest.json: what made the export, and the schema
// versions the roost/tables dump was taken at.
type manifest struct {
	Format   int            `json:"format"`
	Version  string         `json:"roost_version"`
	URL      string         `json:"url"`
	Exported time.Time      `json:"exported"`
	Schema   map[string]int `json:"schema"`
	Tables   []string       `json:"tables"`
}

// exporter writes one zip. It holds a site built over the data folder but
// not running, so the rooms' own code renders every document.
type exporter struct {
	s        *site
	zw       *zip.Writer
	progress *archive.Progress
}

// writeExport writes the whole export to w. The site may keep serving:
// every read is an ordinary query, and the tables are dumped in one read
// transaction so the roost/ part is consistent.
func writeExport(ctx context.Context, s *site, w io.Writer, progress *archive.Progress) error {
	e := &exporter{s: s, zw: zip.NewWriter(w), progress: progress}
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"README.txt", e.readme}, {"actor.json", e.actor}, {"outbox.json and notes", e.outbox},
		{"posts", e.posts}, {"likes and bookmarks", e.marks}, {"contacts", e.contacts},
		{"media", e.media}, {"roost", e.roostPart},
	}
	for _, st := range steps {
		if err := st.fn(ctx); err != nil {
			return fmt.Errorf("export %s: %w", st.name, err)
		}
	}
	return e.zw.Close()
}

func (e *exporter) file(name string, body []byte) error {
	w, err := e.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Now()})
	if err != nil {
		return err
	}
	_, err = w.Write(body)
	e.progress.Add(0, int64(len(body)))
	return err
}

func (e *exporter) readme(context.Context) error {
	return e.file("README.txt", []byte(strings.ReplaceAll(exportReadme, "SITE", e.s.cfg.BaseURL)))
}

// actor is the owner's actor document exactly as other servers fetch it.
func (e *exporter) actor(ctx context.Context) error {
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, e.s.fed.ActorID(), nil)
	req.Header.Set("Accept", vocab.ContentTypeActivity)
	rec := httptest.NewRecorder()
	e.s.handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		return fmt.Errorf("actor answered %d", rec.Code)
	}
	return e.file("actor.json", rec.Body.Bytes())
}

// outbox writes outbox.json (every note and published article as a
// Create, oldest first, as in a Mastodon archive), then notes/….md,
// reading the notes in batches.
func (e *exporter) outbox(ctx context.Context) error {
	articles, err := e.s.blog.All(ctx)
	if err != nil {
		return err
	}
	w, err := e.zw.Create("outbox.json")
	if err != nil {
		return err
	}
	total, err := e.s.feed.CountOwnNotes(ctx)
	if err != nil {
		return err
	}
	published := 0
	for _, a := range articles {
		if !a.Draft && !a.PublishedAt.After(time.Now()) {
			published++
		}
	}
	head, _ := json.Marshal(map[string]any{"@context": vocab.ContextAS, "id": "outbox.json",
		"type": "OrderedCollection", "totalItems": total + published})
	io.WriteString(w, strings.TrimSuffix(string(head), "}")+`,"orderedItems":[`)
	first := true
	item := func(v map[string]any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if !first {
			io.WriteString(w, ",\n")
		}
		first = false
		_, err = w.Write(b)
		e.progress.Add(1, int64(len(b)))
		return err
	}
	if err := e.s.feed.ExportNotes(ctx, func(_ feed.Note, create map[string]any) error { return item(create) }); err != nil {
		return err
	}
	for i := len(articles) - 1; i >= 0; i-- {
		if a := articles[i]; !a.Draft && !a.PublishedAt.After(time.Now()) {
			if err := item(e.s.blog.CreateActivity(a)); err != nil {
				return err
			}
		}
	}
	io.WriteString(w, "]}\n")
	// A zip takes one file at a time, so the Markdown files of the notes
	// come from a second pass rather than from memory.
	return e.s.feed.ExportNotes(ctx, func(n feed.Note, _ map[string]any) error { return e.noteFile(n) })
}

// mediaFile is an attachment as the front matter lists it.
type mediaFile struct {
	File string `yaml:"file"`
	Alt  string `yaml:"alt,omitempty"`
	Type string `yaml:"type,omitempty"`
}

// mediaPath is where a stored upload is in the zip: media/ and its name.
func mediaPath(url string) string { return "media/" + path.Base(url) }

func (e *exporter) noteFile(n feed.Note) error {
	front := struct {
		Date           time.Time   `yaml:"date"`
		Updated        *time.Time  `yaml:"updated,omitempty"`
		Visibility     string      `yaml:"visibility"`
		ContentWarning string      `yaml:"content_warning,omitempty"`
		InReplyTo      string      `yaml:"in_reply_to,omitempty"`
		Language       string      `yaml:"language,omitempty"`
		Tags           []string    `yaml:"tags,omitempty"`
		Media          []mediaFile `yaml:"media,omitempty"`
		URL            string      `yaml:"url"`
	}{Date: n.Created.UTC(), Visibility: n.Visibility, ContentWarning: n.ContentWarning, InReplyTo: n.InReplyTo,
		Language: n.Language, Tags: n.Tags, URL: n.URL}
	if !n.Updated.IsZero() {
		u := n.Updated.UTC()
		front.Updated = &u
	}
	for _, m := range n.Media {
		front.Media = append(front.Media, mediaFile{File: mediaPath(m.URL), Alt: m.Alt, Type: m.MediaType})
	}
	body, err := archive.Markdown(front, n.Text)
	if err != nil {
		return err
	}
	return e.file(fmt.Sprintf("notes/%s/%d.md", n.Created.UTC().Format("2006/01"), n.ID), body)
}

// posts writes posts/YYYY/MM/slug.md for every article and page, drafts
// and scheduled ones included.
func (e *exporter) posts(ctx context.Context) error {
	articles, err := e.s.blog.All(ctx)
	if err != nil {
		return err
	}
	for _, a := range articles {
		if err := e.postFile(a); err != nil {
			return err
		}
	}
	return nil
}

func (e *exporter) postFile(a blog.Article) error {
	front := struct {
		Title   string    `yaml:"title"`
		Date    time.Time `yaml:"date"`
		Updated time.Time `yaml:"updated"`
		Slug    string    `yaml:"slug"`
		Tags    []string  `yaml:"tags,omitempty"`
		Summary string    `yaml:"summary,omitempty"`
		Draft   bool      `yaml:"draft,omitempty"`
		Page    bool      `yaml:"page,omitempty"`
		URL     string    `yaml:"url"`
	}{Title: a.Title, Date: a.PublishedAt.UTC(), Updated: a.Updated.UTC(), Slug: a.Slug, Tags: a.Tags,
		Summary: a.Summary, Draft: a.Draft, Page: a.Page, URL: a.URL}
	body, err := archive.Markdown(front, a.Body)
	if err != nil {
		return err
	}
	e.progress.Add(1, 0)
	return e.file(fmt.Sprintf("posts/%s/%s.md", a.PublishedAt.UTC().Format("2006/01"), a.Slug), body)
}

// marks writes likes.json and bookmarks.json as a Mastodon archive has
// them, and bookmarks.csv as Mastodon's bookmarks export.
func (e *exporter) marks(ctx context.Context) error {
	likes, err := e.s.feed.LikedObjects(ctx)
	if err != nil {
		return err
	}
	bookmarks, err := e.s.feed.BookmarkedObjects(ctx)
	if err != nil {
		return err
	}
	for name, ids := range map[string][]string{"likes.json": likes, "bookmarks.json": bookmarks} {
		if ids == nil {
			ids = []string{}
		}
		b, err := json.MarshalIndent(map[string]any{"@context": vocab.ContextAS, "id": name,
			"type": "OrderedCollection", "totalItems": len(ids), "orderedItems": ids}, "", "  ")
		if err != nil {
			return err
		}
		if err := e.file(name, b); err != nil {
			return err
		}
	}
	return e.file("bookmarks.csv", []byte(strings.Join(append(bookmarks, ""), "\n")))
}

// contacts writes the book as vCard, the lists in Mastodon's CSV formats,
// the followers, and the followed feeds as OPML.
func (e *exporter) contacts(ctx context.Context) error {
	var b bytes.Buffer
	if err := e.s.contacts.ExportVCard(ctx, &b, ""); err != nil {
		return err
	}
	if err := e.file("contacts.vcf", b.Bytes()); err != nil {
		return err
	}
	for _, name := range []string{contacts.CSVFollowing, contacts.CSVBlocked, contacts.CSVMuted, contacts.CSVBlockedDomains, contacts.CSVLists} {
		b.Reset()
		if err := e.s.contacts.ExportCSV(ctx, &b, name); err != nil {
			return err
		}
		if err := e.file(name, b.Bytes()); err != nil {
			return err
		}
	}
	followers, err := e.s.contacts.Search(ctx, contacts.ShowFollowers, "")
	if err != nil {
		return err
	}
	b.Reset()
	cw := csv.NewWriter(&b)
	cw.Write([]string{"Account address", "Actor"})
	for _, f := range followers {
		cw.Write([]string{f.Handle, f.ActorID})
	}
	if cw.Flush(); cw.Error() != nil {
		return cw.Error()
	}
	if err := e.file("followers.csv", b.Bytes()); err != nil {
		return err
	}
	feeds, err := e.s.contacts.Search(ctx, contacts.ShowFeeds, "")
	if err != nil {
		return err
	}
	return e.file("subscriptions.opml", opml(e.s.cfg.domain(), feeds))
}

// opml lists followed feeds as OPML 2.0, which every feed reader imports.
func opml(site string, feeds []contacts.Contact) []byte {
	type outline struct {
		Type    string `xml:"type,attr"`
		Text    string `xml:"text,attr"`
		XMLURL  string `xml:"xmlUrl,attr"`
		HTMLURL string `xml:"htmlUrl,attr,omitempty"`
	}
	doc := struct {
		XMLName xml.Name  `xml:"opml"`
		Version string    `xml:"version,attr"`
		Title   string    `xml:"head>title"`
		Body    []outline `xml:"body>outline"`
	}{Version: "2.0", Title: "Feeds followed by " + site}
	for _, f := range feeds {
		name := f.Name
		if name == "" {
			name = f.FeedURL
		}
		doc.Body = append(doc.Body, outline{Type: "rss", Text: name, XMLURL: f.FeedURL, HTMLURL: f.URL})
	}
	out, _ := xml.MarshalIndent(doc, "", "  ")
	return append([]byte(xml.Header), append(out, '\n')...)
}

// media copies the uploads folder as media/, uncompressed (images are).
func (e *exporter) media(context.Context) error {
	dir := filepath.Join(e.s.cfg.DataDir, "media")
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		info, err := f.Stat()
		if err != nil {
			return err
		}
		w, err := e.zw.CreateHeader(&zip.FileHeader{Name: "media/" + filepath.ToSlash(rel), Method: zip.Store, Modified: info.ModTime()})
		if err != nil {
			return err
		}
		n, err := io.Copy(w, f)
		e.progress.Add(1, n)
		return err
	})
	if os.IsNotExist(err) {
		return nil
	}
	return err
}

// roostPart writes roost/: every table as JSON lines, dumped inside one
// read transaction, and the manifest. With media/ it restores the site
// exactly: keys, followers and their inboxes, ids, settings, queues.
func (e *exporter) roostPart(ctx context.Context) error {
	conn, err := e.s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN`); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`)
	m := manifest{Format: exportFormat, Version: version, URL: e.s.cfg.BaseURL, Exported: time.Now().UTC()}
	if m.Schema, err = database.Versions(ctx, conn); err != nil {
		return err
	}
	if m.Tables, err = database.Tables(ctx, conn); err != nil {
		return err
	}
	for _, t := range m.Tables {
		w, err := e.zw.Create("roost/tables/" + t + ".jsonl")
		if err != nil {
			return err
		}
		n, err := database.DumpTable(ctx, conn, t, w)
		if err != nil {
			return err
		}
		e.progress.Add(n, 0)
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return e.file("roost/manifest.json", b)
}
