package push

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	webpush "github.com/SherClockHolmes/webpush-go"

	"roost/federation"
)

// Queue timing.
const (
	// retryBase is the first retry's delay; each next one doubles it.
	retryBase = time.Minute
	// maxRetryDelay caps the back-off.
	maxRetryDelay = 6 * time.Hour
	// messageTTL is how long a message is worth sending, as Mastodon keeps
	// its pushes (48 hours); it is also the TTL push services are asked to
	// hold it for a phone that is off.
	messageTTL = 48 * time.Hour
	// idlePoll bounds how long Run sleeps when nothing is due.
	idlePoll = 30 * time.Second
	// batch is how many due messages one pass reads.
	batch = 100
)

// Message is the JSON document Mastodon pushes, which apps decrypt and show.
type Message struct {
	AccessToken     string `json:"access_token"`
	PreferredLocale string `json:"preferred_locale"`
	// NotificationID is a number here, where the REST API has strings.
	NotificationID   int64  `json:"notification_id"`
	NotificationType string `json:"notification_type"`
	Icon             string `json:"icon"`
	Title            string `json:"title"`
	Body             string `json:"body"`
}

// Queue queues m for every subscription that asked for its type and whose
// policy allows (a function of the policy, which the caller answers from
// who caused the notification). It reports how many messages were queued.
func (s *Service) Queue(ctx context.Context, m Message, allows func(policy string) bool) (int, error) {
	if s.client == nil {
		return 0, nil
	}
	subs, err := s.query(ctx, ``)
	if err != nil {
		return 0, err
	}
	queued := 0
	now := s.now().Unix()
	for _, sub := range subs {
		if !sub.Alerts[m.NotificationType] || sub.Policy == PolicyNone || !allows(sub.Policy) {
			continue
		}
		// The token is added when the message is sent: the queue need not
		// hold another copy of it.
		doc, err := json.Marshal(m)
		if err != nil {
			return queued, err
		}
		if _, err := s.db.ExecContext(ctx, `INSERT INTO mastodon_push_deliveries(subscription_id, message, next_try, created)
			VALUES(?, ?, ?, ?)`, sub.ID, string(doc), now, now); err != nil {
			return queued, fmt.Errorf("queue push: %w", err)
		}
		queued++
	}
	if queued > 0 {
		select {
		case s.wake <- struct{}{}:
		default:
		}
		if fn := s.onQueued.Load(); fn != nil {
			(*fn)()
		}
	}
	return queued, nil
}

// due is one queued message with where it goes.
type due struct {
	id       int64
	message  Message
	attempts int
	created  time.Time
	sub      Subscription
}

// Run sends queued messages until ctx ends: at once when one is queued,
// and when a retry falls due. Messages left by an earlier run are sent too.
func (s *Service) Run(ctx context.Context) {
	if s.client == nil {
		return
	}
	for ctx.Err() == nil {
		if _, err := s.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			slog.Error("push: deliver", "err", err)
		}
		t := time.NewTimer(s.untilNext(ctx))
		select {
		case <-ctx.Done():
		case <-s.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// untilNext is how long until the next retry is due, at most idlePoll.
func (s *Service) untilNext(ctx context.Context) time.Duration {
	var next int64
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MIN(next_try), 0) FROM mastodon_push_deliveries`).Scan(&next)
	if err != nil || next == 0 {
		return idlePoll
	}
	wait := time.Until(time.Unix(next, 0))
	return max(0, min(wait, idlePoll))
}

// DeliverDue sends every message that is due and reports how many were
// accepted by their push service.
func (s *Service) DeliverDue(ctx context.Context) (int, error) {
	s.sending.Lock()
	defer s.sending.Unlock()
	sent := 0
	for {
		list, err := s.dueMessages(ctx)
		if err != nil || len(list) == 0 {
			return sent, err
		}
		// A subscription dropped on its first message takes the rest of
		// the batch's messages for it along.
		dropped := map[int64]bool{}
		for _, d := range list {
			if ctx.Err() != nil {
				return sent, ctx.Err()
			}
			if dropped[d.sub.ID] {
				continue
			}
			o, err := s.deliver(ctx, d)
			if err != nil {
				return sent, err
			}
			switch o {
			case delivered:
				sent++
			case dropSubscription:
				dropped[d.sub.ID] = true
			}
		}
		if len(list) < batch {
			return sent, nil
		}
	}
}

func (s *Service) dueMessages(ctx context.Context) ([]due, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT d.id, d.message, d.attempts, d.created,
			s.id, s.endpoint, s.p256dh, s.auth, s.access_token
		FROM mastodon_push_deliveries d JOIN mastodon_push_subscriptions s ON s.id = d.subscription_id
		WHERE d.next_try <= ? ORDER BY d.next_try, d.id LIMIT ?`, s.now().Unix(), batch)
	if err != nil {
		return nil, fmt.Errorf("read due pushes: %w", err)
	}
	defer rows.Close()
	var out []due
	for rows.Next() {
		var d due
		var doc string
		var created int64
		if err := rows.Scan(&d.id, &doc, &d.attempts, &created, &d.sub.ID, &d.sub.Endpoint, &d.sub.P256dh, &d.sub.Auth, &d.sub.AccessToken); err != nil {
			return nil, fmt.Errorf("read due pushes: %w", err)
		}
		if err := json.Unmarshal([]byte(doc), &d.message); err != nil {
			return nil, fmt.Errorf("read push %d: %w", d.id, err)
		}
		d.created = time.Unix(created, 0)
		out = append(out, d)
	}
	return out, rows.Err()
}

// outcome is what became of one attempt.
type outcome int

const (
	delivered        outcome = iota
	retry                    // try again later
	dropMessage              // this message will never be accepted
	dropSubscription         // the push service forgot the subscription
)

// deliver makes one attempt at d and records and returns its outcome.
// Only a database error is an error: a failed send is the queue's business.
func (s *Service) deliver(ctx context.Context, d due) (outcome, error) {
	status, err := s.send(ctx, d)
	o := judge(status, err)
	if o != delivered {
		slog.Info("push: not delivered", "subscription", d.sub.ID, "status", status, "err", err, "attempt", d.attempts+1)
	}
	switch o {
	case delivered, dropMessage:
		_, err = s.db.ExecContext(ctx, `DELETE FROM mastodon_push_deliveries WHERE id = ?`, d.id)
	case dropSubscription:
		_, err = s.db.ExecContext(ctx, `DELETE FROM mastodon_push_subscriptions WHERE id = ?`, d.sub.ID)
	case retry:
		delay := min(s.retryBase<<min(d.attempts, 20), maxRetryDelay)
		next := s.now().Add(delay)
		if next.After(d.created.Add(messageTTL)) {
			_, err = s.db.ExecContext(ctx, `DELETE FROM mastodon_push_deliveries WHERE id = ?`, d.id)
		} else {
			_, err = s.db.ExecContext(ctx, `UPDATE mastodon_push_deliveries SET attempts = attempts + 1, next_try = ? WHERE id = ?`,
				next.Unix(), d.id)
		}
	}
	if err != nil {
		return o, fmt.Errorf("record push outcome: %w", err)
	}
	return o, nil
}

// judge turns an attempt's answer into what to do next.
func judge(status int, err error) outcome {
	switch {
	case errors.Is(err, federation.ErrForbiddenAddress), errors.Is(err, webpush.ErrMaxPadExceeded), errors.Is(err, errBadKeys):
		return dropMessage
	case err != nil:
		return retry
	case status >= 200 && status < 300:
		return delivered
	case status == http.StatusNotFound || status == http.StatusGone:
		return dropSubscription
	case status == http.StatusRequestTimeout || status == http.StatusTooManyRequests:
		return retry
	case status >= 400 && status < 500:
		return dropMessage
	}
	return retry
}

// errBadKeys is a subscription whose keys cannot be encrypted for.
var errBadKeys = errors.New("push: unusable subscription keys")

// send encrypts and posts d, and returns the push service's status.
func (s *Service) send(ctx context.Context, d due) (int, error) {
	m := d.message
	m.AccessToken = d.sub.AccessToken
	body, err := json.Marshal(m)
	if err != nil {
		return 0, err
	}
	if CheckSubscription(d.sub.Endpoint, d.sub.P256dh, d.sub.Auth) != nil {
		return 0, errBadKeys
	}
	ttl := max(d.created.Add(messageTTL).Sub(s.now()), 0)
	resp, err := webpush.SendNotificationWithContext(ctx, body, &webpush.Subscription{
		Endpoint: d.sub.Endpoint, Keys: webpush.Keys{P256dh: d.sub.P256dh, Auth: d.sub.Auth},
	}, &webpush.Options{
		HTTPClient: s.client, Subscriber: s.subscriber, TTL: int(ttl.Seconds()), Urgency: webpush.UrgencyNormal,
		VAPIDPublicKey: s.keys.Public, VAPIDPrivateKey: s.keys.Private,
	})
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, nil
}
