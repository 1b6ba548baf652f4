package contacts

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"roost/templates"
)

// showContacts lists one list of the book, chosen with ?show= (or the
// older ?tab=), filtered by the search ?q=. A search without a list
// searches the whole book.
func (c *Contacts) showContacts(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := templates.ContactsView{Flash: c.flash(r.Context(), q), Query: strings.TrimSpace(q.Get("q"))}
	show := q.Get("show")
	if show == "" {
		show = q.Get("tab")
	}
	if show == "" && v.Query != "" {
		show = templates.ContactsTabAll
	}
	c.renderContacts(w, r, http.StatusOK, show, v)
}

// renderContacts fills the chosen tab's list into v and renders the page.
func (c *Contacts) renderContacts(w http.ResponseWriter, r *http.Request, status int, tab string, v templates.ContactsView) {
	if err := c.fillContacts(r.Context(), tab, &v); err != nil {
		c.fail(w, r, err)
		return
	}
	p := c.page(r, "Contacts")
	p.Section = "contacts"
	templates.Render(w, r, status, templates.ContactsPage(p, v))
}

func (c *Contacts) fillContacts(ctx context.Context, tab string, v *templates.ContactsView) error {
	n, err := c.Count(ctx)
	if err != nil {
		return err
	}
	v.Counts = templates.ContactCounts{Following: n.Following, Followers: n.Followers, Requests: n.Requests,
		Blocked: n.Blocks, Mutuals: n.Mutuals, Feeds: n.Feeds, Muted: n.Muted}
	v.CanSetApproval = c.setApproves != nil
	if v.CanSetApproval {
		v.ManuallyApproves = c.approves(ctx)
	}
	if _, ok := listFilters[tab]; !ok {
		tab = templates.ContactsTabFollowing
	}
	list, err := c.Search(ctx, tab, v.Query)
	if err == nil && tab == templates.ContactsTabBlocked {
		err = c.fillDomains(ctx, v)
	}
	if err != nil {
		return fmt.Errorf("contacts page: %w", err)
	}
	v.Tab = tab
	v.Items = make([]templates.ContactItem, 0, len(list))
	for _, ct := range list {
		v.Items = append(v.Items, item(ct, tab))
	}
	return nil
}

func (c *Contacts) fillDomains(ctx context.Context, v *templates.ContactsView) error {
	domains, err := c.DomainBlocks(ctx)
	if err != nil {
		return err
	}
	for _, d := range domains {
		v.Domains = append(v.Domains, d.Domain)
	}
	return nil
}

// item is the view of a contact; since is taken from the relationship the
// tab lists.
func item(ct Contact, tab string) templates.ContactItem {
	it := templates.ContactItem{
		ActorID:       ct.Key(),
		IsFeed:        ct.Kind == KindFeed,
		Muted:         ct.Muted,
		Name:          ct.Name,
		Handle:        ct.Handle,
		Domain:        ct.Domain,
		AvatarURL:     ct.AvatarURL,
		HeaderURL:     ct.HeaderURL,
		ProfileURL:    ct.URL,
		SummaryHTML:   ct.SummaryHTML,
		Bot:           ct.Bot,
		Locked:        ct.Locked,
		MovedTo:       ct.MovedTo,
		Note:          ct.Note,
		Following:     ct.Following,
		Follower:      ct.Follower,
		Blocked:       ct.Blocked,
		DomainBlocked: ct.DomainBlocked,
		BlocksOwner:   ct.BlocksOwner,
	}
	if it.ProfileURL == "" {
		it.ProfileURL = ct.Key()
	}
	for _, f := range ct.Fields {
		it.Fields = append(it.Fields, templates.ContactField{Name: f.Name, ValueHTML: f.ValueHTML})
	}
	switch tab {
	case templates.ContactsTabFollowing, templates.ContactsTabFeeds, templates.ContactsTabMutuals:
		it.Since = ct.FollowingSince
	case templates.ContactsTabFollowers, templates.ContactsTabRequests:
		it.Since = ct.FollowerSince
	case templates.ContactsTabBlocked:
		it.Since = ct.BlockedSince
	}
	return it
}
