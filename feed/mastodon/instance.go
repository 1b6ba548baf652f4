package mastodon

import (
	"net/http"
	"strings"

	"roost/feed"
)

// apiCompatVersion is the Mastodon version whose API roost speaks. Apps parse
// the leading number: Ice Cubes hides editing below 3.5 and filters below 4.
const apiCompatVersion = "4.3.0"

// CompatVersion is apiCompatVersion for NodeInfo, which names it too.
const CompatVersion = apiCompatVersion

func (a *API) instanceRoutes(mux Mux) {
	a.handlePublic(mux, "GET /api/v1/instance", "", a.instanceV1)
	a.handlePublic(mux, "GET /api/v1/instance/{$}", "", a.instanceV1)
	a.handlePublic(mux, "GET /api/v2/instance", "", a.instanceV2)
	a.handlePublic(mux, "GET /api/v2/instance/{$}", "", a.instanceV2)
	a.handlePublic(mux, "GET /api/v1/instance/peers", "", a.emptyList)
	a.handlePublic(mux, "GET /api/v1/instance/rules", "", a.emptyList)
	a.handlePublic(mux, "GET /api/v1/instance/activity", "", a.emptyList)
	a.instanceDetailRoutes(mux)
}

func (a *API) version() string {
	v := a.cfg.Version
	if v == "" {
		v = "dev"
	}
	return apiCompatVersion + " (compatible; roost " + v + ")"
}

func (a *API) streamingURL() string {
	if rest, ok := strings.CutPrefix(a.cfg.BaseURL, "https://"); ok {
		return "wss://" + rest
	}
	return "ws://" + strings.TrimPrefix(a.cfg.BaseURL, "http://")
}

var imageTypes = []string{"image/jpeg", "image/png", "image/gif", "image/webp"}

func (a *API) mediaConfig() map[string]any {
	return map[string]any{
		"supported_mime_types": imageTypes, "image_size_limit": a.cfg.MaxUploadBytes, "image_matrix_limit": 4096 * 4096,
		"video_size_limit": 0, "video_frame_rate_limit": 0, "video_matrix_limit": 0, "description_limit": 1500,
	}
}

// pollConfig are the feed room's poll limits, which apps read before
// offering a poll.
var pollConfig = map[string]int{"max_options": feed.MaxPollOptions, "max_characters_per_option": feed.MaxPollOptionChars,
	"min_expiration": int(feed.MinPollDuration.Seconds()), "max_expiration": int(feed.MaxPollDuration.Seconds())}

func (a *API) statusConfig() map[string]any {
	return map[string]any{"max_characters": a.cfg.NoteLimit, "max_media_attachments": 4, "characters_reserved_per_url": 23}
}

func (a *API) ownerEmail() string { return "" }

func (a *API) instanceV1(w http.ResponseWriter, r *http.Request, t *token) {
	owner, _, err := a.ownerAccount(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"uri": a.domain, "title": owner.DisplayName, "short_description": "", "description": owner.Note,
		"email": a.ownerEmail(), "version": a.version(), "urls": map[string]string{"streaming_api": a.streamingURL()},
		"stats":     map[string]int{"user_count": 1, "status_count": owner.Statuses, "domain_count": 0},
		"thumbnail": owner.Header, "languages": []string{"en"}, "registrations": false, "approval_required": false,
		"invites_enabled": false, "contact_account": owner, "rules": []any{},
		"configuration": map[string]any{
			"accounts": map[string]int{"max_featured_tags": 0}, "statuses": a.statusConfig(),
			"media_attachments": a.mediaConfig(), "polls": pollConfig,
		},
	})
}

func (a *API) instanceV2(w http.ResponseWriter, r *http.Request, t *token) {
	owner, _, err := a.ownerAccount(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	// api_versions 2 is Mastodon 4.3's: apps that see it switch to grouped
	// notifications (/api/v2/notifications).
	writeJSON(w, http.StatusOK, map[string]any{
		"api_versions": map[string]int{"mastodon": 2},
		"domain":       a.domain, "title": owner.DisplayName, "version": a.version(),
		"source_url": "https://github.com/roost", "description": owner.Note,
		"usage":     map[string]any{"users": map[string]int{"active_month": 1}},
		"thumbnail": map[string]any{"url": owner.Header, "blurhash": nil, "versions": map[string]string{}},
		"icon":      []any{}, "languages": []string{"en"},
		"configuration": map[string]any{
			"urls":              map[string]any{"streaming": a.streamingURL(), "status": nil, "about": a.cfg.BaseURL + "/"},
			"vapid":             map[string]string{"public_key": a.push.PublicKey()},
			"accounts":          map[string]int{"max_featured_tags": 0, "max_pinned_statuses": 5},
			"statuses":          a.statusConfig(),
			"media_attachments": a.mediaConfig(),
			"polls":             pollConfig,
			"translation":       map[string]bool{"enabled": false},
			"timelines_access": map[string]any{
				"live_feeds":          map[string]string{"local": "public", "remote": "public"},
				"hashtag_feeds":       map[string]string{"local": "public", "remote": "public"},
				"trending_link_feeds": map[string]string{"local": "public", "remote": "public"},
			},
		},
		"registrations": map[string]any{"enabled": false, "approval_required": false, "message": nil, "url": nil},
		"contact":       map[string]any{"email": a.ownerEmail(), "account": owner},
		"rules":         []any{},
	})
}
