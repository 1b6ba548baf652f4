package federation

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"

	"roost/federation/vocab"
)

// Inbox forwarding (ActivityPub 7.1.2). A reply from a third server to one
// of the owner's posts is addressed to the owner's followers, whom that
// server cannot reach: roost passes the activity on to them, unchanged, so
// that the reply shows in their copy of the thread. And the other way
// round, roost accepts activities that reached it the same way, signed by
// the server that forwarded them rather than by their actor.

// forwardableType tells which activities roost accepts from a server that
// did not write them: the ones about a post, whose object its origin can
// be asked for.
func forwardableType(typ string) bool {
	switch typ {
	case vocab.TypeCreate, vocab.TypeUpdate, vocab.TypeDelete:
		return true
	}
	return false
}

// errOriginDisagrees is wrapped when the origin of a forwarded activity's
// object does not bear it out.
var errOriginDisagrees = errors.New("the object's origin does not bear out the forwarded activity")

// believeForwarded checks a forwarded activity that carries no proof by
// its actor against the origin of its object, and puts what the origin
// serves in place of the forwarded copy: a Create or Update stands when the
// object exists there and is its actor's, a Delete when the object is gone
// from there. The forwarded copy of the object is never used.
func (s *Service) believeForwarded(ctx context.Context, act *vocab.Activity) error {
	if act.ObjectID == "" || !SameOrigin(act.ObjectID, act.Actor) {
		return fmt.Errorf("%w: object %q is not on the actor's origin", errOriginDisagrees, act.ObjectID)
	}
	obj, err := s.FetchObject(ctx, act.ObjectID)
	gone := errors.Is(err, ErrGone) || errors.Is(err, ErrNotFound)
	switch {
	case act.Type == vocab.TypeDelete && (gone || (err == nil && obj.Type == vocab.TypeTombstone)):
		act.Object = nil
		return nil
	case act.Type == vocab.TypeDelete && err == nil:
		return fmt.Errorf("%w: %s still exists", errOriginDisagrees, act.ObjectID)
	case gone:
		return fmt.Errorf("%w: %s does not exist", errOriginDisagrees, act.ObjectID)
	case refusedToShow(err):
		// A followers-only post, or a server in authorized-fetch mode that
		// does not know this site: asking again will not change that.
		return fmt.Errorf("%w: %s is not shown to this site: %v", errOriginDisagrees, act.ObjectID, err)
	case err != nil:
		// The origin may only be down: try again later.
		return err
	case obj.AttributedTo != act.Actor || !SameOrigin(obj.ID, act.Actor):
		return fmt.Errorf("%w: %s is not by %s", errOriginDisagrees, act.ObjectID, act.Actor)
	}
	act.Object, act.ObjectID = obj, obj.ID
	return nil
}

// refusedToShow tells whether a fetch was answered 401 or 403.
func refusedToShow(err error) bool {
	var status *StatusError
	return errors.As(err, &status) && (status.Status == http.StatusUnauthorized || status.Status == http.StatusForbidden)
}

// forwardIfReply forwards an activity that came from its own actor (signed
// by it, or proven to be its) to the owner's followers, unchanged, so that a
// proof in it still verifies at their servers. That is a Create or Update
// from another server of a reply to one of the owner's posts, when it is
// addressed to the owner's followers (as ActivityPub has it) or public (as
// Mastodon forwards replies to its local posts), and the Delete of a reply
// forwarded before, or addressed to the owner's followers.
func (s *Service) forwardIfReply(ctx context.Context, act *vocab.Activity, body []byte) error {
	if !forwardableType(act.Type) || SameOrigin(act.Actor, s.base) {
		return nil
	}
	toFollowers := slices.Contains(act.To, s.FollowersURL()) || slices.Contains(act.Cc, s.FollowersURL())
	public := slices.ContainsFunc(act.To, vocab.IsPublic) || slices.ContainsFunc(act.Cc, vocab.IsPublic)
	switch {
	case act.Type == vocab.TypeDelete:
		if !toFollowers && !s.forwardedBefore(ctx, act.ObjectID) {
			return nil
		}
	case act.Object == nil || !s.ownPost(ctx, act.Object.InReplyTo) || (!toFollowers && !public):
		return nil
	default:
		if _, err := s.cfg.DB.ExecContext(ctx, `INSERT INTO forwarded_objects(object_id, created) VALUES(?, ?)
			ON CONFLICT(object_id) DO NOTHING`, act.Object.ID, s.now().Unix()); err != nil {
			return fmt.Errorf("forward %s: %w", act.ID, err)
		}
	}
	return s.forward(ctx, act.ID, body, Audience{Followers: true, SkipOrigins: []string{originOf(act.Actor)}})
}

// ownPost tells whether iri is one of the owner's posts.
func (s *Service) ownPost(ctx context.Context, iri string) bool {
	if !SameOrigin(iri, s.base) {
		return false
	}
	return s.cfg.OwnPost == nil || s.cfg.OwnPost(ctx, iri)
}

func (s *Service) forwardedBefore(ctx context.Context, objectID string) bool {
	var one int
	err := s.cfg.DB.QueryRowContext(ctx, `SELECT 1 FROM forwarded_objects WHERE object_id = ?`, objectID).Scan(&one)
	return err == nil
}

// forward queues a received activity for the audience, once: an activity
// forwarded before (its id is already among the activities sent) is not
// forwarded again, whichever way it came back.
func (s *Service) forward(ctx context.Context, id string, body []byte, to Audience) error {
	audience, err := json.Marshal(to)
	if err != nil {
		return fmt.Errorf("forward %s: %w", id, err)
	}
	tx, err := s.cfg.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("forward %s: %w", id, err)
	}
	defer tx.Rollback()
	now := s.now()
	var stored string
	err = tx.QueryRowContext(ctx, `INSERT INTO activities(id, document, created) VALUES(?, ?, ?)
		ON CONFLICT(id) DO NOTHING RETURNING id`, id, string(body), now.Unix()).Scan(&stored)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("forward %s: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO outbox_pending(activity_id, audience, created, next_try) VALUES(?, ?, ?, 0)`,
		id, string(audience), now.UnixMilli()); err != nil {
		return fmt.Errorf("forward %s: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("forward %s: %w", id, err)
	}
	slog.Info("inbox: forwarded to followers", "activity", id)
	s.outboxQueued()
	return nil
}
