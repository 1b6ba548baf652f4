package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"roost/cmd/roost/database"
	"roost/federation"
)

// Pool sizes of a provider: fixed, whatever the number of sites. Deliveries
// get the most workers since one post of a popular site fans out to
// thousands of inboxes; the others mostly wait on the network too, but
// rarely have much to do at once.
const (
	deliveryWorkers  = 8
	inboxWorkers     = 4
	feedWorkers      = 2
	pushWorkers      = 2
	cardWorkers      = 2
	schedulerWorkers = 1
	// deliveryBatch is how many deliveries one step claims.
	deliveryBatch = 16
	// cardBatch is how many links one step fetches.
	cardBatch = 4
	// routineEvery is how often a built site's feeds and scheduled posts are
	// looked at when nothing told the provider about them (a subscription
	// or a scheduled post made since), as a single site does every minute.
	routineEvery = time.Minute
	// stepRetry is how soon a step that failed (a busy database) is tried
	// again.
	stepRetry = 5 * time.Second
)

// providerPools are the provider's shared workers, one pool per kind of
// background work, serving every site.
type providerPools struct {
	deliveries, inbox, feeds, push, cards, scheduler *workPool
	all                                              []*workPool
	// notices tell the other processes on the database of queued deliveries.
	notices *workNotices
}

// newPools builds the pools whose steps run on the sites p builds.
func (p *provider) newPools() *providerPools {
	pp := &providerPools{
		deliveries: newWorkPool("deliveries", deliveryWorkers, false, p.onSite(deliverStep)),
		inbox:      newWorkPool("inbox", inboxWorkers, true, p.onSite(inboxStep)),
		feeds:      newWorkPool("feeds", feedWorkers, true, p.onSite(feedStep)),
		push:       newWorkPool("push", pushWorkers, true, p.onSite(pushStep)),
		cards:      newWorkPool("cards", cardWorkers, true, p.onSite(cardStep)),
		scheduler:  newWorkPool("scheduler", schedulerWorkers, true, p.onSite(scheduledStep)),
	}
	pp.all = []*workPool{pp.deliveries, pp.inbox, pp.feeds, pp.push, pp.cards, pp.scheduler}
	pp.notices = newWorkNotices(p.pg)
	return pp
}

// start runs every pool's workers, and the notices to and from the other
// processes, until ctx ends.
func (pp *providerPools) start(ctx context.Context, pg *database.Postgres, wg *sync.WaitGroup) {
	for _, pool := range pp.all {
		pool.start(ctx, wg)
	}
	wg.Go(func() { pp.notices.send(ctx) })
	wg.Go(func() { listenForWork(ctx, pg, pp.deliveries.nudge) })
}

// siteStep is one step of a built site's background work.
type siteStep func(ctx context.Context, s *site, more func()) time.Time

// onSite makes a pool step of a site step: it builds the site on its first
// due work. A site that is gone (removed) or cannot be built is dropped
// from the schedule or tried again later.
func (p *provider) onSite(step siteStep) func(context.Context, string, func()) time.Time {
	return func(ctx context.Context, domain string, more func()) time.Time {
		s, err := p.site(domain)
		if err != nil {
			if ctx.Err() == nil {
				slog.Error("build hosted site for its background work", "domain", domain, "err", err)
			}
			return time.Now().Add(stepRetry)
		}
		if s == nil {
			return time.Time{}
		}
		return step(ctx, s, more)
	}
}

// connectPools makes a newly built site tell the pools when work is queued,
// and has each pool look at it once.
func (pp *providerPools) connectPools(domain string, s *site) {
	s.fed.OnWork(func(w federation.Work) {
		switch w {
		case federation.WorkDeliveries:
			pp.deliveries.nudge(domain)
			pp.notices.queued(domain)
		case federation.WorkInbox:
			pp.inbox.nudge(domain)
		}
	})
	s.api.OnPushQueued(func() { pp.push.nudge(domain) })
	s.cards.OnQueued(func() { pp.cards.nudge(domain) })
	for _, pool := range pp.all {
		pool.schedule(domain, time.Now())
	}
}

func deliverStep(ctx context.Context, s *site, more func()) time.Time {
	next, err := s.fed.DeliverDue(ctx, deliveryBatch, more)
	return afterStep(ctx, "deliveries", err, next, 0)
}

func inboxStep(ctx context.Context, s *site, _ func()) time.Time {
	next, err := s.fed.ProcessInboxDue(ctx)
	return afterStep(ctx, "inbox", err, next, 0)
}

func feedStep(ctx context.Context, s *site, _ func()) time.Time {
	err := s.contacts.PollFeeds(ctx)
	if err == nil {
		var next time.Time
		next, err = federation.DueAt(ctx, s.db, contactsFeedsDue)
		return afterStep(ctx, "feeds", err, next, routineEvery)
	}
	return afterStep(ctx, "feeds", err, time.Time{}, routineEvery)
}

func pushStep(ctx context.Context, s *site, _ func()) time.Time {
	err := s.api.DeliverPushDue(ctx)
	if err == nil {
		var next time.Time
		next, err = federation.DueAt(ctx, s.db, pushDue)
		return afterStep(ctx, "push", err, next, 0)
	}
	return afterStep(ctx, "push", err, time.Time{}, 0)
}

func cardStep(ctx context.Context, s *site, _ func()) time.Time {
	if s.cards.FetchQueued(ctx, cardBatch) {
		return time.Now()
	}
	return time.Time{}
}

func scheduledStep(ctx context.Context, s *site, _ func()) time.Time {
	s.publishScheduled(ctx)
	if time.Since(s.lastHousekeeping) > time.Hour {
		s.lastHousekeeping = time.Now()
		if err := s.fed.Housekeep(ctx); err != nil && ctx.Err() == nil {
			slog.Warn("delivery: housekeeping", "site", s.cfg.BaseURL, "err", err)
		}
	}
	next, err := federation.DueAt(ctx, s.db, scheduledDue)
	return afterStep(ctx, "scheduled posts", err, next, routineEvery)
}

// afterStep is when a site's step runs next: when its next item is due,
// but no later than every (when not zero); an item still due after the
// step (it failed and stays due) waits stepRetry or every, as Run's loops
// would, rather than spinning.
func afterStep(ctx context.Context, what string, err error, next time.Time, every time.Duration) time.Time {
	now := time.Now()
	if err != nil {
		if ctx.Err() == nil {
			slog.Error("background work", "work", what, "err", err)
		}
		return now.Add(stepRetry)
	}
	if every > 0 && (next.IsZero() || next.After(now.Add(every))) {
		next = now.Add(every)
	}
	if !next.IsZero() && !next.After(now) {
		next = now.Add(max(every, 10*time.Millisecond))
	}
	return next
}
