package blog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/net/html"

	"roost/templates"
)

// neighbours are the posts published just before and just after a, in the
// order the index lists them (publication time, then id); nil at either end.
func (b *Blog) neighbours(ctx context.Context, a Article) (older, newer *templates.BlogLink, err error) {
	now := b.now().Unix()
	pub := a.PublishedAt.Unix()
	older, err = b.neighbour(ctx, `(a.published_at < ? OR (a.published_at = ? AND a.id < ?))
		ORDER BY a.published_at DESC, a.id DESC`, now, pub, pub, a.ID)
	if err != nil {
		return nil, nil, err
	}
	newer, err = b.neighbour(ctx, `(a.published_at > ? OR (a.published_at = ? AND a.id > ?))
		ORDER BY a.published_at ASC, a.id ASC`, now, pub, pub, a.ID)
	return older, newer, err
}

func (b *Blog) neighbour(ctx context.Context, where string, args ...any) (*templates.BlogLink, error) {
	var title, slug string
	err := b.stmts.QueryRow(ctx, `SELECT a.title, a.slug FROM articles a WHERE `+visibleToAll+` AND `+where+` LIMIT 1`, args...).
		Scan(&title, &slug)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("neighbouring post: %w", err)
	}
	return &templates.BlogLink{Title: title, URL: "/blog/" + url.PathEscape(slug)}, nil
}

// shareCard is the link preview of an article: its first image, or the
// owner's avatar, stands for it.
func (b *Blog) shareCard(p templates.Page, a Article) *templates.ShareCard {
	c := &templates.ShareCard{Type: "article", Title: a.Title, Description: a.Description(), URL: a.URL,
		SiteName: p.Site.SiteTitle(), Image: b.absolute(firstImage(a.HTML))}
	if a.Page {
		c.Type = "website"
	}
	if c.Image == "" {
		c.Image = b.absolute(p.Site.AvatarURL)
	}
	return c
}

// absolute resolves a site-relative URL against the site's base.
func (b *Blog) absolute(u string) string {
	if u == "" || strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
		return u
	}
	base, err := url.Parse(b.baseURL + "/")
	if err != nil {
		return ""
	}
	ref, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return base.ResolveReference(ref).String()
}

// firstImage is the src of the first <img> in rendered HTML.
func firstImage(fragment string) string {
	z := html.NewTokenizer(strings.NewReader(fragment))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if string(name) != "img" {
				continue
			}
			for hasAttr {
				var key, val []byte
				key, val, hasAttr = z.TagAttr()
				if string(key) == "src" {
					return string(val)
				}
			}
		}
	}
}
