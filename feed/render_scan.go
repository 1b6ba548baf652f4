package feed

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokenKind tells what a piece of a line is.
type tokenKind int

const (
	tokenText tokenKind = iota
	tokenURL
	tokenTag
	tokenMention
)

// token is a piece of one line of the owner's text, still unescaped.
type token struct {
	kind tokenKind
	text string // the text exactly as typed (for a tag or mention, without '#' or '@')
}

// scanLine splits a line into plain text, links, hashtags and mentions.
// Links are found first, so a '#' or '@' inside a URL never starts a tag or
// a mention.
func scanLine(line string) []token {
	var out []token
	textStart := 0
	flush := func(end int) {
		if end > textStart {
			out = append(out, token{kind: tokenText, text: line[textStart:end]})
		}
	}
	prev := rune(-1) // the rune before i; -1 at the start of the line
	for i := 0; i < len(line); {
		var kind tokenKind
		n := 0
		switch c := line[i]; {
		case (c == 'h' || c == 'H') && !isWordRune(prev):
			n, kind = urlLength(line[i:]), tokenURL
		case c == '#' && !isWordRune(prev) && prev != '/' && prev != ')' && prev != '&':
			n, kind = tagLength(line[i+1:]), tokenTag
		case c == '@' && !isWordRune(prev) && prev != '/' && prev != '=' && prev != '@':
			n, kind = mentionLength(line[i+1:]), tokenMention
		}
		if n > 0 {
			flush(i)
			start := i
			if kind != tokenURL {
				start++ // leave out the '#' or '@'
			}
			out = append(out, token{kind: kind, text: line[start : start+n]})
			i = start + n
			textStart = i
			prev, _ = utf8.DecodeLastRuneInString(line[:i])
			continue
		}
		r, size := utf8.DecodeRuneInString(line[i:])
		prev = r
		i += size
	}
	flush(len(line))
	return out
}

func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// isTagRune accepts letters, digits, underscore and the combining marks
// that scripts such as Devanagari need inside words.
func isTagRune(r rune) bool {
	return isWordRune(r) || unicode.In(r, unicode.Mn, unicode.Mc)
}

// urlLength is the length of the http(s) URL at the start of s, or 0. A URL
// ends at white space, a quote or an angle bracket; trailing punctuation
// that belongs to the sentence is left out.
func urlLength(s string) int {
	lower := strings.ToLower(s[:min(len(s), 8)])
	var scheme int
	switch {
	case strings.HasPrefix(lower, "https://"):
		scheme = 8
	case strings.HasPrefix(lower, "http://"):
		scheme = 7
	default:
		return 0
	}
	end := len(s)
	for i, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == '"' || r == '<' || r == '>' || r == '`' {
			end = i
			break
		}
	}
	end = trimURLEnd(s, end)
	if end <= scheme {
		return 0
	}
	u, err := url.Parse(s[:end])
	if err != nil || u.Host == "" {
		return 0
	}
	return end
}

// trimURLEnd drops sentence punctuation after a URL, keeping a closing
// bracket when the URL opened one (Wikipedia links end in ')').
func trimURLEnd(s string, end int) int {
	for end > 0 {
		last := s[end-1]
		switch last {
		case '.', ',', ':', ';', '!', '?', '\'', '*':
			end--
			continue
		case ')':
			if strings.Count(s[:end], "(") < strings.Count(s[:end], ")") {
				end--
				continue
			}
		case ']':
			if strings.Count(s[:end], "[") < strings.Count(s[:end], "]") {
				end--
				continue
			}
		}
		break
	}
	return end
}

// tagLength is the length of the hashtag name at the start of s (after the
// '#'), or 0. A name needs at least one letter so that "#1" stays text.
func tagLength(s string) int {
	n, letter := 0, false
	for i, r := range s {
		if !isTagRune(r) {
			break
		}
		letter = letter || unicode.IsLetter(r)
		n = i + utf8.RuneLen(r)
	}
	if !letter {
		return 0
	}
	return n
}

// mentionLength is the length of "user@host" or "domain.tld" at the start
// of s (after the '@'), or 0.
func mentionLength(s string) int {
	user := 0
	for i, r := range s {
		if !(r < utf8.RuneSelf && (isWordRune(r) || r == '.' || r == '-')) {
			break
		}
		user = i + 1
	}
	user = trimDots(s, user)
	if user == 0 {
		return 0
	}
	if user < len(s) && s[user] == '@' {
		if host := domainLength(s[user+1:]); host > 0 {
			return user + 1 + host
		}
		return 0
	}
	// A bare "@domain.tld": roost and WordPress owners use their domain
	// as their handle.
	if d := domainLength(s); d > 0 {
		return d
	}
	return 0
}

// domainLength is the length of the host name at the start of s: labels of
// letters, digits and hyphens, at least two, the last one alphabetic.
func domainLength(s string) int {
	end := 0
	for i, r := range s {
		if !(r == '.' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			break
		}
		end = i + utf8.RuneLen(r)
	}
	end = trimDots(s, end)
	host := s[:end]
	labels := strings.Split(host, ".")
	if len(labels) < 2 {
		return 0
	}
	for _, l := range labels {
		if l == "" || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return 0
		}
	}
	tld := labels[len(labels)-1]
	if utf8.RuneCountInString(tld) < 2 {
		return 0
	}
	for _, r := range tld {
		if !unicode.IsLetter(r) {
			return 0
		}
	}
	return end
}

// trimDots drops '.' and '-' from the end: "@bob@example.com." ends a sentence.
func trimDots(s string, end int) int {
	for end > 0 && (s[end-1] == '.' || s[end-1] == '-') {
		end--
	}
	return end
}
