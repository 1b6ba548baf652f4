package blog

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
)

// The editor's script talks to these JSON answers; the same handlers answer
// the plain forms with whole pages, so the editor works without it.

// wantsJSON is a request from the editor's script, which asks for JSON.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// jsonProblem is an error the script shows as it is: a safe sentence.
func jsonProblem(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, map[string]string{"error": message})
}

// autosaved is what the script learns from a saved draft: where the draft
// now lives, so that the next save and the buttons update it.
type autosaved struct {
	Slug   string `json:"slug"`
	Action string `json:"action"`
	Saved  string `json:"saved"`
}

// autosave keeps what the editor holds as a draft. It never publishes: a
// new post becomes a draft, a draft stays one. A published or scheduled
// post is refused, because saving it would change what readers (and
// followers, through an Update) already have; its editor keeps only the
// warning before leaving, and the owner's Save is what publishes changes.
func (b *Blog) autosave(w http.ResponseWriter, r *http.Request) {
	if !b.parseForm(w, r, maxFormBytes) {
		return
	}
	in, v, err := readInput(r, b.location())
	if errors.Is(err, errBadForm) {
		jsonProblem(w, http.StatusBadRequest, "The form could not be read.")
		return
	}
	var invalid *ValidationError
	if errors.As(err, &invalid) {
		jsonProblem(w, http.StatusUnprocessableEntity, invalid.Message)
		return
	}
	in.Draft = true
	var a Article
	if v.Original == "" {
		a, err = b.Create(r.Context(), in)
	} else if a, err = b.BySlug(r.Context(), v.Original); err == nil {
		if !a.Draft {
			jsonProblem(w, http.StatusConflict, "Published posts are not saved automatically: press Save to update it.")
			return
		}
		a, err = b.Update(r.Context(), a.ID, in)
	}
	switch {
	case errors.As(err, &invalid):
		jsonProblem(w, http.StatusUnprocessableEntity, invalid.Message)
	case errors.Is(err, ErrNotFound):
		jsonProblem(w, http.StatusNotFound, "This post no longer exists.")
	case err != nil:
		logError(r, "autosave", err)
		jsonProblem(w, http.StatusInternalServerError, "The draft could not be saved. Please try again.")
	default:
		writeJSON(w, http.StatusOK, autosaved{Slug: a.Slug, Action: editPath(a.Slug), Saved: a.Updated.UTC().Format("2006-01-02T15:04:05Z")})
	}
}

// previewJSON answers the live preview with the HTML that publishing would
// store: the same renderer, the same sanitising.
func (b *Blog) previewJSON(w http.ResponseWriter, r *http.Request, body string) {
	html, err := render(body)
	if err != nil {
		logError(r, "preview", err)
		jsonProblem(w, http.StatusInternalServerError, "The preview could not be made.")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"html": html})
}
