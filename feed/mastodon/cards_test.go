package mastodon

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"roost/feed/cards"
)

// knownCards is a card store that knows some cards already.
type knownCards map[string]cards.Card

func (k knownCards) Link(contentHTML string, skip ...string) string {
	return cards.FirstLink(contentHTML, testBase, skip...)
}

func (k knownCards) Lookup(_ context.Context, urls []string) (map[string]cards.Card, error) {
	out := map[string]cards.Card{}
	for _, u := range urls {
		if c, ok := k[u]; ok {
			out[u] = c
		}
	}
	return out, nil
}

// A status whose first link has a card carries it as Mastodon's
// PreviewCard, valid by the schema, its image through the media proxy;
// a link card with no picture nor player is valid too, and a status
// whose link has no card keeps card null.
func TestStatusCardMatchesSchema(t *testing.T) {
	c := loadSchemas(t)
	ta := newTestAPI(t, true)
	ta.api.cfg.ProxyMedia = func(u string) string { return testBase + "/media/proxy/x/" + u }
	ta.api.cfg.Cards = knownCards{
		"https://news.example/story": {URL: "https://news.example/story", Title: "Story", Description: "What happened",
			Type: cards.TypeVideo, ProviderName: "News", ProviderURL: "https://news.example/", AuthorName: "Ann",
			AuthorURL: "https://news.example/ann", Image: "https://news.example/pic.png", ImageDescription: "A square",
			Width: 640, Height: 360, Language: "en", Blurhash: "LEHV6nWB2yk8pyo0adR*.7kCMdnj", PublishedAt: time.Date(2024, 4, 30, 8, 0, 0, 0, time.UTC),
			HTML: `<iframe src="https://news.example/embed/1" width="640" height="360" frameborder="0" allowfullscreen="true"></iframe>`},
		"https://plain.example/": {URL: "https://plain.example/", Title: "Plain", Type: cards.TypeLink},
	}
	for _, tc := range []struct {
		text, wantURL string
	}{
		{"@bob@bob.test #news see https://news.example/story and https://plain.example/", "https://news.example/story"},
		{"just https://plain.example/", "https://plain.example/"},
		{"no card for https://unknown.example/", ""},
	} {
		st := ta.post(t, tc.text)
		raw, _ := json.Marshal(st)
		validate(t, c, "Status", raw)
		card, _ := st["card"].(map[string]any)
		if tc.wantURL == "" {
			if st["card"] != nil {
				t.Errorf("%q: card %v, want null", tc.text, st["card"])
			}
			continue
		}
		if card == nil || card["url"] != tc.wantURL {
			t.Fatalf("%q: card %v, want one for %s", tc.text, st["card"], tc.wantURL)
		}
		rawCard, _ := json.Marshal(card)
		validate(t, c, "PreviewCard", rawCard)
		if tc.wantURL == "https://news.example/story" {
			if card["image"] != testBase+"/media/proxy/x/https://news.example/pic.png" {
				t.Errorf("image %v is not proxied", card["image"])
			}
			authors, _ := card["authors"].([]any)
			if len(authors) != 1 {
				t.Errorf("authors %v", card["authors"])
			}
		}
	}
}
