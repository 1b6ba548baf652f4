package main

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"roost/blog"
)

// menuLinks lists the site menu's page links (title → href) of a page, as
// its wide row shows them.
func menuLinks(t *testing.T, c *http.Client, u string) []string {
	t.Helper()
	body, code := page(t, c, u)
	if code != http.StatusOK && code != http.StatusNotFound {
		t.Fatalf("GET %s: %d", u, code)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	doc.Find(`.site-header [data-testid=menu-page] a`).Each(func(_ int, a *goquery.Selection) {
		out = append(out, a.Text()+" "+a.AttrOr("href", ""))
	})
	return out
}

// The owner picks which blog pages the site menu shows and in what order
// on /settings/site; every public page then shows them, a draft page is
// never offered, and a page deleted later drops out of the menu.
func TestOwnerChoosesPagesInTheMenu(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	ctx := t.Context()
	about, err := alice.blog.Create(ctx, blog.ArticleInput{Title: "About", Body: "Who I am.", Page: true})
	if err != nil {
		t.Fatal(err)
	}
	now, err := alice.blog.Create(ctx, blog.ArticleInput{Title: "Now", Body: "What I do now.", Page: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := alice.blog.Create(ctx, blog.ArticleInput{Title: "Secret plans", Body: "Not yet.", Page: true, Draft: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.blog.Create(ctx, blog.ArticleInput{Title: "A post", Body: "Posts are not pages."}); err != nil {
		t.Fatal(err)
	}
	visitor := alice.client(tn)
	if links := menuLinks(t, visitor, alice.Base+"/"); len(links) != 0 {
		t.Fatalf("the menu shows %v before the owner chose anything", links)
	}

	settingsPage, _ := page(t, alice.Owner, alice.Base+"/settings/site")
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(settingsPage))
	var offered []string
	doc.Find(`[data-testid=menu-choices] input[name=menu_page]`).Each(func(_ int, in *goquery.Selection) {
		offered = append(offered, in.AttrOr("value", ""))
	})
	if want := []string{strconv.FormatInt(about.ID, 10), strconv.FormatInt(now.ID, 10)}; strings.Join(offered, ",") != strings.Join(want, ",") {
		t.Fatalf("/settings/site offers pages %v, want About and Now (%v)", offered, want)
	}

	// Now first, then About: the numbers decide, not the list's order.
	form := url.Values{}
	doc.Find(`form[action="/settings/site"] input[name], form[action="/settings/site"] select[name]`).Each(func(_ int, in *goquery.Selection) {
		name := in.AttrOr("name", "")
		if in.AttrOr("type", "") == "checkbox" || strings.HasPrefix(name, "menu_") {
			return
		}
		if in.Is("select") {
			form.Set(name, in.Find("option[selected]").AttrOr("value", "public"))
			return
		}
		form.Set(name, in.AttrOr("value", ""))
	})
	ids := func(a blog.Article) string { return strconv.FormatInt(a.ID, 10) }
	form["menu_page"] = []string{ids(about), ids(now)}
	form.Set("menu_order_"+ids(about), "2")
	form.Set("menu_order_"+ids(now), "1")
	if code := postForm(t, alice.Owner, alice.Base+"/settings/site", form); code != http.StatusSeeOther {
		t.Fatalf("saving the menu: %d", code)
	}
	want := "Now /blog/" + now.Slug + "|About /blog/" + about.Slug
	for _, path := range []string{"/", "/blog/", "/notes/", "/blog/" + about.Slug, "/no/such/page"} {
		if got := strings.Join(menuLinks(t, visitor, alice.Base+path), "|"); got != want {
			t.Errorf("%s: the menu shows %q, want %q", path, got, want)
		}
	}
	// Two pages or more also sit behind "More" for phones.
	body, _ := page(t, visitor, alice.Base+"/")
	if !strings.Contains(body, `<details><summary>More</summary>`) {
		t.Error("no More disclosure for the menu's pages")
	}
	// The form comes back with the choice, in menu order.
	settingsPage, _ = page(t, alice.Owner, alice.Base+"/settings/site")
	doc, _ = goquery.NewDocumentFromReader(strings.NewReader(settingsPage))
	if first := doc.Find(`input[name=menu_page]`).First(); first.AttrOr("value", "") != ids(now) || first.AttrOr("checked", "no") == "no" {
		t.Errorf("the settings list Now first and ticked: %v", first.Nodes)
	}

	// A page deleted since drops out of the menu by itself.
	if err := alice.blog.Delete(ctx, now.ID); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(menuLinks(t, visitor, alice.Base+"/"), "|"); got != "About /blog/"+about.Slug {
		t.Errorf("after deleting Now the menu shows %q", got)
	}
}
