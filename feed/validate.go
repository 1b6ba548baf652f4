package feed

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"roost/federation/vocab"
)

// ValidationError is a note the owner has to fix; Message is safe to show.
type ValidationError struct {
	Message string
}

func (e *ValidationError) Error() string { return "invalid note: " + e.Message }

func invalid(format string, args ...any) error {
	return &ValidationError{Message: fmt.Sprintf(format, args...)}
}

// validVisibility reports whether v is one of the four visibilities.
func validVisibility(v string) bool {
	switch v {
	case VisibilityPublic, VisibilityUnlisted, VisibilityFollowers, VisibilityDirect:
		return true
	}
	return false
}

// normalize trims what the owner typed and fills defaults.
func normalize(in NoteInput) NoteInput {
	in.Text = strings.TrimSpace(strings.ReplaceAll(in.Text, "\r\n", "\n"))
	in.ContentWarning = strings.TrimSpace(in.ContentWarning)
	in.InReplyTo = strings.TrimSpace(in.InReplyTo)
	in.Language = strings.TrimSpace(in.Language)
	if in.Visibility == "" {
		in.Visibility = VisibilityPublic
	}
	return in
}

// validate checks a normalized input. The length counts characters (runes)
// of the text as typed, links included, the way the composer's counter does.
func (f *Feed) validate(in NoteInput) error {
	if in.Text == "" && len(in.Media) == 0 {
		return invalid("Write something or attach an image.")
	}
	if n := utf8.RuneCountInString(in.Text); n > f.cfg.NoteLimit {
		return invalid("The note is %d characters long; the limit is %d.", n, f.cfg.NoteLimit)
	}
	if utf8.RuneCountInString(in.ContentWarning) > f.cfg.NoteLimit {
		return invalid("The content warning is longer than %d characters.", f.cfg.NoteLimit)
	}
	if len(in.Media) > MaxMedia {
		return invalid("A note can carry at most %d images.", MaxMedia)
	}
	if !validVisibility(in.Visibility) {
		return invalid("Choose public, unlisted, followers or direct as the visibility.")
	}
	if in.QuotePolicy != "" && !vocab.ValidQuotePolicy(in.QuotePolicy) {
		return invalid("Choose anyone, followers or nobody as who may quote the note.")
	}
	if in.InReplyTo != "" && !isWebURL(in.InReplyTo) {
		return invalid("The note being replied to must be an http(s) URL.")
	}
	for _, m := range in.Media {
		if !isWebURL(m.URL) && !strings.HasPrefix(m.URL, "/") {
			return invalid("An image has no usable address.")
		}
	}
	return nil
}
