package settings

import (
	"cmp"
	"context"
	"log/slog"
	"net/url"
	"slices"
	"strconv"

	"roost/templates"
)

// menuChoices are the blog's pages for the form: those in the menu first,
// numbered in menu order, then the others by title, numbered after them.
func (e *SiteEditor) menuChoices(ctx context.Context, menu []int64) []templates.MenuChoice {
	if e.Pages == nil {
		return nil
	}
	pages, err := e.Pages(ctx)
	if err != nil {
		slog.Error("site settings: pages", "err", err)
		return nil
	}
	position := make(map[int64]int, len(menu))
	for i, id := range menu {
		position[id] = i + 1
	}
	for i := range pages {
		if n, ok := position[pages[i].ID]; ok {
			pages[i].InMenu, pages[i].Position = true, n
		}
	}
	slices.SortStableFunc(pages, func(a, b templates.MenuChoice) int {
		if a.InMenu != b.InMenu {
			if a.InMenu {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.Position, b.Position)
	})
	for i := range pages {
		if !pages[i].InMenu {
			pages[i].Position = i + 1
		}
	}
	return pages
}

// menuFromForm reads the ticked pages (menu_page) and orders them by
// their number (menu_order_ID); equal or missing numbers keep the
// form's order.
func menuFromForm(form url.Values) []int64 {
	type choice struct {
		id    int64
		order int
	}
	var chosen []choice
	seen := map[int64]bool{}
	for _, raw := range form["menu_page"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 || seen[id] {
			continue
		}
		seen[id] = true
		order, err := strconv.Atoi(form.Get("menu_order_" + raw))
		if err != nil {
			order = 1 << 30
		}
		chosen = append(chosen, choice{id, order})
	}
	slices.SortStableFunc(chosen, func(a, b choice) int { return cmp.Compare(a.order, b.order) })
	ids := make([]int64, len(chosen))
	for i, c := range chosen {
		ids[i] = c.id
	}
	return ids
}
