package feed

import (
	"context"
	"log/slog"

	"roost/feed/cards"
	"roost/templates"
)

// CardSource is what the pages need of the link preview cards: which link
// of a post a card is about, and the cards known for a page's links. It
// only reads; cards are fetched in the background after a post is stored.
type CardSource interface {
	Link(contentHTML string, skip ...string) string
	Lookup(ctx context.Context, urls []string) (map[string]cards.Card, error)
}

// cardLink is the link a post's card is about: not a mention, a hashtag or
// one of its attachments. Posts with media or a poll show those instead,
// as Mastodon's web interface does, so they get no card on the page.
func (f *Feed) cardLink(html string, mentions []Mention, media []Media, poll bool) string {
	if f.cfg.Cards == nil || len(media) > 0 || poll {
		return ""
	}
	skip := make([]string, 0, len(mentions)*2)
	for _, m := range mentions {
		skip = append(skip, m.Href, m.ActorID)
	}
	return f.cfg.Cards.Link(html, skip...)
}

// lookupCards finds the cards of links; a failure only leaves them out.
func (f *Feed) lookupCards(ctx context.Context, links []string) map[string]cards.Card {
	if f.cfg.Cards == nil || len(links) == 0 {
		return nil
	}
	found, err := f.cfg.Cards.Lookup(ctx, links)
	if err != nil {
		slog.Warn("feed: look up cards", "err", err)
		return nil
	}
	return found
}

// addEntryCards puts the cards of a timeline page's posts on their views,
// in one lookup.
func (f *Feed) addEntryCards(ctx context.Context, entries []Entry, views []templates.TimelineEntryView) {
	links := make([]string, len(entries))
	for i, e := range entries {
		links[i] = f.cardLink(e.Post.HTML, e.Post.Mentions, e.Post.Media, e.Post.Poll != nil)
	}
	found := f.lookupCards(ctx, links)
	for i := range views {
		if c, ok := found[links[i]]; ok && i < len(entries) {
			views[i].Post.Card = cardView(c)
		}
	}
}

// noteCard is the card of one of the owner's notes, nil for none.
func (f *Feed) noteCard(ctx context.Context, n Note) *templates.LinkCardView {
	link := f.cardLink(n.HTML, n.Mentions, n.Media, n.Poll != nil)
	if c, ok := f.lookupCards(ctx, []string{link})[link]; ok {
		return cardView(c)
	}
	return nil
}

func cardView(c cards.Card) *templates.LinkCardView {
	return &templates.LinkCardView{URL: c.URL, Title: c.Title, Description: c.Description,
		SiteName: c.ProviderName, Image: c.Image, ImageAlt: c.ImageDescription, Host: siteHost(c.URL)}
}
