package federation

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"roost/federation/integrity"
	"roost/federation/vocab"
)

// maxInboxBody caps an incoming activity; real ones are a few KiB.
const maxInboxBody = 1 << 20

// seenRetention is how long processed activities are remembered, so that
// a redelivery is recognised. Peers retry for a day or two at most, so a
// week is plenty.
const seenRetention = 7 * 24 * time.Hour

// serveInbox receives an activity: read (capped), verify the signature,
// parse, check an object integrity proof when it carries one, check that
// the key belongs to the activity's actor (or that the activity is one a
// third server may forward: see forwarded.go), drop blocked actors, spend
// the actor's and its server's budget (inbox_budget.go), then store it in
// the inbox queue and answer 202. Nothing that may wait on another server
// happens here except fetching the signer's key and the key of a proof's
// author, which are rationed (key_fetches.go); the inbox workers fetch
// what else is missing and dispatch.
func (s *Service) serveInbox(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxInboxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeJSONError(w, http.StatusRequestEntityTooLarge, "activity too large")
			return
		}
		writeJSONError(w, http.StatusBadRequest, "could not read body")
		return
	}
	// The signature comes first: nothing a stranger sends is looked at
	// before we know who sent it, and peers that try RFC 9421 first need a
	// 401 (not a 400) to retry with draft-cavage.
	ctx := r.Context()
	// The one exception: an actor already over its budget is refused
	// before its signature is checked (see overInboxBudget).
	act, peekErr := vocab.PeekActivity(body)
	if peekErr == nil {
		if over, retry := s.overInboxBudget(act.Actor, s.now()); over {
			tooMany(w, retry)
			return
		}
	}
	verified, err := s.verifier.Verify(r, body)
	if limited := (*keyFetchLimitedError)(nil); errors.As(err, &limited) {
		slog.Debug("inbox: key fetches rationed", "err", err)
		tooMany(w, limited.retry)
		return
	}
	if err != nil {
		slog.Info("inbox: signature rejected", "err", err)
		writeJSONError(w, http.StatusUnauthorized, "signature does not verify")
		return
	}
	if peekErr != nil {
		slog.Info("inbox: malformed activity", "key", verified.KeyID, "err", peekErr)
		writeJSONError(w, http.StatusBadRequest, "malformed activity")
		return
	}
	proven := false
	if limited := (*keyFetchLimitedError)(nil); mayCarryProof(body) {
		switch err := s.verifyProof(ctx, body, act.Actor); {
		case err == nil:
			proven = true
		case errors.Is(err, integrity.ErrNoProof):
		case errors.As(err, &limited):
			slog.Debug("inbox: proof key fetches rationed", "err", err)
			tooMany(w, limited.retry)
			return
		default:
			slog.Info("inbox: object proof refused", "activity", act.ID, "actor", act.Actor, "err", err)
			writeJSONError(w, http.StatusUnauthorized, "object integrity proof does not verify")
			return
		}
	}
	forwardedBy := ""
	if verified.Owner != act.Actor && !proven {
		// Forwarded activities (a reply relayed by a third server) are
		// signed by the relay, not by the author. Without the author's
		// proof they are taken only when about a post, whose origin the
		// inbox workers then ask (see forwarded.go).
		if !forwardableType(act.Type) {
			slog.Info("inbox: key owner is not the actor", "activity", act.ID, "actor", act.Actor, "owner", verified.Owner)
			writeJSONError(w, http.StatusUnauthorized, "signature is not the actor's")
			return
		}
		forwardedBy = verified.Owner
	}
	if g := s.h().gate; g != nil && g.Blocked(ctx, act.Actor) {
		w.WriteHeader(http.StatusAccepted)
		return
	}
	if ok, retry := s.spendInboxBudget(ctx, act.Actor, s.now()); !ok {
		// Debug only: a log line per refused request would let a flood
		// fill the log instead.
		slog.Debug("inbox: over budget", "actor", act.Actor, "retry", retry)
		tooMany(w, retry)
		return
	}
	if err := s.enqueue(ctx, act, body, forwardedBy); err != nil {
		slog.Error("inbox: store", "activity", act.ID, "err", err)
		writeJSONError(w, http.StatusServiceUnavailable, "try again later")
		return
	}
	// Accepted: stored durably, processed by the inbox workers. A
	// duplicate is accepted too, so the peer stops retrying.
	w.WriteHeader(http.StatusAccepted)
}

// seenKey is what duplicates are recognised by: the activity id together
// with its actor, so that one peer cannot claim ids of another server's
// activities in advance and have the real ones dropped as duplicates.
func seenKey(act vocab.Envelope) string { return act.Actor + " " + act.ID }

// prune forgets processed activities and finished deliveries older than
// seenRetention, so neither table grows without bound.
func (s *Service) prune(ctx context.Context) error {
	cutoff := s.now().Add(-seenRetention)
	if err := s.pruneInbox(ctx, cutoff); err != nil {
		return err
	}
	if _, err := s.cfg.DB.ExecContext(ctx, `DELETE FROM deliveries WHERE done = 1 AND created < ?`, cutoff.UnixMilli()); err != nil {
		return fmt.Errorf("prune deliveries: %w", err)
	}
	// An activity is kept while a delivery of it may still be tried.
	if _, err := s.cfg.DB.ExecContext(ctx, `DELETE FROM activities WHERE created < ?
		AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.activity_id = activities.id)`, cutoff.Unix()); err != nil {
		return fmt.Errorf("prune activities: %w", err)
	}
	return nil
}
