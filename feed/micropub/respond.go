package micropub

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
)

// Error codes from the Micropub Recommendation, section "Error Response".
const (
	codeInvalidRequest    = "invalid_request"
	codeUnauthorized      = "unauthorized"
	codeInsufficientScope = "insufficient_scope"
	codeServerError       = "server_error"
)

// apiError is an error the client may see: its status, Micropub error code
// and a description that says what to fix.
type apiError struct {
	status      int
	code        string
	description string
	scope       string // for insufficient_scope: the scope that was missing
}

func (e *apiError) Error() string { return e.code + ": " + e.description }

// invalidRequest is the 400 answer to a client mistake.
func invalidRequest(format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: codeInvalidRequest, description: fmt.Sprintf(format, args...)}
}

func unauthorized(description string) *apiError {
	return &apiError{status: http.StatusUnauthorized, code: codeUnauthorized, description: description}
}

func tooLarge(description string) *apiError {
	return &apiError{status: http.StatusRequestEntityTooLarge, code: codeInvalidRequest, description: description}
}

// serve adapts a handler that returns an error: client errors are answered
// with their JSON error body, anything else is logged and answered 500
// without details.
func (h *Handler) serve(fn func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := fn(w, r)
		if err == nil {
			return
		}
		var ae *apiError
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &ae):
		case errors.As(err, &mbe):
			ae = tooLarge(fmt.Sprintf("the request body is larger than %s", megabytes(mbe.Limit)))
		default:
			slog.ErrorContext(r.Context(), "micropub", "method", r.Method, "path", r.URL.Path, "err", err)
			ae = &apiError{status: http.StatusInternalServerError, code: codeServerError, description: "the server could not complete the request"}
		}
		if ae.status == http.StatusUnauthorized {
			// RFC 6750 section 3: a 401 names the scheme the client should use.
			challenge := `Bearer realm="micropub"`
			if ae.description != msgNoToken {
				challenge += `, error="invalid_token"`
			}
			w.Header().Set("WWW-Authenticate", challenge)
		}
		body := map[string]string{"error": ae.code, "error_description": ae.description}
		if ae.scope != "" {
			body["scope"] = ae.scope
		}
		writeJSON(w, ae.status, body)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	// The values are built here from plain maps and strings; encoding
	// cannot fail, and a failed write means the client went away.
	_ = json.NewEncoder(w).Encode(v)
}

// publisherError turns a Publisher's error into the client's answer: its
// validation messages are meant for the client, a missing post is the
// client's mistake (Micropub answers 400, not 404), anything else is ours.
func publisherError(op, target string, err error) error {
	switch {
	case errors.Is(err, ErrInvalid):
		return invalidRequest("%s", err.Error())
	case errors.Is(err, ErrNotFound):
		return invalidRequest("there is no post at %s", target)
	}
	return fmt.Errorf("%s: %w", op, err)
}

// absoluteURL resolves u against the site's base URL, so that a Location
// header is absolute even if a Publisher returned a path.
func (h *Handler) absoluteURL(u string) string {
	base, err := url.Parse(h.BaseURL + "/")
	if err != nil || h.BaseURL == "" {
		return u
	}
	ref, err := url.Parse(u)
	if err != nil {
		return u
	}
	return base.ResolveReference(ref).String()
}

// megabytes says n bytes in whole or tenths of megabytes (MiB), the unit
// clients show to people.
func megabytes(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}
