package federation

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"roost/federation/vocab"
)

// maxInboxBody caps an incoming activity; real ones are a few KiB.
const maxInboxBody = 1 << 20

// seenRetention is how long received activity ids are remembered. Peers
// retry for a day or two at most, so a week is plenty.
const seenRetention = 7 * 24 * time.Hour

// serveInbox receives an activity: read (capped), verify the signature,
// parse, check that the key belongs to the activity's actor, drop blocked
// actors and duplicates, then dispatch.
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
	verified, err := s.verifier.Verify(r, body)
	if err != nil {
		slog.Info("inbox: signature rejected", "err", err)
		writeJSONError(w, http.StatusUnauthorized, "signature does not verify")
		return
	}
	act, err := vocab.ParseActivity(body)
	if err != nil {
		slog.Info("inbox: malformed activity", "key", verified.KeyID, "err", err)
		writeJSONError(w, http.StatusBadRequest, "malformed activity")
		return
	}
	if verified.Owner != act.Actor {
		// Forwarded activities (a reply relayed by a third server) are
		// signed by the relay, not by the author; roost does not accept
		// them on the relay's word.
		slog.Info("inbox: key owner is not the actor", "activity", act.ID, "actor", act.Actor, "owner", verified.Owner)
		writeJSONError(w, http.StatusUnauthorized, "signature is not the actor's")
		return
	}
	if g := s.h().gate; g != nil && g.Blocked(ctx, act.Actor) {
		w.WriteHeader(http.StatusAccepted)
		return
	}
	fresh, err := s.markSeen(ctx, seenKey(act))
	if err != nil {
		slog.Error("inbox: dedupe", "activity", act.ID, "err", err)
		writeJSONError(w, http.StatusInternalServerError, "try again later")
		return
	}
	if !fresh {
		w.WriteHeader(http.StatusAccepted)
		return
	}
	if err := s.dispatch(ctx, act); err != nil {
		// Forget the id so that the peer's retry is processed.
		s.unmarkSeen(context.WithoutCancel(ctx), seenKey(act))
		slog.Error("inbox: dispatch", "activity", act.ID, "type", act.Type, "err", err)
		writeJSONError(w, http.StatusInternalServerError, "could not process activity")
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

// seenKey is what duplicates are recognised by: the activity id together
// with its actor, so that one peer cannot claim ids of another server's
// activities in advance and have the real ones dropped as duplicates.
func seenKey(act *vocab.Activity) string { return act.Actor + " " + act.ID }

// markSeen records an activity id and reports whether it is new.
func (s *Service) markSeen(ctx context.Context, id string) (bool, error) {
	res, err := s.cfg.DB.ExecContext(ctx, `INSERT INTO inbox_seen(id, seen) VALUES(?, ?) ON CONFLICT(id) DO NOTHING`,
		id, s.now().Unix())
	if err != nil {
		return false, fmt.Errorf("mark seen: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("mark seen: %w", err)
	}
	return n == 1, nil
}

func (s *Service) unmarkSeen(ctx context.Context, id string) {
	if _, err := s.cfg.DB.ExecContext(ctx, `DELETE FROM inbox_seen WHERE id = ?`, id); err != nil {
		slog.Error("inbox: unmark seen", "activity", id, "err", err)
	}
}

// prune forgets received activity ids and finished deliveries older than
// seenRetention, so neither table grows without bound.
func (s *Service) prune(ctx context.Context) error {
	cutoff := s.now().Add(-seenRetention)
	if _, err := s.cfg.DB.ExecContext(ctx, `DELETE FROM inbox_seen WHERE seen < ?`, cutoff.Unix()); err != nil {
		return fmt.Errorf("prune seen: %w", err)
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
