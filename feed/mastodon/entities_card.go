package mastodon

import (
	"context"
	"log/slog"

	"roost/feed/cards"
)

// CardSource is what statuses need of the link preview cards: which link
// of a post a card is about, and the cards known for a page's links. It
// only reads; cards are fetched in the background after a post is stored.
type CardSource interface {
	Link(contentHTML string, skip ...string) string
	Lookup(ctx context.Context, urls []string) (map[string]cards.Card, error)
}

// PreviewCard is Mastodon's PreviewCard entity.
type PreviewCard struct {
	URL              string              `json:"url"`
	Title            string              `json:"title"`
	Description      string              `json:"description"`
	Type             string              `json:"type"`
	AuthorName       string              `json:"author_name"`
	AuthorURL        string              `json:"author_url"`
	ProviderName     string              `json:"provider_name"`
	ProviderURL      string              `json:"provider_url"`
	HTML             string              `json:"html"`
	Width            int                 `json:"width"`
	Height           int                 `json:"height"`
	Image            *string             `json:"image"`
	ImageDescription string              `json:"image_description"`
	EmbedURL         string              `json:"embed_url"`
	Blurhash         *string             `json:"blurhash"`
	Language         *string             `json:"language"`
	PublishedAt      *string             `json:"published_at"`
	Authors          []PreviewCardAuthor `json:"authors"`
}

// PreviewCardAuthor is Mastodon's PreviewCardAuthor; Account stays null,
// since roost does not tie the pages' authors to fediverse accounts.
type PreviewCardAuthor struct {
	Name    string `json:"name"`
	URL     string `json:"url"`
	Account *any   `json:"account"`
}

// previewCard renders a card, its image through the media proxy.
func (a *API) previewCard(c cards.Card) *PreviewCard {
	pc := &PreviewCard{URL: c.URL, Title: c.Title, Description: c.Description, Type: c.Type,
		AuthorName: c.AuthorName, AuthorURL: c.AuthorURL, ProviderName: c.ProviderName, ProviderURL: c.ProviderURL,
		HTML: c.HTML, Width: c.Width, Height: c.Height, ImageDescription: c.ImageDescription, EmbedURL: c.EmbedURL,
		Language: strPtr(c.Language), Blurhash: strPtr(c.Blurhash), Authors: []PreviewCardAuthor{}}
	if c.Image != "" {
		pc.Image = strPtr(a.proxied(c.Image))
	}
	if !c.PublishedAt.IsZero() {
		pc.PublishedAt = strPtr(timeJSON(c.PublishedAt))
	}
	if c.AuthorName != "" || c.AuthorURL != "" {
		pc.Authors = append(pc.Authors, PreviewCardAuthor{Name: c.AuthorName, URL: c.AuthorURL})
	}
	return pc
}

// cardLink is the link p's card is about, "" for none.
func (a *API) cardLink(p Post) string {
	if a.cfg.Cards == nil || p.Reblog != nil {
		return ""
	}
	skip := make([]string, 0, len(p.Mentions)*2+len(p.Media))
	for _, m := range p.Mentions {
		skip = append(skip, m.Href, m.ActorID)
	}
	for _, m := range p.Media {
		skip = append(skip, m.URL)
	}
	return a.cfg.Cards.Link(p.ContentHTML, skip...)
}

// CardLink is the link the card of status id is about, "" when it has
// none: the composition root asks after a status is stored, and has the
// card fetched.
func (a *API) CardLink(ctx context.Context, id int64) string {
	p, _, err := a.findPost(ctx, id)
	if err != nil {
		return ""
	}
	if p.Reblog != nil {
		p = *p.Reblog
	}
	return a.cardLink(p)
}

// loadCards looks up the cards of a page of posts, boosted ones included,
// in one query.
func (r *renderer) loadCards(posts []Post) {
	if r.a.cfg.Cards == nil {
		return
	}
	r.cardLinks = map[int64]string{}
	var links []string
	for _, p := range posts {
		for _, q := range []*Post{&p, p.Reblog} {
			if q == nil || q.Reblog != nil {
				continue
			}
			if l := r.a.cardLink(*q); l != "" {
				r.cardLinks[q.ID] = l
				links = append(links, l)
			}
		}
	}
	if len(links) == 0 {
		return
	}
	found, err := r.a.cfg.Cards.Lookup(r.ctx, links)
	if err != nil {
		// A card is an extra: the statuses are shown without.
		slog.Warn("mastodon: look up cards", "err", err)
		return
	}
	r.cards = found
}

// card is the card of p, nil for none.
func (r *renderer) card(p Post) *PreviewCard {
	c, ok := r.cards[r.cardLinks[p.ID]]
	if !ok {
		return nil
	}
	return r.a.previewCard(c)
}
