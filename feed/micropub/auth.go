package micropub

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

const (
	msgNoToken      = "an access token is required: send it as Authorization: Bearer TOKEN"
	msgUnknownToken = "the access token is not valid"
)

// headerToken reads the bearer token from the Authorization header; "" when
// there is no header. A header with another scheme is refused rather than
// ignored, so that a client sending Basic credentials learns why it failed.
func headerToken(r *http.Request) (string, error) {
	v := strings.TrimSpace(r.Header.Get("Authorization"))
	if v == "" {
		return "", nil
	}
	scheme, token, _ := strings.Cut(v, " ")
	// RFC 6750 section 2.1 uses "Bearer"; scheme names are case-insensitive.
	if !strings.EqualFold(scheme, "Bearer") {
		return "", unauthorized("the Authorization header must use the Bearer scheme")
	}
	token = strings.TrimSpace(token)
	if token == "" {
		return "", unauthorized(msgNoToken)
	}
	return token, nil
}

// chooseToken picks the request's token from the header or, for form
// bodies, the access_token parameter (Micropub, "Authentication"). Sending both is
// refused, as RFC 6750 section 2 requires.
func chooseToken(header, body string) (string, error) {
	switch {
	case header != "" && body != "":
		return "", invalidRequest("send the access token in the Authorization header or the access_token parameter, not both")
	case header != "":
		return header, nil
	case body != "":
		return body, nil
	}
	return "", unauthorized(msgNoToken)
}

// scopes asks the TokenChecker about token; an unknown token is a 401.
func (h *Handler) scopes(ctx context.Context, token string) ([]string, error) {
	if h.CheckToken == nil {
		return nil, fmt.Errorf("check token: no TokenChecker configured")
	}
	scopes, err := h.CheckToken(ctx, token)
	if err != nil {
		return nil, unauthorized(msgUnknownToken)
	}
	return normalizeScopes(scopes), nil
}

// normalizeScopes splits space-separated scope strings, as OAuth writes
// them, so a checker may return either form.
func normalizeScopes(in []string) []string {
	var out []string
	for _, s := range in {
		out = append(out, strings.Fields(s)...)
	}
	return out
}

// requireScope answers 403 insufficient_scope when scopes lack need.
// Micropub's table lists 401 for this code, but RFC 6750 section 3.1, which
// defines it, says 403: the token is valid, it just may not do this; clients
// react to the error code, so they handle either.
func requireScope(scopes []string, need string) error {
	if hasScope(scopes, need) {
		return nil
	}
	return &apiError{
		status: http.StatusForbidden, code: codeInsufficientScope, scope: need,
		description: fmt.Sprintf("the access token lacks the %q scope", need),
	}
}

func hasScope(scopes []string, need string) bool {
	if slices.Contains(scopes, need) {
		return true
	}
	// IndieAuth's original single scope "post" meant "may create posts".
	return need == ScopeCreate && slices.Contains(scopes, scopePost)
}
