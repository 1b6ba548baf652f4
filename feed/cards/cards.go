package cards

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults of Config.
const (
	DefaultMaxBytes   = 1 << 20 // Mastodon reads at most this much of a page
	DefaultTimeout    = 10 * time.Second
	DefaultWorkers    = 4
	DefaultPerHost    = 1
	DefaultQueue      = 256
	DefaultRefreshAge = 14 * 24 * time.Hour
	DefaultFailureAge = 24 * time.Hour
	DefaultImageBytes = 8 << 20
)

// Config is what the composition root hands the cards service.
type Config struct {
	DB *sql.DB
	// Client is the site's guarded client, which refuses private
	// addresses unless the site runs in development mode.
	Client *http.Client
	// SiteOrigin is the site's own origin: links to it get no card.
	SiteOrigin string
	UserAgent  string
	Now        func() time.Time
	// MaxBytes caps a page, MaxImageBytes its picture; Timeout one fetch
	// (the page, its oEmbed answer, its picture).
	MaxBytes, MaxImageBytes int64
	Timeout                 time.Duration
	// Workers bounds the fetches in flight, PerHost those to one host;
	// Queue is how many links may wait (more are dropped until the next
	// post that names them).
	Workers, PerHost, Queue int
	// RefreshAge is how long a card is kept before its page is read
	// again; FailureAge how long a page that could not be read is left
	// alone.
	RefreshAge, FailureAge time.Duration
	// Fetched hears about a new card, with the posts that waited for it,
	// so that what shows them can be refreshed.
	Fetched func(ctx context.Context, link string, postIDs []int64)
	// DescribeImage reads the card's picture for its size and blurhash;
	// nil leaves the picture unread.
	DescribeImage func(data []byte) (width, height int, blurhash string, err error)
}

// Cards fetches, keeps and looks up preview cards.
type Cards struct {
	cfg Config
	// ready holds a token while links wait in queue; whoever takes a
	// link and leaves others puts it back for the next worker.
	ready chan struct{}

	mu sync.Mutex
	// queue holds the links waiting, at most cfg.Queue. It is a slice, not
	// a buffered channel, so that a site of a provider's thousands, which
	// rarely fetches a card, holds no room for 256 links it never queues.
	queue   []string
	waiting map[string][]int64 // link → posts, while the link is queued or in flight
	hosts   map[string]int     // fetches in flight per host
	free    *sync.Cond
	// onQueued, when set, hears of every link queued (see OnQueued).
	onQueued atomic.Pointer[func()]
}

// New builds the service; Run does its fetching.
func New(cfg Config) *Cards {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	if cfg.MaxImageBytes <= 0 {
		cfg.MaxImageBytes = DefaultImageBytes
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Workers <= 0 {
		cfg.Workers = DefaultWorkers
	}
	if cfg.PerHost <= 0 {
		cfg.PerHost = DefaultPerHost
	}
	if cfg.Queue <= 0 {
		cfg.Queue = DefaultQueue
	}
	if cfg.RefreshAge <= 0 {
		cfg.RefreshAge = DefaultRefreshAge
	}
	if cfg.FailureAge <= 0 {
		cfg.FailureAge = DefaultFailureAge
	}
	c := &Cards{cfg: cfg, ready: make(chan struct{}, 1), waiting: map[string][]int64{}, hosts: map[string]int{}}
	c.free = sync.NewCond(&c.mu)
	return c
}

// Link is the link a post's card is about (see FirstLink), for a post of
// this site.
func (c *Cards) Link(contentHTML string, skip ...string) string {
	return FirstLink(contentHTML, c.cfg.SiteOrigin, skip...)
}

// Want asks for the card of link, shown by post postID, to be fetched in
// the background if it is not known yet or is due for a refresh. It never
// waits for the network.
func (c *Cards) Want(ctx context.Context, link string, postID int64) {
	if link == "" {
		return
	}
	due, err := c.due(ctx, link)
	if err != nil {
		slog.Warn("cards: check", "url", link, "err", err)
		return
	}
	if !due {
		return
	}
	c.mu.Lock()
	ids, queued := c.waiting[link]
	if queued {
		c.waiting[link] = append(ids, postID)
		c.mu.Unlock()
		return
	}
	if len(c.queue) >= c.cfg.Queue {
		c.mu.Unlock()
		// An import of many posts fills the queue; the links of old
		// posts are not worth a warning each.
		slog.Debug("cards: queue full, link dropped", "url", link)
		return
	}
	c.waiting[link] = []int64{postID}
	c.queue = append(c.queue, link)
	c.mu.Unlock()
	c.signal()
	if fn := c.onQueued.Load(); fn != nil {
		(*fn)()
	}
}

// signal tells a waiting worker that links are queued.
func (c *Cards) signal() {
	select {
	case c.ready <- struct{}{}:
	default:
	}
}

// next takes the first queued link, if any, and passes the token on when
// more wait.
func (c *Cards) next() (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.queue) == 0 {
		return "", false
	}
	link := c.queue[0]
	c.queue = c.queue[1:]
	if len(c.queue) == 0 {
		c.queue = nil // let the backing array go
	} else {
		c.signal()
	}
	return link, true
}

// Put keeps card as the card of link, for a post that says itself what
// its page is about (a remote article), so the page need not be fetched.
func (c *Cards) Put(ctx context.Context, link string, card Card) error {
	card.Title, card.Description = clip(oneLine(card.Title), maxTitle), clip(oneLine(card.Description), maxDescription)
	if card.Type == "" {
		card.Type = TypeLink
	}
	if !card.usable() {
		return nil
	}
	return c.save(ctx, link, &card)
}

// Run fetches queued links until ctx ends, with at most Workers at a time
// and PerHost per host.
func (c *Cards) Run(ctx context.Context) {
	var wg sync.WaitGroup
	defer wg.Wait()
	stop := context.AfterFunc(ctx, func() {
		c.mu.Lock()
		c.free.Broadcast()
		c.mu.Unlock()
	})
	defer stop()
	for range c.cfg.Workers {
		wg.Go(func() {
			for {
				select {
				case <-ctx.Done():
					return
				case <-c.ready:
					if link, ok := c.next(); ok {
						c.work(ctx, link)
					}
				}
			}
		})
	}
}

// OnQueued asks to be told when a link is queued, so that a host fetching
// the cards of many sites from a shared pool (FetchQueued) instead of Run
// fetches it at once. fn must not block.
func (c *Cards) OnQueued(fn func()) { c.onQueued.Store(&fn) }

// FetchQueued fetches up to n queued links one after another and reports
// whether more wait: Run's work, one step at a time, for a host whose
// shared workers serve many sites. The host runs one step of a site at a
// time, so PerHost holds.
func (c *Cards) FetchQueued(ctx context.Context, n int) (more bool) {
	for range n {
		link, ok := c.next()
		if !ok {
			return false
		}
		c.work(ctx, link)
		if ctx.Err() != nil {
			return false
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.queue) > 0
}

// work fetches one link once its host has a free slot.
func (c *Cards) work(ctx context.Context, link string) {
	host := hostOf(link)
	c.mu.Lock()
	for c.hosts[host] >= c.cfg.PerHost && ctx.Err() == nil {
		c.free.Wait()
	}
	c.hosts[host]++
	c.mu.Unlock()
	card, err := c.fetch(ctx, link)
	c.mu.Lock()
	c.hosts[host]--
	if c.hosts[host] == 0 {
		delete(c.hosts, host)
	}
	ids := c.waiting[link]
	delete(c.waiting, link)
	c.free.Broadcast()
	c.mu.Unlock()
	if ctx.Err() != nil {
		return // the site is stopping; the link is tried again next time
	}
	if err != nil {
		slog.Info("cards: no card", "url", link, "err", err)
		card = nil
	}
	if err := c.save(ctx, link, card); err != nil {
		slog.Error("cards: save", "url", link, "err", err)
		return
	}
	if card != nil && c.cfg.Fetched != nil {
		c.cfg.Fetched(ctx, link, ids)
	}
}

// fetch reads link's page, and its oEmbed answer when it offers one.
func (c *Cards) fetch(ctx context.Context, link string) (*Card, error) {
	body, contentType, final, err := c.get(ctx, link, "text/html,application/xhtml+xml;q=0.9", c.cfg.MaxBytes, isHTML)
	if err != nil {
		return nil, err
	}
	p, err := parsePage(body, contentType, final)
	if err != nil {
		return nil, err
	}
	card := p.card
	if p.oEmbed != "" {
		if raw, _, at, err := c.get(ctx, p.oEmbed, "application/json", maxOEmbedBytes, isOEmbedJSON); err == nil {
			if o, err := parseOEmbed(raw); err == nil {
				card = mergeOEmbed(card, o, at)
			}
		}
	}
	if !card.usable() {
		return nil, errors.New("cards: the page names no title")
	}
	c.describeImage(ctx, &card)
	return &card, nil
}

// describeImage reads the card's picture for the blurhash apps show while
// it loads, and for its size when the page did not give one. A picture
// that cannot be read is dropped: the proxy could not show it either.
func (c *Cards) describeImage(ctx context.Context, card *Card) {
	if card.Image == "" || c.cfg.DescribeImage == nil {
		return
	}
	data, _, _, err := c.get(ctx, card.Image, "image/*", c.cfg.MaxImageBytes, isImage)
	if err == nil {
		var w, h int
		if w, h, card.Blurhash, err = c.cfg.DescribeImage(data); err == nil {
			if card.Type == TypeLink && (card.Width == 0 || card.Height == 0) {
				card.Width, card.Height = w, h
			}
			return
		}
	}
	slog.Info("cards: picture unreadable", "url", card.Image, "err", err)
	card.Image, card.ImageDescription, card.Blurhash = "", "", ""
	if card.Type == TypeLink {
		card.Width, card.Height = 0, 0
	}
}

func hostOf(link string) string {
	u, err := url.Parse(link)
	if err != nil {
		return link
	}
	return strings.ToLower(u.Host)
}
