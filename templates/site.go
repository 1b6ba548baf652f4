package templates

// Site is what every page needs to draw its frame: who the site belongs to,
// whether the visitor is the owner, and the links a page advertises.
type Site struct {
	Name     string // the owner's display name
	Title    string // the site's title; empty means Name
	Tagline  string
	Language string // BCP 47, the pages' lang
	// Handle is @domain, the short form that always works; LongHandle
	// is @username@domain, for servers and apps that want user@server.
	Handle     string
	LongHandle string
	BaseURL    string
	AvatarURL  string
	IsOwner    bool
	Unread     int // unread notifications, shown in the owner's navigation
	// Welcome shows the first-run guide in the owner's navigation until
	// it is dismissed.
	Welcome bool
	// Menu are the blog pages the owner put in the site menu, in order.
	Menu []NavPage
}

// NavPage is a link of the site menu to one of the blog's pages.
type NavPage struct {
	Title, URL string
}

// Alternate is a <link rel="alternate"> (syndication feeds, ActivityStreams).
type Alternate struct {
	Type, Title, Href string
}

// Page describes one HTML page: its title and the head links that belong to it.
type Page struct {
	Site        Site
	Title       string
	Description string
	Canonical   string
	Alternates  []Alternate
	// Micropub advertises the Micropub endpoint (rel="micropub") on the home page.
	Micropub string
	// IndieAuth is the site's base URL on the front page, which advertises
	// the IndieAuth metadata and endpoints there.
	IndieAuth string
	// Webmention advertises the Webmention endpoint (rel="webmention").
	Webmention string
	// Section names the navigation entry to mark as current ("home", "blog", "notes", ...).
	Section string
	// Share, when set, gives the OpenGraph and Twitter-card tags that link
	// previews on other sites and apps read.
	Share *ShareCard
}

// ShareCard is what a link preview shows: absolute URLs, plain text.
type ShareCard struct {
	Type, Title, Description, URL, Image, SiteName string
}

// TwitterCard is the card kind: a large image when there is one.
func (c ShareCard) TwitterCard() string {
	if c.Image != "" {
		return "summary_large_image"
	}
	return "summary"
}

// SiteTitle names the site: the title the owner chose, or their name.
func (s Site) SiteTitle() string {
	if s.Title != "" {
		return s.Title
	}
	return s.Name
}

// Lang is the pages' language, English when none was chosen.
func (s Site) Lang() string {
	if s.Language != "" {
		return s.Language
	}
	return "en"
}

// FullTitle is the document title: the page title followed by the site title.
func (p Page) FullTitle() string {
	site := p.Site.SiteTitle()
	if p.Title == "" || p.Title == site || p.Title == p.Site.Name {
		return site
	}
	return p.Title + " · " + site
}

// MetaDescription is the page's description, or the site's tagline.
func (p Page) MetaDescription() string {
	if p.Description != "" {
		return p.Description
	}
	return p.Site.Tagline
}
