package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"roost/blog"
	"roost/cmd/roost/access"
	"roost/cmd/roost/archive"
	"roost/cmd/roost/database"
	"roost/cmd/roost/mediaproxy"
	"roost/cmd/roost/settings"
	"roost/contacts"
	"roost/federation"
	"roost/feed"
	"roost/feed/cards"
	"roost/feed/mastodon"
	"roost/feed/media"
	"roost/feed/micropub"
	"roost/static"
	"roost/templates"
	"roost/templates/markdown"
)

// siteOptions are what tests change about a site: how it reaches other hosts
// and what time it is.
type siteOptions struct {
	DialContext func(ctx context.Context, network, addr string) (net.Conn, error)
	Now         func() time.Time
	// RetryBase is the first delay before a failed delivery is tried again.
	RetryBase time.Duration
	// InboxBudget bounds what one actor and one server may deliver (zero:
	// federation.DefaultInboxBudget); load runs lift it.
	InboxBudget federation.InboxBudget
	// CardTimeout bounds the fetch of a page for its preview card.
	CardTimeout time.Duration
}

// site is one running roost: every room, built in order and connected.
type site struct {
	cfg      config
	db       *sql.DB
	access   *access.Handler
	profiles *federation.Profiles
	fed      *federation.Service
	media    *media.Store
	// mediaProxy shows remote media through the site.
	mediaProxy *mediaproxy.Proxy
	// cards are the link preview cards of statuses.
	cards    *cards.Cards
	blog     *blog.Blog
	feed     *feed.Feed
	contacts *contacts.Contacts
	api      *mastodon.API
	settings *settings.SiteStore
	// imports remembers what imports brought in and the old permalinks
	// that redirect to it.
	imports *archive.Store
	// webImport is the import started from /settings/data; it runs in
	// background until life ends (the site stops).
	webImport  webImport
	background sync.WaitGroup
	life       context.Context
	endLife    context.CancelFunc
	handler    http.Handler
	// lastHousekeeping is when a provider's scheduler last pruned the
	// site's old queue rows (Run prunes by itself).
	lastHousekeeping time.Time
}

func newSite(ctx context.Context, cfg config, db *sql.DB, opt siteOptions) (*site, error) {
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	s := &site{cfg: cfg, db: db, profiles: federation.NewProfiles(db), imports: archive.NewStore(db)}
	s.life, s.endLife = context.WithCancel(context.Background())
	if err := s.profiles.Ensure(ctx, cfg.domain(), now()); err != nil {
		return nil, err
	}
	var err error
	if s.settings, err = settings.OpenSiteStore(ctx, db); err != nil {
		return nil, err
	}
	if err := s.settings.RecordURL(ctx, cfg.BaseURL); err != nil {
		return nil, err
	}
	s.access = &access.Handler{
		Store: newAccessStore(db), Secure: strings.HasPrefix(cfg.BaseURL, "https://"),
		Page: s.page, SetOwnerName: s.profiles.SetName, Now: now, Handles: s.handles,
	}

	fed, err := federation.New(ctx, federation.Config{
		DB: db, BaseURL: cfg.BaseURL, Version: version, AllowPrivate: cfg.AllowPrivate, RequireSignedFetch: cfg.RequireSignedFetch,
		DialContext: opt.DialContext, Profiles: s.profiles, RenderBio: markdown.Render, Now: now, RetryBase: opt.RetryBase,
		InboxBudget: inboxBudget(cfg.InboxBudget, opt.InboxBudget), FollowsActor: s.follows, OwnPost: s.ownPost,
		ClientAPI: federation.ClientAPI{Name: "mastodon", Version: mastodon.CompatVersion},
	})
	if err != nil {
		return nil, err
	}
	s.fed = fed
	if s.mediaProxy, err = s.newMediaProxy(fed.Client()); err != nil {
		return nil, err
	}
	s.cards = s.newCards(opt, now)
	ids, err := database.NewSequence(ctx, db, now, siteIDTables...)
	if err != nil {
		return nil, err
	}

	s.media, err = media.NewStore(db, filepath.Join(cfg.DataDir, "media"), cfg.BaseURL, int64(cfg.MaxUploadMB)<<20)
	if err != nil {
		return nil, err
	}
	s.blog = blog.New(blog.Config{
		DB: db, BaseURL: cfg.BaseURL, ActorID: fed.ActorID(), FollowersURL: fed.FollowersURL(),
		Page: s.page, SaveImage: s.saveBlogImage, Publisher: fed, Now: now, Queries: database.NewStatements(db),
		NextID:       ids.Next,
		CommentAdded: s.commentAdded, Location: s.location, FetchPage: s.fetchPage,
		WebClient: fed.Client(), SendRetry: opt.RetryBase, NoteTarget: s.noteTakesWebmentions,
		UserAgent:    "roost/" + version + " (+" + cfg.BaseURL + "/)",
		HoldComments: func() bool { return s.settings.Get().HoldComments },
		// The contacts are built next; a comment is moderated long after.
		BlockAuthor: func(ctx context.Context, actorID string) error { return s.contacts.Block(ctx, actorID) },
	})
	s.contacts = contacts.New(contacts.Config{
		DB: db, BaseURL: cfg.BaseURL, Network: fed, Page: s.page, Now: now,
		ManuallyApproves: s.manuallyApproves, SetManuallyApproves: s.setManuallyApproves,
		HTTPClient: fed.Client(), FetchJSON: s.fetchJSON, ItemArrived: s.feedItemArrived, Hide: s.hide,
	})
	s.feed = feed.New(feed.Config{
		DB: db, BaseURL: cfg.BaseURL, ActorID: fed.ActorID(), FollowersURL: fed.FollowersURL(),
		NoteLimit: cfg.NoteLimit, Page: s.page, SaveImage: s.saveNoteImage, PendingImage: s.pendingNoteImage, Publisher: fed,
		ResolveMention: s.resolveMention, Articles: articleSource{s.blog}, Profile: s.owner, Now: now,
		Follows: s.follows, IsFollower: s.contacts.IsFollower, GroupMembers: s.contacts.MembersOfGroupNamed,
		FetchObject: fed.FetchObject, FetchActor: fed.FetchActor, FetchCollection: fed.FetchCollection,
		Queries: database.NewStatements(db), NextID: ids.Next, Defaults: s.postingDefaults, Cards: s.cards,
		OnlyFollowedNotify: func() bool { return s.settings.Get().NotifyOnlyFollowing },
		InteractionURL:     fed.InteractionURL,
		Webmentions:        s.blog, NoteWebmentions: s.blog.NoteWebmentions,
		// The feed is built by now whenever the search page asks.
		FindPeople: func(ctx context.Context, q string, limit int) ([]feed.Author, error) {
			return peopleSearch{s.contacts, s.feed}.FindPeople(ctx, q, limit)
		},
	})
	if err := s.feed.IndexMissing(ctx); err != nil {
		return nil, err
	}
	fed.SetHandlers(followNotifier{s.contacts.FollowHandler(), s}, postRouter{s}, reactionRouter{s}, s.contacts.Audience(),
		s.contacts.Gatekeeper(), outboxSource{s})
	fed.SetProfileHandler(profileRouter{s})
	fed.SetQuoteHandler(s.feed)
	s.api, err = mastodon.New(mastodon.Config{
		DB: db, BaseURL: cfg.BaseURL, Version: version, ActorID: fed.ActorID(), NoteLimit: cfg.NoteLimit,
		MaxUploadBytes: int64(cfg.MaxUploadMB) << 20, Feed: s.feed, Media: s.media,
		Queries: database.NewStatements(db), Remote: mastodon.FeedRemote(s.feed), Social: socialAdapter{s.contacts},
		Lists: listsAdapter{s.contacts}, People: peopleSearch{s.contacts, s.feed},
		Articles: articlesAdapter{s.blog}, Resolve: s.resolveActor, FetchObject: fed.FetchObject,
		CheckPassword: s.access.CheckPasswordFrom, IsOwner: s.access.IsOwner, Page: s.page,
		Profile: s.profiles.Get, SaveProfile: s.saveProfile, SetPostingDefaults: s.setPostingDefaults, RenderBio: markdown.Render, Now: now,
		RateLimit: apiRateLimit(cfg.APIRateLimit), ProxyMedia: s.mediaProxy.URL, PushClient: fed.Client(), Cards: s.cards,
		SiteToken: s.siteTokenForAPI, Counts: s.accountCounts, KnownCounts: s.knownAccountCounts,
		OtherTokens: s.otherTokens, RevokeOtherToken: s.revokeOtherToken,
	})
	if err != nil {
		return nil, err
	}
	s.feed.SetEvents(cardEvents{s.api, s})
	s.access.Store.PasswordChanged = s.api.TokensRevoked
	proxies, err := newTrustedProxies(cfg.TrustedProxies)
	if err != nil {
		return nil, err
	}
	s.handler = proxies.wrap(s.inSiteTimeZone(s.withMediaProxy(s.withImageVariants(s.imports.Redirects(s.routes())))))
	return s, nil
}

// siteIDTables are the tables whose ids come from the site's one sequence;
// it starts above the largest of them.
var siteIDTables = []string{
	`SELECT MAX(id) FROM notes`, `SELECT MAX(id) FROM posts`, `SELECT MAX(id) FROM home`,
	`SELECT MAX(id) FROM notifications`, `SELECT MAX(id) FROM bookmarks`, `SELECT MAX(id) FROM post_edits`, `SELECT MAX(id) FROM note_edits`,
	`SELECT MAX(id) FROM articles`, `SELECT MAX(id) FROM comments`, `SELECT MAX(id) FROM note_webmentions`,
}

// inboxBudget is the inbox budget of the --inbox-budget scale, unless the
// caller chose one.
func inboxBudget(scale float64, chosen federation.InboxBudget) federation.InboxBudget {
	if chosen != (federation.InboxBudget{}) {
		return chosen
	}
	if scale <= 0 {
		return federation.UnlimitedInboxBudget
	}
	d := federation.DefaultInboxBudget
	burst := func(n int) int { return max(1, int(float64(n)*scale)) }
	return federation.InboxBudget{ActorBurst: burst(d.ActorBurst), ActorRate: d.ActorRate * scale,
		FollowedBurst: burst(d.FollowedBurst), FollowedRate: d.FollowedRate * scale,
		HostBurst: burst(d.HostBurst), HostRate: d.HostRate * scale}
}

// apiRateLimit translates the flag (0 = off) to the API's setting (below 0 = off).
func apiRateLimit(perSecond float64) float64 {
	if perSecond <= 0 {
		return -1
	}
	return perSecond
}

// routes mounts every room's route table on one mux. Owner-only routes are
// wrapped by each room where it registers them, with ownerOnly.
func (s *site) routes() http.Handler {
	mux := &routeTable{}
	cop := http.NewCrossOriginProtection()
	ownerOnly := func(h http.Handler) http.Handler { return cop.Handler(s.access.RequireOwner(h)) }

	mux.HandleFunc("/", s.notFound)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /health", s.health)
	mux.HandleFunc("GET /.well-known/roost-doctor/{token}", s.doctorEcho)
	mux.Handle("GET /static/", static.Handler())
	mux.Handle("GET /media/{name}", s.media)
	mux.Handle(mediaproxy.Route, s.mediaProxy)
	login := &routeTable{}
	s.access.Routes(login)
	login.seal("login")
	for _, p := range []string{"/login", "/logout", "/setup"} {
		mux.Handle(p, cop.Handler(login))
	}
	s.fed.Routes(mux)
	s.blog.Routes(mux, ownerOnly)
	s.feed.Routes(mux, ownerOnly)
	s.contacts.Routes(mux, ownerOnly)
	profileEditor := &settings.ProfileEditor{
		Profiles: s.profiles, Domain: s.cfg.domain(), Page: s.page, Changed: s.fed.ProfileChanged,
		SaveImage: func(ctx context.Context, r io.Reader, alt string) (string, error) {
			m, err := s.saveImage(ctx, r, alt, settings.ErrImageTooLarge, settings.ErrNotAnImage)
			if err == nil {
				s.makeProfileVariants(ctx, m.URL, alt == "header")
			}
			return m.URL, err
		},
	}
	profileEditor.Routes(mux, ownerOnly)
	siteEditor := &settings.SiteEditor{Store: s.settings, Page: s.page,
		ManuallyApproves: s.manuallyApproves, SetManuallyApproves: s.setManuallyApproves, Pages: s.menuChoices}
	siteEditor.Routes(mux, ownerOnly)
	s.access.AccountRoutes(mux, ownerOnly)
	mux.Handle("GET /settings", ownerOnly(http.HandlerFunc(s.settingsIndex)))
	s.dataRoutes(mux, ownerOnly)
	mux.Handle("GET /welcome", ownerOnly(http.HandlerFunc(s.showWelcome)))
	mux.Handle("POST /welcome/dismiss", ownerOnly(http.HandlerFunc(s.dismissWelcome)))
	s.contacts.InteractionPage(s.fed.FetchObject, s.keepPost).Routes(mux, ownerOnly)
	mp := &micropub.Handler{
		Publisher: micropubPublisher{s}, SaveMedia: s.saveMicropubMedia, CheckToken: s.checkToken,
		BaseURL: s.cfg.BaseURL, MaxMedia: int64(s.cfg.MaxUploadMB) << 20,
	}
	mp.Routes(mux)
	(&indieAuth{s: s, clients: newClientInfos(s.fed.Client())}).routes(mux, ownerOnly)
	s.api.Routes(mux, ownerOnly)
	mux.seal("site")
	return compressResponses(securityHeaders(s.errorPages(s.fed.RequireSignedFetch(s.negotiateRoot(mux)))))
}

// negotiateRoot answers "/" with the actor document when an ActivityPub
// client asks for it: the domain itself is the owner's identity. It also
// sends /@user@host profile addresses to remoteProfile.
func (s *site) negotiateRoot(next http.Handler) http.Handler {
	profiles := s.access.RequireOwner(http.HandlerFunc(s.remoteProfile))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/@") && r.Method == http.MethodGet {
			profiles.ServeHTTP(w, r)
			return
		}
		if r.URL.Path == "/" && r.Method == http.MethodGet && federation.WantsActivityJSON(r) {
			s.fed.ServeActor(w, r)
			return
		}
		if r.URL.Path == "/" {
			w.Header().Add("Vary", "Accept")
			// IndieAuth discovery: the domain is the owner's sign-in identity.
			w.Header().Add("Link", "<"+s.cfg.BaseURL+`/indieauth/metadata>; rel="indieauth-metadata"`)
			w.Header().Add("Link", "<"+s.cfg.BaseURL+`/indieauth/auth>; rel="authorization_endpoint"`)
			w.Header().Add("Link", "<"+s.cfg.BaseURL+`/indieauth/token>; rel="token_endpoint"`)
			w.Header().Add("Link", "<"+s.cfg.BaseURL+`/webmention>; rel="webmention"`)
		}
		next.ServeHTTP(w, r)
	})
}

// notFound answers every address no room serves: a page in the site's own
// look for browsers, rather than Go's plain-text "404 page not found", and
// a short text for everything else.
func (s *site) notFound(w http.ResponseWriter, r *http.Request) {
	if !wantsPage(r) {
		http.NotFound(w, r)
		return
	}
	templates.Render(w, r, http.StatusNotFound, templates.Message(s.page(r, "Not found"), http.StatusNotFound,
		"Not found", "There is nothing at this address. It may have moved, or the link may be mistyped."))
}

// wantsPage tells a browser, or a client that takes anything (curl's
// */*), from a program asking for data such as a peer's
// application/activity+json: only the latter gets a bare error.
func wantsPage(r *http.Request) bool {
	accept := r.Header.Get("Accept")
	if strings.Contains(accept, "text/html") {
		return true
	}
	return !strings.Contains(accept, "json") && !strings.Contains(accept, "xml")
}

func (s *site) healthz(w http.ResponseWriter, r *http.Request) {
	if err := s.db.PingContext(r.Context()); err != nil {
		slog.Error("healthz", "err", err)
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	io.WriteString(w, "ok\n")
}

// health answers as Mastodon's /health does (200 "OK"), for monitors and
// apps that probe a server with it.
func (s *site) health(w http.ResponseWriter, r *http.Request) {
	if err := s.db.PingContext(r.Context()); err != nil {
		slog.Error("health", "err", err)
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, "OK")
}

// run does the site's background work until ctx ends: deliveries, push
// messages, feed polling and scheduled posts. It returns when all of it has stopped, so
// the database can be closed after it.
func (s *site) run(ctx context.Context) {
	var wg sync.WaitGroup
	defer wg.Wait()
	defer func() {
		s.endLife()
		s.background.Wait()
	}()
	wg.Go(func() { s.fed.Run(ctx) })
	wg.Go(func() { s.contacts.Run(ctx) })
	wg.Go(func() { s.api.RunPush(ctx) })
	wg.Go(func() { s.cards.Run(ctx) })
	wg.Go(func() { s.blog.RunWebmentions(ctx) })
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for {
		s.publishScheduled(ctx)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// publishScheduled publishes the scheduled posts and statuses whose time
// has come and closes the polls that ended: run's minute tick, and the
// step a provider's scheduler runs for each hosted site.
func (s *site) publishScheduled(ctx context.Context) {
	if err := s.blog.PublishDue(ctx); err != nil && ctx.Err() == nil {
		slog.Error("publish scheduled posts", "site", s.cfg.BaseURL, "err", err)
	}
	if err := s.api.PublishDue(ctx); err != nil && ctx.Err() == nil {
		slog.Error("publish scheduled statuses", "site", s.cfg.BaseURL, "err", err)
	}
	if err := s.feed.ClosePolls(ctx); err != nil && ctx.Err() == nil {
		slog.Error("close polls", "site", s.cfg.BaseURL, "err", err)
	}
}

// stopHosted ends a hosted site's own background jobs (imports started from
// its pages) once the provider's pools have stopped, so that its database
// handle can be closed.
func (s *site) stopHosted() {
	s.endLife()
	s.background.Wait()
	s.contacts.StopImports()
}

// announceSetup prints the one-time set-up link while the owner has no password.
func (s *site) announceSetup(ctx context.Context, w io.Writer) error {
	has, err := s.access.Store.HasPassword(ctx)
	if err != nil || has {
		return err
	}
	code, err := s.access.Store.NewSetupCode(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nWelcome to roost. Choose your name and password here (the link works once):\n\n    %s/setup?code=%s\n\n", s.cfg.BaseURL, code)
	return nil
}

// handles are the addresses others type to find the owner: the bare
// domain, and the username at the domain when it differs.
func (s *site) handles(ctx context.Context) []string {
	domain := s.cfg.domain()
	out := []string{"@" + domain}
	if p, err := s.profiles.Get(ctx); err == nil && p.Username != "" {
		out = append(out, "@"+p.Username+"@"+domain)
	}
	return out
}

// settingsIndex is /settings: every section of the owner's settings, and
// where the data lives.
func (s *site) settingsIndex(w http.ResponseWriter, r *http.Request) {
	sections := []templates.SettingsSection{
		{Href: "/settings/profile", Title: "Profile", About: "Name, picture, bio and links that others see"},
		{Href: "/settings/account", Title: "Account", About: "Your address and your password"},
		{Href: "/settings/site", Title: "Site", About: "Title, tagline, language, time zone, who may follow, and who sees new notes"},
		{Href: "/settings/apps", Title: "Apps", About: "Apps that can use your account, and what each may do"},
		{Href: "/settings/data", Title: "Data", About: "Download everything, bring in a Mastodon archive or a WordPress blog, and where it is all kept"},
	}
	p := s.page(r, "Settings")
	p.Section = "settings"
	templates.Render(w, r, http.StatusOK, templates.SettingsIndex(p, sections))
}
