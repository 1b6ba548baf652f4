package templates

import (
	"context"
	"strconv"
	"time"
)

func itoa(n int) string { return strconv.Itoa(n) }

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// locationKey carries the site's time zone through a request's context, so
// every date a page shows reads in the zone the owner chose.
type locationKey struct{}

// WithLocation returns a context whose pages show dates in loc.
func WithLocation(ctx context.Context, loc *time.Location) context.Context {
	return context.WithValue(ctx, locationKey{}, loc)
}

// Location is the time zone pages rendered with ctx show dates in; UTC
// when none was set.
func Location(ctx context.Context) *time.Location {
	if loc, ok := ctx.Value(locationKey{}).(*time.Location); ok && loc != nil {
		return loc
	}
	return time.UTC
}

// dateTime is the machine-readable form for <time datetime>.
func dateTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// humanDate is how dates read on pages, in the site's time zone.
func humanDate(ctx context.Context, t time.Time) string {
	return t.In(Location(ctx)).Format("2 January 2006")
}

// humanDateTime adds the time of day, for notes and comments.
func humanDateTime(ctx context.Context, t time.Time) string {
	return t.In(Location(ctx)).Format("2 Jan 2006 15:04")
}

// votersText counts a poll's voters in words.
func votersText(n int) string {
	if n == 1 {
		return "1 person voted"
	}
	return strconv.Itoa(n) + " people voted"
}

// peopleCount counts people in words: "1 person", "3 people".
func peopleCount(n int) string {
	if n == 1 {
		return "1 person"
	}
	return strconv.Itoa(n) + " people"
}
