package mastodon

import (
	"html"
	"net/http"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// The instance's detail pages, which apps read on the about screen and in
// the language picker of the compose screen.

func (a *API) instanceDetailRoutes(mux Mux) {
	a.handlePublic(mux, "GET /api/v1/instance/languages", "", a.instanceLanguages)
	a.handlePublic(mux, "GET /api/v1/instance/translation_languages", "", func(w http.ResponseWriter, r *http.Request, t *token) {
		// roost translates nothing: no source language has a target.
		writeJSON(w, http.StatusOK, map[string][]string{})
	})
	// Mastodon hides its domain blocks unless an admin publishes them; the
	// owner's blocks are the owner's own business.
	a.handlePublic(mux, "GET /api/v1/instance/domain_blocks", "", a.emptyList)
	a.handlePublic(mux, "GET /api/v1/instance/extended_description", "", func(w http.ResponseWriter, r *http.Request, t *token) {
		owner, _, err := a.ownerAccount(r.Context())
		if err != nil {
			fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"updated_at": timeJSON(a.cfg.Now()), "content": owner.Note})
	})
	a.handlePublic(mux, "GET /api/v1/instance/privacy_policy", "", a.privacyPolicy)
}

// iso6391 are the two-letter language codes apps may tag a post with, the
// set Mastodon offers.
const iso6391 = "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy " +
	"da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz " +
	"ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv " +
	"mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu " +
	"rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty " +
	"ug uk ur uz ve vi vo wa wo xh yi yo za zh zu"

func (a *API) instanceLanguages(w http.ResponseWriter, r *http.Request, t *token) {
	names := display.English.Languages()
	var out []map[string]string
	for _, code := range strings.Fields(iso6391) {
		name := names.Name(language.Make(code))
		if name == "" {
			name = code
		}
		out = append(out, map[string]string{"code": code, "name": name})
	}
	writeJSON(w, http.StatusOK, out)
}

// privacyPolicy says what a one-person site keeps, in the owner's words
// where they wrote none.
func (a *API) privacyPolicy(w http.ResponseWriter, r *http.Request, t *token) {
	owner, _, err := a.ownerAccount(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	content := "<p>" + html.EscapeString(a.domain) + " is the personal site of " + html.EscapeString(owner.DisplayName) +
		". It keeps the posts, likes, boosts and follows that other servers send it, to show them to its owner, " +
		"and passes none of it on. What its owner publishes goes to the servers of their followers and of the " +
		"people they mention. It sets no tracking cookies.</p>"
	writeJSON(w, http.StatusOK, map[string]any{"updated_at": owner.CreatedAt, "content": content})
}
