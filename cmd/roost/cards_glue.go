package main

import (
	"context"
	"time"

	"roost/feed"
	"roost/feed/cards"
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
		UserAgent: "roost/" + version + " (+" + s.cfg.BaseURL + "/)",
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
	e.Events.StatusCreated(ctx, id)
	e.s.cards.Want(ctx, e.s.api.CardLink(ctx, id), id)
}

func (e cardEvents) StatusUpdated(ctx context.Context, id int64) {
	e.Events.StatusUpdated(ctx, id)
	e.s.cards.Want(ctx, e.s.api.CardLink(ctx, id), id)
}
