package federation

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"encoding/xml"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"roost/federation/integrity"
	"roost/federation/vocab"
)

var update = flag.Bool("update", false, "rewrite golden files")

func fixedClock() time.Time { return time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC) }

func TestActorDocumentGolden(t *testing.T) {
	s := newTestSite(t, newTestNet(), func(c *Config) { c.Now = fixedClock })
	pr, err := s.cfg.Profiles.Get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	pr.Username = "alice"
	pr.Name = "Alice Liddell"
	pr.Bio = "Writes about *rabbits*.\n\n<script>alert(1)</script>"
	pr.AvatarURL = "http://alice.test/media/avatar.png"
	pr.HeaderURL = "http://alice.test/media/header.jpg"
	pr.Fields = []ProfileField{{Name: "Site", Value: "https://alice.test/"}, {Name: "Pronouns", Value: "she/<her>"}}
	pr.AlsoKnownAs = []string{"https://old.example/users/alice"}
	if err := s.cfg.Profiles.Save(context.Background(), pr); err != nil {
		t.Fatal(err)
	}

	for _, target := range []string{"/actor"} {
		w := s.get(t, target, vocab.ContentTypeActivity)
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", target, w.Code)
		}
		if ct := w.Header().Get("Content-Type"); ct != vocab.ContentTypeActivity {
			t.Errorf("content type %q", ct)
		}
		if w.Header().Get("Vary") != "Accept" {
			t.Errorf("Vary = %q", w.Header().Get("Vary"))
		}
		pub, err := s.ownerPublicKey(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		got := normalizeActor(t, w.Body.Bytes(), pub)
		got = bytes.Replace(got, []byte(integrity.EncodePublicKey(proofKeyOf(t, s).Public().(ed25519.PublicKey))), []byte("ED25519 MULTIKEY"), 1)
		golden := filepath.Join("testdata", "actor.golden.json")
		if *update {
			os.MkdirAll("testdata", 0o755)
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update to create)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("actor document differs from %s:\n%s", golden, got)
		}
	}

	// What peers read back must be what the owner set.
	w := s.get(t, "/actor", vocab.ContentTypeLD)
	a, err := vocab.ParseActor(w.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct{ name, got, want string }{
		{"id", a.ID, "http://alice.test/actor"},
		{"preferredUsername", a.PreferredUsername, "alice"},
		{"inbox", a.Inbox, "http://alice.test/actor/inbox"},
		{"sharedInbox", a.SharedInbox, "http://alice.test/inbox"},
		{"featured", a.Featured, "http://alice.test/actor/featured"},
		{"key id", a.PublicKeyID, "http://alice.test/actor#main-key"},
		{"webfinger", a.Webfinger, "alice@alice.test"},
		{"icon", a.IconURL, "http://alice.test/media/avatar.png"},
		{"url", a.URL, "http://alice.test/"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if strings.Contains(a.SummaryHTML, "<script") || !strings.Contains(a.SummaryHTML, "<em>rabbits</em>") {
		t.Errorf("summary = %q", a.SummaryHTML)
	}
	// rel="me" is what Mastodon looks for to verify a link field.
	if len(a.Fields) != 2 || !strings.Contains(w.Body.String(), `rel=\"me `) {
		t.Errorf("fields = %+v", a.Fields)
	}
	if !a.Discoverable || !a.Indexable || a.ManuallyApprovesFollowers {
		t.Errorf("flags: discoverable %v indexable %v manual %v", a.Discoverable, a.Indexable, a.ManuallyApprovesFollowers)
	}
}

// normalizeActor replaces the per-run key and indents the document.
func normalizeActor(t *testing.T, doc []byte, pem string) []byte {
	t.Helper()
	escaped, _ := json.Marshal(pem)
	doc = bytes.Replace(doc, escaped[1:len(escaped)-1], []byte("PUBLIC KEY PEM"), 1)
	var out bytes.Buffer
	if err := json.Indent(&out, doc, "", "  "); err != nil {
		t.Fatal(err)
	}
	out.WriteByte('\n')
	return out.Bytes()
}

func TestActorPathRedirectsBrowsers(t *testing.T) {
	s := newTestSite(t, newTestNet())
	w := s.get(t, "/actor", "text/html,application/xhtml+xml")
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "http://alice.test/" {
		t.Errorf("browser GET /actor: %d %q", w.Code, w.Header().Get("Location"))
	}
}

func TestWantsActivityJSON(t *testing.T) {
	tests := []struct {
		accept string
		want   bool
	}{
		{"application/activity+json", true},
		{`application/ld+json; profile="https://www.w3.org/ns/activitystreams"`, true},
		{"application/ld+json", true},
		{"text/html, application/activity+json;q=0.9", true},
		{"text/html", false},
		{"", false},
		{"application/json", false},
	}
	for _, tt := range tests {
		r, _ := http.NewRequest(http.MethodGet, "http://alice.test/", nil)
		r.Header.Set("Accept", tt.accept)
		if got := WantsActivityJSON(r); got != tt.want {
			t.Errorf("WantsActivityJSON(%q) = %v", tt.accept, got)
		}
	}
}

func TestWebFinger(t *testing.T) {
	s := newTestSite(t, newTestNet())
	pr, _ := s.cfg.Profiles.Get(context.Background())
	pr.Username = "al"
	s.cfg.Profiles.Save(context.Background(), pr)

	tests := []struct {
		resource string
		status   int
	}{
		{"acct:al@alice.test", 200},
		{"acct:alice.test@alice.test", 200},
		{"al@alice.test", 200},
		{"@al@alice.test", 200},
		{"acct:AL@Alice.Test", 200},
		{"http://alice.test", 200},
		{"http://alice.test/", 200},
		{"https://alice.test/", 200},
		{"http://alice.test/actor", 200},
		{"acct:bob@alice.test", 404},
		{"acct:al@other.test", 404},
		{"http://other.test/", 404},
		{"http://alice.test/notes/1", 404},
		{"nonsense", 404},
		{"", 400},
	}
	for _, tt := range tests {
		w := s.get(t, "/.well-known/webfinger?resource="+urlQueryEscape(tt.resource), "")
		if w.Code != tt.status {
			t.Errorf("resource %q: status %d, want %d", tt.resource, w.Code, tt.status)
			continue
		}
		if w.Header().Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("resource %q: no CORS header", tt.resource)
		}
		if tt.status != 200 {
			var e map[string]string
			if json.Unmarshal(w.Body.Bytes(), &e) != nil || e["error"] == "" {
				t.Errorf("resource %q: error body %q", tt.resource, w.Body.String())
			}
			continue
		}
		jrd, err := vocab.ParseJRD(w.Body.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if jrd.Subject != "acct:al@alice.test" || jrd.Self() != "http://alice.test/actor" {
			t.Errorf("resource %q: subject %q self %q", tt.resource, jrd.Subject, jrd.Self())
		}
		rels := map[string]bool{}
		for _, l := range jrd.Links {
			rels[l.Rel] = true
		}
		if !rels[vocab.RelProfilePage] || !rels[vocab.RelSubscribe] {
			t.Errorf("resource %q: links %+v", tt.resource, jrd.Links)
		}
	}
}

func urlQueryEscape(s string) string {
	r := strings.NewReplacer("@", "%40", ":", "%3A", "/", "%2F")
	return r.Replace(s)
}

func TestHostMeta(t *testing.T) {
	s := newTestSite(t, newTestNet())
	w := s.get(t, "/.well-known/host-meta", "")
	tmpl, err := vocab.ParseHostMeta(w.Body.Bytes())
	if err != nil || tmpl != "http://alice.test/.well-known/webfinger?resource={uri}" {
		t.Errorf("host-meta template %q, %v", tmpl, err)
	}
	var x struct{ XMLName xml.Name }
	if xml.Unmarshal(w.Body.Bytes(), &x); x.XMLName.Local != "XRD" {
		t.Errorf("host-meta root %q", x.XMLName.Local)
	}
	w = s.get(t, "/.well-known/host-meta.json", "")
	var doc struct{ Links []vocab.JRDLink }
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil || len(doc.Links) != 1 || doc.Links[0].Rel != "lrdd" {
		t.Errorf("host-meta.json: %s", w.Body.String())
	}
}

type fixedOutbox struct{ n int }

func (o fixedOutbox) Outbox(ctx context.Context, offset, limit int) ([]map[string]any, int, error) {
	var items []map[string]any
	for i := offset; i < min(o.n, offset+limit); i++ {
		items = append(items, map[string]any{"id": "http://alice.test/notes/" + string(rune('a'+i%26)) + "#create", "type": "Create"})
	}
	return items, o.n, nil
}

func TestNodeInfo(t *testing.T) {
	s := newTestSite(t, newTestNet(), func(c *Config) { c.Outbox = fixedOutbox{n: 42} })
	w := s.get(t, "/.well-known/nodeinfo", "")
	links, err := vocab.ParseNodeInfoLinks(w.Body.Bytes())
	if err != nil || len(links) != 2 || links[0].Href != "http://alice.test/nodeinfo/2.1" {
		t.Fatalf("nodeinfo links %+v %v", links, err)
	}
	for _, v := range []string{"2.0", "2.1"} {
		w := s.get(t, "/nodeinfo/"+v, "")
		ni, err := vocab.ParseNodeInfo(w.Body.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if ni.Version != v || ni.Software.Name != "roost" || ni.Software.Version != "1.2.3" ||
			len(ni.Protocols) != 1 || ni.Protocols[0] != "activitypub" || ni.Usage.Users.Total != 1 ||
			ni.Usage.LocalPosts != 42 || ni.OpenRegistrations {
			t.Errorf("nodeinfo %s: %+v", v, ni)
		}
	}
	if w := s.get(t, "/nodeinfo/9.9", ""); w.Code != http.StatusNotFound {
		t.Errorf("unknown version: %d", w.Code)
	}
}
