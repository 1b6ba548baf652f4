package feed

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"roost/federation/vocab"
)

// fixturesDir holds real documents from other servers, beside the
// repository.
const fixturesDir = "../../shared/fixtures"

// TestFixturePostsOnHome stores every Note, Article, Page and Question of
// the shared fixtures (bare or inside a Create) as if the owner followed
// each author, and checks that /home shows each one without any script.
func TestFixturePostsOnHome(t *testing.T) {
	if _, err := os.Stat(fixturesDir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared fixtures folder %s is missing: %v", fixturesDir, err)
		}
		t.Skipf("shared fixtures folder %s is absent; skipping", fixturesDir)
	}
	files, err := filepath.Glob(filepath.Join(fixturesDir, "activitypub", "*", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	s := newTestSite(t, func(c *Config) { c.Follows = func(context.Context, string) bool { return true } })
	ctx := context.Background()
	var stored []string
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		obj := fixtureObject(data)
		if !vocab.IsPost(obj) {
			continue
		}
		name := filepath.Base(filepath.Dir(file)) + "/" + filepath.Base(file)
		if err := s.feed.PostCreated(ctx, obj, &vocab.Actor{ID: obj.AttributedTo}); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if _, err := s.feed.PostByObjectID(ctx, obj.ID); err != nil {
			t.Errorf("%s: not stored: %v", name, err)
			continue
		}
		stored = append(stored, obj.ID)
	}
	t.Logf("%d fixture posts stored", len(stored))
	if len(stored) < 5 {
		t.Fatalf("only %d fixture posts stored", len(stored))
	}
	seen := map[string]bool{}
	for path := "/home"; path != ""; {
		rec := s.do(t, "GET", path, nil, true)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d", path, rec.Code)
		}
		doc := parseHTML(t, rec)
		if doc.Find(`main script, main iframe, main [onerror], main [onclick]`).Length() != 0 {
			t.Errorf("%s: active content in the timeline", path)
		}
		doc.Find(`[data-testid="post"]`).Each(func(_ int, p *goquery.Selection) {
			seen[p.AttrOr("data-object", "")] = true
		})
		doc.Find(`main a[href]`).Each(func(_ int, a *goquery.Selection) {
			if href := strings.ToLower(a.AttrOr("href", "")); strings.HasPrefix(href, "javascript:") {
				t.Errorf("%s: script link %q", path, href)
			}
		})
		path = doc.Find(`[data-testid="older"]`).AttrOr("href", "")
	}
	for _, id := range stored {
		if !seen[id] {
			t.Errorf("fixture post %s missing from /home", id)
		}
	}
}

// fixtureObject returns the content object of a fixture: the document
// itself or the object of a Create.
func fixtureObject(data []byte) *vocab.Object {
	kind, err := vocab.KindOf(data)
	if err != nil {
		return nil
	}
	switch kind {
	case vocab.KindObject:
		obj, err := vocab.ParseObject(data)
		if err != nil {
			return nil
		}
		return obj
	case vocab.KindActivity:
		act, err := vocab.ParseActivity(data)
		if err != nil || act.Type != vocab.TypeCreate {
			return nil
		}
		return act.Object
	}
	return nil
}
