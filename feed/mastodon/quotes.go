package mastodon

import (
	"net/http"

	"roost/federation/vocab"
	"roost/feed"
)

// Quote is Mastodon 4.5's Quote entity: the state of the quote and, when
// it may be shown, the quoted status.
type Quote struct {
	State        string  `json:"state"`
	QuotedStatus *Status `json:"quoted_status"`
}

// Quote states, as Mastodon names them (the rest are feed's: pending,
// rejected, revoked, unauthorized).
const (
	quoteAccepted    = feed.QuoteAccepted
	quoteUnavailable = "deleted" // the quoted post is gone or was never fetched
)

// QuoteApproval is Mastodon 4.5's quote_approval of a status: who is
// approved automatically or by hand, and what the owner would get.
type QuoteApproval struct {
	Automatic   []string `json:"automatic"`
	Manual      []string `json:"manual"`
	CurrentUser string   `json:"current_user"`
}

// ownQuotePolicy reads the stored policy of one of the owner's notes;
// notes from before policies were open to anyone.
func ownQuotePolicy(policy string) string {
	if vocab.ValidQuotePolicy(policy) {
		return policy
	}
	return vocab.QuotePolicyPublic
}

// quoteApproval describes who may quote p. The owner may always quote
// their own posts; a remote post's policy decides for the owner as it
// would for anyone (a post that says nothing takes quotes as they come,
// which Mastodon calls an unsupported policy).
func (r *renderer) quoteApproval(p Post) QuoteApproval {
	out := QuoteApproval{Automatic: []string{}, Manual: []string{}, CurrentUser: "automatic"}
	own := p.Author == nil || p.Author.ID == r.a.cfg.ActorID
	switch p.QuotePolicy {
	case vocab.QuotePolicyPublic:
		out.Automatic = []string{"public"}
	case vocab.QuotePolicyFollowers:
		out.Automatic = []string{"followers"}
		if !own && !r.a.cfg.Feed.OwnerFollows(r.ctx, p.Author.ID) {
			out.CurrentUser = "denied"
		}
	case vocab.QuotePolicyNobody:
		if !own {
			out.CurrentUser = "denied"
		}
	default:
		out.Automatic = []string{"unsupported_policy"}
	}
	if p.Visibility != feed.VisibilityPublic && p.Visibility != feed.VisibilityUnlisted {
		out.CurrentUser = "denied"
	}
	return out
}

// quoteState is where p's quote stands, as the feed room works it out.
func (r *renderer) quoteState(p Post) string {
	fp := feed.Post{ObjectID: p.ObjectID, QuoteOf: p.QuoteOf, QuoteState: p.QuoteState,
		QuoteAuthorization: p.QuoteAuthorization, Local: p.Author == nil || p.Author.ID == r.a.cfg.ActorID}
	if p.Author != nil {
		fp.Author.ActorID = p.Author.ID
	}
	return r.a.cfg.Feed.QuoteState(r.ctx, fp)
}

// quoteShown tells whether a quote in this state shows the quoted status:
// accepted, and pending (the quoting author sees what they quoted while
// they wait, as Mastodon's apps show it).
func quoteShown(state string) bool { return state == feed.QuoteAccepted || state == feed.QuotePending }

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
// quote of its own: one level, as Mastodon's apps nest it. A quote the
// quoted author refused or took back carries its state and no status.
func (r *renderer) attachQuotes(posts []Post, out []Status) error {
	if r.quoted {
		return nil
	}
	type slot struct {
		status  *Status
		quoteOf string
		state   string
	}
	var slots []slot
	for i, p := range posts {
		s := &out[i]
		if p.Reblog != nil {
			p, s = *p.Reblog, s.Reblog
		}
		if p.QuoteOf == "" || s == nil {
			continue
		}
		state := r.quoteState(p)
		if !quoteShown(state) {
			s.Quote = &Quote{State: state}
			continue
		}
		slots = append(slots, slot{s, p.QuoteOf, state})
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
		slots[i].status.Quote = &Quote{State: slots[i].state, QuotedStatus: &st}
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

func (a *API) quoteRoutes(mux Mux) {
	a.handle(mux, "GET /api/v1/statuses/{id}/quotes", "read:statuses", a.listQuotes)
	a.handle(mux, "POST /api/v1/statuses/{id}/quotes/{quoting}/revoke", "write:statuses", a.revokeQuote)
	a.handle(mux, "PUT /api/v1/statuses/{id}/interaction_policy", "write:statuses", a.setInteractionPolicy)
}

// maxQuotesListed is the most quotes GET /statuses/:id/quotes lists (its
// limit parameter defaults to 20, as Mastodon's does).
const maxQuotesListed = 40

// listQuotes is Mastodon 4.5's list of the statuses quoting one of the
// owner's statuses; others' statuses answer 403, as Mastodon's do. Quotes
// the owner refused or took back are left out.
func (a *API) listQuotes(w http.ResponseWriter, r *http.Request, t *token) {
	post, ok := a.ownNoteParam(w, r, t)
	if !ok {
		return
	}
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	limit := min(max(p.integer("limit", 20), 1), maxQuotesListed)
	quotes, err := a.cfg.Feed.QuotesOf(r.Context(), post.ObjectID, limit)
	if err != nil {
		fail(w, r, err)
		return
	}
	remote := FeedRemote(a.cfg.Feed).(feedRemote)
	var list []Post
	for _, q := range quotes {
		if quoteShown(a.cfg.Feed.QuoteState(r.Context(), q)) {
			list = append(list, remote.post(q))
		}
	}
	statuses, err := a.newRenderer(r.Context()).statuses(list)
	writeResult(w, r, statuses, err)
}

// revokeQuote is Mastodon 4.5's POST /statuses/:id/quotes/:quoting/revoke:
// the owner takes back a quote of their status; the answer is the
// quoting status, its quote now revoked.
func (a *API) revokeQuote(w http.ResponseWriter, r *http.Request, t *token) {
	post, ok := a.ownNoteParam(w, r, t)
	if !ok {
		return
	}
	quotingID, ok := parseID(r.PathValue("quoting"))
	if !ok {
		notFound(w)
		return
	}
	quoting, _, err := a.findPost(r.Context(), quotingID)
	if err != nil || quoting.QuoteOf != post.ObjectID {
		notFound(w)
		return
	}
	if _, err := a.cfg.Feed.RevokeQuote(r.Context(), post.ID, quoting.ObjectID); err != nil {
		if isNotFound(err) {
			notFound(w)
			return
		}
		fail(w, r, err)
		return
	}
	quoting, _, err = a.findPost(r.Context(), quotingID)
	if err != nil {
		fail(w, r, err)
		return
	}
	s, err := a.newRenderer(r.Context()).one(quoting)
	writeResult(w, r, s, err)
}

// setInteractionPolicy is Mastodon 4.5's PUT /statuses/:id/interaction_policy:
// it changes who may quote one of the owner's statuses and sends the
// status again with its new policy.
func (a *API) setInteractionPolicy(w http.ResponseWriter, r *http.Request, t *token) {
	post, ok := a.ownNoteParam(w, r, t)
	if !ok {
		return
	}
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	policy := p.get("quote_approval_policy")
	if !vocab.ValidQuotePolicy(policy) {
		unprocessable(w, "quote_approval_policy must be public, followers or nobody")
		return
	}
	if err := a.cfg.Feed.SetQuotePolicy(r.Context(), post.ID, policy); err != nil {
		fail(w, r, err)
		return
	}
	a.writeStatus(w, r, post.ID)
}
