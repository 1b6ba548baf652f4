package push

import (
	"context"
	"crypto/ecdh"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Alerts are the kinds of notification a subscription may ask for, as
// Mastodon names them in data[alerts]. The admin ones never happen on a
// one-person site but apps send and read them back.
var Alerts = []string{"mention", "status", "reblog", "follow", "follow_request", "favourite", "poll", "update",
	"admin.sign_up", "admin.report"}

// Policies say whose notifications are pushed: anyone's, only of accounts
// the owner follows, only of the owner's followers, or nobody's.
const (
	PolicyAll      = "all"
	PolicyFollowed = "followed"
	PolicyFollower = "follower"
	PolicyNone     = "none"
)

// ValidPolicy reports whether p is one of the policies.
func ValidPolicy(p string) bool {
	switch p {
	case PolicyAll, PolicyFollowed, PolicyFollower, PolicyNone:
		return true
	}
	return false
}

// ErrNotFound means the token has no subscription.
var ErrNotFound = errors.New("push: no subscription")

// maxEndpoint caps the endpoint URL; push services hand out URLs of a few
// hundred characters.
const maxEndpoint = 2048

// Subscription is one app's registration: where to send, the keys to
// encrypt for, and what it wants to hear about.
type Subscription struct {
	ID int64
	// TokenID is the access token the app registered with; the
	// subscription goes with it.
	TokenID  int64
	Endpoint string
	// P256dh and Auth are the browser's (or app's) keys as sent, base64.
	P256dh, Auth string
	// Alerts holds the kinds asked for; a kind absent is not pushed.
	Alerts map[string]bool
	Policy string
	// AccessToken is the token itself: Mastodon sends it in every message,
	// and apps with several accounts tell by it which one a message is for.
	AccessToken string
	Created     time.Time
}

// CheckSubscription checks what an app sent: an http(s) endpoint, a P-256
// public key and a 16-byte auth secret. The error is fit to show the app.
func CheckSubscription(endpoint, p256dh, auth string) error {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(endpoint) > maxEndpoint {
		return errors.New("endpoint is not an http(s) URL")
	}
	key, err := decodeKey(p256dh)
	if err != nil {
		return errors.New("keys[p256dh] is not base64")
	}
	if _, err := ecdh.P256().NewPublicKey(key); err != nil {
		return errors.New("keys[p256dh] is not a P-256 public key")
	}
	secret, err := decodeKey(auth)
	if err != nil || len(secret) != 16 {
		return errors.New("keys[auth] is not 16 bytes of base64")
	}
	return nil
}

// decodeKey reads a key the ways apps encode it: base64url as the Push API
// gives it, or standard base64, with or without padding.
func decodeKey(s string) ([]byte, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "=")
	if b, err := base64.RawURLEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return base64.RawStdEncoding.DecodeString(s)
}

// Subscribe stores sub as its token's subscription, replacing the one the
// token had (and the messages still queued for it), as a new POST does in
// Mastodon.
func (s *Service) Subscribe(ctx context.Context, sub Subscription) (Subscription, error) {
	alerts, err := json.Marshal(sub.Alerts)
	if err != nil {
		return sub, err
	}
	if sub.Created.IsZero() {
		sub.Created = s.now()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return sub, fmt.Errorf("subscribe: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM mastodon_push_subscriptions WHERE token_id = ?`, sub.TokenID); err != nil {
		return sub, fmt.Errorf("subscribe: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO mastodon_push_subscriptions(token_id, endpoint, p256dh, auth, alerts, policy, access_token, created)
		VALUES(?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, sub.TokenID, sub.Endpoint, sub.P256dh, sub.Auth, string(alerts), sub.Policy, sub.AccessToken, sub.Created.Unix()).Scan(&sub.ID); err != nil {
		return sub, fmt.Errorf("subscribe: %w", err)
	}
	return sub, tx.Commit()
}

// Subscription reads the token's subscription.
func (s *Service) Subscription(ctx context.Context, tokenID int64) (Subscription, error) {
	subs, err := s.query(ctx, `WHERE token_id = ?`, tokenID)
	if err != nil {
		return Subscription{}, err
	}
	if len(subs) == 0 {
		return Subscription{}, ErrNotFound
	}
	return subs[0], nil
}

// Change sets the token's alerts (unless nil) and policy (unless "").
func (s *Service) Change(ctx context.Context, tokenID int64, alerts map[string]bool, policy string) (Subscription, error) {
	sub, err := s.Subscription(ctx, tokenID)
	if err != nil {
		return sub, err
	}
	if alerts != nil {
		sub.Alerts = alerts
	}
	if policy != "" {
		sub.Policy = policy
	}
	doc, err := json.Marshal(sub.Alerts)
	if err != nil {
		return sub, err
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE mastodon_push_subscriptions SET alerts = ?, policy = ? WHERE id = ?`,
		string(doc), sub.Policy, sub.ID); err != nil {
		return sub, fmt.Errorf("change subscription: %w", err)
	}
	return sub, nil
}

// Unsubscribe removes the token's subscription, if it has one.
func (s *Service) Unsubscribe(ctx context.Context, tokenID int64) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM mastodon_push_subscriptions WHERE token_id = ?`, tokenID); err != nil {
		return fmt.Errorf("unsubscribe: %w", err)
	}
	return nil
}

func (s *Service) query(ctx context.Context, where string, args ...any) ([]Subscription, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, token_id, endpoint, p256dh, auth, alerts, policy, access_token, created
		FROM mastodon_push_subscriptions `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("read subscriptions: %w", err)
	}
	defer rows.Close()
	var out []Subscription
	for rows.Next() {
		var sub Subscription
		var alerts string
		var created int64
		if err := rows.Scan(&sub.ID, &sub.TokenID, &sub.Endpoint, &sub.P256dh, &sub.Auth, &alerts, &sub.Policy, &sub.AccessToken, &created); err != nil {
			return nil, fmt.Errorf("read subscriptions: %w", err)
		}
		if err := json.Unmarshal([]byte(alerts), &sub.Alerts); err != nil {
			return nil, fmt.Errorf("read subscription %d: %w", sub.ID, err)
		}
		sub.Created = time.Unix(created, 0).UTC()
		out = append(out, sub)
	}
	return out, rows.Err()
}
