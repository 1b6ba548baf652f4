package federation

import (
	"context"
	"net/http"
	"strconv"
	"time"
)

// Every accepted activity costs the site a stored row, work for the inbox
// workers (fetching what it names) and maybe a notification, so one actor
// or one server may only deliver so much. The budgets are token buckets
// kept in memory, checked after the signature (so nobody can spend another
// actor's budget) and before the activity is stored. Beyond them the inbox
// answers 429 with Retry-After, which Mastodon, GoToSocial and the rest
// treat as "retry later", so an honest peer loses nothing.
//
// The numbers are for a site of one person. A stranger (someone the owner
// does not follow) has reason to deliver likes, boosts, replies and
// follows of the owner's posts: a burst of 30 and one a second after that
// is more than a real person makes. An account the owner follows also
// delivers everything it posts, so it gets four times that. A server
// delivers for many of its accounts side by side, so its budget is that of
// many accounts: a busy Mastodon instance delivering for hundreds of the
// owner's contacts stays well within it.

// InboxBudget bounds what one actor and one server may deliver.
type InboxBudget struct {
	// ActorBurst and ActorRate (per second) bound one actor the owner does
	// not follow; FollowedBurst and FollowedRate one the owner follows.
	ActorBurst    int
	ActorRate     float64
	FollowedBurst int
	FollowedRate  float64
	// HostBurst and HostRate bound all actors of one server together.
	HostBurst int
	HostRate  float64
}

// DefaultInboxBudget is what a site gets when Config.InboxBudget is zero.
var DefaultInboxBudget = InboxBudget{
	ActorBurst: 30, ActorRate: 1,
	FollowedBurst: 120, FollowedRate: 4,
	HostBurst: 600, HostRate: 40,
}

// UnlimitedInboxBudget lets everyone deliver as much as they like (load
// runs, and operators who turned the budgets off).
var UnlimitedInboxBudget = InboxBudget{ActorBurst: 1 << 30, ActorRate: 1 << 30,
	FollowedBurst: 1 << 30, FollowedRate: 1 << 30, HostBurst: 1 << 30, HostRate: 1 << 30}

// budgetNames bounds the actors and hosts each budget remembers; beyond it
// the ones that spent nothing lately are forgotten.
const budgetNames = 20000

// inboxBudgets are the token buckets of the budgets.
type inboxBudgets struct {
	strangers, followed, hosts *buckets
}

func newInboxBudgets(b InboxBudget) inboxBudgets {
	if b == (InboxBudget{}) {
		b = DefaultInboxBudget
	}
	return inboxBudgets{
		strangers: newBuckets(b.ActorRate, b.ActorBurst, budgetNames),
		followed:  newBuckets(b.FollowedRate, b.FollowedBurst, budgetNames),
		hosts:     newBuckets(b.HostRate, b.HostBurst, budgetNames),
	}
}

// spendInboxBudget takes one activity from the actor's budget and its server's. The
// actor's comes first, so that an actor over its budget spends none of its
// server's, which the server's other actors share.
func (s *Service) spendInboxBudget(ctx context.Context, actor string, now time.Time) (ok bool, retry time.Duration) {
	mine := s.budgets.strangers
	if f := s.cfg.FollowsActor; f != nil && f(ctx, actor) {
		mine = s.budgets.followed
	}
	ok, retry, undo := mine.take(actor, now)
	if !ok {
		return false, retry
	}
	if ok, retry, _ = s.budgets.hosts.take(keyHost(actor), now); !ok {
		undo()
		return false, retry
	}
	return true, 0
}

// overInboxBudget tells, before anything is verified, whether actor has
// spent its budget already (under whichever budget it was last counted):
// then the request is refused without the cost of checking its signature,
// most of what a flood costs the site. It spends nothing, so a forger
// naming someone else cannot use up their budget; it can only be refused
// in their place, which the real actor would have been too.
func (s *Service) overInboxBudget(actor string, now time.Time) (bool, time.Duration) {
	sKnown, sEmpty, sWait := s.budgets.strangers.spent(actor, now)
	fKnown, fEmpty, fWait := s.budgets.followed.spent(actor, now)
	if !sKnown && !fKnown {
		return false, 0
	}
	if (sKnown && !sEmpty) || (fKnown && !fEmpty) {
		return false, 0
	}
	return true, max(sWait, fWait)
}

// tooMany answers 429 with the whole seconds to wait in Retry-After.
func tooMany(w http.ResponseWriter, retry time.Duration) {
	secs := max(1, int((retry+time.Second-1)/time.Second))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	writeJSONError(w, http.StatusTooManyRequests, "too many activities; try again later")
}
