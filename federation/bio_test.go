package federation

import (
	"context"
	"testing"

	"roost/federation/vocab"
)

// TestBioWithoutRenderer: with no Markdown renderer plugged in, the bio
// still reaches peers, escaped in one paragraph.
func TestBioWithoutRenderer(t *testing.T) {
	s := newTestSite(t, newTestNet(), func(c *Config) { c.RenderBio = nil })
	pr, err := s.cfg.Profiles.Get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	pr.Bio = "Writes about *rabbits* <script>"
	if err := s.cfg.Profiles.Save(context.Background(), pr); err != nil {
		t.Fatal(err)
	}
	a, err := vocab.ParseActor(s.get(t, "/actor", vocab.ContentTypeActivity).Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if want := "<p>Writes about *rabbits* &lt;script&gt;</p>"; a.SummaryHTML != want {
		t.Errorf("summary %q, want %q", a.SummaryHTML, want)
	}
}
