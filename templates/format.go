package templates

import (
	"strconv"
	"time"
)

func itoa(n int) string { return strconv.Itoa(n) }

// dateTime is the machine-readable form for <time datetime>.
func dateTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// humanDate is how dates read on pages.
func humanDate(t time.Time) string { return t.Format("2 January 2006") }

// humanDateTime adds the time of day, for notes and comments.
func humanDateTime(t time.Time) string { return t.Format("2 Jan 2006 15:04") }
