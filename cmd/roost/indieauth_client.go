package main

import (
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/PuerkitoBio/goquery"

	"roost/federation/vocab"
)

// IndieAuth client information discovery: the consent page names the
// client by what its client_id URL says of itself (a JSON client metadata
// document, or an h-app in HTML), and a redirect_uri on another host than
// the client_id is allowed only when the client lists it there.
const (
	// clientInfoLife is how long what a client said is kept: the consent
	// page and the consent's answer ask within a minute or two.
	clientInfoLife = 10 * time.Minute
	// clientInfoMax caps how much of a client's page is read.
	clientInfoMax = 512 << 10
	// clientInfosKept bounds the cache.
	clientInfosKept = 256
)

// clientInfo is what a client's page says of itself.
type clientInfo struct {
	Name, Logo, URL string
	RedirectURIs    []string
	fetched         time.Time
}

// clientInfos fetches client information through the SSRF-guarded client
// and keeps it for clientInfoLife.
type clientInfos struct {
	client *http.Client
	mu     sync.Mutex
	kept   map[string]clientInfo
}

func newClientInfos(client *http.Client) *clientInfos {
	return &clientInfos{client: client, kept: map[string]clientInfo{}}
}

// get is the client information of clientID; a page that cannot be
// fetched or read gives none (the client is then named by its host and
// must redirect on that host).
func (c *clientInfos) get(ctx context.Context, clientID string) clientInfo {
	c.mu.Lock()
	info, ok := c.kept[clientID]
	c.mu.Unlock()
	if ok && time.Since(info.fetched) < clientInfoLife {
		return info
	}
	info = c.fetch(ctx, clientID)
	info.fetched = time.Now()
	c.mu.Lock()
	if len(c.kept) >= clientInfosKept {
		clear(c.kept) // the consent pages in progress ask again, once
	}
	c.kept[clientID] = info
	c.mu.Unlock()
	return info
}

func (c *clientInfos) fetch(ctx context.Context, clientID string) clientInfo {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, clientID, nil)
	if err != nil {
		return clientInfo{}
	}
	req.Header.Set("Accept", "application/json, text/html;q=0.9")
	resp, err := c.client.Do(req)
	if err != nil {
		return clientInfo{}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return clientInfo{}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, clientInfoMax))
	if err != nil {
		return clientInfo{}
	}
	base := resp.Request.URL
	media, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	var info clientInfo
	if media == "application/json" {
		info = clientFromJSON(body, clientID)
	} else {
		info = clientFromHTML(body, base)
	}
	// A logo or link from another site never becomes a javascript: or
	// data: URL on the page.
	info.Logo = vocab.WebURL(info.Logo)
	info.URL = vocab.WebURL(info.URL)
	return info
}

// clientFromJSON reads a client metadata document (IndieAuth, 2022 and
// later). One naming another client_id is not this client's and is
// ignored.
func clientFromJSON(body []byte, clientID string) clientInfo {
	var doc struct {
		ClientID     string   `json:"client_id"`
		ClientName   string   `json:"client_name"`
		ClientURI    string   `json:"client_uri"`
		LogoURI      string   `json:"logo_uri"`
		RedirectURIs []string `json:"redirect_uris"`
	}
	if json.Unmarshal(body, &doc) != nil || doc.ClientID != clientID {
		return clientInfo{}
	}
	return clientInfo{Name: doc.ClientName, Logo: doc.LogoURI, URL: doc.ClientURI, RedirectURIs: doc.RedirectURIs}
}

// clientFromHTML reads an h-app (or the older h-x-app) and the page's
// rel=redirect_uri links.
func clientFromHTML(body []byte, base *url.URL) clientInfo {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
	if err != nil {
		return clientInfo{}
	}
	var info clientInfo
	app := doc.Find(".h-app, .h-x-app").First()
	if app.Length() > 0 {
		info.Name = strings.TrimSpace(app.Find(".p-name").First().Text())
		if info.Name == "" && app.HasClass("p-name") {
			info.Name = strings.TrimSpace(app.Text())
		}
		logo := app.Find(".u-logo").First()
		if src, ok := logo.Attr("src"); ok {
			info.Logo = resolved(base, src)
		} else if href, ok := logo.Attr("href"); ok {
			info.Logo = resolved(base, href)
		}
		if href, ok := app.Find(".u-url").First().Attr("href"); ok {
			info.URL = resolved(base, href)
		}
	}
	doc.Find(`link[rel~="redirect_uri"], a[rel~="redirect_uri"]`).Each(func(_ int, l *goquery.Selection) {
		if href, ok := l.Attr("href"); ok {
			info.RedirectURIs = append(info.RedirectURIs, resolved(base, href))
		}
	})
	return info
}

func resolved(base *url.URL, ref string) string {
	u, err := base.Parse(strings.TrimSpace(ref))
	if err != nil {
		return ""
	}
	return u.String()
}

// allowsRedirect says whether the client listed redirectURI as its own.
func (info clientInfo) allowsRedirect(redirectURI string) bool {
	return slices.Contains(info.RedirectURIs, redirectURI)
}
