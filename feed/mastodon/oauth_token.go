package mastodon

import (
	"net/http"
	"strings"
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
		oauthError(w, http.StatusUnauthorized, "invalid_client", "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.")
		return
	}
	var scopes []string
	owner := true
	switch p.get("grant_type") {
	case "authorization_code":
		c, err := a.takeCode(r.Context(), p.get("code"))
		if err != nil || c.appID != ap.ID || (p.get("redirect_uri") != "" && p.get("redirect_uri") != c.redirectURI) {
			badGrant(w)
			return
		}
		if c.challenge != "" && !verifyPKCE(c.challenge, p.get("code_verifier")) {
			badGrant(w)
			return
		}
		if c.challenge == "" && !authed {
			oauthError(w, http.StatusUnauthorized, "invalid_client", "Client authentication failed.")
			return
		}
		scopes = c.scopes
	case "password":
		if !authed {
			oauthError(w, http.StatusUnauthorized, "invalid_client", "Client authentication failed.")
			return
		}
		if !a.ownerUsername(r, p.get("username")) || a.cfg.CheckPassword == nil ||
			a.cfg.CheckPassword(r.Context(), p.get("password")) != nil {
			badGrant(w)
			return
		}
		if scopes, ok = a.grantScopes(w, p, ap); !ok {
			return
		}
	case "client_credentials":
		if !authed {
			oauthError(w, http.StatusUnauthorized, "invalid_client", "Client authentication failed.")
			return
		}
		if scopes, ok = a.grantScopes(w, p, ap); !ok {
			return
		}
		owner = false
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server.")
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

func badGrant(w http.ResponseWriter) {
	oauthError(w, http.StatusBadRequest, "invalid_grant", "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.")
}

func (a *API) grantScopes(w http.ResponseWriter, p *params, ap app) ([]string, bool) {
	raw := p.get("scope")
	if raw == "" {
		raw = strings.Join(p.values["scopes"], " ")
	}
	scopes, ok := parseScopes(raw)
	if !ok || !subset(scopes, ap.Scopes) {
		oauthError(w, http.StatusBadRequest, "invalid_scope", "The requested scope is invalid, unknown, or malformed.")
		return nil, false
	}
	return scopes, true
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
