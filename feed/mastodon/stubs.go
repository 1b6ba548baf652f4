package mastodon

import "net/http"

// stubRoutes answers endpoints that apps call on start and that have nothing
// to show on a one-person site: an empty list rather than a 404 keeps apps
// from treating the server as broken.
func (a *API) stubRoutes(mux Mux) {
	for _, p := range []string{
		"GET /api/v1/custom_emojis", "GET /api/v1/announcements", "GET /api/v1/trends", "GET /api/v1/trends/tags",
		"GET /api/v1/trends/statuses", "GET /api/v1/trends/links", "GET /api/v1/directory",
	} {
		a.handlePublic(mux, p, "", a.emptyList)
	}
	for _, p := range []string{
		"GET /api/v2/suggestions", "GET /api/v1/suggestions",
		"GET /api/v1/endorsements", "GET /api/v1/featured_tags",
	} {
		a.handle(mux, p, "read", a.emptyList)
	}
	a.handle(mux, "GET /api/v1/preferences", "read:accounts", a.preferences)
}

func (a *API) preferences(w http.ResponseWriter, r *http.Request, t *token) {
	d := a.cfg.Feed.PostingDefaults()
	var lang any
	if d.Language != "" {
		lang = d.Language
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"posting:default:visibility": visibilityOut(d.Visibility), "posting:default:sensitive": false, "posting:default:language": lang,
		"reading:expand:media": "default", "reading:expand:spoilers": false,
	})
}
