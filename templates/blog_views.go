package templates

import "time"

// The blog's view models. The blog room fills them; HTML fields hold markup
// that was rendered by templates/markdown or sanitized when it arrived.

// BlogTag is a tag link.
type BlogTag struct{ Name, URL string }

// BlogSummary is one post in a listing.
type BlogSummary struct {
	Title, URL, Summary string
	Published           time.Time
	Tags                []BlogTag
}

// BlogList is the blog index or a tag page.
type BlogList struct {
	Heading string
	Posts   []BlogSummary
	// OlderURL links the next page of older posts; empty on the last page.
	OlderURL string
	// Feeds are shown as links under the list (the head gets them too).
	Feeds []Alternate
	// NewURL is the editor link, shown to the owner.
	NewURL string
}

// BlogComment is a reply from the fediverse, with its own replies.
type BlogComment struct {
	ID string
	// Held waits for approval; Moderate shows the owner's buttons, and
	// CanBlock the one that blocks the author.
	Held, Moderate, CanBlock                          bool
	AuthorName, AuthorHandle, AuthorURL, AuthorAvatar string
	ContentHTML, URL                                  string
	Published                                         time.Time
	Replies                                           []BlogComment
	// Via labels a comment that came from a web page by Webmention
	// ("A web reply", "Liked this"...); empty for fediverse replies.
	Via string
}

// BlogArticle is one post or page.
type BlogArticle struct {
	Title, HTML        string
	Published, Updated time.Time
	Tags               []BlogTag
	// IsPage hides the date, tags and comments: pages are site furniture.
	IsPage bool
	// Status is "Draft" or "Scheduled" when only the owner can see it.
	Status        string
	EditURL       string
	Likes, Boosts int
	Comments      []BlogComment
	// AuthorName and AuthorURL credit the post to the site's owner.
	AuthorName, AuthorURL string
	// Newer and Older are the neighbouring posts; nil at either end.
	Newer, Older *BlogLink
}

// BlogLink names another post.
type BlogLink struct{ Title, URL string }

// BlogManageRow is one line of the owner's overview.
type BlogManageRow struct {
	Title, URL, EditURL, DeleteURL string
	Status                         string // Published, Draft or Scheduled
	Kind                           string // Post or Page
	Published                      time.Time
}

// BlogEditor is the writing form, with what was typed, a problem to show
// and an optional preview.
type BlogEditor struct {
	Heading string
	// Action is where "Save" posts; Original is the slug being edited
	// (empty for a new article), carried through preview and upload.
	Action, Original                            string
	Title, Body, Slug, Tags, Summary, PublishAt string
	// TimeZone names the zone PublishAt is in (the site's).
	TimeZone        string
	Draft, Page     bool
	Problem, Notice string
	PreviewHTML     string
	DeleteURL       string
	// Autosave lets the editor's script save the text as a draft while it
	// is written: a new post or a draft, never a published post.
	Autosave bool
}

// BlogDelete is the confirmation step before deleting.
type BlogDelete struct {
	Title, URL, Action string
}
