package main

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
)

// A site registers some 400 routes. An http.ServeMux parses and indexes
// each pattern, about 150 KiB a site, the largest part of a built site:
// a provider serving a thousand sites would hold a thousand copies of the
// same index. So a site records its routes in a routeTable, pattern i to
// its own handler i, and the patterns are indexed once per process in a
// shared mux whose route i calls the handler i of the table the request
// carries in its context.

// routeMux is what the rooms register their routes on.
type routeMux interface {
	http.Handler
	Handle(pattern string, handler http.Handler)
	HandleFunc(pattern string, handler func(http.ResponseWriter, *http.Request))
}

// routeTable is one site's routes, in the order they were registered.
type routeTable struct {
	patterns []string
	handlers []http.Handler
	// mux serves the table once sealed: the shared mux, or the site's own
	// when its patterns differ from the shared ones.
	mux http.Handler
}

func (t *routeTable) Handle(pattern string, h http.Handler) {
	t.patterns = append(t.patterns, pattern)
	t.handlers = append(t.handlers, h)
}

func (t *routeTable) HandleFunc(pattern string, f func(http.ResponseWriter, *http.Request)) {
	t.Handle(pattern, http.HandlerFunc(f))
}

// ServeHTTP routes a request among the table's handlers.
func (t *routeTable) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Context().Value(routeTableKey{}) != t {
		r = r.WithContext(context.WithValue(r.Context(), routeTableKey{}, t))
	}
	t.mux.ServeHTTP(w, r)
}

type routeTableKey struct{}

// sharedRoutes holds the process's muxes, one for each kind of table
// (a site's routes, its login routes), over the patterns every site
// registers.
var sharedRoutes struct {
	mu   sync.Mutex
	muxs map[string]sharedMux
}

type sharedMux struct {
	patterns []string
	mux      *http.ServeMux
}

// seal chooses the mux the table is served by, once every route is in:
// the shared one of its kind, or one of its own should its patterns differ.
func (t *routeTable) seal(kind string) {
	t.sortByPattern()
	sharedRoutes.mu.Lock()
	defer sharedRoutes.mu.Unlock()
	shared, ok := sharedRoutes.muxs[kind]
	if !ok {
		shared = sharedMux{patterns: t.patterns, mux: dispatchMux(t.patterns)}
		if sharedRoutes.muxs == nil {
			sharedRoutes.muxs = map[string]sharedMux{}
		}
		sharedRoutes.muxs[kind] = shared
	}
	if slices.Equal(shared.patterns, t.patterns) {
		t.mux = shared.mux
		// Keep one list of the patterns, the shared one.
		t.patterns = shared.patterns
		return
	}
	t.mux = dispatchMux(t.patterns)
}

// sortByPattern puts the routes in the order of their patterns: the
// order of registration means nothing to a mux (and rooms register some
// routes from a map), the order of the patterns is the same for every site.
func (t *routeTable) sortByPattern() {
	order := make([]int, len(t.patterns))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(t.patterns[a], t.patterns[b]) })
	patterns := make([]string, len(order))
	handlers := make([]http.Handler, len(order))
	for i, o := range order {
		patterns[i], handlers[i] = t.patterns[o], t.handlers[o]
	}
	t.patterns, t.handlers = patterns, handlers
}

// dispatchMux is a mux over patterns whose route i calls handler i of the
// request's table.
func dispatchMux(patterns []string) *http.ServeMux {
	mux := http.NewServeMux()
	for i, p := range patterns {
		mux.Handle(p, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Context().Value(routeTableKey{}).(*routeTable).handlers[i].ServeHTTP(w, r)
		}))
	}
	return mux
}
