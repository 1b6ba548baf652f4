package contacts

import (
	"context"
	"fmt"
	"net/http"

	"roost/templates"
)

func (c *Contacts) showContacts(w http.ResponseWriter, r *http.Request) {
	v := templates.ContactsView{Flash: c.flash(r.Context(), r.URL.Query())}
	c.renderContacts(w, r, http.StatusOK, r.URL.Query().Get("tab"), v)
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
	v.Counts = templates.ContactCounts{Following: n.Following, Followers: n.Followers, Requests: n.Requests, Blocked: n.Blocks}
	var list []Contact
	switch tab {
	case templates.ContactsTabFollowers:
		list, err = c.Followers(ctx)
	case templates.ContactsTabRequests:
		list, err = c.Requests(ctx)
	case templates.ContactsTabBlocked:
		list, err = c.Blocks(ctx)
		if err == nil {
			err = c.fillDomains(ctx, v)
		}
	default:
		tab = templates.ContactsTabFollowing
		list, err = c.Following(ctx)
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
		ActorID:       ct.ActorID,
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
		it.ProfileURL = ct.ActorID
	}
	for _, f := range ct.Fields {
		it.Fields = append(it.Fields, templates.ContactField{Name: f.Name, ValueHTML: f.ValueHTML})
	}
	switch tab {
	case templates.ContactsTabFollowing:
		it.Since = ct.FollowingSince
	case templates.ContactsTabFollowers, templates.ContactsTabRequests:
		it.Since = ct.FollowerSince
	case templates.ContactsTabBlocked:
		it.Since = ct.BlockedSince
	}
	return it
}
