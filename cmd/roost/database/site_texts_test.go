package database

import (
	"fmt"
	"strings"
	"testing"
	"unsafe"
)

func TestSiteTextsTagTranslateAndShare(t *testing.T) {
	texts := newSiteTexts("site_7")
	first := texts.text("SELECT id FROM notes WHERE id = ? LIMIT -1")
	if want := "/* site_7 */ SELECT id FROM notes WHERE id = $1 LIMIT ALL"; first != want {
		t.Fatalf("text = %q, want %q", first, want)
	}
	again := texts.text("SELECT id FROM notes WHERE id = ? LIMIT -1")
	if unsafe.StringData(first) != unsafe.StringData(again) {
		t.Error("the same query made a second copy of its text")
	}
}

func TestSiteTextsBounded(t *testing.T) {
	texts := newSiteTexts("site_8")
	for i := range maxSiteTexts + 10 {
		q := fmt.Sprintf("SELECT %d", i)
		if got := texts.text(q); !strings.HasSuffix(got, q) || !strings.HasPrefix(got, "/* site_8 */ ") {
			t.Fatalf("text(%q) = %q", q, got)
		}
	}
	if len(texts.m) != maxSiteTexts {
		t.Errorf("kept %d texts, want at most %d", len(texts.m), maxSiteTexts)
	}
}
