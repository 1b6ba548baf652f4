package templates

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/a-h/templ"
)

// Tabs of the contacts page.
const (
	ContactsTabFollowing = "following"
	ContactsTabFollowers = "followers"
	ContactsTabRequests  = "requests"
	ContactsTabBlocked   = "blocked"
	ContactsTabMutuals   = "mutuals"
	ContactsTabFeeds     = "feeds"
	ContactsTabMuted     = "muted"
	// ContactsTabAll is the search of the whole book.
	ContactsTabAll = "all"
)

// ContactsView is the owner's contacts page: the follow box, one list chosen
// by a tab, and what happened last.
type ContactsView struct {
	Tab    string
	Counts ContactCounts
	Items  []ContactItem
	// Domains are the blocked domains, listed on the blocked tab.
	Domains []string
	// Flash reports what the last action did.
	Flash string
	// Handle is what was typed in the follow box, kept when following failed;
	// Problem says why, Tried lists the steps taken, Feeds the syndication
	// feeds found where no account was.
	Handle  string
	Problem string
	Tried   []string
	Feeds   []string
	// Query is the search typed in the filter box.
	Query string
	// ManuallyApproves is the setting; CanSetApproval shows its form.
	ManuallyApproves bool
	CanSetApproval   bool
}

// ContactCounts are the sizes shown on the tabs.
type ContactCounts struct {
	Following, Followers, Requests, Blocked int
	Mutuals, Feeds, Muted                   int
}

// ContactItem is one remote account or feed as the pages show it.
type ContactItem struct {
	// ActorID names the contact in forms: the actor id of an account, the
	// feed URL of a feed (IsFeed).
	ActorID     string
	IsFeed      bool
	Muted       bool
	Name        string
	Handle      string // user@host
	Domain      string
	AvatarURL   string
	HeaderURL   string
	ProfileURL  string
	SummaryHTML string // sanitized when the actor document arrived
	Fields      []ContactField
	Bot         bool
	Locked      bool
	MovedTo     string
	Note        string

	Following     string // "", "pending", "accepted" or "rejected"
	Follower      string // "", "pending" or "accepted"
	Blocked       bool
	DomainBlocked bool
	BlocksOwner   bool
	Since         time.Time // when the relationship of the list began
}

// ContactField is a profile metadata row; ValueHTML is sanitized.
type ContactField struct {
	Name, ValueHTML string
}

// ContactViewURL is the address of a contact's page.
func ContactViewURL(actorID string) string {
	return "/contacts/view?actor=" + url.QueryEscape(actorID)
}

func contactViewURL(actorID string) templ.SafeURL { return templ.SafeURL(ContactViewURL(actorID)) }

// contactInitial is the letter shown when an account has no avatar.
func contactInitial(c ContactItem) string {
	name := strings.TrimLeft(c.Name, "@ ")
	if name == "" {
		name = strings.TrimLeft(c.Handle, "@")
	}
	r, _ := utf8.DecodeRuneInString(name)
	if r == utf8.RuneError {
		return "?"
	}
	return strings.ToUpper(string(r))
}

func contactName(c ContactItem) string {
	switch {
	case c.Name != "":
		return c.Name
	case c.Handle != "":
		return c.Handle
	}
	return c.ActorID
}

// contactHTML writes remote HTML that vocab sanitized when it arrived
// (bios and profile fields); it is the only raw output of the contacts pages.
func contactHTML(s string) templ.Component { return templ.Raw(s) }

// contactBack is where an action on the current tab returns to.
func contactBack(tab string) string { return "/contacts?tab=" + tab }

// contactsEmpty is what an empty list says.
func contactsEmpty(tab string) string {
	switch tab {
	case ContactsTabFollowers:
		return "Nobody follows you yet. Share your handle!"
	case ContactsTabRequests:
		return "No follow requests are waiting."
	case ContactsTabBlocked:
		return "You have not blocked anyone."
	case ContactsTabMutuals:
		return "Nobody you follow follows you back yet."
	case ContactsTabFeeds:
		return "You follow no web feeds. Type a site's address above to follow its feed."
	case ContactsTabMuted:
		return "You have not muted anyone."
	case ContactsTabAll:
		return "No contact matches."
	}
	return "You do not follow anyone yet. Type a handle above to start."
}

// contactCurrent marks the current tab; an empty aria-current would read
// as "false" to screen readers, so the attribute is left out instead.
func contactCurrent(current bool) templ.Attributes {
	if current {
		return templ.Attributes{"aria-current": "page"}
	}
	return templ.Attributes{}
}

// ContactPageView is one contact's page.
type ContactPageView struct {
	Contact ContactItem
	Flash   string
	// Groups are all the owner's groups, with the contact's marked.
	Groups []ContactGroupChoice
	Posts  []ContactPost
	// PostsProblem says why the recent posts could not be read.
	PostsProblem string
	Feed         ContactFeedStatus
}

// ContactGroupChoice is a group as a checkbox of the contact page.
type ContactGroupChoice struct {
	ID     int64
	Title  string
	Member bool
}

// ContactPost is a recent post of a contact; the HTML is sanitized.
type ContactPost struct {
	URL, Title, SummaryHTML, ContentHTML, Image string
	// Warning is a content warning; the post is collapsed behind it.
	Warning   string
	Published time.Time
	Boost     bool
}

// ContactFeedStatus is how the polling of a feed goes.
type ContactFeedStatus struct {
	Subscribed           bool
	LastFetch, NextFetch time.Time
	LastError            string
}

// ContactGroupsView is the page that manages groups.
type ContactGroupsView struct {
	Groups  []ContactGroup
	Flash   string
	Problem string
}

// ContactGroup is a group with its size.
type ContactGroup struct {
	ID      int64
	Title   string
	Members int
}

// ContactImportView is an import's progress and outcome.
type ContactImportView struct {
	ID               int64
	Kind             string
	Done             bool
	Total, Processed int
	Added, Skipped   int
	Failures         []ContactImportFailure
}

// ContactImportFailure is one row that could not be imported.
type ContactImportFailure struct {
	Row           int
	Input, Reason string
}

func contactGroupURL(id int64) string { return strconv.FormatInt(id, 10) }

func contactShowURL(show, q string) templ.SafeURL {
	u := "/contacts?show=" + url.QueryEscape(show)
	if q != "" {
		u += "&q=" + url.QueryEscape(q)
	}
	return templ.SafeURL(u)
}

// ContactExportURL is the vCard of one contact.
func ContactExportURL(actorID string) string {
	return "/contacts/export.vcf?actor=" + url.QueryEscape(actorID)
}

func urlQuery(s string) string { return url.QueryEscape(s) }

func contactBool(b bool) string { return strconv.FormatBool(b) }

// contactWhen is a fetch time, or "never".
func contactWhen(ctx context.Context, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return humanDateTime(ctx, t)
}
