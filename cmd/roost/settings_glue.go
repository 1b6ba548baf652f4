package main

import (
	"context"
	"errors"
	"net/http"
	"time"

	"roost/cmd/roost/settings"
	"roost/feed"
	"roost/templates"
)

// location is the site's time zone (the blog scheduler reads local times in it).
func (s *site) location() *time.Location { return s.settings.Location() }

// postingDefaults are what a new note gets when the composer or an app
// does not choose: the site's default visibility and language.
func (s *site) postingDefaults() feed.PostingDefaults {
	v := s.settings.Get()
	return feed.PostingDefaults{Visibility: v.DefaultVisibility, Language: v.Language, QuotePolicy: v.QuotePolicy}
}

// setPostingDefaults stores what an app chose as the defaults for new notes.
func (s *site) setPostingDefaults(ctx context.Context, d feed.PostingDefaults) error {
	v := s.settings.Get()
	v.DefaultVisibility, v.Language = d.Visibility, d.Language
	if d.QuotePolicy != "" {
		v.QuotePolicy = d.QuotePolicy
	}
	err := s.settings.Save(ctx, v)
	if bad := (*settings.InvalidError)(nil); errors.As(err, &bad) {
		return &feed.ValidationError{Message: bad.Message}
	}
	return err
}

// inSiteTimeZone renders every page of the request with the site's time zone.
func (s *site) inSiteTimeZone(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(templates.WithLocation(r.Context(), s.location())))
	})
}
