package contacts

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"roost/federation"
	"roost/federation/vocab"
	"roost/templates"
)

// maxInteractionURI bounds the uri parameter; real handles and post URLs
// are far shorter.
const maxInteractionURI = 2048

// InteractionPage serves GET /authorize_interaction, the address that the
// owner's WebFinger document gives as its "subscribe" template. A Mastodon
// user who wants to follow someone or answer a post from their own
// server (the "remote follow / interact" dialog) types their handle there,
// and that server sends them here with ?uri= naming the account or post. The
// page sends the owner on to where roost offers the action: the contact page
// for an account (with its Follow button), the thread view for a post.
type InteractionPage struct {
	// BaseURL is the site's origin; a uri on it names one of the owner's
	// own pages, which needs no fetching.
	BaseURL string
	Page    func(r *http.Request, title string) templates.Page
	// Resolve finds the actor named by a handle, a domain or a URL (the
	// follow box's resolution).
	Resolve func(ctx context.Context, input string) (*vocab.Actor, error)
	// FetchObject fetches a URL as ActivityStreams (the federation room's
	// Service.FetchObject).
	FetchObject func(ctx context.Context, id string) (*vocab.Object, error)
	// Keep stores a fetched post and its author, so that the thread view,
	// which shows only stored posts, can show it. Nil leaves that to the
	// thread view.
	Keep func(ctx context.Context, obj *vocab.Object, author *vocab.Actor) error
}

// InteractionPage builds the page on the room's own resolution (the follow
// box's); fetchObject fetches a URL as ActivityStreams (the federation
// room's FetchObject) and keep (optional) stores posts.
func (c *Contacts) InteractionPage(fetchObject func(context.Context, string) (*vocab.Object, error),
	keep func(context.Context, *vocab.Object, *vocab.Actor) error) *InteractionPage {
	return &InteractionPage{
		BaseURL: c.base,
		Page:    c.page,
		Resolve: func(ctx context.Context, input string) (*vocab.Actor, error) {
			res, err := c.net.Resolve(ctx, input)
			if err != nil {
				return nil, err
			}
			if res.Actor == nil {
				// A site with only feeds has no account to follow from here.
				return nil, federation.ErrUnresolvable
			}
			return res.Actor, nil
		},
		FetchObject: fetchObject,
		Keep:        keep,
	}
}

// Routes registers the page behind ownerOnly: a visitor who is not the
// owner is asked to log in first and comes back to the same address.
//
// The GET only shows what was asked for and a button: looking a remote
// address up fetches it and stores the post, and any page on the web can
// send the owner's browser to a GET. The button's POST goes through
// ownerOnly's cross-origin protection.
func (p *InteractionPage) Routes(mux Mux, ownerOnly func(http.Handler) http.Handler) {
	mux.Handle("GET /authorize_interaction", ownerOnly(http.HandlerFunc(p.confirm)))
	mux.Handle("POST /authorize_interaction", ownerOnly(http.HandlerFunc(p.authorize)))
}

// errNotInteractable marks a document that is neither an account nor a post.
var errNotInteractable = errors.New("neither an account nor a post")

// confirm reads ?uri= and shows it with the button that looks it up. A uri
// that names this site needs no lookup and is followed at once.
func (p *InteractionPage) confirm(w http.ResponseWriter, r *http.Request) {
	uri, ok := p.readURI(w, r, r.URL.Query().Get("uri"))
	if !ok {
		return
	}
	if local, ok := p.localTarget(uri); ok {
		http.Redirect(w, r, local, http.StatusSeeOther)
		return
	}
	templates.Render(w, r, http.StatusOK, templates.InteractionConfirm(p.Page(r, "Follow or answer"), uri))
}

// readURI checks the uri parameter, answering with an error page itself.
func (p *InteractionPage) readURI(w http.ResponseWriter, r *http.Request, raw string) (string, bool) {
	uri := strings.TrimSpace(raw)
	switch {
	case uri == "":
		p.fail(w, r, http.StatusBadRequest, "Nothing to look up",
			"The link names no account or post. It should end in ?uri= followed by a handle such as @someone@example.social, or the address of a post.")
		return "", false
	case len(uri) > maxInteractionURI || strings.ContainsAny(uri, " \t\r\n"):
		p.fail(w, r, http.StatusBadRequest, "Not an address",
			"The link's uri is not a handle or a web address.")
		return "", false
	}
	return uri, true
}

// authorize reads the confirmed uri, looks it up and redirects to the
// local page for it.
func (p *InteractionPage) authorize(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4*maxInteractionURI)
	uri, ok := p.readURI(w, r, r.PostFormValue("uri"))
	if !ok {
		return
	}
	target, err := p.target(r.Context(), uri)
	switch {
	case errors.Is(err, errNotInteractable):
		p.fail(w, r, http.StatusBadRequest, "Nothing to follow or answer",
			"The address "+uri+" was found, but it is neither an account nor a post.")
		return
	case errors.Is(err, errKeep):
		slog.Error("authorize interaction: keep post", "uri", uri, "err", err)
		p.fail(w, r, http.StatusInternalServerError, "Something went wrong",
			"The post was found but could not be saved here. Please try again in a moment.")
		return
	case err != nil:
		slog.Info("authorize interaction: lookup", "uri", uri, "err", err)
		p.fail(w, r, http.StatusBadRequest, "Not found",
			"No account or post could be found at "+uri+". Check the handle or address, or try again later if its server is down.")
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// errKeep marks a failure to store a post that was found.
var errKeep = errors.New("keep post")

// target works out the local page for uri: the owner's own page for
// something on this site, the contact page for an account, the thread view
// for a post.
func (p *InteractionPage) target(ctx context.Context, uri string) (string, error) {
	if local, ok := p.localTarget(uri); ok {
		return local, nil
	}
	if !isHTTPURL(uri) {
		a, err := p.Resolve(ctx, uri)
		if err != nil {
			return "", err
		}
		return contactViewURL(a.ID), nil
	}
	// A URL may name an account or a post, and following a post to its
	// author (as the follow box does) would lose the post: fetch it first
	// and look at what it is.
	obj, err := p.FetchObject(ctx, uri)
	if err != nil {
		// An HTML page may still lead to an account through its
		// ActivityStreams alternate link.
		a, rerr := p.Resolve(ctx, uri)
		if rerr != nil {
			return "", errors.Join(err, rerr)
		}
		return contactViewURL(a.ID), nil
	}
	switch {
	case vocab.IsActorType(obj.Type):
		return contactViewURL(obj.ID), nil
	case vocab.IsPost(obj):
		if err := p.keep(ctx, obj); err != nil {
			return "", err
		}
		return "/home/thread?" + url.Values{"object": {obj.ID}}.Encode(), nil
	}
	return "", errNotInteractable
}

// keep stores a post with its author. An author that cannot be fetched is
// a lookup failure: a post without one cannot be shown or answered.
func (p *InteractionPage) keep(ctx context.Context, obj *vocab.Object) error {
	if p.Keep == nil {
		return nil
	}
	if obj.AttributedTo == "" {
		return errNotInteractable
	}
	author, err := p.Resolve(ctx, obj.AttributedTo)
	if err != nil {
		return err
	}
	if err := p.Keep(ctx, obj, author); err != nil {
		return errors.Join(errKeep, err)
	}
	return nil
}

// localTarget is the page for a uri that names this site: the front page
// for the owner's handle, the path of one of its URLs.
func (p *InteractionPage) localTarget(uri string) (string, bool) {
	if !isHTTPURL(uri) {
		if p.ownHandle(uri) {
			return "/", true
		}
		return "", false
	}
	return p.localPath(uri)
}

// ownHandle reports whether a handle or bare domain names this site: its
// host after the last "@" (or the whole input, for a domain) is ours.
func (p *InteractionPage) ownHandle(input string) bool {
	u, err := url.Parse(p.BaseURL)
	if err != nil || u.Host == "" {
		return false
	}
	acct := strings.TrimPrefix(strings.TrimPrefix(input, "acct:"), "@")
	host := acct
	if i := strings.LastIndex(acct, "@"); i >= 0 {
		host = acct[i+1:]
	}
	return strings.EqualFold(host, u.Host) || strings.EqualFold(host, u.Hostname())
}

// localPath returns the path of a URL on this site. A path that begins
// with "//" would leave the site as a redirect, so it is collapsed.
func (p *InteractionPage) localPath(uri string) (string, bool) {
	if !sameOrigin(uri, p.BaseURL) {
		return "", false
	}
	u, err := url.Parse(uri)
	if err != nil {
		return "", false
	}
	if u.Path == "/actor" {
		return "/", true
	}
	local := "/" + strings.TrimLeft(u.EscapedPath(), "/")
	if u.RawQuery != "" {
		local += "?" + u.RawQuery
	}
	return local, true
}

// contactViewURL is this room's page for an account, with its Follow button.
func contactViewURL(actorID string) string {
	return "/contacts/view?" + url.Values{"actor": {actorID}}.Encode()
}

// sameOrigin reports whether two URLs share scheme and host (with port).
func sameOrigin(a, b string) bool {
	ua, err := url.Parse(a)
	if err != nil || ua.Host == "" {
		return false
	}
	ub, err := url.Parse(b)
	if err != nil || ub.Host == "" {
		return false
	}
	return strings.EqualFold(ua.Scheme, ub.Scheme) && strings.EqualFold(ua.Host, ub.Host)
}

func isHTTPURL(s string) bool {
	return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
}

// fail writes an error page; text is shown to the owner as it is.
func (p *InteractionPage) fail(w http.ResponseWriter, r *http.Request, status int, heading, text string) {
	templates.Render(w, r, status, templates.Message(p.Page(r, heading), status, heading, text))
}
