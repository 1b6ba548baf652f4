package vocab

import (
	"html"
	"strings"
)

// convertedParts completes an object that is not a note, poll or article
// (Audio, Video, Image, Event, BookWyrm's statuses...) so it reads as a
// post: a video or event without content gives its summary as the text,
// a BookWyrm Quotation's passage comes before the comment, and the media
// given as the object's own url become attachments.
func convertedParts(o *Object, n node) {
	if passage, ok := n["quote"].(string); ok && !(WebURL(strings.TrimSpace(passage)) != "") {
		if q := SanitizeHTML(clipHTML(passage, maxContentBytes)); strings.TrimSpace(PlainText(q)) != "" {
			o.ContentHTML = "<blockquote>" + q + "</blockquote>" + o.ContentHTML
		}
	}
	if strings.TrimSpace(PlainText(o.ContentHTML)) == "" && o.SummaryText != "" {
		o.ContentHTML = SanitizeHTML(textToHTML(o.SummaryText))
		o.SummaryText = ""
	}
	if mediaTypes[o.Type] && len(o.Attachments) < maxAttachments {
		if a, ok := ownMedia(n); ok && !hasAttachment(o.Attachments, a.URL) {
			a.Name = o.Name
			o.Attachments = append(o.Attachments, a)
		}
	}
}

// ownMedia finds the playable file among an Audio's, Video's or Image's
// url links: the first with an audio, video or image media type, looking
// into PeerTube's streaming playlists too. A bare URL on an Image is the
// image.
func ownMedia(n node) (Attachment, bool) {
	var find func(v any, depth int) (Attachment, bool)
	find = func(v any, depth int) (Attachment, bool) {
		for _, e := range list(v) {
			switch x := e.(type) {
			case string:
				if n.typ() == TypeImage && WebURL(x) != "" {
					return Attachment{URL: WebURL(x), Type: TypeImage}, true
				}
			case map[string]any:
				l := node(x)
				href := WebURL(l.str("href"))
				if href == "" {
					href = WebURL(linkOf(l["url"]))
				}
				if kind := mediaKind(mediaTypeOf(l)); kind != "" && href != "" {
					return Attachment{URL: href, MediaType: mediaTypeOf(l), Type: kind,
						Width: l.int("width"), Height: l.int("height")}, true
				}
				if depth == 0 {
					if a, ok := find(l["tag"], 1); ok {
						return a, true
					}
				}
			}
		}
		return Attachment{}, false
	}
	return find(n["url"], 0)
}

// mediaKind maps a media type to the attachment type that plays it.
func mediaKind(mt string) string {
	switch {
	case strings.HasPrefix(mt, "audio/"):
		return TypeAudio
	case strings.HasPrefix(mt, "video/"):
		return TypeVideo
	case strings.HasPrefix(mt, "image/"):
		return TypeImage
	}
	return ""
}

func hasAttachment(as []Attachment, u string) bool {
	for _, a := range as {
		if a.URL == u {
			return true
		}
	}
	return false
}

// hashtagsOnly reports whether a plain text is nothing but hashtags.
func hashtagsOnly(s string) bool {
	words := strings.Fields(s)
	if len(words) == 0 {
		return false
	}
	for _, w := range words {
		if len(w) < 2 || w[0] != '#' || !validHashtag(strings.TrimRight(w[1:], ",")) {
			return false
		}
	}
	return true
}

// ConvertedHTML is how Mastodon shows an object that is not a note: its
// name in bold as a title, its text, then a link to the original.
func ConvertedHTML(name, content, link string) string {
	var b strings.Builder
	if name = strings.TrimSpace(name); name != "" {
		b.WriteString("<p><strong>" + html.EscapeString(name) + "</strong></p>")
	}
	b.WriteString(content)
	if link != "" {
		e := html.EscapeString(link)
		b.WriteString(`<p><a href="` + e + `" rel="nofollow noopener" target="_blank">` + e + `</a></p>`)
	}
	return b.String()
}
