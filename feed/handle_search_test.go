package feed

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestSearchPagePagesAndEscapes: the owner's search page shows 20 matches
// a page with a link to the next, marks the matches, shows the owner's
// text as text, and is the owner's only.
func TestSearchPagePagesAndEscapes(t *testing.T) {
	s := newTestSite(t)
	for i := range 20 {
		s.mustCreate(t, NoteInput{Text: fmt.Sprintf("walrus number %d", i), Visibility: VisibilityPublic})
	}
	s.mustCreate(t, NoteInput{Text: "a <script>alert(1)</script> walrus", Visibility: VisibilityPublic})

	doc := parseHTML(t, s.do(t, "GET", "/search?q=walrus", nil, true))
	if n := doc.Find(`[data-testid="result"]`).Length(); n != searchPerPage {
		t.Errorf("%d results on the first page, want %d", n, searchPerPage)
	}
	if doc.Find(`[data-testid="result"] mark`).First().Text() != "walrus" {
		t.Error("the match is not marked")
	}
	older, ok := doc.Find(`[data-testid="older"]`).Attr("href")
	if !ok {
		t.Fatal("no link to more matches")
	}
	rec := s.do(t, "GET", older, nil, true)
	doc = parseHTML(t, rec)
	if n := doc.Find(`[data-testid="result"]`).Length(); n != 1 || doc.Find(`[data-testid="newer"]`).Length() != 1 {
		t.Errorf("second page: %d results", n)
	}
	all := s.do(t, "GET", "/search?q=alert", nil, true).Body.String()
	if strings.Contains(all, "<script>alert") || !strings.Contains(all, "&lt;script&gt;") {
		t.Errorf("the note's text is not escaped: %s", all)
	}
	if rec := s.do(t, "GET", "/search?q=walrus", nil, false); rec.Code == http.StatusOK {
		t.Errorf("a visitor gets the search page: %d", rec.Code)
	}
}
