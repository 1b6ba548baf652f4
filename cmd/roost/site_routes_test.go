package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// Sites with the same routes share one mux, and each request reaches the
// handler of its own site, with its path values; a table whose routes
// differ is served by a mux of its own.
func TestRouteTablesShareOneMux(t *testing.T) {
	table := func(name string, extra ...string) *routeTable {
		rt := &routeTable{}
		rt.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, name+" thing "+r.PathValue("id"))
		})
		// Registered in another order by the second site: the order means nothing.
		if name == "b" {
			rt.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { http.Error(w, name+" nothing", http.StatusNotFound) })
			rt.HandleFunc("POST /things", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, name+" made") })
		} else {
			rt.HandleFunc("POST /things", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, name+" made") })
			rt.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { http.Error(w, name+" nothing", http.StatusNotFound) })
		}
		for _, p := range extra {
			rt.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, name+" extra") })
		}
		// A handler may route a rewritten request through the table again.
		rt.HandleFunc("GET /again/{id}", func(w http.ResponseWriter, r *http.Request) {
			r2 := r.Clone(r.Context())
			r2.URL.Path = "/things/" + r.PathValue("id")
			rt.ServeHTTP(w, r2)
		})
		rt.seal("test")
		return rt
	}
	a, b, c := table("a"), table("b"), table("c", "GET /only-c")
	if a.mux != b.mux {
		t.Error("two tables with the same routes have a mux each")
	}
	if c.mux == a.mux {
		t.Error("a table with other routes is served by the shared mux")
	}
	for _, tt := range []struct {
		rt           *routeTable
		method, path string
		code         int
		body         string
	}{
		{a, "GET", "/things/7", 200, "a thing 7"},
		{b, "GET", "/things/8", 200, "b thing 8"},
		{b, "POST", "/things", 200, "b made"},
		{a, "GET", "/again/9", 200, "a thing 9"},
		{b, "GET", "/again/9", 200, "b thing 9"},
		{a, "GET", "/nowhere", 404, "a nothing\n"},
		{c, "GET", "/only-c", 200, "c extra"},
		{a, "GET", "/only-c", 404, "a nothing\n"},
	} {
		w := httptest.NewRecorder()
		tt.rt.ServeHTTP(w, httptest.NewRequest(tt.method, tt.path, nil))
		if w.Code != tt.code || w.Body.String() != tt.body {
			t.Errorf("%s %s: %d %q, want %d %q", tt.method, tt.path, w.Code, w.Body.String(), tt.code, tt.body)
		}
	}
}
