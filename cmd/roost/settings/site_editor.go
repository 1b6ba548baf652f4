package settings

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"roost/templates"
)

// SiteEditor serves /settings/site: title, tagline, language, time zone,
// follow approval, the default visibility of new notes and whose
// notifications the owner gets.
type SiteEditor struct {
	Store *SiteStore
	Page  func(r *http.Request, title string) templates.Page
	// ManuallyApproves and SetManuallyApproves read and write whether
	// follows wait for the owner; the actor document carries it, so it is
	// kept with the profile, not here.
	ManuallyApproves    func(ctx context.Context) bool
	SetManuallyApproves func(ctx context.Context, on bool) error
	// Pages lists the blog's published pages, which the owner may put in
	// the site menu.
	Pages func(ctx context.Context) ([]templates.MenuChoice, error)
}

// Routes registers the page behind ownerOnly.
func (e *SiteEditor) Routes(mux Mux, ownerOnly func(http.Handler) http.Handler) {
	mux.Handle("GET /settings/site", ownerOnly(http.HandlerFunc(e.show)))
	mux.Handle("POST /settings/site", ownerOnly(http.HandlerFunc(e.save)))
}

func (e *SiteEditor) show(w http.ResponseWriter, r *http.Request) {
	f := e.form(e.Store.Get(), e.ManuallyApproves(r.Context()))
	f.Saved = r.URL.Query().Get("saved") == "1"
	f.Pages = e.menuChoices(r.Context(), e.Store.Get().MenuPages)
	templates.Render(w, r, http.StatusOK, templates.SiteSettings(e.page(r), f))
}

func (e *SiteEditor) page(r *http.Request) templates.Page {
	p := e.Page(r, "Site settings")
	p.Section = "settings"
	return p
}

func (e *SiteEditor) form(v Site, manual bool) templates.SiteForm {
	return templates.SiteForm{Title: v.Title, Tagline: v.Tagline, Language: v.Language, TimeZone: v.TimeZone,
		DefaultVisibility: v.DefaultVisibility, ManuallyApproves: manual, NotifyOnlyFollowing: v.NotifyOnlyFollowing,
		HoldComments: v.HoldComments, QuotePolicy: v.QuotePolicy}
}

func (e *SiteEditor) save(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "could not read the form", http.StatusBadRequest)
		return
	}
	v := Site{Title: r.PostForm.Get("title"), Tagline: r.PostForm.Get("tagline"), Language: r.PostForm.Get("language"),
		TimeZone: r.PostForm.Get("time_zone"), DefaultVisibility: r.PostForm.Get("default_visibility"),
		NotifyOnlyFollowing: r.PostForm.Get("notify_only_following") != "", HoldComments: r.PostForm.Get("hold_comments") != "",
		QuotePolicy: r.PostForm.Get("quote_policy"), MenuPages: menuFromForm(r.PostForm)}
	if v.QuotePolicy == "" {
		// A form from before the choice existed keeps what was chosen.
		v.QuotePolicy = e.Store.Get().QuotePolicy
	}
	manual := r.PostForm.Get("manually_approves") != ""
	err := e.Store.Save(r.Context(), v)
	if err == nil && manual != e.ManuallyApproves(r.Context()) {
		err = e.SetManuallyApproves(r.Context(), manual)
	}
	if err != nil {
		f := e.form(v, manual)
		f.Pages = e.menuChoices(r.Context(), v.MenuPages)
		status := http.StatusUnprocessableEntity
		var bad *InvalidError
		if errors.As(err, &bad) {
			f.Problem = bad.Message
		} else {
			slog.Error("site settings", "err", err)
			status, f.Problem = http.StatusInternalServerError, "Could not save the settings; try again."
		}
		templates.Render(w, r, status, templates.SiteSettings(e.page(r), f))
		return
	}
	http.Redirect(w, r, "/settings/site?saved=1", http.StatusSeeOther)
}
