package syndication

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const (
	testSite = "https://alice.example/"
	noteID   = "https://alice.example/notes/01HZX3"
	postID   = "https://alice.example/blog/feeds-and-you"
	noteHTML = `<p>Hello <a href="https://bob.example/">@bob</a>, feeds &amp; the fediverse!</p><p>Second line.</p>`
	postHTML = `<p>Why a blog still wants <code>&lt;feed&gt;</code> in 2026.</p><p><img src="https://alice.example/media/cover.jpg" alt="a cover"></p>`
)

var (
	feedUpdatedAt = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	notePublished = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	// A non-UTC zone checks that every format writes the same instant.
	postPublished = time.Date(2026, 2, 1, 8, 30, 0, 0, time.FixedZone("CET", 3600))
	postUpdated   = time.Date(2026, 2, 3, 12, 0, 0, 0, time.UTC)
)

// testFeed is the fixed feed behind the golden files: a note without a
// title, then an article with every optional field set.
func testFeed() Feed {
	return Feed{
		Title:       "Alice's place",
		Description: "Notes & articles from Alice",
		SiteURL:     testSite,
		FeedURL:     "https://alice.example/feed",
		AuthorName:  "Alice",
		AuthorURL:   testSite,
		IconURL:     "https://alice.example/icon.png",
		Language:    "en",
		Updated:     feedUpdatedAt,
		Entries: []Entry{
			{
				ID:          noteID,
				URL:         noteID,
				ContentHTML: noteHTML,
				Published:   notePublished,
			},
			{
				ID:          postID,
				URL:         postID,
				Title:       "Feeds & you: <still> useful",
				ContentHTML: postHTML,
				Summary:     "Why feeds matter.",
				Published:   postPublished,
				Updated:     postUpdated,
				Tags:        []string{"feeds", "indieweb"},
				Image:       "https://alice.example/media/cover.jpg",
			},
		},
	}
}

func selfURLFor(f Format) string {
	return "https://alice.example/feed." + f.Extension()
}

func render(t testing.TB, f Format, feed Feed) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, f, feed, selfURLFor(f)); err != nil {
		t.Fatalf("Write(%s): %v", f.Extension(), err)
	}
	return buf.Bytes()
}

func TestWriteGolden(t *testing.T) {
	for _, f := range []Format{Atom, RSS, JSONFeed} {
		t.Run(f.Extension(), func(t *testing.T) {
			got := render(t, f, testFeed())
			golden := filepath.Join("testdata", "feed."+f.Extension()+".golden")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("read golden file (run with -update to create it): %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (run with -update if the change is intended)\n--- got\n%s\n--- want\n%s", golden, got, want)
			}
		})
	}
}

// wantItem is what a reader should see for one entry. Fields differ by
// format because the formats differ: RSS has no summary element, so its
// description is the content. Atom demands a title and RSS readers list
// items by theirs, so both give a note its first words.
type wantItem struct {
	title, link, guid, content, description string
	published, updated                      time.Time
	tags                                    []string
	image                                   string
}

func TestReadBackWithGofeed(t *testing.T) {
	noteExcerpt := "Hello @bob, feeds & the fediverse! Second line."
	tests := []struct {
		format   Format
		feedType string
		version  string
		items    []wantItem
	}{
		{Atom, "atom", "1.0", []wantItem{
			{title: noteExcerpt, link: noteID, guid: noteID, content: noteHTML,
				published: notePublished, updated: notePublished},
			{title: "Feeds & you: <still> useful", link: postID, guid: postID, content: postHTML,
				description: "Why feeds matter.", published: postPublished, updated: postUpdated,
				tags: []string{"feeds", "indieweb"}},
		}},
		{RSS, "rss", "2.0", []wantItem{
			{title: noteExcerpt, link: noteID, guid: noteID, content: noteHTML, description: noteHTML,
				published: notePublished},
			{title: "Feeds & you: <still> useful", link: postID, guid: postID, content: postHTML,
				description: postHTML, published: postPublished, updated: postUpdated,
				tags: []string{"feeds", "indieweb"}, image: "https://alice.example/media/cover.jpg"},
		}},
		{JSONFeed, "json", jsonFeedVersion, []wantItem{
			{link: noteID, guid: noteID, content: noteHTML,
				published: notePublished, updated: notePublished},
			{title: "Feeds & you: <still> useful", link: postID, guid: postID, content: postHTML,
				description: "Why feeds matter.", published: postPublished, updated: postUpdated,
				tags: []string{"feeds", "indieweb"}, image: "https://alice.example/media/cover.jpg"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.format.Extension(), func(t *testing.T) {
			parsed, err := gofeed.NewParser().Parse(bytes.NewReader(render(t, tt.format, testFeed())))
			if err != nil {
				t.Fatalf("gofeed cannot read the feed: %v", err)
			}
			if parsed.FeedType != tt.feedType || parsed.FeedVersion != tt.version {
				t.Errorf("detected %s %s, want %s %s", parsed.FeedType, parsed.FeedVersion, tt.feedType, tt.version)
			}
			if parsed.Title != "Alice's place" {
				t.Errorf("feed title = %q", parsed.Title)
			}
			if parsed.Link != testSite {
				t.Errorf("feed link = %q, want %q", parsed.Link, testSite)
			}
			if parsed.FeedLink != selfURLFor(tt.format) {
				t.Errorf("feed self link = %q, want %q", parsed.FeedLink, selfURLFor(tt.format))
			}
			if parsed.Language != "en" {
				t.Errorf("feed language = %q", parsed.Language)
			}
			if parsed.Description != "Notes & articles from Alice" {
				t.Errorf("feed description = %q", parsed.Description)
			}
			if len(parsed.Authors) == 0 && tt.format != RSS {
				t.Errorf("feed has no author")
			} else if tt.format != RSS && parsed.Authors[0].Name != "Alice" {
				t.Errorf("feed author = %q", parsed.Authors[0].Name)
			}
			if parsed.Image == nil || parsed.Image.URL != "https://alice.example/icon.png" {
				t.Errorf("feed image = %+v", parsed.Image)
			}
			if len(parsed.Items) != len(tt.items) {
				t.Fatalf("got %d items, want %d", len(parsed.Items), len(tt.items))
			}
			for i, want := range tt.items {
				checkItem(t, i, parsed.Items[i], want, tt.format)
			}
		})
	}
}

func checkItem(t *testing.T, i int, got *gofeed.Item, want wantItem, f Format) {
	t.Helper()
	if got.Title != want.title {
		t.Errorf("item %d title = %q, want %q", i, got.Title, want.title)
	}
	if got.Link != want.link {
		t.Errorf("item %d link = %q, want %q", i, got.Link, want.link)
	}
	if got.GUID != want.guid {
		t.Errorf("item %d guid = %q, want %q", i, got.GUID, want.guid)
	}
	if got.Content != want.content {
		t.Errorf("item %d content = %q, want %q", i, got.Content, want.content)
	}
	if got.Description != want.description {
		t.Errorf("item %d description = %q, want %q", i, got.Description, want.description)
	}
	checkTime(t, i, "published", got.PublishedParsed, want.published)
	checkTime(t, i, "updated", got.UpdatedParsed, want.updated)
	if !slices.Equal(got.Categories, want.tags) {
		t.Errorf("item %d categories = %q, want %q", i, got.Categories, want.tags)
	}
	switch f {
	case Atom:
		// gofeed reports Atom images as enclosures.
		var enclosures []string
		for _, e := range got.Enclosures {
			enclosures = append(enclosures, e.URL+" "+e.Type)
		}
		var wantEnc []string
		if len(want.tags) > 0 {
			wantEnc = []string{"https://alice.example/media/cover.jpg image/jpeg"}
		}
		if !slices.Equal(enclosures, wantEnc) {
			t.Errorf("item %d enclosures = %q, want %q", i, enclosures, wantEnc)
		}
	default:
		var image string
		if got.Image != nil {
			image = got.Image.URL
		}
		if image != want.image {
			t.Errorf("item %d image = %q, want %q", i, image, want.image)
		}
	}
	if f == RSS {
		if len(got.Authors) == 0 || got.Authors[0].Name != "Alice" {
			t.Errorf("item %d authors = %+v, want Alice from dc:creator", i, got.Authors)
		}
	}
}

func checkTime(t *testing.T, i int, name string, got *time.Time, want time.Time) {
	t.Helper()
	switch {
	case want.IsZero() && got != nil:
		t.Errorf("item %d %s = %v, want none", i, name, *got)
	case !want.IsZero() && got == nil:
		t.Errorf("item %d %s missing, want %v", i, name, want)
	case !want.IsZero() && !got.Equal(want):
		t.Errorf("item %d %s = %v, want %v", i, name, *got, want)
	}
}
