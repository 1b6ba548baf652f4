package contacts

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"

	"roost/templates"
)

// showContact shows one account (?actor=) or feed (?feed=, or its URL in
// ?actor=). An account the book has not met yet (a link from the home
// timeline, say) is fetched and kept, so every author can be looked at,
// noted and followed from here.
func (c *Contacts) showContact(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	key := r.URL.Query().Get("actor")
	if key == "" {
		key = r.URL.Query().Get("feed")
	}
	if !isWebURL(key) {
		badRequest(c, w, r, "Which account? The address names none.")
		return
	}
	ct, err := c.Get(ctx, key)
	if errors.Is(err, ErrNotFound) {
		if a, ferr := c.net.FetchActor(ctx, key, false); ferr == nil && a != nil && a.ID == key {
			if _, err = c.saveActor(ctx, a); err == nil {
				ct, err = c.Get(ctx, key)
			}
		}
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v, err := c.contactPage(ctx, ct)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v.Flash = c.flash(ctx, r.URL.Query())
	p := c.page(r, ct.DisplayName())
	p.Section = "contacts"
	templates.Render(w, r, http.StatusOK, templates.ContactPage(p, v))
}

// contactPage gathers a contact's page: groups, feed status, recent posts.
// Recent posts that cannot be read leave a word on the page, not an error.
func (c *Contacts) contactPage(ctx context.Context, ct Contact) (templates.ContactPageView, error) {
	v := templates.ContactPageView{Contact: item(ct, "")}
	all, err := c.Groups(ctx)
	if err != nil {
		return v, err
	}
	mine, err := c.GroupsOf(ctx, ct.Key())
	if err != nil {
		return v, err
	}
	for _, g := range all {
		member := slices.ContainsFunc(mine, func(m Group) bool { return m.ID == g.ID })
		v.Groups = append(v.Groups, templates.ContactGroupChoice{ID: g.ID, Title: g.Title, Member: member})
	}
	if ct.Kind == KindFeed {
		st, err := c.FeedStatus(ctx, ct.FeedURL)
		if err != nil {
			return v, err
		}
		v.Feed = templates.ContactFeedStatus{Subscribed: st.Subscribed, LastFetch: st.LastFetch, NextFetch: st.NextFetch, LastError: st.LastError}
	}
	posts, err := c.RecentPosts(ctx, ct)
	if err != nil {
		slog.Info("contacts: recent posts", "contact", ct.Key(), "err", err)
		v.PostsProblem = "Their recent posts could not be fetched just now."
	}
	for _, p := range posts {
		v.Posts = append(v.Posts, templates.ContactPost{URL: p.URL, Title: p.Title, SummaryHTML: p.SummaryHTML,
			ContentHTML: p.ContentHTML, Image: p.Image, Warning: p.Warning, Published: p.Published, Boost: p.Boost != ""})
	}
	return v, nil
}
