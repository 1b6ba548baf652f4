package push

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Config is what the push service needs from the API.
type Config struct {
	DB *sql.DB
	// Client sends the messages. It must be the site's guarded client: the
	// endpoint is any URL an app chose, and must not reach inside the
	// site's network. Nil sends nothing: no message is even queued.
	Client *http.Client
	// Subscriber is the VAPID contact push services may write to about
	// the site's messages: its https URL or an e-mail address.
	Subscriber string
	Now        func() time.Time
	// RetryBase is the first retry's delay, doubled at each next one
	// (retryBase when 0).
	RetryBase time.Duration
}

// Service keeps the subscriptions and works the queue of messages.
type Service struct {
	db         *sql.DB
	client     *http.Client
	subscriber string
	keys       Keys
	now        func() time.Time
	retryBase  time.Duration
	// sending keeps two DeliverDue calls from sending a message twice.
	sending sync.Mutex
	// wake is nudged when a message is queued, so that Run sends it now.
	wake chan struct{}
	// onQueued, when set, hears of every message queued (see OnQueued).
	onQueued atomic.Pointer[func()]
}

// DueSQL is a query of one value: the unix millisecond at which the
// earliest queued message is due, NULL when none waits. A host serving
// many sites reads it to schedule a site's DeliverDue without running Run.
const DueSQL = `SELECT MIN(next_try) * 1000 FROM mastodon_push_deliveries`

// OnQueued asks to be told when messages are queued, so that a host driving
// DeliverDue itself (instead of Run) sends them at once. fn must not block.
func (s *Service) OnQueued(fn func()) { s.onQueued.Store(&fn) }

// New reads (or makes, on first start) the VAPID keys and builds the service.
func New(ctx context.Context, cfg Config) (*Service, error) {
	if cfg.DB == nil {
		return nil, errors.New("push: DB is required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.RetryBase <= 0 {
		cfg.RetryBase = retryBase
	}
	keys, err := loadOrCreateKeys(ctx, cfg.DB, cfg.Now().Unix())
	if err != nil {
		return nil, err
	}
	return &Service{db: cfg.DB, client: cfg.Client, subscriber: cfg.Subscriber, keys: keys, now: cfg.Now,
		retryBase: cfg.RetryBase, wake: make(chan struct{}, 1)}, nil
}

// PublicKey is the VAPID public key that apps hand to the push service
// (the instance's vapid.public_key, a subscription's server_key).
func (s *Service) PublicKey() string { return s.keys.Public }
