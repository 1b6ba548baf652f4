package syndication

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
)

// checkWellFormed fails unless doc is a document a strict reader accepts:
// valid UTF-8, no characters XML forbids, and (for XML) every token parses.
func checkWellFormed(t *testing.T, f Format, doc []byte) {
	t.Helper()
	if !utf8.Valid(doc) {
		t.Fatalf("output is not valid UTF-8")
	}
	for i, r := range string(doc) {
		if !isXMLChar(r) {
			t.Fatalf("output has forbidden character %U at byte %d", r, i)
		}
	}
	if f == JSONFeed {
		if !json.Valid(doc) {
			t.Fatalf("output is not valid JSON:\n%s", doc)
		}
		return
	}
	dec := xml.NewDecoder(bytes.NewReader(doc))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("output is not well-formed XML: %v\n%s", err, doc)
		}
	}
}

func TestHostileCharacters(t *testing.T) {
	const guid = "https://alice.example/notes/1?a=1&b=<2>"
	hostileHTML := "<p>1 &lt; 2 and ]]> closes CDATA\x00\x0c, bell\x07, bad byte \xff.</p>"
	cleanHTML := "<p>1 &lt; 2 and ]]> closes CDATA, bell, bad byte .</p>"
	feed := Feed{
		Title:       "Tom & Jerry <b>\x00\x01\x1b</b> \"quoted\" 'single'",
		Description: "vertical\x0btab",
		SiteURL:     "https://alice.example/?x=1&y=2",
		FeedURL:     "https://alice.example/feed?x=1&y=2",
		AuthorName:  "A&B <ltd>\x02",
		Language:    "en",
		Updated:     time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC),
		Entries: []Entry{{
			ID:          guid,
			URL:         guid,
			Title:       "a\x08b & <c>",
			ContentHTML: hostileHTML,
			Summary:     "sum\x10mary & <more>",
			Published:   time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC),
			Tags:        []string{"<script>", "a&b", "\x01"},
		}},
	}
	for _, f := range []Format{Atom, RSS, JSONFeed} {
		t.Run(f.Extension(), func(t *testing.T) {
			doc := render(t, f, feed)
			checkWellFormed(t, f, doc)
			parsed, err := gofeed.NewParser().Parse(bytes.NewReader(doc))
			if err != nil {
				t.Fatalf("gofeed cannot read it: %v", err)
			}
			if want := `Tom & Jerry <b></b> "quoted" 'single'`; parsed.Title != want {
				t.Errorf("feed title = %q, want %q", parsed.Title, want)
			}
			if len(parsed.Items) != 1 {
				t.Fatalf("got %d items", len(parsed.Items))
			}
			item := parsed.Items[0]
			if item.Title != "ab & <c>" {
				t.Errorf("item title = %q", item.Title)
			}
			if item.GUID != guid || item.Link != guid {
				t.Errorf("item guid/link = %q / %q, want %q", item.GUID, item.Link, guid)
			}
			if item.Content != cleanHTML {
				t.Errorf("item content = %q, want %q", item.Content, cleanHTML)
			}
			if want := []string{"<script>", "a&b"}; !slices.Equal(item.Categories, want) {
				t.Errorf("categories = %q, want %q", item.Categories, want)
			}
		})
	}
}

func TestEmptyFeed(t *testing.T) {
	feed := Feed{Title: "Nothing yet", SiteURL: testSite, FeedURL: "https://alice.example/feed"}
	tests := []struct {
		format Format
		// contains are fragments the format requires even with no entries.
		contains []string
	}{
		{Atom, []string{
			"<id>https://alice.example/feed</id>",
			"<updated>" + epochRFC3339 + "</updated>",
			"<name>Nothing yet</name>",
		}},
		{RSS, []string{
			"<description>Nothing yet</description>",
			`<atom:link rel="self"`,
		}},
		{JSONFeed, []string{`"items": []`, `"version": "https://jsonfeed.org/version/1.1"`}},
	}
	for _, tt := range tests {
		t.Run(tt.format.Extension(), func(t *testing.T) {
			doc := render(t, tt.format, feed)
			checkWellFormed(t, tt.format, doc)
			for _, c := range tt.contains {
				if !bytes.Contains(doc, []byte(c)) {
					t.Errorf("output lacks %q:\n%s", c, doc)
				}
			}
			parsed, err := gofeed.NewParser().Parse(bytes.NewReader(doc))
			if err != nil {
				t.Fatalf("gofeed cannot read it: %v", err)
			}
			if parsed.Title != "Nothing yet" || len(parsed.Items) != 0 {
				t.Errorf("parsed title %q with %d items", parsed.Title, len(parsed.Items))
			}
		})
	}
}

// TestEntryWithoutImageType checks that an image whose type cannot be told
// from its URL still reaches RSS readers through Media RSS, without an
// enclosure claiming a made-up type.
func TestEntryWithoutImageType(t *testing.T) {
	feed := testFeed()
	feed.Entries = feed.Entries[1:]
	feed.Entries[0].Image = "https://alice.example/media/42"
	doc := string(render(t, RSS, feed))
	if strings.Contains(doc, "<enclosure") {
		t.Errorf("RSS has an enclosure without a known type:\n%s", doc)
	}
	if !strings.Contains(doc, `<media:content url="https://alice.example/media/42" medium="image">`) {
		t.Errorf("RSS lacks the media:content image:\n%s", doc)
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	err := Write(io.Discard, Format(42), testFeed(), "https://alice.example/feed")
	if !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("err = %v, want ErrUnknownFormat", err)
	}
}

func TestFormatNames(t *testing.T) {
	tests := []struct {
		f                Format
		contentType, ext string
	}{
		{Atom, "application/atom+xml; charset=utf-8", "atom"},
		{RSS, "application/rss+xml; charset=utf-8", "rss"},
		{JSONFeed, "application/feed+json; charset=utf-8", "json"},
	}
	for _, tt := range tests {
		if got := tt.f.ContentType(); got != tt.contentType {
			t.Errorf("%d.ContentType() = %q, want %q", tt.f, got, tt.contentType)
		}
		if got := tt.f.Extension(); got != tt.ext {
			t.Errorf("%d.Extension() = %q, want %q", tt.f, got, tt.ext)
		}
	}
}
