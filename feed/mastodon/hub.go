package mastodon

import (
	"context"
	"log/slog"
	"slices"
	"sync"

	"roost/feed"
)

// Event is one streaming message: an event name, the streams it belongs to
// and its payload (a JSON document as a string, or a bare id for delete).
type Event struct {
	Stream  []string `json:"stream"`
	Event   string   `json:"event"`
	Payload string   `json:"payload"`
}

// subscriber is one streaming connection.
type subscriber struct {
	mu      sync.Mutex
	streams map[string]bool
	out     chan Event
}

func (s *subscriber) wants(streams []string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range streams {
		if s.streams[st] {
			return true
		}
	}
	return false
}

// matching are the streams of an event that s subscribed to. Each gets
// its own message, as Mastodon sends them: apps that multiplex several
// subscriptions on one socket (masto.js, Elk, Phanpy) route messages by
// their stream and would lose an event labelled with another stream only.
func (s *subscriber) matching(streams []string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, st := range streams {
		if s.streams[st] && !slices.Contains(out, st) {
			out = append(out, st)
		}
	}
	return out
}

func (s *subscriber) set(stream string, on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if on {
		s.streams[stream] = true
	} else {
		delete(s.streams, stream)
	}
}

// hub fans events out to the open streams of this process.
type hub struct {
	mu   sync.Mutex
	subs map[*subscriber]bool
	// recent remembers the last events sent, so that an event announced
	// both by the API itself and by the feed room's hook goes out once.
	recent []string
	// closed ends the streams when the site stops.
	closed    chan struct{}
	closeOnce sync.Once
}

const recentEvents = 256

func newHub() *hub { return &hub{subs: map[*subscriber]bool{}, closed: make(chan struct{})} }

// close ends every stream, now and to come (the site is stopping).
func (h *hub) close() { h.closeOnce.Do(func() { close(h.closed) }) }

func (h *hub) subscribe(streams ...string) *subscriber {
	s := &subscriber{streams: map[string]bool{}, out: make(chan Event, 64)}
	for _, st := range streams {
		s.streams[st] = true
	}
	h.mu.Lock()
	h.subs[s] = true
	h.mu.Unlock()
	return s
}

func (h *hub) unsubscribe(s *subscriber) {
	h.mu.Lock()
	delete(h.subs, s)
	h.mu.Unlock()
}

// publish delivers ev to every subscriber of one of its streams, once for
// each of its streams the subscriber chose, labelled with that stream. A
// slow client misses events rather than holding everyone up. It reports
// whether ev was new (false when dedupKey was published already).
func (h *hub) publish(ev Event, dedupKey string) bool {
	h.mu.Lock()
	if dedupKey != "" {
		for _, k := range h.recent {
			if k == dedupKey {
				h.mu.Unlock()
				return false
			}
		}
		h.recent = append(h.recent, dedupKey)
		if len(h.recent) > recentEvents {
			h.recent = h.recent[1:]
		}
	}
	subs := make([]*subscriber, 0, len(h.subs))
	for s := range h.subs {
		subs = append(subs, s)
	}
	h.mu.Unlock()
	for _, s := range subs {
		for _, st := range s.matching(ev.Stream) {
			labelled := ev
			labelled.Stream = wireStream(st)
			select {
			case s.out <- labelled:
			default:
			}
		}
	}
	return true
}

// CloseStreams ends every open stream, WebSocket and SSE, and any opened
// later: the site is stopping and they would hold its shutdown.
func (a *API) CloseStreams() { a.hub.close() }

// Publish sends an event to the open streams.
func (a *API) Publish(ev Event) { a.hub.publish(ev, "") }

// payload encodes a streamed entity as the API answers it.
func payload(v any) string {
	b, err := appendJSON(nil, v)
	if err != nil {
		slog.Error("mastodon: encode stream payload", "err", err)
		return "{}"
	}
	return string(b[:len(b)-1])
}

// statusStreams are the streams a status appears on.
func statusStreams(s Status, local bool) []string {
	streams := []string{"user"}
	if s.Visibility == feed.VisibilityPublic {
		streams = append(streams, "public")
		if local {
			streams = append(streams, "public:local")
		} else {
			streams = append(streams, "public:remote")
		}
		for _, t := range s.Tags {
			streams = append(streams, "hashtag:"+t.Name)
			if local {
				streams = append(streams, "hashtag:local:"+t.Name)
			}
		}
	}
	return streams
}

// publishStatus streams a new status p, rendered as s.
func (a *API) publishStatus(ctx context.Context, p Post, s Status) {
	a.streamStatus(ctx, "update", p, s, "update:"+s.ID)
	a.streamConversation(ctx, p)
}

func (a *API) publishStatusUpdate(ctx context.Context, p Post, s Status) {
	a.streamStatus(ctx, "status.update", p, s, "status.update:"+s.ID+":"+derefOr(s.EditedAt))
}

// streamStatus sends s to its streams. The user stream shows the home
// context and the public and hashtag streams the public one, each with its
// own filters: a status a filter hides there is left out of those streams,
// and a warning travels only where its filter applies. With no filters, as
// usual, one event goes to all the streams.
func (a *API) streamStatus(ctx context.Context, event string, p Post, s Status, key string) {
	streams := statusStreams(s, s.Account.ID == ownerAccountID)
	// statusStreams lists "user" first; lists are read in the home context.
	homeStreams := append(streams[:1:1], a.listStreams(ctx, p)...)
	publicStreams := streams[1:]
	home, public := a.ownerFiltersIn(ctx, filterHome), a.ownerFiltersIn(ctx, filterPublic)
	if home == nil && public == nil {
		a.hub.publish(Event{Stream: append(homeStreams, publicStreams...), Event: event, Payload: payload(s)}, key)
		return
	}
	for _, part := range []struct {
		fs      *filterSet
		streams []string
		suffix  string
	}{{home, homeStreams, ":home"}, {public, publicStreams, ":public"}} {
		if len(part.streams) == 0 || part.fs.hides(p) {
			continue
		}
		s.Filtered = part.fs.results(p)
		if s.Reblog != nil {
			inner := *s.Reblog
			inner.Filtered = s.Filtered
			s.Reblog = &inner
		}
		a.hub.publish(Event{Stream: part.streams, Event: event, Payload: payload(s)}, key+part.suffix)
	}
}

func derefOr(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// StatusCreated renders a new status (a note, a remote post arriving, a
// boost) and streams it. cmd/roost calls it from the feed room's hook.
func (a *API) StatusCreated(ctx context.Context, id int64) {
	a.homePages.clear()
	post, _, err := a.findPost(ctx, id)
	if err != nil {
		slog.Warn("mastodon: stream new status", "id", id, "err", err)
		return
	}
	if a.newHider(ctx).post(post) {
		return
	}
	s, err := a.newRenderer(ctx).one(post)
	if err != nil {
		slog.Warn("mastodon: stream new status", "id", id, "err", err)
		return
	}
	a.publishStatus(ctx, post, s)
}

// StatusUpdated streams an edited status.
func (a *API) StatusUpdated(ctx context.Context, id int64) {
	a.homePages.clear()
	post, _, err := a.findPost(ctx, id)
	if err != nil || a.newHider(ctx).post(post) {
		return
	}
	if s, err := a.newRenderer(ctx).one(post); err == nil {
		a.publishStatusUpdate(ctx, post, s)
	}
}

// StatusDeleted tells the streams that a status is gone.
func (a *API) StatusDeleted(ctx context.Context, id int64) {
	a.homePages.clear()
	sid := idString(id)
	a.hub.publish(Event{Stream: []string{"user", "public", "public:local", "public:remote"}, Event: "delete", Payload: sid}, "delete:"+sid)
}

// NotificationCreated renders a new notification, streams it to the
// owner's user stream and queues its push messages.
func (a *API) NotificationCreated(ctx context.Context, id int64) {
	a.homePages.clear()
	if a.cfg.Remote == nil {
		return
	}
	n, err := a.cfg.Remote.Notification(ctx, id)
	if err != nil {
		slog.Warn("mastodon: stream notification", "id", id, "err", err)
		return
	}
	fs := a.ownerFiltersIn(ctx, filterNotifications)
	if a.newHider(ctx).notification(n) || a.filterHidesNotification(ctx, fs, n) {
		return
	}
	e, err := a.newRenderer(ctx).filtering(fs).notification(n)
	if err != nil {
		slog.Warn("mastodon: stream notification", "id", id, "err", err)
		return
	}
	// A notification announced twice is pushed once.
	if a.hub.publish(Event{Stream: []string{"user", "user:notification"}, Event: "notification", Payload: payload(e)}, "notification:"+e.ID) {
		a.queuePush(ctx, n, e)
	}
}
