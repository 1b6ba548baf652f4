package syndication

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestCleanXML(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "hello", "hello"},
		{"nul", "a\x00b", "ab"},
		{"C0 controls", "\x01\x08\x0b\x0c\x1b[0m", "[0m"},
		{"whitespace kept", "tab\tnl\ncr\r", "tab\tnl\ncr\r"},
		{"invalid UTF-8 byte", "a\xffb", "ab"},
		{"real replacement character kept", "a\uFFFDb", "a\uFFFDb"},
		{"noncharacters", "a\uFFFE\uFFFFb", "ab"},
		{"astral kept", "ok 😀", "ok 😀"},
		{"markup untouched", "<b>&</b>", "<b>&</b>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cleanXML(tt.in); got != tt.want {
				t.Errorf("cleanXML(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCleanFeedLeavesCallerAlone(t *testing.T) {
	feed := Feed{Entries: []Entry{{Title: "a\x00", Tags: []string{"x\x01", "\x02", " y "}}}}
	got := cleanFeed(feed)
	if feed.Entries[0].Title != "a\x00" || feed.Entries[0].Tags[0] != "x\x01" {
		t.Errorf("cleanFeed modified the caller's entries: %+v", feed.Entries[0])
	}
	if got.Entries[0].Title != "a" {
		t.Errorf("title = %q", got.Entries[0].Title)
	}
	if want := []string{"x", "y"}; strings.Join(got.Entries[0].Tags, ",") != strings.Join(want, ",") {
		t.Errorf("tags = %q, want %q", got.Entries[0].Tags, want)
	}
}

func TestPlainExcerpt(t *testing.T) {
	long := strings.Repeat("word ", 40)
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"paragraphs become spaces", "<p>one</p><p>two</p>", "one two"},
		{"line breaks", "one<br>two<br/>three", "one two three"},
		{"entities decoded", "<p>fish &amp; chips &lt;3</p>", "fish & chips <3"},
		{"inline tags joined", "<p>an <em>emphatic</em> <a href=\"/x\">link</a></p>", "an emphatic link"},
		{"scripts skipped", "<script>alert(1)</script><p>hi</p><style>p{}</style>", "hi"},
		{"image alt text", `<p><img src="/sunset.jpg" alt="Sunset over the bay"></p>`, "Sunset over the bay"},
		{"alt text only without words", `<p>Evening</p><p><img src="/sunset.jpg" alt="Sunset over the bay"></p>`, "Evening"},
		{"whitespace collapsed", "<p>  a \n\t b  </p>", "a b"},
		{"long text cut at a word", long, strings.TrimSpace(strings.Repeat("word ", 15)) + "…"},
		{"one long word", strings.Repeat("x", 100), strings.Repeat("x", 79) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := plainExcerpt(tt.in, titleExcerptRunes)
			if got != tt.want {
				t.Errorf("plainExcerpt(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if n := utf8.RuneCountInString(got); n > titleExcerptRunes {
				t.Errorf("excerpt has %d runes, more than %d", n, titleExcerptRunes)
			}
		})
	}
}

// RSS items get the same title as Atom entries: readers list notes by it.
func TestRSSItemTitle(t *testing.T) {
	e := Entry{Summary: "Spoilers", ContentHTML: "<p>the butler did it</p>"}
	if got := rssItemOf(e, "").Title; got != "Spoilers" {
		t.Errorf("RSS title = %q, want the content warning", got)
	}
	e = Entry{ContentHTML: `<p>Evening walk</p><p><img src="/a.jpg" alt="a long description"></p>`}
	if got := rssItemOf(e, "").Title; got != "Evening walk" {
		t.Errorf("RSS title = %q, want the words alone", got)
	}
}

func TestAtomTitleFallbacks(t *testing.T) {
	tests := []struct {
		name  string
		entry Entry
		want  string
	}{
		{"title wins", Entry{Title: "Hi", ContentHTML: "<p>body</p>"}, "Hi"},
		{"note content", Entry{ContentHTML: "<p>just a note</p>"}, "just a note"},
		{"summary when no content", Entry{Summary: "a summary"}, "a summary"},
		{"content warning before content", Entry{Summary: "Spoilers", ContentHTML: "<p>the butler did it</p>"}, "Spoilers"},
		{"nothing at all", Entry{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := atomEntryOf(tt.entry, epochRFC3339).Title.Value; got != tt.want {
				t.Errorf("title = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestImageType(t *testing.T) {
	tests := []struct{ url, want string }{
		{"https://a.example/x.jpg", "image/jpeg"},
		{"https://a.example/x.JPEG?size=large", "image/jpeg"},
		{"https://a.example/x.png#frag", "image/png"},
		{"https://a.example/x.webp", "image/webp"},
		{"https://a.example/x.avif", "image/avif"},
		{"https://a.example/media/123", ""},
		{"https://a.example/x.exe", ""},
		{"::not a url", ""},
	}
	for _, tt := range tests {
		if got := imageType(tt.url); got != tt.want {
			t.Errorf("imageType(%q) = %q, want %q", tt.url, got, tt.want)
		}
	}
}

func TestDates(t *testing.T) {
	t1 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	t2 := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	t3 := time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name          string
		feed          Feed
		wantFeed      time.Time
		wantPublished time.Time // of the first entry
		wantUpdated   time.Time // of the first entry
	}{
		{"explicit", Feed{Updated: t3, Entries: []Entry{{Published: t1, Updated: t2}}}, t3, t1, t2},
		{"published only", Feed{Entries: []Entry{{Published: t1}}}, t1, t1, t1},
		{"updated only", Feed{Entries: []Entry{{Updated: t2}}}, t2, t2, t2},
		{"newest entry dates the feed", Feed{Entries: []Entry{{Published: t1}, {Published: t2, Updated: t3}}}, t3, t1, t1},
		{"no dates", Feed{Entries: []Entry{{}}}, time.Time{}, time.Time{}, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := feedUpdated(tt.feed); !got.Equal(tt.wantFeed) {
				t.Errorf("feedUpdated = %v, want %v", got, tt.wantFeed)
			}
			e := tt.feed.Entries[0]
			if got := entryPublished(e); !got.Equal(tt.wantPublished) {
				t.Errorf("entryPublished = %v, want %v", got, tt.wantPublished)
			}
			if got := entryUpdated(e); !got.Equal(tt.wantUpdated) {
				t.Errorf("entryUpdated = %v, want %v", got, tt.wantUpdated)
			}
		})
	}
}
