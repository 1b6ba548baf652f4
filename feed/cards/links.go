package cards

import (
	"net/url"
	"path"
	"strings"

	"golang.org/x/net/html"
)

// mediaExtensions are the endings of links to files a card would not
// describe: the post links to a picture, a sound or a film, not a page.
var mediaExtensions = map[string]bool{
	".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".webp": true, ".avif": true, ".svg": true,
	".heic": true, ".bmp": true, ".tif": true, ".tiff": true,
	".mp4": true, ".webm": true, ".mov": true, ".m4v": true, ".mkv": true, ".avi": true,
	".mp3": true, ".ogg": true, ".oga": true, ".opus": true, ".wav": true, ".flac": true, ".m4a": true,
	".pdf": true, ".zip": true,
}

// skippedClasses mark the links Mastodon-style servers (roost too) render
// for mentions and hashtags. rel="tag" would say so as well, but the
// sanitizer rewrites rel, so the class is what survives.
var skippedClasses = []string{"mention", "hashtag", "u-url", "h-card"}

// FirstLink is the link a post's card is about, as Mastodon picks it: the
// first http(s) link of the content that is not a mention, a hashtag, a
// link to a media file, a link back to the site (siteOrigin), or one of
// skip (the post's mention and attachment URLs). It returns "" when
// there is none.
func FirstLink(contentHTML, siteOrigin string, skip ...string) string {
	if !strings.Contains(contentHTML, "<a") {
		return ""
	}
	z := html.NewTokenizer(strings.NewReader(contentHTML))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken:
			name, hasAttr := z.TagName()
			if string(name) != "a" || !hasAttr {
				continue
			}
			href, class := anchorAttrs(z)
			if u := previewable(href, class, siteOrigin, skip); u != "" {
				return u
			}
		}
	}
}

func anchorAttrs(z *html.Tokenizer) (href, class string) {
	for {
		k, v, more := z.TagAttr()
		switch string(k) {
		case "href":
			href = string(v)
		case "class":
			class = string(v)
		}
		if !more {
			return href, class
		}
	}
}

// previewable returns href, cleaned, when a card may be made for it.
func previewable(href, class, siteOrigin string, skip []string) string {
	for _, c := range strings.Fields(class) {
		for _, s := range skippedClasses {
			if c == s {
				return ""
			}
		}
	}
	for _, s := range skip {
		if s != "" && href == s {
			return ""
		}
	}
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return ""
	}
	if siteOrigin != "" && strings.EqualFold(u.Scheme+"://"+u.Host, strings.TrimSuffix(siteOrigin, "/")) {
		return ""
	}
	if mediaExtensions[strings.ToLower(path.Ext(u.Path))] {
		return ""
	}
	u.Fragment = ""
	return u.String()
}
