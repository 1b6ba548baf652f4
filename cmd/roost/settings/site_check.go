package settings

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// Limits on the free-text settings, so a title fits a header.
const (
	maxTitle   = 100
	maxTagline = 200
)

// Visibilities a new note may default to, as the feed names them.
var Visibilities = []string{"public", "unlisted", "followers", "direct"}

// QuotePolicies say who may quote a new note, as the feed names them.
var QuotePolicies = []string{"public", "followers", "nobody"}

// check refuses what the pages or the scheduler could not use, and
// canonicalises the language tag.
func (v *Site) check() error {
	v.Title, v.Tagline = strings.TrimSpace(v.Title), strings.TrimSpace(v.Tagline)
	if utf8.RuneCountInString(v.Title) > maxTitle {
		return invalid("The title may be at most %d characters.", maxTitle)
	}
	if utf8.RuneCountInString(v.Tagline) > maxTagline {
		return invalid("The tagline may be at most %d characters.", maxTagline)
	}
	// No language is allowed (apps send an empty one); pages then say en.
	if v.Language = strings.TrimSpace(v.Language); v.Language != "" {
		tag, err := language.Parse(v.Language)
		if err != nil {
			return invalid("“%s” is not a language code such as en, de or pt-BR.", v.Language)
		}
		v.Language = tag.String()
	}
	v.TimeZone = strings.TrimSpace(v.TimeZone)
	if v.TimeZone == "" || strings.EqualFold(v.TimeZone, "local") {
		return invalid("Choose a time zone by its name, such as Europe/Berlin.")
	}
	if _, err := time.LoadLocation(v.TimeZone); err != nil {
		return invalid("“%s” is not a time zone name such as Europe/Berlin or America/New_York.", v.TimeZone)
	}
	if !slices.Contains(QuotePolicies, v.QuotePolicy) {
		return invalid("“%s” is not one of the choices of who may quote your notes.", v.QuotePolicy)
	}
	for _, vis := range Visibilities {
		if v.DefaultVisibility == vis {
			return nil
		}
	}
	return invalid("“%s” is not one of the visibilities.", v.DefaultVisibility)
}
