package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
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

	ctx, cancel := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.Flag("disable-background-networking", true))...)
	defer cancel()
	ctx, cancel = chromedp.NewContext(ctx)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil { // starts the browser, on a context without a deadline
		t.Fatal(err)
	}
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()

	session, err := ts.access.Store.NewSession(context.Background(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{protected, unprotected} {
		_, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: access.CookieName, Value: session,
			URL: "http://" + addr + "/", SameSite: network.CookieSameSiteLax})
		if err != nil {
			t.Fatal(err)
		}
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
