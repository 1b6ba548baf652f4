package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"roost/cmd/roost/access"
	"roost/feed/mastodon"
	"roost/templates"
)

// IndieAuth lets the owner sign in to other sites with the domain. Access
// tokens are the site's Micropub tokens (access.Store), so Micropub takes
// them as it takes `roost token create` ones and revoking one works the
// same way; authorization codes live ten minutes in the database
// (access.Store), so that any process serving the site redeems them.
const indieAuthCodeLife = 10 * time.Minute

// indieAuthScopes are the scopes roost grants: profile information and
// the Micropub actions.
var indieAuthScopes = []string{"profile", "email", "create", "update", "delete", "media", "read"}

type indieAuth struct {
	s       *site
	clients *clientInfos
}

func (ia *indieAuth) routes(mux routeMux, ownerOnly func(http.Handler) http.Handler) {
	mux.HandleFunc("GET /indieauth/metadata", ia.metadata)
	mux.Handle("GET /indieauth/auth", ownerOnly(http.HandlerFunc(ia.consentPage)))
	mux.Handle("POST /indieauth/consent", ownerOnly(http.HandlerFunc(ia.consent)))
	mux.HandleFunc("POST /indieauth/auth", ia.redeemProfile)
	mux.HandleFunc("POST /indieauth/token", ia.redeemToken)
	mux.HandleFunc("POST /indieauth/introspect", ia.introspect)
	mux.HandleFunc("POST /indieauth/revoke", ia.revoke)
}

func (ia *indieAuth) me() string { return ia.s.cfg.BaseURL + "/" }

func (ia *indieAuth) metadata(w http.ResponseWriter, _ *http.Request) {
	base := ia.s.cfg.BaseURL
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                 base + "/",
		"authorization_endpoint": base + "/indieauth/auth",
		"token_endpoint":         base + "/indieauth/token",
		"introspection_endpoint": base + "/indieauth/introspect",
		"introspection_endpoint_auth_methods_supported":  []string{"Bearer"},
		"revocation_endpoint":                            base + "/indieauth/revoke",
		"revocation_endpoint_auth_methods_supported":     []string{"none"},
		"scopes_supported":                               indieAuthScopes,
		"response_types_supported":                       []string{"code"},
		"grant_types_supported":                          []string{"authorization_code"},
		"code_challenge_methods_supported":               []string{"S256"},
		"authorization_response_iss_parameter_supported": true,
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func oauthError(w http.ResponseWriter, status int, code, text string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": text})
}

// checkClient validates client_id and redirect_uri as the spec asks: both
// http(s) URLs, the redirect on the client's own host unless the client's
// information lists it.
func checkClient(clientID, redirectURI string, info clientInfo) (string, bool) {
	c, err := url.Parse(clientID)
	if err != nil || (c.Scheme != "http" && c.Scheme != "https") || c.Host == "" || c.Fragment != "" || c.User != nil {
		return "The client_id is not a valid URL.", false
	}
	r, err := url.Parse(redirectURI)
	if err != nil || (r.Scheme != "http" && r.Scheme != "https") || r.Host == "" {
		return "The redirect_uri is not a valid URL.", false
	}
	if (r.Scheme != c.Scheme || r.Host != c.Host) && !info.allowsRedirect(redirectURI) {
		return "The redirect_uri is not on the client's host, and the client does not list it.", false
	}
	return "", true
}

// client is what clientID says of itself, fetched only once it is a
// valid URL.
func (ia *indieAuth) client(ctx context.Context, clientID string) clientInfo {
	if _, ok := checkClient(clientID, clientID, clientInfo{}); !ok {
		return clientInfo{}
	}
	return ia.clients.get(ctx, clientID)
}

// redirectHost is the host the owner is sent back to, shown on the consent
// page when it is not the client's own.
func redirectHost(redirectURI string) string {
	u, err := url.Parse(redirectURI)
	if err != nil {
		return ""
	}
	return u.Host
}

func (ia *indieAuth) badRequest(w http.ResponseWriter, r *http.Request, text string) {
	templates.Render(w, r, http.StatusBadRequest, templates.Message(ia.s.page(r, "Request refused"),
		http.StatusBadRequest, "Request refused", text))
}

// consentPage is the authorization request: checked, then shown to the
// owner with the requested scopes.
func (ia *indieAuth) consentPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("response_type") != "code" {
		ia.badRequest(w, r, "Only response_type=code is supported.")
		return
	}
	info := ia.client(r.Context(), q.Get("client_id"))
	if problem, ok := checkClient(q.Get("client_id"), q.Get("redirect_uri"), info); !ok {
		ia.badRequest(w, r, problem)
		return
	}
	if q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256" {
		ia.badRequest(w, r, "A PKCE code_challenge with method S256 is required.")
		return
	}
	if me := q.Get("me"); me != "" && strings.TrimSuffix(me, "/") != strings.TrimSuffix(ia.me(), "/") {
		ia.badRequest(w, r, "This site signs in "+ia.me()+" only.")
		return
	}
	var scopes []string
	for _, s := range strings.Fields(q.Get("scope")) {
		if slices.Contains(indieAuthScopes, s) && !slices.Contains(scopes, s) {
			scopes = append(scopes, s)
		}
	}
	c, _ := url.Parse(q.Get("client_id"))
	v := templates.IndieAuthRequest{
		ClientID: q.Get("client_id"), ClientName: c.Host, RedirectURI: q.Get("redirect_uri"), State: q.Get("state"),
		CodeChallenge: q.Get("code_challenge"), Me: ia.me(), Scopes: scopes,
		ClientLogo: info.Logo, ClientURL: info.URL, RedirectHost: redirectHost(q.Get("redirect_uri")),
	}
	if info.Name != "" {
		v.ClientName = info.Name
	}
	templates.Render(w, r, http.StatusOK, templates.IndieAuthConsent(ia.s.page(r, "Sign in to "+v.ClientName), v))
}

// consent is the owner's answer: a one-time code bound to the PKCE
// challenge, sent back to the client's redirect_uri.
func (ia *indieAuth) consent(w http.ResponseWriter, r *http.Request) {
	clientID, redirectURI := r.PostFormValue("client_id"), r.PostFormValue("redirect_uri")
	if problem, ok := checkClient(clientID, redirectURI, ia.client(r.Context(), clientID)); !ok {
		ia.badRequest(w, r, problem)
		return
	}
	back, _ := url.Parse(redirectURI)
	q := back.Query()
	q.Set("state", r.PostFormValue("state"))
	q.Set("iss", ia.me())
	if r.PostFormValue("decision") != "allow" {
		q.Set("error", "access_denied")
		back.RawQuery = q.Encode()
		http.Redirect(w, r, back.String(), http.StatusSeeOther)
		return
	}
	challenge := r.PostFormValue("code_challenge")
	if challenge == "" {
		ia.badRequest(w, r, "A PKCE code_challenge is required.")
		return
	}
	var scopes []string
	for _, s := range r.PostForm["scope"] {
		if slices.Contains(indieAuthScopes, s) && !slices.Contains(scopes, s) {
			scopes = append(scopes, s)
		}
	}
	code, now := randomToken(), time.Now()
	if err := ia.s.access.Store.SaveAuthCode(r.Context(), code, access.AuthCode{ClientID: clientID, RedirectURI: redirectURI,
		Challenge: challenge, Scopes: scopes, Expires: now.Add(indieAuthCodeLife)}, now); err != nil {
		slog.Error("indieauth: save code", "err", err)
		templates.Render(w, r, http.StatusInternalServerError, templates.Message(ia.s.page(r, "Sign-in failed"),
			http.StatusInternalServerError, "Sign-in failed", "The sign-in could not be saved. Please try again."))
		return
	}
	q.Set("code", code)
	back.RawQuery = q.Encode()
	http.Redirect(w, r, back.String(), http.StatusSeeOther)
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// takeCode redeems a code once: it must match the client, redirect and
// PKCE verifier it was issued for. A failed attempt burns the code too,
// so a stolen code cannot be tried with guessed verifiers.
func (ia *indieAuth) takeCode(w http.ResponseWriter, r *http.Request) (access.AuthCode, bool) {
	if r.PostFormValue("grant_type") != "authorization_code" {
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type must be authorization_code")
		return access.AuthCode{}, false
	}
	c, err := ia.s.access.Store.TakeAuthCode(r.Context(), r.PostFormValue("code"), time.Now())
	if err != nil && !errors.Is(err, access.ErrNoSuchCode) {
		oauthError(w, http.StatusInternalServerError, "server_error", "the code could not be read")
		return access.AuthCode{}, false
	}
	sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
	verified := subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(c.Challenge)) == 1
	if err != nil || c.ClientID != r.PostFormValue("client_id") || c.RedirectURI != r.PostFormValue("redirect_uri") || !verified {
		oauthError(w, http.StatusBadRequest, "invalid_grant", "the code is unknown, expired, or was issued for another client, redirect or verifier")
		return access.AuthCode{}, false
	}
	return c, true
}

// profile is what the profile scope tells the client.
func (ia *indieAuth) profile(r *http.Request, c access.AuthCode) map[string]any {
	out := map[string]any{"me": ia.me()}
	if slices.Contains(c.Scopes, "profile") {
		p := ia.s.page(r, "")
		out["profile"] = map[string]string{"name": p.Site.Name, "url": ia.me(), "photo": p.Site.AvatarURL}
	}
	return out
}

// redeemProfile is the code redeemed at the authorization endpoint: the
// client learns who signed in, and gets no token.
func (ia *indieAuth) redeemProfile(w http.ResponseWriter, r *http.Request) {
	c, ok := ia.takeCode(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, ia.profile(r, c))
}

// redeemToken is the code redeemed at the token endpoint: an access token
// with the scopes the owner allowed (a code with none gives no token).
func (ia *indieAuth) redeemToken(w http.ResponseWriter, r *http.Request) {
	c, ok := ia.takeCode(w, r)
	if !ok {
		return
	}
	var granted []string
	for _, s := range c.Scopes {
		if s != "profile" && s != "email" {
			granted = append(granted, s)
		}
	}
	if len(granted) == 0 {
		oauthError(w, http.StatusBadRequest, "invalid_grant", "the code was issued without scopes for a token")
		return
	}
	scope := strings.Join(granted, " ")
	_, secret, err := ia.s.access.Store.CreateToken(r.Context(), "IndieAuth: "+c.ClientID, scope, time.Now())
	if err != nil {
		oauthError(w, http.StatusInternalServerError, "server_error", "the token could not be stored")
		return
	}
	out := ia.profile(r, c)
	out["access_token"], out["token_type"], out["scope"] = secret, "Bearer", scope
	writeJSON(w, http.StatusOK, out)
}

// introspect tells a resource server about a token. The caller proves
// itself with a token of this site, as the spec asks for some
// authorization.
func (ia *indieAuth) introspect(w http.ResponseWriter, r *http.Request) {
	caller, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if _, err := ia.s.access.Store.VerifyToken(r.Context(), caller, time.Now()); !ok || err != nil {
		oauthError(w, http.StatusUnauthorized, "invalid_token", "introspection needs a bearer token of this site")
		return
	}
	t, err := ia.s.access.Store.VerifyToken(r.Context(), r.PostFormValue("token"), time.Now())
	if err != nil {
		writeJSON(w, http.StatusOK, map[string]any{"active": false})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"active": true, "me": ia.me(), "scope": t.Scope,
		"client_id": strings.TrimPrefix(t.Name, "IndieAuth: "), "iat": t.Created.Unix()})
}

// revoke ends a token; an unknown token is answered 200 as RFC 7009 asks.
func (ia *indieAuth) revoke(w http.ResponseWriter, r *http.Request) {
	if ia.s.access.Store.RevokeSecret(r.Context(), r.PostFormValue("token")) == nil {
		ia.s.api.TokensRevoked() // the Mastodon API may have it cached
	}
	w.WriteHeader(http.StatusOK)
}

// otherTokens lists the site's own tokens (IndieAuth sign-ins and
// `roost token create`) on /settings/apps beside the Mastodon apps.
func (s *site) otherTokens(ctx context.Context) ([]templates.OAuthApp, error) {
	list, err := s.access.Store.Tokens(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]templates.OAuthApp, len(list))
	for i, t := range list {
		out[i] = templates.OAuthApp{ID: mastodon.OtherTokenID(strconv.FormatInt(t.ID, 10)), Name: t.Name,
			Scopes: t.Scope, Since: t.Created}
	}
	return out, nil
}

func (s *site) revokeOtherToken(ctx context.Context, id string) error {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return err
	}
	if err := s.access.Store.RevokeToken(ctx, n); err != nil {
		return err
	}
	s.api.TokensRevoked() // the Mastodon API may have it cached
	return nil
}
