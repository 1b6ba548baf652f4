package mastodon

import (
	"roost/feed"
)

// Quote is Mastodon 4.5's Quote entity: the state of the quote and, when
// it may be shown, the quoted status.
type Quote struct {
	State        string  `json:"state"`
	QuotedStatus *Status `json:"quoted_status"`
}

// Quote states, as Mastodon names them.
const (
	quoteAccepted    = "accepted"
	quoteUnavailable = "deleted" // the quoted post is gone or was never fetched
)

// loadQuoteCounts reads the quotes_count of a page's posts in one query.
func (r *renderer) loadQuoteCounts(posts []Post) error {
	var ids []string
	for _, p := range posts {
		for _, q := range []*Post{&p, p.Reblog} {
			if q != nil && q.ObjectID != "" {
				ids = append(ids, q.ObjectID)
			}
		}
	}
	counts, err := r.a.cfg.Feed.QuoteCounts(r.ctx, ids)
	if err != nil {
		return err
	}
	r.quoteCounts = counts
	return nil
}

// attachQuotes fills the quote of each rendered status whose post quotes
// another, the quoted ones rendered together. A quoted status shows no
// quote of its own: one level, as Mastodon's apps nest it.
func (r *renderer) attachQuotes(posts []Post, out []Status) error {
	if r.quoted {
		return nil
	}
	type slot struct {
		status  *Status
		quoteOf string
	}
	var slots []slot
	for i, p := range posts {
		s := &out[i]
		if p.Reblog != nil {
			p, s = *p.Reblog, s.Reblog
		}
		if p.QuoteOf != "" && s != nil {
			slots = append(slots, slot{s, p.QuoteOf})
		}
	}
	if len(slots) == 0 {
		return nil
	}
	var found []Post
	var at []int
	for i, sl := range slots {
		q, err := r.a.postByObjectID(r.ctx, sl.quoteOf)
		if err != nil {
			if !isNotFound(err) {
				return err
			}
			sl.status.Quote = &Quote{State: quoteUnavailable}
			continue
		}
		found, at = append(found, q), append(at, i)
	}
	if len(found) == 0 {
		return nil
	}
	inner := &renderer{a: r.a, ctx: r.ctx, owner: r.owner, noteBase: r.noteBase, quoted: true}
	statuses, err := inner.statuses(found)
	if err != nil {
		return err
	}
	for j, i := range at {
		st := statuses[j]
		slots[i].status.Quote = &Quote{State: quoteAccepted, QuotedStatus: &st}
	}
	return nil
}

// quotedObject reads quoted_status_id: the object id of a post the owner
// can see, or a problem for the app.
func (a *API) quotedObject(p *params, find func(int64) (Post, error)) (string, string) {
	raw := p.get("quoted_status_id")
	if raw == "" {
		return "", ""
	}
	id, ok := parseID(raw)
	if !ok {
		return "", "quoted_status_id is not a status"
	}
	q, err := find(id)
	if err != nil || q.Reblog != nil {
		return "", "The status you quote does not exist"
	}
	if q.Visibility != feed.VisibilityPublic && q.Visibility != feed.VisibilityUnlisted {
		return "", "This status cannot be quoted"
	}
	return q.ObjectID, ""
}
