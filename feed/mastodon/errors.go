package mastodon

import (
	"log/slog"
	"net/http"
	"time"
)

// Mastodon answers every API error as {"error": "..."}; apps show the text.
type apiError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description,omitempty"`
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, apiError{Error: msg})
}

// fail logs an internal error once and answers 500 without its text.
func fail(w http.ResponseWriter, r *http.Request, err error) {
	slog.Error("mastodon api", "path", r.URL.Path, "err", err)
	writeError(w, http.StatusInternalServerError, "Internal server error")
}

// failLookup answers 404 for a missing record and 500 for anything else.
func failLookup(w http.ResponseWriter, r *http.Request, err error) {
	if isNotFound(err) {
		notFound(w)
		return
	}
	fail(w, r, err)
}

// writeResult answers v, or the error of the lookup or rendering that made it.
func writeResult(w http.ResponseWriter, r *http.Request, v any, err error) {
	if err != nil {
		failLookup(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func notFound(w http.ResponseWriter) { writeError(w, http.StatusNotFound, "Record not found") }

func unprocessable(w http.ResponseWriter, msg string) {
	writeError(w, http.StatusUnprocessableEntity, "Validation failed: "+msg)
}

// timeJSON formats a time as Mastodon does: UTC with milliseconds. Some apps
// treat a date without milliseconds as "now" or fail to decode it.
func timeJSON(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// optTime is a nullable date.
func optTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := timeJSON(t)
	return &s
}
