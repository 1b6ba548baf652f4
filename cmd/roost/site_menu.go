package main

import (
	"context"
	"log/slog"

	"roost/templates"
)

// menu is the site menu's pages for the page frame. A site with none
// chosen (the default) asks the database nothing.
func (s *site) menu(ctx context.Context, ids []int64) []templates.NavPage {
	if len(ids) == 0 {
		return nil
	}
	pages, err := s.blog.MenuPages(ctx, ids)
	if err != nil {
		slog.Error("site menu", "err", err)
		return nil
	}
	out := make([]templates.NavPage, len(pages))
	for i, p := range pages {
		out[i] = templates.NavPage{Title: p.Title, URL: p.URL}
	}
	return out
}

// menuChoices are the blog's published pages for /settings/site.
func (s *site) menuChoices(ctx context.Context) ([]templates.MenuChoice, error) {
	pages, err := s.blog.Pages(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]templates.MenuChoice, len(pages))
	for i, p := range pages {
		out[i] = templates.MenuChoice{ID: p.ID, Title: p.Title, URL: p.URL}
	}
	return out, nil
}
