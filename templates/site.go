package templates

// Site is what every page needs to draw its frame: who the site belongs to,
// whether the visitor is the owner, and the links a page advertises.
type Site struct {
	Name      string // the owner's display name
	Handle    string // @username@domain
	BaseURL   string
	AvatarURL string
	IsOwner   bool
	Unread    int // unread notifications, shown in the owner's navigation
	// Welcome shows the first-run guide in the owner's navigation until
	// it is dismissed.
	Welcome bool
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
	// Section names the navigation entry to mark as current ("home", "blog", "notes", ...).
	Section string
}

// FullTitle is the document title: the page title followed by the site name.
func (p Page) FullTitle() string {
	if p.Title == "" || p.Title == p.Site.Name {
		return p.Site.Name
	}
	return p.Title + " · " + p.Site.Name
}
