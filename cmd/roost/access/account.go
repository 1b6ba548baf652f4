package access

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"roost/templates"
)

// The account settings page: the owner's handles and the password change,
// which ends every other session and revokes the apps' tokens and says so.

// AccountRoutes mounts /settings/account behind ownerOnly.
func (h *Handler) AccountRoutes(mux Mux, ownerOnly func(http.Handler) http.Handler) {
	mux.Handle("GET /settings/account", ownerOnly(http.HandlerFunc(h.showAccount)))
	mux.Handle("POST /settings/account", ownerOnly(http.HandlerFunc(h.changePassword)))
}

func (h *Handler) accountForm(r *http.Request) templates.AccountForm {
	var f templates.AccountForm
	if h.Handles != nil {
		f.Handles = h.Handles(r.Context())
	}
	return f
}

func (h *Handler) showAccount(w http.ResponseWriter, r *http.Request) {
	f := h.accountForm(r)
	q := r.URL.Query()
	if q.Has("changed") {
		f.Changed = true
		f.EndedSessions, _ = strconv.Atoi(q.Get("sessions"))
		f.Revoked, _ = strconv.Atoi(q.Get("tokens"))
	}
	templates.Render(w, r, http.StatusOK, templates.AccountSettings(h.accountPage(r), f))
}

func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	problem := func(status int, msg string) {
		f := h.accountForm(r)
		f.Problem = msg
		templates.Render(w, r, status, templates.AccountSettings(h.accountPage(r), f))
	}
	next, again := r.PostForm.Get("password"), r.PostForm.Get("password2")
	err := h.CheckPasswordFrom(r, r.PostForm.Get("current"))
	switch {
	case errors.Is(err, ErrTooManyGuesses):
		problem(http.StatusTooManyRequests, "Too many wrong passwords. Wait a minute and try again.")
		return
	case err != nil:
		problem(http.StatusForbidden, "The current password is not right; nothing was changed.")
		return
	case next != again:
		problem(http.StatusUnprocessableEntity, "The two new passwords differ; nothing was changed.")
		return
	case len([]rune(next)) < MinPasswordLength:
		problem(http.StatusUnprocessableEntity, "The new password needs at least "+strconv.Itoa(MinPasswordLength)+" characters.")
		return
	}
	revoked, err := h.Store.ChangePassword(r.Context(), next)
	if err != nil {
		slog.Error("change password", "err", err)
		problem(http.StatusInternalServerError, "The password could not be changed; the old one still works. Try again.")
		return
	}
	// Every session ended, this one too: this browser gets a new one, so
	// the owner stays logged in here and is told what the others lost.
	others := max(revoked.Sessions-1, 0)
	h.startSession(w, r, "/settings/account?changed=1&sessions="+strconv.FormatInt(others, 10)+
		"&tokens="+strconv.FormatInt(revoked.Tokens, 10))
}

func (h *Handler) accountPage(r *http.Request) templates.Page {
	p := h.Page(r, "Account")
	p.Section = "settings"
	return p
}
