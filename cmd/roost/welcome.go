package main

import (
	"log/slog"
	"net/http"
	"path/filepath"
	"time"

	"roost/cmd/roost/access"
	"roost/templates"
)

// The first-run guide (/welcome): what to do first, each step checked off
// from what the rooms hold, until the owner dismisses it.

func (s *site) showWelcome(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	pr, _ := s.profiles.Get(ctx)
	notes, _ := s.feed.Notes(ctx, 1, 0, true)
	articles, _ := s.blog.Count(ctx)
	dataDir, err := filepath.Abs(s.cfg.DataDir)
	if err != nil {
		dataDir = s.cfg.DataDir
	}
	v := templates.WelcomeView{ServerName: s.cfg.domain(), DataDir: dataDir, Steps: []templates.WelcomeStep{
		{Title: "Add a picture and a few words about you", About: "Your avatar and bio show on your front page and wherever your posts go.",
			Href: "/settings/profile", Action: "Edit your profile", Done: pr.AvatarURL != "" && pr.Bio != ""},
		{Title: "Write your first note", About: "Short posts, like on Mastodon: your followers see them in their timelines.",
			Href: "/write", Action: "Write a note", Done: len(notes) > 0},
		{Title: "Publish your first blog post", About: "Longer writing with a title, in Markdown; it federates as an article.",
			Href: "/blog/new", Action: "Write a post", Done: articles > 0},
	}}
	p := s.page(r, "Get started")
	p.Section = "welcome"
	templates.Render(w, r, http.StatusOK, templates.Welcome(p, v))
}

func (s *site) dismissWelcome(w http.ResponseWriter, r *http.Request) {
	if err := s.access.Store.SetFlag(r.Context(), access.FlagWelcomeDismissed, time.Now()); err != nil {
		slog.Error("dismiss the first-run guide", "err", err)
		http.Error(w, "could not save, try again", http.StatusInternalServerError)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
