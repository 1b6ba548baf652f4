package federation

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"roost/federation/vocab"
)

// QuoteHandler keeps the consent of quote posts (FEP-044f): who asked to
// quote the owner's posts and what the owner's own requests were answered
// (the feed room).
type QuoteHandler interface {
	// QuoteRequested decides a request by from to quote the owner's post
	// quotedID with the post quotingID (quoting is that post as its
	// origin serves it; nil when it could not be fetched), and answers it.
	QuoteRequested(ctx context.Context, requestID, quotedID, quotingID string, quoting *vocab.Object, from *vocab.Actor) error
	// QuoteAnswered records the Accept (with the authorization it gives,
	// fetched and checked to be the answering actor's consent for the
	// owner's note to quote target) or the Reject of one of the owner's
	// QuoteRequests.
	QuoteAnswered(ctx context.Context, requestID, actorID, authorization, target string, accepted bool) error
}

// SetQuoteHandler connects the room that keeps quote consent; nil ignores
// QuoteRequests and their answers.
func (s *Service) SetQuoteHandler(q QuoteHandler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handlers.quotes = q
}

// answersQuoteRequest reports whether an Accept or Reject is about one of
// the owner's QuoteRequests: embedded, or named by the id roost gives
// them (Mastodon sends the id only).
func (s *Service) answersQuoteRequest(act *vocab.Activity) bool {
	if act.Inner != nil && act.Inner.Type == vocab.TypeQuoteRequest {
		return true
	}
	if act.Object != nil && act.Object.Type == vocab.TypeQuoteRequest {
		return true
	}
	return SameOrigin(act.ObjectID, s.base) && strings.HasSuffix(act.ObjectID, vocab.QuoteRequestID(""))
}

// quoteRequested hands a QuoteRequest of the owner's post to the quote
// handler with the quoting post as its own origin serves it: the request
// is believed only for a post on the requester's origin, and the handler
// checks that the requester wrote it.
func (s *Service) quoteRequested(ctx context.Context, quotes QuoteHandler, act *vocab.Activity) error {
	if quotes == nil || act.Instrument == "" || !SameOrigin(act.ObjectID, s.base) {
		return ignore(act, "quote request without a quoting post, or of another site's post")
	}
	if !SameOrigin(act.Instrument, act.Actor) {
		return ignore(act, "quote request for a post on another origin")
	}
	from, err := s.FetchActor(ctx, act.Actor, false)
	if err != nil {
		return err
	}
	quoting, err := s.FetchObject(ctx, act.Instrument)
	if err != nil {
		slog.InfoContext(ctx, "inbox: fetch quoting post", "post", act.Instrument, "err", err)
		quoting = nil
	}
	return quotes.QuoteRequested(ctx, act.ID, act.ObjectID, act.Instrument, quoting, from)
}

// quoteAnswered passes an answer to one of the owner's QuoteRequests on.
// The authorization an Accept gives is fetched from its address, which
// must be on the answering actor's origin, and must be that actor's
// consent for the owner's note (the request's id without its fragment):
// FEP-044f has the quoting side check the stamp, as Mastodon does. A
// stamp that cannot be fetched now is tried again later.
func (s *Service) quoteAnswered(ctx context.Context, quotes QuoteHandler, act *vocab.Activity) error {
	if quotes == nil {
		return ignore(act, "no quote handler")
	}
	if act.Type == vocab.TypeReject {
		return quotes.QuoteAnswered(ctx, act.ObjectID, act.Actor, "", "", false)
	}
	if act.Result == "" || !SameOrigin(act.Result, act.Actor) {
		return ignore(act, "accept of a quote without an authorization from the quoted author's origin")
	}
	stamp, err := s.FetchQuoteAuthorization(ctx, act.Result)
	if err != nil {
		return fmt.Errorf("accept of a quote: %w", err)
	}
	note := strings.TrimSuffix(act.ObjectID, vocab.QuoteRequestID(""))
	if stamp.AttributedTo != act.Actor || stamp.InteractingObject != note {
		return ignore(act, "authorization of someone else's consent, or for another post")
	}
	return quotes.QuoteAnswered(ctx, act.ObjectID, act.Actor, stamp.ID, stamp.InteractionTarget, true)
}

// FetchQuoteAuthorization fetches a QuoteAuthorization from its own
// origin.
func (s *Service) FetchQuoteAuthorization(ctx context.Context, id string) (vocab.QuoteAuthorization, error) {
	var q vocab.QuoteAuthorization
	err := s.fetchFromOrigin(ctx, id, func(body []byte) (string, error) {
		var err error
		q, err = vocab.ParseQuoteAuthorization(body)
		return q.ID, err
	})
	if err != nil {
		return vocab.QuoteAuthorization{}, fmt.Errorf("fetch quote authorization: %w", err)
	}
	return q, nil
}
