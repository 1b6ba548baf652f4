package templates

import (
	"net/url"
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
}

// ContactCounts are the sizes shown on the tabs.
type ContactCounts struct {
	Following, Followers, Requests, Blocked int
}

// ContactItem is one remote account as the pages show it.
type ContactItem struct {
	ActorID     string
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

func contactTabURL(tab string) templ.SafeURL { return templ.SafeURL("/contacts?tab=" + tab) }

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
