package main

import (
	"context"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"roost/federation/vocab"

	"roost/feed"
	"roost/feed/cards"
	"roost/feed/media"
)

// cardTimeout is how long the fetch of a page for its card may take
// (the page, and again its oEmbed answer).
const cardTimeout = 10 * time.Second

// newCards builds the link preview cards, fetched with the federation
// room's guarded client; a new card refreshes the statuses that show it.
func (s *site) newCards(opt siteOptions, now func() time.Time) *cards.Cards {
	timeout := opt.CardTimeout
	if timeout <= 0 {
		timeout = cardTimeout
	}
	return cards.New(cards.Config{
		DB: s.db, Client: s.fed.Client(), SiteOrigin: s.cfg.BaseURL, Now: now, Timeout: timeout,
		UserAgent: "roost/" + version + " (+" + s.cfg.BaseURL + "/)", DescribeImage: media.Describe,
		Fetched: func(ctx context.Context, _ string, postIDs []int64) {
			for _, id := range postIDs {
				s.api.StatusUpdated(ctx, id)
			}
		},
	})
}

// cardEvents passes the feed room's events on to the API, and has the card
// of each new or edited status fetched in the background.
type cardEvents struct {
	feed.Events
	s *site
}

func (e cardEvents) StatusCreated(ctx context.Context, id int64) {
	e.s.wantCard(ctx, id)
	e.Events.StatusCreated(ctx, id)
}

func (e cardEvents) StatusUpdated(ctx context.Context, id int64) {
	e.s.wantCard(ctx, id)
	e.Events.StatusUpdated(ctx, id)
}

// wantCard has the card of status id made: from the post itself when it
// is a remote article linking to its own page (its title and summary say
// what the page would), fetched in the background otherwise.
func (s *site) wantCard(ctx context.Context, id int64) {
	link := s.api.CardLink(ctx, id)
	if link == "" {
		return
	}
	if p, err := s.feed.Post(ctx, id); err == nil && !p.Local && p.Name != "" && p.Type != vocab.TypeNote && p.URL == link {
		if err := s.cards.Put(ctx, link, articleCard(p)); err != nil {
			slog.Warn("card of an article", "url", link, "err", err)
		}
		return
	}
	s.cards.Want(ctx, link, id)
}

// articleCard is the card of a remote article, from what it says of itself.
func articleCard(p feed.Post) cards.Card {
	c := cards.Card{URL: p.URL, Title: p.Name, Description: p.Summary, Type: cards.TypeLink,
		AuthorName: p.Author.Name, AuthorURL: p.Author.ProfileURL, Language: p.Language, PublishedAt: p.Published}
	if u, err := url.Parse(p.URL); err == nil {
		c.ProviderName = u.Host
	}
	for _, m := range p.Media {
		if strings.HasPrefix(m.MediaType, "image/") {
			c.Image, c.ImageDescription, c.Width, c.Height = m.URL, m.Alt, m.Width, m.Height
			break
		}
	}
	return c
}
