package cards

import (
	"encoding/json"
	"net/url"
	"testing"
)

func TestParsePageFallsBackToTwitterAndPlainHTML(t *testing.T) {
	base, _ := url.Parse("https://blog.example/posts/1")
	body := `<html lang="PT-br"><head><title>  The   title </title>
		<meta name="twitter:description" content="From the Twitter card">
		<meta name="twitter:image" content="../img/a.png">
		<meta property="og:url" content="https://blog.example/p/1">
		<meta property="og:image:width" content="not a number">
		<link rel="alternate" type="application/rss+xml" href="/feed">
		</head><body></body></html>`
	p, err := parsePage([]byte(body), "text/html", base)
	if err != nil {
		t.Fatal(err)
	}
	c := p.card
	want := Card{URL: "https://blog.example/p/1", Title: "The title", Description: "From the Twitter card", Type: TypeLink,
		Image: "https://blog.example/img/a.png", Language: "pt"}
	if c != want {
		t.Errorf("card = %+v\nwant   %+v", c, want)
	}
	if p.oEmbed != "" {
		t.Errorf("oEmbed link %q from a feed link", p.oEmbed)
	}
}

func TestParsePageRefusesScriptImagesAndForeignCanonicals(t *testing.T) {
	base, _ := url.Parse("https://blog.example/")
	body := `<meta property="og:title" content="T"><meta property="og:image" content="javascript:alert(1)">
		<meta property="og:url" content="https://bank.example/login">`
	p, err := parsePage([]byte(body), "text/html; charset=utf-8", base)
	if err != nil {
		t.Fatal(err)
	}
	if p.card.Image != "" {
		t.Errorf("image %q", p.card.Image)
	}
	if p.card.URL != "https://blog.example/" {
		t.Errorf("the card links to %q, not the page", p.card.URL)
	}
}

func TestOEmbedPlayerIsRebuilt(t *testing.T) {
	base, _ := url.Parse("https://video.example/")
	page := Card{URL: "https://video.example/v/1", Title: "Page title", Type: TypeLink}
	for _, tc := range []struct {
		name, html, wantType, wantHTML string
	}{
		{"iframe kept, rest dropped", `<div onclick="x()"><iframe src="https://video.example/embed/1" allow="autoplay" onload="x()"></iframe><script>x()</script></div>`,
			TypeVideo, `<iframe src="https://video.example/embed/1" width="640" height="360" frameborder="0" allowfullscreen="true"></iframe>`},
		{"plain http player", `<iframe src="http://video.example/embed/1"></iframe>`, TypeLink, ""},
		{"script url", `<iframe src="javascript:alert(1)"></iframe>`, TypeLink, ""},
		{"no iframe", `<script src="https://video.example/player.js"></script>`, TypeLink, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := parseOEmbed([]byte(`{"type":"video","title":"Video","width":"640","height":360,"html":` + jsonString(tc.html) + `}`))
			if err != nil {
				t.Fatal(err)
			}
			c := mergeOEmbed(page, o, base)
			if c.Type != tc.wantType || c.HTML != tc.wantHTML {
				t.Errorf("type %q html %q, want %q %q", c.Type, c.HTML, tc.wantType, tc.wantHTML)
			}
			if c.Title != "Video" {
				t.Errorf("title %q", c.Title)
			}
		})
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
