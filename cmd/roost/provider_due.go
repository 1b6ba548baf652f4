package main

import (
	"context"
	"database/sql"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"roost/blog"
	"roost/contacts"
	"roost/federation"
	"roost/feed"
	"roost/feed/mastodon"
	"roost/feed/mastodon/push"
)

// When a site's background work falls due, per pool, read from its own
// tables by the rooms' due queries (each one value, unix milliseconds).
var (
	contactsFeedsDue = contacts.FeedsDueSQL
	pushDue          = push.DueSQL
	// scheduledDue is the earliest of a scheduled article, a scheduled
	// status and a poll's end.
	scheduledDue = `SELECT MIN(t) FROM (SELECT (` + blog.ScheduledDueSQL + `) AS t
		UNION ALL SELECT (` + mastodon.ScheduledDueSQL + `) UNION ALL SELECT (` + feed.PollsDueSQL + `)) due`
	// siteDue reads all of them in one round trip, for the scan at start.
	siteDue = `SELECT (` + federation.DeliveriesDueSQL + `), (` + federation.InboxDueSQL + `), (` +
		contactsFeedsDue + `), (` + pushDue + `), (` + scheduledDue + `)`
)

const (
	// scanParallel is how many schemas a scan reads at once.
	scanParallel = 8
	// rescanEvery is how often the sites this process has not built are
	// scanned again: work another process queued and then could not finish
	// (it crashed, and its retries were its own) is found by then.
	rescanEvery = 10 * time.Minute
)

// scanDue learns when each registered site's background work falls due and
// schedules the sites that have some in the pools, so that after a restart
// a site nobody visits still sends its queued deliveries, retries, publishes
// its scheduled posts, closes its polls and polls its feeds. Its site is
// built only when that work falls due.
//
// One small read per schema, a few at a time, rather than a provider-wide
// table of due times written with every enqueue: the rooms' queues stay
// the only record (nothing to keep in step inside their transactions, and
// nothing to repair after a crash), the rooms know nothing of hosting, and
// the cost, paid at start and by the rescan every ten minutes, is about
// half a millisecond a site (BenchmarkScanDue).
//
// It returns how many sites have work.
func (p *provider) scanDue(ctx context.Context, hosted []hostedSite) int {
	sem := make(chan struct{}, scanParallel)
	var wg sync.WaitGroup
	var withWork atomic.Int64
	for _, h := range hosted {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if p.scheduleDue(ctx, h) {
				withWork.Add(1)
			}
		})
	}
	wg.Wait()
	return int(withWork.Load())
}

// scheduleDue reads one site's due times and schedules it where it has
// work, and says whether it has any.
func (p *provider) scheduleDue(ctx context.Context, h hostedSite) bool {
	var due [5]sql.NullInt64
	err := p.pg.QuerySchema(ctx, h.Schema, siteDue, &due[0], &due[1], &due[2], &due[3], &due[4])
	if err != nil {
		// A schema older than this binary may lack a table: building the
		// site migrates it, and its steps then read their queues.
		slog.Warn("read a hosted site's due work; building it", "domain", h.Domain, "err", err)
		for _, pool := range p.pools.all {
			pool.schedule(h.Domain, time.Now())
		}
		return true
	}
	has := false
	for i, pool := range []*workPool{p.pools.deliveries, p.pools.inbox, p.pools.feeds, p.pools.push, p.pools.scheduler} {
		if due[i].Valid {
			pool.schedule(h.Domain, time.UnixMilli(due[i].Int64))
			has = true
		}
	}
	return has
}

// rescan scans the registered sites not built here every rescanEvery,
// until ctx ends.
func (p *provider) rescan(ctx context.Context) {
	t := time.NewTicker(rescanEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		hosted, err := p.reg.list(ctx)
		if err != nil {
			if ctx.Err() == nil {
				slog.Warn("rescan hosted sites for due work", "err", err)
			}
			continue
		}
		built := map[string]bool{}
		for _, e := range p.built() {
			built[e.s.cfg.domain()] = true
		}
		var unbuilt []hostedSite
		for _, h := range hosted {
			if !built[h.Domain] {
				unbuilt = append(unbuilt, h)
			}
		}
		p.scanDue(ctx, unbuilt)
	}
}
