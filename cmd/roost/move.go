package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"

	"roost/templates"
)

// runMove is `roost move --to @new@host`: the owner's followers are told
// to follow the new account instead.
func runMove(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("move", flag.ContinueOnError)
	data := dataFlag(fs)
	siteURL := fs.String("url", envDefault("URL", ""), "the site's address (default: where it was last served)")
	to := fs.String("to", "", "the new account, as @user@host")
	allowPrivate := fs.Bool("allow-private", envBool("ALLOW_PRIVATE"), "let the lookup reach private and loopback addresses (tests only)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if strings.TrimSpace(*to) == "" {
		return errors.New("usage: roost move [--data DIR] --to @user@host")
	}
	ctx := context.Background()
	s, closeSite, err := openFolderSite(ctx, *data, *siteURL, *allowPrivate)
	if err != nil {
		return err
	}
	defer closeSite()
	target, err := s.fed.Move(ctx, *to)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Moved to %s. Your followers are sent a Move when the site runs; their servers follow the new account.\n", target)
	return nil
}

// moveForm is POST /settings/move (field to) from the data section.
func (s *site) moveForm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		s.renderData(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	if _, err := s.fed.Move(r.Context(), r.PostForm.Get("to")); err != nil {
		s.renderDataPage(w, r, http.StatusUnprocessableEntity, templates.DataPage{MoveProblem: "Not moved: " + err.Error()})
		return
	}
	http.Redirect(w, r, "/settings/data#move", http.StatusSeeOther)
}
