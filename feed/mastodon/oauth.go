package mastodon

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	"roost/templates"
)

// oob is the redirect URI of apps that show the code to the user to copy.
const oob = "urn:ietf:wg:oauth:2.0:oob"

func (a *API) oauthRoutes(mux Mux, ownerOnly func(http.Handler) http.Handler) {
	mux.Handle("POST /api/v1/apps", a.cors(http.HandlerFunc(a.registerApp)))
	a.handlePublic(mux, "GET /api/v1/apps/verify_credentials", "", a.verifyApp)
	mux.HandleFunc("GET /oauth/authorize", a.showAuthorize)
	mux.Handle("POST /oauth/authorize", ownerOnly(http.HandlerFunc(a.approveAuthorize)))
	mux.Handle("POST /oauth/token", a.cors(http.HandlerFunc(a.issueToken)))
	mux.Handle("POST /oauth/revoke", a.cors(http.HandlerFunc(a.revoke)))
	mux.Handle("GET /.well-known/oauth-authorization-server", a.cors(http.HandlerFunc(a.serverMetadata)))
	preflight := a.cors(http.NotFoundHandler())
	for _, p := range []string{"OPTIONS /api/", "OPTIONS /oauth/token", "OPTIONS /oauth/revoke", "OPTIONS /.well-known/oauth-authorization-server"} {
		mux.Handle(p, preflight)
	}
	mux.Handle("GET /settings/apps", ownerOnly(http.HandlerFunc(a.showApps)))
	mux.Handle("POST /settings/apps/revoke", ownerOnly(http.HandlerFunc(a.revokeAppForm)))
}

func (a *API) registerApp(w http.ResponseWriter, r *http.Request) {
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	ap := app{Name: strings.TrimSpace(p.get("client_name")), Website: p.get("website")}
	if ap.Name == "" {
		unprocessable(w, "client_name can't be blank")
		return
	}
	// redirect_uris may be one string with several URIs on separate lines,
	// or an array; any scheme is fine, apps use their own.
	for _, v := range p.values["redirect_uris"] {
		ap.RedirectURIs = append(ap.RedirectURIs, strings.Fields(v)...)
	}
	if len(ap.RedirectURIs) == 0 {
		unprocessable(w, "redirect_uris can't be blank")
		return
	}
	for _, u := range ap.RedirectURIs {
		if problem := checkRedirectURI(u); problem != "" {
			unprocessable(w, problem)
			return
		}
	}
	scopes, ok := parseScopes(strings.Join(p.values["scopes"], " "))
	if !ok {
		unprocessable(w, "scopes are invalid")
		return
	}
	ap.Scopes = scopes
	if err := a.createApp(r.Context(), &ap); err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, credentialAppEntity(ap, a.push.PublicKey()))
}

func (a *API) verifyApp(w http.ResponseWriter, r *http.Request, t *token) {
	if t == nil {
		writeError(w, http.StatusUnauthorized, "The access token is invalid")
		return
	}
	ap, err := a.appByID(r.Context(), t.appID)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, appEntity(ap, a.push.PublicKey()))
}

// authorizeRequest is the validated query of /oauth/authorize.
type authorizeRequest struct {
	app                                   app
	redirectURI, state, challenge, method string
	scopes                                []string
	// explicitRedirect is whether the request named its redirect_uri
	// rather than leaving it to the app's only one: the token request
	// must then name the same one (RFC 6749 section 4.1.3).
	explicitRedirect bool
}

func (a *API) parseAuthorize(r *http.Request, q url.Values) (authorizeRequest, string) {
	var ar authorizeRequest
	ap, err := a.appByClientID(r.Context(), q.Get("client_id"))
	if err != nil {
		return ar, "This application is not registered here."
	}
	ar.app = ap
	ar.redirectURI = q.Get("redirect_uri")
	ar.explicitRedirect = ar.redirectURI != ""
	if ar.redirectURI == "" && len(ap.RedirectURIs) == 1 {
		ar.redirectURI = ap.RedirectURIs[0]
	}
	if !slices.Contains(ap.RedirectURIs, ar.redirectURI) {
		return ar, "The redirect address does not match the application's."
	}
	// Apps registered before registration refused such schemes must not
	// have the owner's browser sent to them either.
	if checkRedirectURI(ar.redirectURI) != "" {
		return ar, "The application's redirect address is not allowed."
	}
	scopes, ok := parseScopes(q.Get("scope"))
	if !ok || !subset(scopes, ap.Scopes) {
		return ar, "The application asked for permissions it did not register."
	}
	ar.scopes = scopes
	ar.state = q.Get("state")
	ar.challenge = q.Get("code_challenge")
	ar.method = q.Get("code_challenge_method")
	if ar.challenge != "" && ar.method != "S256" {
		return ar, "Only the S256 code challenge method is supported."
	}
	return ar, ""
}

func (a *API) showAuthorize(w http.ResponseWriter, r *http.Request) {
	if a.cfg.IsOwner == nil || !a.cfg.IsOwner(r) || (parseBool(r.URL.Query().Get("force_login")) && r.URL.Query().Get("logged_in") == "") {
		next := r.URL.RequestURI()
		if parseBool(r.URL.Query().Get("force_login")) {
			q := r.URL.Query()
			q.Set("logged_in", "1")
			next = r.URL.Path + "?" + q.Encode()
		}
		http.Redirect(w, r, "/login?next="+url.QueryEscape(next), http.StatusFound)
		return
	}
	ar, problem := a.parseAuthorize(r, r.URL.Query())
	p := a.page(r, "Authorize "+ar.app.Name)
	if problem != "" {
		templates.Render(w, r, http.StatusBadRequest, templates.Message(p, http.StatusBadRequest, "Cannot authorize", problem))
		return
	}
	templates.Render(w, r, http.StatusOK, templates.OAuthAuthorize(p, templates.OAuthRequest{
		AppName: ar.app.Name, Website: ar.app.Website, Scopes: ar.scopes,
		// The form passes redirect_uri on as the app sent it, absent or
		// not, so that the code remembers whether it was named.
		ClientID: ar.app.ClientID, RedirectURI: r.URL.Query().Get("redirect_uri"), Scope: strings.Join(ar.scopes, " "),
		State: ar.state, CodeChallenge: ar.challenge, CodeChallengeMethod: ar.method,
	}))
}

func (a *API) page(r *http.Request, title string) templates.Page {
	if a.cfg.Page != nil {
		return a.cfg.Page(r, title)
	}
	return templates.Page{Title: title}
}

func (a *API) approveAuthorize(w http.ResponseWriter, r *http.Request) {
	if !readForm(w, r) {
		return
	}
	ar, problem := a.parseAuthorize(r, r.PostForm)
	p := a.page(r, "Authorize")
	if problem != "" {
		templates.Render(w, r, http.StatusBadRequest, templates.Message(p, http.StatusBadRequest, "Cannot authorize", problem))
		return
	}
	if r.PostForm.Get("deny") != "" {
		http.Redirect(w, r, withQuery(ar.redirectURI, url.Values{"error": {"access_denied"}, "state": nonEmpty(ar.state)}), http.StatusFound)
		return
	}
	boundRedirect := ""
	if ar.explicitRedirect {
		boundRedirect = ar.redirectURI
	}
	code, err := a.createCode(r.Context(), ar.app.ID, boundRedirect, ar.scopes, ar.challenge)
	if err != nil {
		templates.Render(w, r, http.StatusInternalServerError, templates.Message(p, http.StatusInternalServerError, "Something went wrong", "The code could not be created."))
		return
	}
	if ar.redirectURI == oob {
		templates.Render(w, r, http.StatusOK, templates.OAuthCode(p, ar.app.Name, code))
		return
	}
	http.Redirect(w, r, withQuery(ar.redirectURI, url.Values{"code": {code}, "state": nonEmpty(ar.state)}), http.StatusFound)
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// withQuery appends parameters to a redirect URI as text rather than through
// url.URL, which would lower-case custom schemes such as
// "com.tapbots.Ivory.N:/request_token/…" and could reorder a query the app
// expects back verbatim.
func withQuery(uri string, add url.Values) string {
	frag := ""
	if i := strings.IndexByte(uri, '#'); i >= 0 {
		uri, frag = uri[:i], uri[i:]
	}
	keys := make([]string, 0, len(add))
	for k := range add {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, v := range add[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(v))
		}
	}
	sep := "?"
	if strings.Contains(uri, "?") {
		sep = "&"
		if strings.HasSuffix(uri, "?") || strings.HasSuffix(uri, "&") {
			sep = ""
		}
	}
	return uri + sep + b.String() + frag
}

// verifyPKCE checks an RFC 7636 S256 verifier against the stored challenge.
func verifyPKCE(challenge, verifier string) bool {
	sum := sha256.Sum256([]byte(verifier))
	got := base64.RawURLEncoding.EncodeToString(sum[:])
	return subtle.ConstantTimeCompare([]byte(got), []byte(challenge)) == 1
}

// clientOf authenticates the client by client_id and client_secret from the
// body or HTTP Basic. A missing secret is allowed only where PKCE stands in
// for it (public clients).
func (a *API) clientOf(r *http.Request, p *params) (app, bool, error) {
	id, secret := p.get("client_id"), p.get("client_secret")
	if u, pw, ok := r.BasicAuth(); ok {
		id, secret = u, pw
	}
	ap, err := a.appByClientID(r.Context(), id)
	if err != nil {
		return ap, false, err
	}
	if secret == "" {
		return ap, false, nil
	}
	if subtle.ConstantTimeCompare([]byte(secret), []byte(ap.ClientSecret)) != 1 {
		return ap, false, ErrNotFound
	}
	return ap, true, nil
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, apiError{Error: code, ErrorDescription: desc})
}

func (a *API) revoke(w http.ResponseWriter, r *http.Request) {
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	ap, authed, err := a.clientOf(r, p)
	if err != nil || !authed {
		oauthError(w, http.StatusForbidden, "unauthorized_client", "You are not authorized to revoke this token")
		return
	}
	if err := a.revokeToken(r.Context(), p.get("token"), ap.ID); err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}

func (a *API) serverMetadata(w http.ResponseWriter, r *http.Request) {
	scopes := make([]string, 0, len(knownScopes))
	for s := range knownScopes {
		scopes = append(scopes, s)
	}
	sort.Strings(scopes)
	b := a.cfg.BaseURL
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                b + "/",
		"service_documentation":                 "https://docs.joinmastodon.org/",
		"authorization_endpoint":                b + "/oauth/authorize",
		"token_endpoint":                        b + "/oauth/token",
		"revocation_endpoint":                   b + "/oauth/revoke",
		"app_registration_endpoint":             b + "/api/v1/apps",
		"scopes_supported":                      scopes,
		"response_types_supported":              []string{"code"},
		"response_modes_supported":              []string{"query", "fragment"},
		"code_challenge_methods_supported":      []string{"S256"},
		"grant_types_supported":                 []string{"authorization_code", "password", "client_credentials"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post", "none"},
	})
}
