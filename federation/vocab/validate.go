package vocab

import (
	"regexp"
	"strings"
	"unicode"
)

// Remote names are checked the way Mastodon checks them before it makes an
// account or a hashtag of them. Apps show usernames, handles and tag names
// as they are and build links and mentions from them, so a name with
// markup, spaces or invisible characters is not taken at all.
var (
	// usernamePattern is Mastodon's rule for remote usernames: letters,
	// digits and underscores, with dots and dashes inside.
	usernamePattern = regexp.MustCompile(`^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$`)
	// hostPattern is a DNS name or an IP literal, with an optional port.
	hostPattern = regexp.MustCompile(`^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$`)
	// shortcodePattern is Mastodon's rule for custom emoji shortcodes.
	shortcodePattern = regexp.MustCompile(`^[A-Za-z0-9_]{2,}$`)
)

// ValidUsername reports whether s may be shown as a remote username.
func ValidUsername(s string) bool {
	return len(s) <= maxUsernameChars && usernamePattern.MatchString(s)
}

// validHandle reports whether s is "user@host" with a valid username and
// host name.
func validHandle(s string) bool {
	user, host, ok := strings.Cut(s, "@")
	return ok && ValidUsername(user) && len(host) <= 253+6 && hostPattern.MatchString(host)
}

// validHashtag reports whether a hashtag's name, without its "#", is made
// of word characters (letters, marks, digits, connectors, and the middle
// dot and zero-width non-joiner that Mastodon allows inside names) and is
// not all digits, which is Mastodon's rule too.
func validHashtag(name string) bool {
	if name == "" || len([]rune(name)) > maxTagNameChars {
		return false
	}
	letter := false
	for _, r := range name {
		switch {
		case unicode.IsLetter(r), unicode.IsMark(r), r == '_', r == '·', r == '\u200c':
			letter = true
		case unicode.IsDigit(r), unicode.Is(unicode.Pc, r):
		default:
			return false
		}
	}
	return letter
}

// validMention reports whether a mention's name is "@user" or
// "@user@host".
func validMention(name string) bool {
	name = strings.TrimPrefix(name, "@")
	if !strings.Contains(name, "@") {
		return ValidUsername(name)
	}
	return validHandle(name)
}

// validEmoji reports whether an emoji's name is ":shortcode:".
func validEmoji(name string) bool {
	inner, ok := strings.CutPrefix(name, ":")
	if !ok {
		return false
	}
	inner, ok = strings.CutSuffix(inner, ":")
	return ok && shortcodePattern.MatchString(inner)
}

// CleanName is a remote display name or other one-line name made safe to
// show as text: without control or bidi-override characters and at most
// as long as a display name may be. Names are cleaned when they are
// parsed; this is for names stored before that.
func CleanName(s string) string { return plainText(s, maxDisplayNameChars, false) }
