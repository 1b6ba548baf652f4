package blog

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// discoveryCase is one page advertising (or not) its endpoint, after the
// discovery tests of webmention.rocks: header holds Link values, body the
// HTML, want the endpoint path expected (relative to the test server),
// "" for none.
type discoveryCase struct {
	name   string
	header []string
	body   string
	want   string
}

var discoveryCases = []discoveryCase{
	{name: "link header, unquoted rel, relative", header: []string{`</endpoint/1>; rel=webmention`}, want: "/endpoint/1"},
	{name: "link header, absolute", header: []string{`<{base}/endpoint/2>; rel=webmention`}, want: "/endpoint/2"},
	{name: "link element, relative", body: `<head><link rel="webmention" href="/endpoint/3"></head>`, want: "/endpoint/3"},
	{name: "link element, absolute", body: `<link rel="webmention" href="{base}/endpoint/4">`, want: "/endpoint/4"},
	{name: "a element, relative", body: `<p><a rel="webmention" href="/endpoint/5">endpoint</a></p>`, want: "/endpoint/5"},
	{name: "a element, absolute", body: `<a href="{base}/endpoint/6" rel="webmention">e</a>`, want: "/endpoint/6"},
	{name: "link header, strange casing", header: []string{`</endpoint/7>; REL="WebMention"`}, want: "/endpoint/7"},
	{name: "link header, quoted rel", header: []string{`</endpoint/8>; rel="webmention"`}, want: "/endpoint/8"},
	{name: "several rel values on link", body: `<link rel="webmention somethingelse" href="/endpoint/9">`, want: "/endpoint/9"},
	{name: "several rel values in header", header: []string{`</endpoint/10>; rel="webmention somethingelse"`}, want: "/endpoint/10"},
	{name: "header wins over link and a", header: []string{`</endpoint/11>; rel="webmention"`},
		body: `<link rel="webmention" href="/wrong/link"><a rel="webmention" href="/wrong/a">x</a>`, want: "/endpoint/11"},
	{name: "exact rel match only", body: `<link rel="not-webmention" href="/wrong"><link rel="webmention" href="/endpoint/12">`,
		want: "/endpoint/12"},
	{name: "endpoint inside an HTML comment is ignored",
		body: `<!-- <link rel="webmention" href="/wrong"> --><link rel="webmention" href="/endpoint/13">`, want: "/endpoint/13"},
	{name: "endpoint in escaped HTML is ignored",
		body: `<code>&lt;a rel="webmention" href="/wrong"&gt;&lt;/a&gt;</code><a rel="webmention" href="/endpoint/14">x</a>`,
		want: "/endpoint/14"},
	{name: "empty href is the page itself", body: `<link rel="webmention" href="">`, want: "/page"},
	{name: "a before link: document order", body: `<a rel="webmention" href="/endpoint/16">x</a><link rel="webmention" href="/wrong">`,
		want: "/endpoint/16"},
	{name: "link before a: document order", body: `<link rel="webmention" href="/endpoint/17"><a rel="webmention" href="/wrong">x</a>`,
		want: "/endpoint/17"},
	{name: "several Link headers", header: []string{`</wrong>; rel="other"`, `</endpoint/18>; rel="webmention"`}, want: "/endpoint/18"},
	{name: "one Link header, several values", header: []string{`</wrong>; rel="other", </endpoint/19>; rel="webmention"`},
		want: "/endpoint/19"},
	{name: "link element without href is skipped", body: `<link rel="webmention"><link rel="webmention" href="/endpoint/20">`,
		want: "/endpoint/20"},
	{name: "query string kept", header: []string{`</endpoint/21?query=yes>; rel="webmention"`}, want: "/endpoint/21?query=yes"},
	{name: "relative to the page's path", body: `<link rel="webmention" href="endpoint/22">`, want: "/endpoint/22"},
	{name: "comma inside the URL", header: []string{`</endpoint/a,b>; rel="webmention"`}, want: "/endpoint/a,b"},
	{name: "no endpoint", body: `<p><a href="/endpoint">not one</a></p>`},
}

func TestDiscoverEndpointFollowsTheSpecCases(t *testing.T) {
	var current discoveryCase
	var base string
	mux := http.NewServeMux()
	mux.HandleFunc("GET /page", func(w http.ResponseWriter, _ *http.Request) {
		for _, h := range current.header {
			w.Header().Add("Link", expand(h, base))
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<!doctype html><html>" + expand(current.body, base) + "</html>"))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	base = srv.URL
	for _, c := range discoveryCases {
		current = c
		got, err := discoverEndpoint(context.Background(), srv.Client(), "test", srv.URL+"/page")
		if c.want == "" {
			if !errors.Is(err, errNoEndpoint) {
				t.Errorf("%s: got %q, %v; want no endpoint", c.name, got, err)
			}
			continue
		}
		if err != nil || got != srv.URL+c.want {
			t.Errorf("%s: got %q, %v; want %s", c.name, got, err, srv.URL+c.want)
		}
	}
}

// A relative endpoint is resolved against the page the target redirected
// to (webmention.rocks test 23), and a page that is not HTML has only its
// Link header.
func TestDiscoverEndpointAfterRedirectAndForNonHTML(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/moved/page", http.StatusFound)
	})
	mux.HandleFunc("GET /moved/page", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<link rel="webmention" href="endpoint">`))
	})
	mux.HandleFunc("GET /data.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"html": "<link rel=\"webmention\" href=\"/wrong\">"}`))
	})
	mux.HandleFunc("GET /missing", http.NotFound)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	ctx := context.Background()
	if got, err := discoverEndpoint(ctx, srv.Client(), "test", srv.URL+"/old"); err != nil || got != srv.URL+"/moved/endpoint" {
		t.Errorf("after a redirect: %q, %v; want %s/moved/endpoint", got, err, srv.URL)
	}
	if got, err := discoverEndpoint(ctx, srv.Client(), "test", srv.URL+"/data.json"); !errors.Is(err, errNoEndpoint) {
		t.Errorf("JSON page: %q, %v; want no endpoint", got, err)
	}
	_, err := discoverEndpoint(ctx, srv.Client(), "test", srv.URL+"/missing")
	if !permanentSendError(err) {
		t.Errorf("a page that answers 404 gave %v, which would be retried", err)
	}
}

func expand(s, base string) string { return strings.ReplaceAll(s, "{base}", base) }
