package main

import (
	"log/slog"
	"net/http"
	"strings"

	"roost/templates"
)

// errorPages gives a browser the site's own page, header and navigation
// included, where a handler or the mux answered an error in plain text:
// a 404 from http.NotFound, the mux's 405 for a wrong method, a 500 from
// http.Error, and a panic. JSON and other answers for programs pass as
// they are.
func (s *site) errorPages(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Only browsers (which always name text/html) get it: a peer or a
		// script keeps the short answer it can read.
		if !strings.Contains(r.Header.Get("Accept"), "text/html") || isStreaming(r) {
			next.ServeHTTP(w, r)
			return
		}
		ew := &errorPageWriter{ResponseWriter: w, site: s, r: r}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				slog.Error("panic serving a page", "path", r.URL.Path, "panic", v)
				if !ew.wrote {
					ew.Header().Set("Content-Type", "text/plain; charset=utf-8")
					ew.WriteHeader(http.StatusInternalServerError)
				}
			}
		}()
		next.ServeHTTP(ew, r)
	})
}

// errorPageWriter swaps a plain-text error answer for the themed page.
type errorPageWriter struct {
	http.ResponseWriter
	site     *site
	r        *http.Request
	wrote    bool // the status line went out
	replaced bool // the themed page went out instead: drop the handler's body
}

var errorPageTexts = map[int][2]string{
	http.StatusNotFound:            {"Not found", "There is nothing at this address. It may have moved, or the link may be mistyped."},
	http.StatusMethodNotAllowed:    {"Not allowed here", "This address does not take that kind of request. Go back and use the page's own buttons and links."},
	http.StatusInternalServerError: {"Something went wrong", "roost could not answer this request. Nothing you sent was lost on your side; please try again in a moment."},
}

func (e *errorPageWriter) WriteHeader(code int) {
	if e.wrote {
		return
	}
	e.wrote = true
	text, ok := errorPageTexts[code]
	if !ok || !strings.HasPrefix(e.Header().Get("Content-Type"), "text/plain") {
		e.ResponseWriter.WriteHeader(code)
		return
	}
	e.replaced = true
	e.Header().Del("Content-Length")
	templates.Render(e.ResponseWriter, e.r, code, templates.Message(e.site.page(e.r, text[0]), code, text[0], text[1]))
}

func (e *errorPageWriter) Write(b []byte) (int, error) {
	if !e.wrote {
		e.WriteHeader(http.StatusOK)
	}
	if e.replaced {
		return len(b), nil
	}
	return e.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer (flushes,
// deadlines).
func (e *errorPageWriter) Unwrap() http.ResponseWriter { return e.ResponseWriter }
