package vocab

import (
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Limits on what one remote document may bring. Every object and actor
// that reaches roost (inbox, fetch by id, boosts, thread views, search) is
// parsed here, so these caps hold on every path. They follow the hard
// limits Mastodon applies to federated content where it has them, and are
// generous beyond what real servers send: a post with a hundred thousand
// tags is an attack, not a post. What is over a count is dropped from the
// end; text over a length is cut.
const (
	maxHashtags    = 100 // Hashtag tags of one object
	maxMentions    = 100 // Mention tags of one object
	maxEmojis      = 100 // custom Emoji tags of one object
	maxAttachments = 16  // media of one object (Misskey allows 16, Mastodon shows 4)
	maxPollOptions = 16  // Misskey allows 10, Pleroma 20 by default, Mastodon 4 locally
	maxRecipients  = 500 // entries of to and of cc

	maxContentBytes    = 256 << 10 // HTML content of a post or an article
	maxSummaryChars    = 5000      // a content warning or an article's summary
	maxNameChars       = 1000      // an object's name: an article's title
	maxAltTextChars    = 10000     // Mastodon's hard limit on media descriptions
	maxPollOptionChars = 500
	maxTagNameChars    = 256
	maxBlurhashBytes   = 100 // real ones are about 30

	maxDisplayNameChars = 200
	maxUsernameChars    = 256
	maxBioBytes         = 20 << 10 // Mastodon's hard limit on a remote account's note
	maxFields           = 16       // profile fields; Mastodon shows 4, GoToSocial 6
	maxFieldNameChars   = 255
	maxFieldValueBytes  = 2048
	maxAlsoKnownAs      = 64

	maxURLBytes = 4096
)

// plainText cleans a plain-text field that people will read: control
// characters are removed (newlines too, unless multiline), as are the
// bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) that
// would make a name read backwards or spill into the text around it; the
// result is trimmed and cut to max characters.
func plainText(s string, max int, multiline bool) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return hidden(r, multiline) }) && utf8.RuneCountInString(s) <= max {
		return strings.TrimSpace(s)
	}
	var b strings.Builder
	n := 0
	for _, r := range strings.TrimSpace(s) {
		if n == max {
			break
		}
		if hidden(r, multiline) {
			if r == '\n' || r == '\t' || r == '\r' {
				r = ' '
			} else {
				continue
			}
		}
		b.WriteRune(r)
		n++
	}
	return strings.TrimSpace(b.String())
}

// hidden reports whether r must not appear in a plain-text field.
func hidden(r rune, multiline bool) bool {
	switch {
	case r == '\n' && multiline:
		return false
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == utf8.RuneError:
		return true
	}
	return false
}

// clipHTML cuts HTML to at most max bytes and closes the elements the cut
// left open, so that a long remote post cannot leave an unclosed list or
// quote to swallow the rest of the page. It runs before sanitizing.
func clipHTML(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	nodes, err := html.ParseFragment(strings.NewReader(s[:cut]), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return ""
	}
	var b strings.Builder
	for _, n := range nodes {
		if err := html.Render(&b, n); err != nil {
			return ""
		}
	}
	return b.String()
}

// clipBytes cuts s to at most max bytes on a character boundary.
func clipBytes(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// firstN keeps at most n entries of a list.
func firstN[T any](s []T, n int) []T {
	if len(s) > n {
		return s[:n:n]
	}
	return s
}

// recipients keeps at most maxRecipients addresses of to or cc, and the
// Public address wherever it was in the list: cutting it off would make a
// public post look private.
func recipients(ids []string) []string {
	if len(ids) <= maxRecipients {
		return ids
	}
	out := ids[:maxRecipients:maxRecipients]
	if !slices.ContainsFunc(out, IsPublic) && slices.ContainsFunc(ids, IsPublic) {
		out = append(out[:maxRecipients-1:maxRecipients-1], Public)
	}
	return out
}
