package mastodon

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"strings"

	"roost/feed/mastodon/push"
)

// pushSubscriptionEntity is Mastodon's WebPushSubscription.
type pushSubscriptionEntity struct {
	ID       string          `json:"id"`
	Endpoint string          `json:"endpoint"`
	Alerts   map[string]bool `json:"alerts"`
	Policy   string          `json:"policy"`
	// Standard is always true: roost sends only RFC 8291 messages
	// (aes128gcm), never the legacy draft's aesgcm.
	Standard  bool   `json:"standard"`
	ServerKey string `json:"server_key"`
}

func (a *API) pushRoutes(mux Mux) {
	a.handle(mux, "POST /api/v1/push/subscription", "push", a.createPushSubscription)
	a.handle(mux, "GET /api/v1/push/subscription", "push", a.showPushSubscription)
	a.handle(mux, "PUT /api/v1/push/subscription", "push", a.updatePushSubscription)
	a.handle(mux, "DELETE /api/v1/push/subscription", "push", a.deletePushSubscription)
}

func (a *API) pushEntity(sub push.Subscription) pushSubscriptionEntity {
	alerts := make(map[string]bool, len(push.Alerts))
	for _, k := range push.Alerts {
		alerts[k] = sub.Alerts[k]
	}
	return pushSubscriptionEntity{ID: idString(sub.ID), Endpoint: sub.Endpoint, Alerts: alerts, Policy: sub.Policy,
		Standard: true, ServerKey: a.push.PublicKey()}
}

// readAlerts reads data[alerts][...]; an alert not sent is off, as in
// Mastodon. ok is false when the request names no alert at all.
func readAlerts(p *params) (alerts map[string]bool, ok bool) {
	alerts = map[string]bool{}
	for _, k := range push.Alerts {
		key := "data[alerts][" + k + "]"
		ok = ok || p.has(key)
		alerts[k] = p.boolean(key, false)
	}
	return alerts, ok
}

// readPolicy reads the policy, sent as data[policy] on create and as
// policy on update (apps mix them up, so both are read on both).
func readPolicy(p *params) (string, error) {
	policy := p.get("data[policy]")
	if policy == "" {
		policy = p.get("policy")
	}
	if policy != "" && !push.ValidPolicy(policy) {
		return "", errors.New("policy must be all, followed, follower or none")
	}
	return policy, nil
}

// createPushSubscription registers the token's subscription, replacing
// the one it had.
func (a *API) createPushSubscription(w http.ResponseWriter, r *http.Request, t *token) {
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	sub := push.Subscription{TokenID: t.id, Endpoint: p.get("subscription[endpoint]"),
		P256dh: p.get("subscription[keys][p256dh]"), Auth: p.get("subscription[keys][auth]"), AccessToken: bearer(r)}
	if err := push.CheckSubscription(sub.Endpoint, sub.P256dh, sub.Auth); err != nil {
		unprocessable(w, err.Error())
		return
	}
	sub.Alerts, _ = readAlerts(p)
	policy, err := readPolicy(p)
	if err != nil {
		unprocessable(w, err.Error())
		return
	}
	sub.Policy = cmp.Or(policy, push.PolicyAll)
	sub, err = a.push.Subscribe(r.Context(), sub)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a.pushEntity(sub))
}

func (a *API) showPushSubscription(w http.ResponseWriter, r *http.Request, t *token) {
	sub, err := a.push.Subscription(r.Context(), t.id)
	a.writePushSubscription(w, r, sub, err)
}

// updatePushSubscription changes what the subscription asks for; the
// endpoint and keys stay (a new one is made with POST).
func (a *API) updatePushSubscription(w http.ResponseWriter, r *http.Request, t *token) {
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	alerts, given := readAlerts(p)
	if !given {
		alerts = nil
	}
	policy, err := readPolicy(p)
	if err != nil {
		unprocessable(w, err.Error())
		return
	}
	sub, err := a.push.Change(r.Context(), t.id, alerts, policy)
	a.writePushSubscription(w, r, sub, err)
}

func (a *API) deletePushSubscription(w http.ResponseWriter, r *http.Request, t *token) {
	if err := a.push.Unsubscribe(r.Context(), t.id); err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{})
}

func (a *API) writePushSubscription(w http.ResponseWriter, r *http.Request, sub push.Subscription, err error) {
	switch {
	case errors.Is(err, push.ErrNotFound):
		notFound(w)
	case err != nil:
		fail(w, r, err)
	default:
		writeJSON(w, http.StatusOK, a.pushEntity(sub))
	}
}

// vapidSubscriber is the contact a push service may write to about the
// site's messages: the site itself when it has an https URL, which is
// what push services accept; an address at the domain otherwise (a
// development site), to which webpush-go adds "mailto:".
func vapidSubscriber(base, domain string) string {
	if strings.HasPrefix(base, "https://") {
		return base + "/"
	}
	return "roost@" + domain
}

// RunPush sends queued push messages until ctx ends.
func (a *API) RunPush(ctx context.Context) { a.push.Run(ctx) }

// DeliverPushDue sends the push messages that are due, the step RunPush
// repeats; a host serving many sites calls it from a shared pool, told by
// OnPushQueued when a message waits.
func (a *API) DeliverPushDue(ctx context.Context) error {
	_, err := a.push.DeliverDue(ctx)
	return err
}

// OnPushQueued asks to be told when a push message is queued.
func (a *API) OnPushQueued(fn func()) { a.push.OnQueued(fn) }
