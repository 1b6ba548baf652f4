package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"roost/cmd/roost/access"
)

// TestAuthorizePageCannotBeFramed is the clickjacking attack in a real
// browser: a page on another port of the same host (same site, so the
// owner's Lax session cookie goes along) frames /oauth/authorize for its own
// app, ready to be clicked through at near-zero opacity. Chromium must
// refuse to show the page in the frame. The same page served without the
// site's security headers is shown, which is what makes the check worth
// something.
func TestAuthorizePageCannotBeFramed(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		clientMissing(t, "this test needs Debian's chromium (apt-get install chromium)")
	}
	ts := startTestSite(t, newTestNet(), "alice.test", "")
	app := registerApp(t, ts)
	authorize := "/oauth/authorize?" + url.Values{"client_id": {app}, "redirect_uri": {"urn:ietf:wg:oauth:2.0:oob"},
		"response_type": {"code"}, "scope": {"read write"}}.Encode()

	protected := ts.Addr
	unprotected := serveLoopback(t, withoutSecurityHeaders(ts.handler))

	ctx := newBrowser(t, chromium)
	for _, addr := range []string{protected, unprotected} {
		loggedIn(t, ctx, ts, addr)
	}
	framedBy := func(addr string) string {
		evil := serveLoopback(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, `<!doctype html><title>win a prize</title><button>Click to win</button>
<iframe src="http://%s%s" style="opacity:0.01;position:absolute;top:0;left:0;width:800px;height:600px"></iframe>`, addr, authorize)
		}))
		if err := chromedp.Do(ctx, chromedp.Navigate("http://"+evil+"/"), chromedp.Sleep(500*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		res, err := chromedp.Call(ctx, cdppage.GetFrameTree, cdp.Empty{})
		if err != nil {
			t.Fatal(err)
		}
		tree := res.FrameTree
		if len(tree.ChildFrames) != 1 {
			t.Fatalf("the attacking page has %d frames", len(tree.ChildFrames))
		}
		f := tree.ChildFrames[0].Frame
		if f.UnreachableURL != "" {
			return "refused: " + f.URL
		}
		return f.URL
	}
	if got := framedBy(unprotected); !strings.Contains(got, "/oauth/authorize") {
		t.Fatalf("without the headers the frame shows %q: the browser check itself does not work", got)
	}
	if got := framedBy(protected); !strings.HasPrefix(got, "refused") {
		t.Errorf("another page on the same site frames the authorization page: frame at %q", got)
	}
}

// TestPagesWorkUnderTheirCSP loads the owner's main pages in Chromium and
// collects every Content-Security-Policy violation: a page that needed an
// inline script or style, or a remote image, would break under the policy.
func TestPagesWorkUnderTheirCSP(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		clientMissing(t, "this test needs Debian's chromium (apt-get install chromium)")
	}
	ts := startTestSite(t, newTestNet(), "alice.test", "")
	token := passwordGrant(t, ts.site, testPassword)
	code, st := apiCall(t, ts, token, http.MethodPost, "/api/v1/statuses", url.Values{"status": {"Which one? #poll"},
		"poll[options][]": {"tea", "coffee"}, "poll[expires_in]": {"3600"}})
	if code != http.StatusOK {
		t.Fatalf("post a poll: %d %v", code, st)
	}
	note, _ := url.Parse(st["url"].(string))
	// The browser reaches the site by its name, as a visitor does, so that
	// "self" is the origin of the links the pages carry.
	ctx := newBrowser(t, chromium, chromedp.Flag("host-resolver-rules", "MAP alice.test:80 "+ts.Addr))
	loggedIn(t, ctx, ts, ts.Host)
	_, err = chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__csp = []; document.addEventListener("securitypolicyviolation",
			e => window.__csp.push(e.violatedDirective + " " + e.blockedURI));`})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/", "/notes/", note.Path, "/blog/", "/home", "/contacts", "/notifications", "/write",
		"/settings", "/settings/profile", "/settings/site", "/search?q=poll", "/login"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.Base+path), chromedp.Sleep(200*time.Millisecond)); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		shown, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("location.origin === "+strconv.Quote(ts.Base)+
			" && document.querySelector('main') !== null"))
		if err != nil || !shown {
			t.Fatalf("%s was not shown from the site: %v", path, err)
		}
		violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]string]("window.__csp"))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(violations) > 0 {
			t.Errorf("%s breaks its policy: %v", path, violations)
		}
	}
}

// newBrowser starts headless Chromium for the test, for 90 seconds of work.
func newBrowser(t *testing.T, chromium string, flags ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	return newBrowserFor(t, 90*time.Second, chromium, flags...)
}

// newBrowserFor starts headless Chromium for a test that works with it for
// up to within.
func newBrowserFor(t *testing.T, within time.Duration, chromium string, flags ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.Flag("disable-background-networking", true))
	ctx, cancel := chromedp.NewExecAllocator(context.Background(), append(opts, flags...)...)
	t.Cleanup(cancel)
	ctx, cancel = chromedp.NewContext(ctx)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // starts the browser, on a context without a deadline
		t.Fatal(err)
	}
	ctx, cancel = context.WithTimeout(ctx, within)
	t.Cleanup(cancel)
	return ctx
}

// loggedIn gives the browser an owner session for the site reached at host
// (a name or host:port).
func loggedIn(t *testing.T, ctx context.Context, ts *testSite, addr string) {
	t.Helper()
	session, err := ts.access.Store.NewSession(context.Background(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	_, err = chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: access.CookieName, Value: session,
		URL: "http://" + addr + "/", SameSite: network.CookieSameSiteLax})
	if err != nil {
		t.Fatal(err)
	}
}

// registerApp registers a Mastodon app and returns its client id.
func registerApp(t *testing.T, ts *testSite) string {
	t.Helper()
	code, out := apiCall(t, ts, "", http.MethodPost, "/api/v1/apps",
		url.Values{"client_name": {"Prize"}, "redirect_uris": {"urn:ietf:wg:oauth:2.0:oob"}, "scopes": {"read write"}})
	if code != http.StatusOK {
		t.Fatalf("register app: %d %v", code, out)
	}
	return out["client_id"].(string)
}

// serveLoopback serves h on a new loopback port and returns host:port.
func serveLoopback(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return ln.Addr().String()
}

// withoutSecurityHeaders takes away the headers securityHeaders set.
func withoutSecurityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(stripHeaders{w, new(bool)}, r)
	})
}

type stripHeaders struct {
	http.ResponseWriter
	wrote *bool
}

func (s stripHeaders) WriteHeader(code int) {
	if *s.wrote {
		return
	}
	*s.wrote = true
	for _, k := range []string{"Content-Security-Policy", "X-Frame-Options"} {
		s.Header().Del(k)
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s stripHeaders) Write(b []byte) (int, error) {
	s.WriteHeader(http.StatusOK)
	return s.ResponseWriter.Write(b)
}
