package vocab

import (
	"fmt"
	"html"
	"strings"
	"time"
)

// Object is a piece of content: a Note, Article, Page, Question, Video,
// Event, Tombstone or any other non-actor, non-activity document.
type Object struct {
	ID, Type, AttributedTo, Name string
	ContentHTML                  string // sanitized
	// SummaryText is the content warning of a note, or the summary of an
	// article, as plain text.
	SummaryText string
	URL         string // the human-readable page, when the server names one
	InReplyTo   string

	Sensitive          bool
	Published, Updated time.Time
	To, Cc             []string
	Tags               []Tag
	Attachments        []Attachment

	// QuoteOf is the quoted post: FEP-044f "quote", Fedibird's "quoteURL",
	// Akkoma's "quoteUri" or Misskey's "_misskey_quote".
	QuoteOf string
	// QuoteAuthorization is the stamp the quoted author gave the quote
	// (FEP-044f), its IRI; QuotePolicy who may quote this object, from
	// interactionPolicy.canQuote (QuotePolicyUnknown without one).
	QuoteAuthorization, QuotePolicy string

	// Options, MultipleChoice, EndTime and VotersCount (Mastodon's
	// toot:votersCount, 0 when absent) describe a Question (a poll).
	Options        []PollOption
	MultipleChoice bool
	EndTime        time.Time
	VotersCount    int
	// Closed is when the poll was closed (Mastodon's closed, sent in the
	// Update that ends a poll); zero while it is open.
	Closed time.Time

	RepliesID string
}

// Attachment is a media file or link attached to an object.
type Attachment struct {
	URL, MediaType string
	Name           string // the alt text
	Blurhash       string
	Width, Height  int
	Type           string // Document, Image, Video, Audio or Link
}

// Tag is a hashtag, a mention or a custom emoji.
type Tag struct {
	Type    string // Hashtag, Mention or Emoji
	Name    string // "#tag", "@user@host" or ":shortcode:"
	Href    string
	IconURL string // the image of an Emoji
}

// PollOption is one choice of a Question with its vote count.
type PollOption struct {
	Name  string
	Votes int
}

// ParseObject reads a content object. Unknown types are kept as they are;
// only a missing id or type is an error.
func ParseObject(data []byte) (*Object, error) {
	n, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("vocab: parse object: %w", err)
	}
	o := objectFrom(n)
	if o.ID == "" {
		return nil, fmt.Errorf("vocab: parse object: %w", ErrNoID)
	}
	if o.Type == "" {
		return nil, fmt.Errorf("vocab: parse object %s: %w", o.ID, ErrNoType)
	}
	return o, nil
}

func objectFrom(n node) *Object {
	o := &Object{
		ID:                 n.str("id"),
		Type:               n.typ(),
		AttributedTo:       attributedTo(n),
		Name:               plainText(n.text("name"), maxNameChars, false),
		ContentHTML:        contentHTML(n),
		SummaryText:        plainText(PlainText(clipBytes(n.text("summary"), maxContentBytes)), maxSummaryChars, true),
		URL:                WebURL(linkOf(n["url"])),
		InReplyTo:          n.id("inReplyTo"),
		Sensitive:          n.bool("sensitive"),
		Published:          n.time("published"),
		Updated:            n.time("updated"),
		To:                 recipients(n.ids("to")),
		Cc:                 recipients(n.ids("cc")),
		Tags:               tags(n),
		Attachments:        attachments(n),
		QuoteOf:            quoteOf(n),
		QuoteAuthorization: n.id("quoteAuthorization"),
		EndTime:            n.time("endTime"),
		RepliesID:          n.id("replies"),
	}
	o.QuotePolicy = quotePolicyOf(n, o.AttributedTo)
	if hashtagsOnly(o.SummaryText) {
		// Funkwhale writes a track's tags into summary; they warn of
		// nothing.
		o.SummaryText = ""
	}
	if IsConvertedType(o.Type) {
		convertedParts(o, n)
	}
	if o.Type == TypeQuestion {
		o.Options, o.MultipleChoice = pollOptions(n)
		o.VotersCount = n.int("votersCount")
		o.Closed = n.time("closed")
		if o.EndTime.IsZero() {
			o.EndTime = o.Closed
		}
	}
	return o
}

// attributedTo finds the author. PeerTube attributes a video to both the
// account (a Person) and its channel (a Group); the Person is the author.
// Pleroma and Misskey sometimes only name an "actor".
func attributedTo(n node) string {
	for _, e := range list(n["attributedTo"]) {
		if m, ok := e.(map[string]any); ok && node(m).hasType(TypePerson) {
			if id := idOf(m); id != "" {
				return id
			}
		}
	}
	if id := n.id("attributedTo"); id != "" {
		return id
	}
	return n.id("actor")
}

// contentHTML sanitizes the content, cut to maxContentBytes. PeerTube
// writes its content as Markdown and says so in mediaType; that text is
// escaped and given paragraphs rather than being read as HTML.
func contentHTML(n node) string {
	content := n.text("content")
	mt := n.str("mediaType")
	if strings.HasPrefix(mt, "text/markdown") || strings.HasPrefix(mt, "text/plain") {
		return SanitizeHTML(textToHTML(clipBytes(content, maxContentBytes)))
	}
	return SanitizeHTML(clipHTML(content, maxContentBytes))
}

// textToHTML turns plain text into paragraphs and line breaks.
func textToHTML(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "\r\n", "\n")
	if s == "" {
		return ""
	}
	var b strings.Builder
	for para := range strings.SplitSeq(s, "\n\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		b.WriteString("<p>")
		b.WriteString(strings.ReplaceAll(html.EscapeString(para), "\n", "<br>"))
		b.WriteString("</p>")
	}
	return b.String()
}

// tagCaps is how many tags of each kind one object may carry.
var tagCaps = map[string]int{TypeHashtag: maxHashtags, TypeMention: maxMentions, TypeEmoji: maxEmojis}

// tags reads the hashtags, mentions and custom emoji, up to tagCaps of
// each. A hashtag or emoji whose name is not a valid name is dropped; a
// mention with an invalid name keeps its href, which is what it points at.
func tags(n node) []Tag {
	var out []Tag
	count, seen := map[string]int{}, map[string]bool{}
	for _, t := range list(n["tag"]) {
		m, ok := t.(map[string]any)
		if !ok {
			continue
		}
		tag, ok := tagFrom(node(m))
		if !ok || count[tag.Type] == tagCaps[tag.Type] {
			continue
		}
		if tag.Type == TypeHashtag {
			key := strings.ToLower(strings.TrimPrefix(tag.Name, "#"))
			if seen[key] {
				continue // the same hashtag listed twice
			}
			seen[key] = true
		}
		count[tag.Type]++
		out = append(out, tag)
	}
	return out
}

func tagFrom(t node) (Tag, bool) {
	typ := t.typ()
	if tagCaps[typ] == 0 {
		// Lemmy's CommunityPostTag, PeerTube's Infohash and the like
		// carry nothing roost shows.
		return Tag{}, false
	}
	tag := Tag{Type: typ, Name: strings.TrimSpace(t.str("name")), Href: WebURL(linkOf(t["href"]))}
	switch typ {
	case TypeHashtag:
		if !validHashtag(strings.TrimPrefix(tag.Name, "#")) {
			return Tag{}, false
		}
	case TypeMention:
		if !validMention(tag.Name) {
			tag.Name = ""
		}
	case TypeEmoji:
		if !validEmoji(tag.Name) {
			return Tag{}, false
		}
		tag.IconURL = WebURL(imageURL(t["icon"]))
		if tag.Href == "" {
			tag.Href = t.str("id")
		}
	}
	return tag, tag.Name != "" || tag.Href != ""
}

// attachments reads up to maxAttachments media.
func attachments(n node) []Attachment {
	var out []Attachment
	for _, a := range n.nodes("attachment") {
		if len(out) == maxAttachments {
			break
		}
		typ := a.typ()
		if typ == TypePropertyValue {
			continue
		}
		u := WebURL(linkOf(a["url"]))
		if u == "" {
			u = WebURL(linkOf(a["href"]))
		}
		if u == "" {
			continue
		}
		name := plainText(a.text("name"), maxAltTextChars, true)
		if name == "" {
			// Some servers write the alt text as the attachment's content.
			name = plainText(PlainText(clipBytes(a.text("content"), maxContentBytes)), maxAltTextChars, true)
		}
		if name == "" {
			// Older GoToSocial versions put the alt text in summary.
			name = plainText(a.text("summary"), maxAltTextChars, true)
		}
		blurhash := a.str("blurhash")
		if len(blurhash) > maxBlurhashBytes {
			blurhash = ""
		}
		out = append(out, Attachment{
			URL:       u,
			MediaType: mediaTypeOf(a),
			Name:      name,
			Blurhash:  blurhash,
			Width:     a.int("width"),
			Height:    a.int("height"),
			Type:      typ,
		})
	}
	return out
}

// quoteKeys are the properties that name a quoted post, the standard one
// first.
var quoteKeys = []string{"quote", "quoteUri", "quoteURL", "quoteUrl", "_misskey_quote"}

// quoteOf finds the quoted post. Only a web URL counts: BookWyrm's
// Quotation carries the quoted passage as text in "quote", which names no
// post.
func quoteOf(n node) string {
	for _, k := range quoteKeys {
		if s := n.id(k); s != "" && WebURL(s) == s {
			return s
		}
	}
	return ""
}

// pollOptions reads oneOf (single choice) or anyOf (multiple choice). Each
// option is a Note whose replies collection counts its votes.
func pollOptions(n node) ([]PollOption, bool) {
	choices, multiple := n.nodes("oneOf"), false
	if len(choices) == 0 {
		choices, multiple = n.nodes("anyOf"), true
	}
	var out []PollOption
	for _, c := range choices {
		if len(out) == maxPollOptions {
			break
		}
		name := plainText(c.text("name"), maxPollOptionChars, false)
		if name == "" {
			continue
		}
		votes := 0
		if r := c.child("replies"); r != nil {
			votes = r.int("totalItems")
		}
		out = append(out, PollOption{Name: name, Votes: votes})
	}
	return out, multiple && len(out) > 0
}
