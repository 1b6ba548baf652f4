package mastodon

import (
	"cmp"
	"context"
	"log/slog"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"roost/federation/vocab"
	"roost/feed/mastodon/push"
)

// pushBodyLength is the longest body a push message carries, in
// characters, as Mastodon cuts it.
const pushBodyLength = 140

// pushNameLength is the longest name a push title shows.
const pushNameLength = 100

// pushTitles are the titles Mastodon gives its push messages (its English
// ones), by notification type; %s is who did it.
var pushTitles = map[string]string{
	"mention":        "%s mentioned you",
	"status":         "%s just posted",
	"reblog":         "%s boosted your post",
	"favourite":      "%s favorited your post",
	"follow":         "%s is now following you",
	"follow_request": "Pending follower: %s",
	"poll":           "A poll by %s has ended",
	"update":         "%s edited a post",
	"quote":          "%s quoted your post",
}

// queuePush queues the push messages of notification n, rendered as e, for
// the subscriptions that want it. The push package sends them.
func (a *API) queuePush(ctx context.Context, n Notification, e NotificationEntity) {
	title, ok := pushTitles[e.Type]
	if !ok {
		return
	}
	// A message must fit one 4 KiB record: a remote display name of any
	// length is cut like the body.
	name := truncate(cmp.Or(e.Account.DisplayName, e.Account.Username), pushNameLength)
	m := push.Message{
		PreferredLocale: cmp.Or(a.cfg.Feed.PostingDefaults().Language, "en"), NotificationID: n.ID,
		NotificationType: e.Type, Icon: e.Account.AvatarStatic, Title: strings.Replace(title, "%s", name, 1),
	}
	switch {
	case e.Status != nil && e.Status.SpoilerText != "":
		m.Body = e.Status.SpoilerText
	case e.Status != nil:
		m.Body = plainText(e.Status.Content)
	default:
		m.Body = plainText(e.Account.Note)
	}
	m.Body = truncate(m.Body, pushBodyLength)
	if _, err := a.push.Queue(ctx, m, a.pushPolicy(ctx, n.Actor)); err != nil {
		slog.Error("mastodon: queue push", "notification", n.ID, "err", err)
	}
}

// pushPolicy answers whether a subscription's policy lets a notification
// caused by actor through: the owner's own (a poll of theirs ending)
// always does; followed and follower ask the contacts book, once.
func (a *API) pushPolicy(ctx context.Context, actor *vocab.Actor) func(string) bool {
	var rel *Relationship
	relationship := func() Relationship {
		if rel == nil {
			rel = &Relationship{}
			if a.cfg.Social != nil {
				if r, err := a.cfg.Social.Relationship(ctx, actor.ID); err == nil {
					rel = &r
				} else {
					slog.Warn("mastodon: relationship for push policy", "actor", actor.ID, "err", err)
				}
			}
		}
		return *rel
	}
	return func(policy string) bool {
		if actor == nil || actor.ID == a.cfg.ActorID {
			return policy != push.PolicyNone
		}
		switch policy {
		case push.PolicyAll:
			return true
		case push.PolicyFollowed:
			return relationship().Following
		case push.PolicyFollower:
			return relationship().FollowedBy
		}
		return false
	}
}

// plainText is the text of sanitized HTML, with a line break where a
// paragraph or a line ends: what a notification banner can show.
func plainText(s string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.TrimSpace(b.String())
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.SelfClosingTagToken:
			if name, _ := z.TagName(); atom.Lookup(name) == atom.Br {
				b.WriteString("\n")
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); atom.Lookup(name) == atom.P {
				b.WriteString("\n\n")
			}
		}
	}
}

// truncate cuts s to at most n characters, the last three an ellipsis
// when it was cut, as Mastodon (Rails' truncate) does.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-3])) + "..."
}
