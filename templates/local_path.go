package templates

import (
	"net/url"
	"strings"
)

// LocalPath returns target when it is a path on this site that a form may
// send the visitor back to (after logging in, after a like), and fallback
// otherwise. Browsers drop tabs and newlines from URLs and treat a
// backslash as a slash, so "/\t/evil.example" and "/\evil.example" would
// leave the site: anything with a control character, a backslash or a space
// is refused before the rest is parsed as a URL, and what is kept has no
// scheme, no host and one leading slash.
func LocalPath(target, fallback string) string {
	if target == "" || strings.ContainsFunc(target, unsafeInRedirect) {
		return fallback
	}
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return fallback
	}
	if !strings.HasPrefix(target, "/") || strings.HasPrefix(target, "//") {
		return fallback
	}
	return target
}

func unsafeInRedirect(r rune) bool {
	return r <= ' ' || r == 0x7f || r == '\\' || (r >= 0x80 && r <= 0x9f) || r == '\u2028' || r == '\u2029'
}

// ItemAnchor is the element id of one post on a page listing posts
// ("item-" and the id, keeping only letters, digits, '-' and '_'), which
// the like, boost, bookmark and vote forms return to.
func ItemAnchor(id string) string {
	clean := strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') {
			return r
		}
		return -1
	}, id)
	return "item-" + clean
}

// BackToItem is the local path back (fallback when back is not one) with
// #item appended, so that a form posted from the middle of a long page
// lands where it was, not at its top.
func BackToItem(back, item, fallback string) string {
	path := LocalPath(back, fallback)
	if item == "" || strings.Contains(path, "#") || item != ItemAnchor(strings.TrimPrefix(item, "item-")) {
		return path
	}
	return path + "#" + item
}
