package vocab

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixturesDir is the shared folder of real documents from other servers,
// beside the repository.
const fixturesDir = "../../../shared/fixtures"

// fixtures returns the files matching pattern under the shared fixtures.
// Without the folder the test is skipped, except in CI where it must exist.
func fixtures(t *testing.T, pattern string) []string {
	t.Helper()
	if _, err := os.Stat(fixturesDir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared fixtures folder %s is missing: %v", fixturesDir, err)
		}
		t.Skipf("shared fixtures folder %s is absent; skipping", fixturesDir)
	}
	files, err := filepath.Glob(filepath.Join(fixturesDir, pattern))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no fixtures match %s", pattern)
	}
	return files
}

// readFixture reads one fixture by its path under the fixtures folder.
func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	fixtures(t, name)
	data, err := os.ReadFile(filepath.Join(fixturesDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func fixtureName(path string) string {
	rel, err := filepath.Rel(fixturesDir, path)
	if err != nil {
		return path
	}
	return filepath.ToSlash(rel)
}

// rawMap decodes a document for checks that compare against its source.
func rawMap(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("fixture is not a JSON object: %v", err)
	}
	return m
}

// activitiesWithoutID are fixtures that are not valid inbox activities;
// ParseActivity must refuse them with the named error.
var activitiesWithoutID = map[string]error{
	// GoToSocial's serializer test of a Delete, before an id is assigned.
	"activitypub/gotosocial/delete-public.json": ErrNoID,
}

// TestParseEveryActivityPubFixture parses every ActivityPub document with
// the parser its kind calls for and checks that the result is usable.
func TestParseEveryActivityPubFixture(t *testing.T) {
	for _, path := range fixtures(t, "activitypub/*/*.json") {
		name := fixtureName(path)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			// Mastodon's instance actor is a template; the server fills in
			// its domain, which is also the actor's username.
			data = bytes.ReplaceAll(data, []byte("{{DOMAIN}}"), []byte("mastodon.example"))
			raw := rawMap(t, data)
			kind, err := KindOf(data)
			if err != nil {
				t.Fatalf("KindOf: %v", err)
			}
			switch kind {
			case KindActor:
				checkActorFixture(t, data, raw)
			case KindObject:
				checkObjectFixture(t, data, raw)
			case KindActivity:
				checkActivityFixture(t, name, data, raw)
			case KindCollection:
				checkCollectionFixture(t, data, raw)
			default:
				t.Fatalf("KindOf = %v", kind)
			}
		})
	}
}

func checkActorFixture(t *testing.T, data []byte, raw map[string]any) {
	a, err := ParseActor(data)
	if err != nil {
		t.Fatalf("ParseActor: %v", err)
	}
	if a.ID != raw["id"] || !IsActorType(a.Type) {
		t.Errorf("id/type = %q/%q", a.ID, a.Type)
	}
	if a.Name == "" && a.PreferredUsername == "" {
		t.Error("neither name nor preferredUsername")
	}
	if _, ok := raw["inbox"]; ok && a.Inbox == "" {
		t.Error("inbox not read")
	}
	if _, ok := raw["inbox"]; !ok && a.PublicKeyPEM == "" {
		t.Error("an actor without inbox must at least carry a key")
	}
	if pk, ok := raw["publicKey"].(map[string]any); ok {
		if a.PublicKeyPEM != pk["publicKeyPem"] || a.PublicKeyID != pk["id"] || a.PublicKeyOwner != pk["owner"] {
			t.Errorf("public key = %q %q, want %v %v", a.PublicKeyID, a.PublicKeyOwner, pk["id"], pk["owner"])
		}
		if !strings.Contains(a.PublicKeyPEM, "PUBLIC KEY-----") {
			t.Errorf("PEM = %q", a.PublicKeyPEM)
		}
	}
	if _, ok := raw["icon"]; ok && !strings.HasPrefix(a.IconURL, "http") {
		t.Errorf("icon = %q", a.IconURL)
	}
	if ep, ok := raw["endpoints"].(map[string]any); ok && ep["sharedInbox"] != nil && a.SharedInbox != ep["sharedInbox"] {
		t.Errorf("sharedInbox = %q, want %v", a.SharedInbox, ep["sharedInbox"])
	}
	// The Mastodon template actor's id holds a {{DOMAIN}} placeholder,
	// which has no host to build a handle from.
	if a.Host() != "" && !strings.Contains(a.Handle(), "@") {
		t.Errorf("handle = %q", a.Handle())
	}
	assertSafe(t, a.SummaryHTML)
	for _, f := range a.Fields {
		assertSafe(t, f.ValueHTML)
	}
}

func checkObjectFixture(t *testing.T, data []byte, raw map[string]any) {
	o, err := ParseObject(data)
	if err != nil {
		t.Fatalf("ParseObject: %v", err)
	}
	if o.ID != raw["id"] || o.Type == "" {
		t.Errorf("id/type = %q/%q", o.ID, o.Type)
	}
	if o.AttributedTo == "" {
		t.Error("no author")
	}
	if raw["content"] != nil && raw["content"] != "" && o.ContentHTML == "" {
		t.Error("content lost")
	}
	if s, _ := raw["summary"].(string); s != "" && o.SummaryText == "" && !hashtagsOnly(PlainText(s)) &&
		!strings.Contains(PlainText(o.ContentHTML), strings.TrimSpace(PlainText(s))) {
		t.Error("summary lost")
	}
	if b, _ := raw["sensitive"].(bool); b != o.Sensitive {
		t.Errorf("sensitive = %v", o.Sensitive)
	}
	want := countMedia(raw["attachment"])
	if _, own := ownMedia(node(raw)); own && mediaTypes[o.Type] {
		want++ // an Audio's, Video's or Image's own file
	}
	if len(o.Attachments) != want {
		t.Errorf("%d attachments, want %d", len(o.Attachments), want)
	}
	for _, a := range o.Attachments {
		if !strings.HasPrefix(a.URL, "http") {
			t.Errorf("attachment url %q", a.URL)
		}
	}
	for _, tag := range o.Tags {
		if tag.Name == "" && tag.Href == "" {
			t.Errorf("empty tag %+v", tag)
		}
	}
	assertSafe(t, o.ContentHTML)
}

// countMedia counts the attachments that are media or links rather than
// PropertyValues.
func countMedia(v any) int {
	n := 0
	for _, e := range list(v) {
		if m, ok := e.(map[string]any); ok && m["type"] != TypePropertyValue && (m["url"] != nil || m["href"] != nil) {
			n++
		}
	}
	return n
}

func checkActivityFixture(t *testing.T, name string, data []byte, raw map[string]any) {
	a, err := ParseActivity(data)
	if want, ok := activitiesWithoutID[name]; ok {
		if !errors.Is(err, want) {
			t.Fatalf("ParseActivity error = %v, want %v", err, want)
		}
		return
	}
	if err != nil {
		t.Fatalf("ParseActivity: %v", err)
	}
	if a.ID != raw["id"] || a.Type != raw["type"] || a.Actor == "" {
		t.Errorf("id/type/actor = %q/%q/%q", a.ID, a.Type, a.Actor)
	}
	if raw["object"] != nil && a.ObjectID == "" {
		t.Error("object id not read")
	}
	if m, ok := raw["object"].(map[string]any); ok {
		if a.Object == nil && a.Inner == nil && a.ObjectActor == nil {
			t.Errorf("embedded %v not mapped", m["type"])
		}
	}
	if a.Raw["id"] != raw["id"] {
		t.Error("Raw does not hold the document")
	}
	if a.Object != nil {
		assertSafe(t, a.Object.ContentHTML)
	}
}

func checkCollectionFixture(t *testing.T, data []byte, raw map[string]any) {
	c, err := ParseCollection(data)
	if err != nil {
		t.Fatalf("ParseCollection: %v", err)
	}
	if c.ID != raw["id"] || c.Type != raw["type"] {
		t.Errorf("id/type = %q/%q", c.ID, c.Type)
	}
	items := list(raw["orderedItems"])
	if len(items) == 0 {
		items = list(raw["items"])
	}
	if len(items) > 0 && (len(c.Items) != len(items) || len(c.ItemIDs) != len(items)) {
		t.Errorf("%d items / %d ids, want %d", len(c.Items), len(c.ItemIDs), len(items))
	}
	if len(items) == 0 && c.First == "" {
		t.Error("an empty collection should link its first page")
	}
}

// assertSafe fails when sanitized HTML still holds anything executable.
func assertSafe(t *testing.T, h string) {
	t.Helper()
	lower := strings.ToLower(h)
	for _, bad := range []string{"<script", "<style", "<iframe", "<img", "<form", "javascript:", " on", "data:"} {
		if bad == " on" {
			if strings.Contains(lower, " onerror") || strings.Contains(lower, " onclick") || strings.Contains(lower, " onload") {
				t.Errorf("event handler left in %q", h)
			}
			continue
		}
		if strings.Contains(lower, bad) {
			t.Errorf("%q left in %q", bad, h)
		}
	}
}

func TestParseEveryWebFingerFixture(t *testing.T) {
	for _, path := range fixtures(t, "webfinger/*") {
		name := fixtureName(path)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(path, ".xml") {
				tmpl, err := ParseHostMeta(data)
				if err != nil {
					t.Fatalf("ParseHostMeta: %v", err)
				}
				if !strings.HasPrefix(tmpl, "https://") || !strings.Contains(tmpl, "{uri}") {
					t.Errorf("template = %q", tmpl)
				}
				return
			}
			j, err := ParseJRD(data)
			if err != nil {
				t.Fatalf("ParseJRD: %v", err)
			}
			if !strings.HasPrefix(j.Subject, "acct:") {
				t.Errorf("subject = %q", j.Subject)
			}
			if !strings.HasPrefix(j.Self(), "http") {
				t.Errorf("self = %q", j.Self())
			}
		})
	}
}

func TestParseEveryNodeInfoFixture(t *testing.T) {
	for _, path := range fixtures(t, "nodeinfo/*.json") {
		name := fixtureName(path)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(name, "well-known") {
				links, err := ParseNodeInfoLinks(data)
				if err != nil {
					t.Fatalf("ParseNodeInfoLinks: %v", err)
				}
				if len(links) == 0 || !strings.HasPrefix(links[0].Href, "https://") {
					t.Errorf("links = %+v", links)
				}
				return
			}
			ni, err := ParseNodeInfo(data)
			if err != nil {
				t.Fatalf("ParseNodeInfo: %v", err)
			}
			if ni.Software.Name == "" || !strings.HasPrefix(ni.Version, "2.") {
				t.Errorf("nodeinfo = %+v", ni)
			}
			if len(ni.Protocols) == 0 || ni.Protocols[0] != "activitypub" {
				t.Errorf("protocols = %v", ni.Protocols)
			}
		})
	}
}
