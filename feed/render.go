package feed

import (
	"context"
	"html"
	"log/slog"
	"net/url"
	"strings"
	"unicode/utf8"
)

// rendered is a note's text turned into HTML, with what was found in it.
type rendered struct {
	HTML     string
	Tags     []string // lowercase, in order of first appearance
	Mentions []Mention
}

// linkRel keeps search engines from crediting links in notes and keeps the
// opened page from reaching back into the site.
const linkRel = "nofollow noopener noreferrer"

// urlDisplayLength is how many characters of a link (after the scheme) are
// shown; the rest is hidden by CSS, as Mastodon does, so long links do not
// swamp a short note.
const urlDisplayLength = 30

// resolveFunc names a mentioned person: see Config.ResolveMention.
type resolveFunc func(ctx context.Context, handle string) (actorID, profileURL string, err error)

// renderText turns the owner's plain text into HTML at save time: every
// character is escaped, blank lines make paragraphs, single newlines make
// <br>, and links, #hashtags and resolvable @mentions become anchors. There
// is no Markdown: what was typed is what shows.
func renderText(ctx context.Context, base string, resolve resolveFunc, text string) rendered {
	r := textRenderer{ctx: ctx, base: base, resolve: resolve, seenTag: map[string]bool{}, cache: map[string]*Mention{}}
	var b strings.Builder
	for _, para := range paragraphs(text) {
		b.WriteString("<p>")
		for i, line := range para {
			if i > 0 {
				b.WriteString("<br>")
			}
			for _, t := range scanLine(line) {
				r.write(&b, t)
			}
		}
		b.WriteString("</p>")
	}
	return rendered{HTML: b.String(), Tags: r.tags, Mentions: r.mentions}
}

// paragraphs splits text into paragraphs of lines. Lines that hold only
// white space separate paragraphs.
func paragraphs(text string) [][]string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	var out [][]string
	var cur []string
	for line := range strings.SplitSeq(text, "\n") {
		if strings.TrimSpace(line) == "" {
			if cur != nil {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, strings.TrimRight(line, " \t"))
	}
	if cur != nil {
		out = append(out, cur)
	}
	return out
}

type textRenderer struct {
	ctx      context.Context
	base     string
	resolve  resolveFunc
	tags     []string
	seenTag  map[string]bool
	mentions []Mention
	cache    map[string]*Mention // handle -> resolved mention, nil when it failed
}

func (r *textRenderer) write(b *strings.Builder, t token) {
	switch t.kind {
	case tokenURL:
		writeLink(b, t.text)
	case tokenTag:
		tag := strings.ToLower(t.text)
		if !r.seenTag[tag] {
			r.seenTag[tag] = true
			r.tags = append(r.tags, tag)
		}
		b.WriteString(`<a href="`)
		b.WriteString(html.EscapeString(r.base + "/tags/" + tagPath(tag)))
		b.WriteString(`" class="mention hashtag" rel="tag">#<span>`)
		b.WriteString(html.EscapeString(t.text))
		b.WriteString(`</span></a>`)
	case tokenMention:
		m := r.mention("@" + t.text)
		if m == nil {
			b.WriteString(html.EscapeString("@" + t.text))
			return
		}
		user, _, _ := strings.Cut(t.text, "@")
		if !strings.Contains(t.text, "@") {
			user = t.text // a domain handle shows whole
		}
		b.WriteString(`<span class="h-card"><a href="`)
		b.WriteString(html.EscapeString(m.Href))
		b.WriteString(`" class="u-url mention">@<span>`)
		b.WriteString(html.EscapeString(user))
		b.WriteString(`</span></a></span>`)
	default:
		b.WriteString(html.EscapeString(t.text))
	}
}

// mention resolves a handle once per note. A failure leaves the handle as
// text: the note is still worth posting.
func (r *textRenderer) mention(handle string) *Mention {
	key := strings.ToLower(handle)
	if m, ok := r.cache[key]; ok {
		return m
	}
	r.cache[key] = nil
	if r.resolve == nil {
		return nil
	}
	actorID, profile, err := r.resolve(r.ctx, handle)
	if err != nil {
		slog.DebugContext(r.ctx, "mention not resolved", "handle", handle, "err", err)
		return nil
	}
	if !isWebURL(actorID) {
		return nil
	}
	if !isWebURL(profile) {
		profile = actorID // never link a javascript: or data: URL a peer sent
	}
	for _, seen := range r.mentions {
		if seen.ActorID == actorID {
			m := seen
			r.cache[key] = &m
			return &m
		}
	}
	m := Mention{ActorID: actorID, Handle: handle, Href: profile}
	r.mentions = append(r.mentions, m)
	r.cache[key] = &m
	return &m
}

// writeLink writes a link whose text hides the scheme and shortens a long
// rest, with the CSS classes Mastodon uses so its stylesheets and apps
// show it the same way.
func writeLink(b *strings.Builder, raw string) {
	b.WriteString(`<a href="`)
	b.WriteString(html.EscapeString(raw))
	b.WriteString(`" rel="` + linkRel + `">`)
	prefixLen := strings.Index(raw, "//") + 2
	if strings.HasPrefix(strings.ToLower(raw[prefixLen:]), "www.") {
		prefixLen += 4
	}
	prefix, rest := raw[:prefixLen], raw[prefixLen:]
	b.WriteString(`<span class="invisible">`)
	b.WriteString(html.EscapeString(prefix))
	b.WriteString(`</span>`)
	if utf8.RuneCountInString(rest) <= urlDisplayLength {
		b.WriteString(html.EscapeString(rest))
	} else {
		cut := 0
		for range urlDisplayLength {
			_, size := utf8.DecodeRuneInString(rest[cut:])
			cut += size
		}
		b.WriteString(`<span class="ellipsis">`)
		b.WriteString(html.EscapeString(rest[:cut]))
		b.WriteString(`</span><span class="invisible">`)
		b.WriteString(html.EscapeString(rest[cut:]))
		b.WriteString(`</span>`)
	}
	b.WriteString(`</a>`)
}

// tagPath is a tag as it appears in a /tags/ URL.
func tagPath(tag string) string { return url.PathEscape(strings.ToLower(tag)) }

func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}
