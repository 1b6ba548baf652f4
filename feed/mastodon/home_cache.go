package mastodon

import (
	"net/http"
	"sync"
	"time"
)

// homePageLife is how long an answer of the home timeline is reused. Apps
// poll the home timeline over and over with the same parameters; for a
// second they get the same bytes. Every write through the API and every
// status or notification event from the feed room clears the cache at
// once, so the owner's own actions and arriving posts show without delay;
// only counts changed by others (a like from elsewhere) may lag by a second.
const homePageLife = time.Second

// homeCache holds rendered pages of the home timeline by request.
type homeCache struct {
	mu      sync.Mutex
	gen     uint64 // bumped by clear, so a page rendered before it is not kept
	entries map[string]homePage
	// sweeping is set while a timer is due to drop expired pages: a page
	// is of no use after homePageLife, and a provider's thousand sites,
	// most of them read now and then, would otherwise each keep their last
	// pages for good.
	sweeping bool
}

type homePage struct {
	at   time.Time
	link string
	body []byte
}

// maxHomePages bounds the cache: a handful of apps, a few pages each.
const maxHomePages = 64

func (c *homeCache) get(key string, now time.Time) (homePage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.entries[key]
	return p, ok && now.Sub(p.at) < homePageLife
}

// generation is read before rendering; put keeps the page only if no clear
// happened meanwhile.
func (c *homeCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

func (c *homeCache) put(key string, gen uint64, p homePage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.entries == nil || len(c.entries) >= maxHomePages {
		c.entries = map[string]homePage{}
	}
	c.entries[key] = p
	if !c.sweeping {
		c.sweeping = true
		time.AfterFunc(homePageLife, c.sweep)
	}
}

// sweep drops the pages that have expired, and comes back while some
// remain.
func (c *homeCache) sweep() {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	for k, p := range c.entries {
		if now.Sub(p.at) >= homePageLife {
			delete(c.entries, k)
		}
	}
	if len(c.entries) == 0 {
		c.entries = nil
		c.sweeping = false
		return
	}
	time.AfterFunc(homePageLife, c.sweep)
}

// size is how many pages the cache holds.
func (c *homeCache) size() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

func (c *homeCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.entries = nil
}

// pageRecorder keeps what a handler writes so that it can be reused.
type pageRecorder struct {
	http.ResponseWriter
	status int
	body   []byte
	kept   bool // body came whole from keep
}

func (p *pageRecorder) WriteHeader(status int) {
	p.status = status
	p.ResponseWriter.WriteHeader(status)
}

func (p *pageRecorder) Write(b []byte) (int, error) {
	if !p.kept {
		p.body = append(p.body, b...)
	}
	return p.ResponseWriter.Write(b)
}

// keep takes body, which writeJSON is about to write, as the whole answer
// and owns it from then on, saving a copy.
func (p *pageRecorder) keep(body []byte) {
	p.body, p.kept = body, true
}

// cachedHome serves the home timeline from the cache when it can, and
// otherwise renders it with render and keeps a successful answer.
func (a *API) cachedHome(w http.ResponseWriter, r *http.Request, t *token, render func(http.ResponseWriter)) {
	key := r.URL.RawQuery
	if t != nil && t.owner {
		key = "owner?" + key
	}
	now := time.Now()
	if p, ok := a.homePages.get(key, now); ok {
		if p.link != "" {
			w.Header().Set("Link", p.link)
		}
		writeRaw(w, p.body)
		return
	}
	gen := a.homePages.generation()
	rec := &pageRecorder{ResponseWriter: w, status: http.StatusOK}
	render(rec)
	if rec.status == http.StatusOK {
		a.homePages.put(key, gen, homePage{at: now, link: w.Header().Get("Link"), body: rec.body})
	}
}

// writeRaw writes a JSON body that was rendered before.
func writeRaw(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(body)
}
