package federation

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"roost/federation/vocab"
)

// Publish queues an outgoing activity inside the caller's transaction: the
// room writes its change and the activity about it in one commit, so a
// crash leaves both or neither, and nothing acknowledged goes unsent. It
// touches no network: who receives the activity (follower inboxes, the
// inboxes of the named actors, fetched if need be) is worked out after the
// commit by the outbox workers (expandLoop), which queue one delivery per
// inbox. Publishing the same activity id again replaces its document.
func (s *Service) Publish(ctx context.Context, tx *sql.Tx, act vocab.OutActivity, to Audience) error {
	if act.Published.IsZero() {
		act.Published = s.now()
	}
	doc, err := vocab.MarshalActivity(act)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if doc, err = s.signActivity(doc); err != nil {
		return fmt.Errorf("publish %s: %w", act.ID, err)
	}
	audience, err := json.Marshal(to)
	if err != nil {
		return fmt.Errorf("publish %s: %w", act.ID, err)
	}
	now := s.now()
	if _, err := tx.ExecContext(ctx, `INSERT INTO activities(id, document, created) VALUES(?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET document = excluded.document`, act.ID, string(doc), now.Unix()); err != nil {
		return fmt.Errorf("publish %s: %w", act.ID, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO outbox_pending(activity_id, audience, created, next_try) VALUES(?, ?, ?, 0)
		ON CONFLICT(activity_id) DO UPDATE SET audience = excluded.audience, next_try = 0`,
		act.ID, string(audience), s.queued.next(now)); err != nil {
		return fmt.Errorf("publish %s: %w", act.ID, err)
	}
	s.docs.forget(act.ID)
	s.outboxQueued()
	return nil
}

// publishAlone publishes an activity that goes with no change of a room's
// (the owner's profile update, the answer to a follow).
func (s *Service) publishAlone(ctx context.Context, act vocab.OutActivity, to Audience) error {
	tx, err := s.cfg.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("publish %s: %w", act.ID, err)
	}
	defer tx.Rollback()
	if err := s.Publish(ctx, tx, act, to); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("publish %s: %w", act.ID, err)
	}
	return nil
}

// inboxesFor lists the distinct inboxes of an audience, in order.
func (s *Service) inboxesFor(ctx context.Context, to Audience) ([]string, error) {
	var all []string
	if to.Followers {
		if a := s.h().audience; a != nil {
			inboxes, err := a.FollowerInboxes(ctx)
			if err != nil {
				return nil, fmt.Errorf("follower inboxes: %w", err)
			}
			all = append(all, inboxes...)
		}
	}
	for _, id := range to.Actors {
		if id == s.ActorID() || vocab.IsPublic(id) || id == s.FollowersURL() {
			continue
		}
		actor, err := s.FetchActor(ctx, id, false)
		if err != nil {
			// One unreachable addressee must not stop the others.
			slog.Warn("publish: look up addressee", "actor", id, "err", err)
			continue
		}
		if actor.SharedInbox != "" {
			all = append(all, actor.SharedInbox)
		} else {
			all = append(all, actor.Inbox)
		}
	}
	for _, id := range to.Personal {
		actor, err := s.FetchActor(ctx, id, false)
		if err != nil {
			slog.Warn("publish: look up addressee", "actor", id, "err", err)
			continue
		}
		all = append(all, actor.Inbox)
	}
	all = append(all, to.Inboxes...)

	seen := make(map[string]bool, len(all))
	out := make([]string, 0, len(all))
	for _, inbox := range all {
		if inbox == "" || seen[inbox] || s.isOwnInbox(inbox) || slices.Contains(to.SkipOrigins, originOf(inbox)) {
			continue
		}
		if !strings.HasPrefix(inbox, "https://") && !strings.HasPrefix(inbox, "http://") {
			continue
		}
		seen[inbox] = true
		out = append(out, inbox)
	}
	return out, nil
}

func (s *Service) isOwnInbox(inbox string) bool {
	return inbox == s.InboxURL() || inbox == s.SharedInboxURL()
}

// notify wakes the delivery loop without blocking, and tells the
// provider's pool that deliveries are queued.
func (s *Service) notify() {
	s.wakeLoop()
	s.woken(WorkDeliveries)
}

// wakeLoop wakes Run's delivery loop only.
func (s *Service) wakeLoop() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// AnswerFollow accepts (or rejects) a remote actor's Follow of the owner
// and sends the answer to the follower's inbox. The contacts room calls it
// when the owner approves a pending request; the inbox calls it for
// follows accepted at once. The answer embeds the Follow by its id, which is
// how Mastodon matches it to the request it sent.
func (s *Service) AnswerFollow(ctx context.Context, followID, followerID string, accept bool) error {
	typ := vocab.TypeAccept
	if !accept {
		typ = vocab.TypeReject
	}
	sum := sha256.Sum256([]byte(followID))
	act := vocab.OutActivity{
		ID:    s.ActorID() + "#" + strings.ToLower(typ) + "-" + hex.EncodeToString(sum[:12]),
		Type:  typ,
		Actor: s.ActorID(),
		Object: map[string]any{
			"id": followID, "type": vocab.TypeFollow, "actor": followerID, "object": s.ActorID(),
		},
		To: []string{followerID},
	}
	return s.publishAlone(ctx, act, Audience{Personal: []string{followerID}})
}
