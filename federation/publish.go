package federation

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"

	"roost/federation/vocab"
)

// Publish stores an outgoing activity and queues one delivery per inbox of
// its audience: follower inboxes (shared ones, each once), the inboxes of
// the named actors, and the given inboxes. The owner's own inboxes are never
// among them. Delivery happens in Run's workers.
func (s *Service) Publish(ctx context.Context, act vocab.OutActivity, to Audience) error {
	if act.Published.IsZero() {
		act.Published = s.now()
	}
	doc, err := vocab.MarshalActivity(act)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	inboxes, err := s.inboxesFor(ctx, to)
	if err != nil {
		return fmt.Errorf("publish %s: %w", act.ID, err)
	}
	if err := s.enqueue(ctx, act.ID, doc, inboxes); err != nil {
		return fmt.Errorf("publish %s: %w", act.ID, err)
	}
	s.notify()
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
	all = append(all, to.Inboxes...)

	seen := make(map[string]bool, len(all))
	out := make([]string, 0, len(all))
	for _, inbox := range all {
		if inbox == "" || seen[inbox] || s.isOwnInbox(inbox) {
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

// enqueue stores the activity and its deliveries in one transaction, so a
// crash leaves either all of them or none. Publishing the same activity to
// the same inbox twice queues it once.
func (s *Service) enqueue(ctx context.Context, id string, doc []byte, inboxes []string) error {
	now := s.now()
	tx, err := s.cfg.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("enqueue: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO activities(id, document, created) VALUES(?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET document = excluded.document`, id, string(doc), now.Unix()); err != nil {
		return fmt.Errorf("enqueue activity: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO deliveries(activity_id, inbox, next_try, created) VALUES(?, ?, ?, ?)
		ON CONFLICT(activity_id, inbox) DO NOTHING`)
	if err != nil {
		return fmt.Errorf("enqueue deliveries: %w", err)
	}
	defer stmt.Close()
	for _, inbox := range inboxes {
		if _, err := stmt.ExecContext(ctx, id, inbox, now.UnixMilli(), now.UnixMilli()); err != nil {
			return fmt.Errorf("enqueue delivery to %s: %w", inbox, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("enqueue: %w", err)
	}
	s.docs.forget(id)
	return nil
}

// notify wakes the delivery loop without blocking.
func (s *Service) notify() {
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
	follower, err := s.FetchActor(ctx, followerID, false)
	if err != nil {
		return fmt.Errorf("answer follow %s: %w", followID, err)
	}
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
	return s.Publish(ctx, act, Audience{Inboxes: []string{follower.Inbox}})
}
