package mastodon

import (
	"net/http"
	"slices"
	"strings"
)

// grantError is the OAuth error a grant answers with (RFC 6749 section 5.2).
type grantError struct {
	status            int
	code, description string
}

var (
	errUnknownClient = &grantError{http.StatusUnauthorized, "invalid_client",
		"Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method."}
	errClientAuth = &grantError{http.StatusUnauthorized, "invalid_client", "Client authentication failed."}
	errBadGrant   = &grantError{http.StatusBadRequest, "invalid_grant",
		"The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."}
	errBadScope         = &grantError{http.StatusBadRequest, "invalid_scope", "The requested scope is invalid, unknown, or malformed."}
	errUnsupportedGrant = &grantError{http.StatusBadRequest, "unsupported_grant_type",
		"The authorization grant type is not supported by the authorization server."}
)

// issueToken is POST /oauth/token for the three grants apps use:
// authorization_code (most apps), password (Mastodon.py and toot scripts)
// and client_credentials (an app token before login).
func (a *API) issueToken(w http.ResponseWriter, r *http.Request) {
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	ap, authed, err := a.clientOf(r, p)
	if err != nil {
		grantFailed(w, errUnknownClient)
		return
	}
	scopes, owner, gerr := a.grant(r, p, ap, authed)
	if gerr != nil {
		grantFailed(w, gerr)
		return
	}
	secret, created, err := a.createToken(r.Context(), ap.ID, scopes, owner)
	if err != nil {
		fail(w, r, err)
		return
	}
	// scope and created_at are required by Ice Cubes and the official iOS
	// app, which otherwise fail the login without a word.
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": secret, "token_type": "Bearer", "scope": strings.Join(scopes, " "), "created_at": created.Unix(),
	})
}

func grantFailed(w http.ResponseWriter, e *grantError) {
	oauthError(w, e.status, e.code, e.description)
}

// grant checks the grant of a token request and returns the token's scopes
// and whether it acts for the owner: client_credentials tokens act for the
// app alone.
func (a *API) grant(r *http.Request, p *params, ap app, authed bool) ([]string, bool, *grantError) {
	switch p.get("grant_type") {
	case "authorization_code":
		scopes, err := a.codeGrant(r, p, ap, authed)
		return scopes, true, err
	case "password":
		scopes, err := a.passwordGrant(r, p, ap, authed)
		return scopes, true, err
	case "client_credentials":
		if !authed {
			return nil, false, errClientAuth
		}
		scopes, err := requestedScopes(p, ap)
		return scopes, false, err
	}
	return nil, false, errUnsupportedGrant
}

// codeGrant redeems an authorization code. The code is used up even when
// the rest of the request is wrong, so a stolen code cannot be retried.
// Without a PKCE challenge the client must authenticate with its secret.
//
// A code whose authorization request named a redirect_uri is bound to it:
// the token request must name the same one (RFC 6749 section 4.1.3), so
// that a code sent to an address the app does not own, then replayed
// without one, is worthless. A code issued without one (the app has a
// single address) accepts none or one of the app's own.
func (a *API) codeGrant(r *http.Request, p *params, ap app, authed bool) ([]string, *grantError) {
	c, err := a.takeCode(r.Context(), p.get("code"))
	if err != nil || c.appID != ap.ID {
		return nil, errBadGrant
	}
	redirect := p.get("redirect_uri")
	if c.redirectURI != "" && redirect != c.redirectURI ||
		c.redirectURI == "" && redirect != "" && !slices.Contains(ap.RedirectURIs, redirect) {
		return nil, errBadGrant
	}
	if c.challenge != "" && !verifyPKCE(c.challenge, p.get("code_verifier")) {
		return nil, errBadGrant
	}
	if c.challenge == "" && !authed {
		return nil, errClientAuth
	}
	return c.scopes, nil
}

// passwordGrant checks the owner's username and password.
func (a *API) passwordGrant(r *http.Request, p *params, ap app, authed bool) ([]string, *grantError) {
	if !authed {
		return nil, errClientAuth
	}
	if !a.ownerUsername(r, p.get("username")) || a.cfg.CheckPassword == nil ||
		a.cfg.CheckPassword(r, p.get("password")) != nil {
		return nil, errBadGrant
	}
	return requestedScopes(p, ap)
}

// requestedScopes reads scope (or scopes, which some apps send instead) and
// checks them against what the app registered.
func requestedScopes(p *params, ap app) ([]string, *grantError) {
	raw := p.get("scope")
	if raw == "" {
		raw = strings.Join(p.values["scopes"], " ")
	}
	scopes, ok := parseScopes(raw)
	if !ok || !subset(scopes, ap.Scopes) {
		return nil, errBadScope
	}
	return scopes, nil
}

// ownerUsername accepts the owner's username, username@domain, or the bare
// domain, which is how people who log in with their domain type it.
func (a *API) ownerUsername(r *http.Request, u string) bool {
	u = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(u), "@"))
	if u == "" {
		return false
	}
	domain := strings.ToLower(a.domain)
	if u == domain {
		return true
	}
	name := domain
	if a.cfg.Profile != nil {
		if pr, err := a.cfg.Profile(r.Context()); err == nil && pr.Username != "" {
			name = strings.ToLower(pr.Username)
		}
	}
	return u == name || u == name+"@"+domain
}
