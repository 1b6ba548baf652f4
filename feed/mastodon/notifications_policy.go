package mastodon

import "net/http"

// Every notification reaches the owner: nothing is filtered into
// notification requests, so the policy is "accept" everywhere. Apps read it
// on start (v1 for Mastodon 4.3's shape, v2 for the newer one) and may
// PATCH it; a change is acknowledged with the same answer.

func (a *API) notificationPolicyRoutes(mux Mux) {
	a.handle(mux, "GET /api/v1/notifications/policy", "read:notifications", a.notificationPolicyV1)
	a.handle(mux, "PATCH /api/v1/notifications/policy", "write:notifications", a.notificationPolicyV1)
	a.handle(mux, "GET /api/v2/notifications/policy", "read:notifications", a.notificationPolicyV2)
	a.handle(mux, "PATCH /api/v2/notifications/policy", "write:notifications", a.notificationPolicyV2)
}

func policySummary() map[string]int {
	return map[string]int{"pending_requests_count": 0, "pending_notifications_count": 0}
}

func (a *API) notificationPolicyV1(w http.ResponseWriter, r *http.Request, t *token) {
	if _, ok := a.readParams(w, r); !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"filter_not_following": false, "filter_not_followers": false, "filter_new_accounts": false,
		"filter_private_mentions": false, "summary": policySummary(),
	})
}

func (a *API) notificationPolicyV2(w http.ResponseWriter, r *http.Request, t *token) {
	if _, ok := a.readParams(w, r); !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"for_not_following": "accept", "for_not_followers": "accept", "for_new_accounts": "accept",
		"for_private_mentions": "accept", "for_limited_accounts": "accept", "summary": policySummary(),
		// Mastodon 4.3 apps read the v1 booleans from the v2 answer too.
		"filter_not_following": false, "filter_not_followers": false, "filter_new_accounts": false,
		"filter_private_mentions": false,
	})
}
