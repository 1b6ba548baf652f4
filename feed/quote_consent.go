package feed

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"roost/federation"
	"roost/federation/vocab"
)

// Quote states, as Mastodon 4.5 names them: a quote waits for the quoted
// author (pending), who allows it (accepted), turns it down (rejected) or
// later takes it back (revoked); a quote that claims a consent it was not
// given is unauthorized.
const (
	QuotePending      = "pending"
	QuoteAccepted     = "accepted"
	QuoteRejected     = "rejected"
	QuoteRevoked      = "revoked"
	QuoteUnauthorized = "unauthorized"
)

// The quote handler of federation is the feed.
var _ federation.QuoteHandler = (*Feed)(nil)

// orPublic reads a note's stored policy; older notes have none and were
// open to everyone.
func orPublic(policy string) string {
	if vocab.ValidQuotePolicy(policy) {
		return policy
	}
	return vocab.QuotePolicyPublic
}

// onlyWebURL keeps an http(s) address and drops anything else.
func onlyWebURL(s string) string {
	if isWebURL(s) {
		return s
	}
	return ""
}

// QuoteAuthorizationIfHeld is the stamp of the note's quote while it holds.
func (n Note) QuoteAuthorizationIfHeld() string {
	if n.QuoteState == QuoteRejected || n.QuoteState == QuoteRevoked {
		return ""
	}
	return n.QuoteAuthorization
}

// QuoteAuthorizationURL is where the stamp with this id is served.
func (f *Feed) QuoteAuthorizationURL(id int64) string {
	return f.base + "/quote-authorizations/" + strconv.FormatInt(id, 10)
}

// quoteStateFor is the state a new quote of objectID starts in: the
// owner's own posts, and posts of servers that ask nobody (Misskey and
// older Mastodon say nothing about quotes), are quoted at once; a post
// that states a policy waits for its author's answer.
func (f *Feed) quoteStateFor(ctx context.Context, objectID string) string {
	if f.isOwnObject(objectID) {
		return ""
	}
	var policy string
	if err := f.db.QueryRowContext(ctx, `SELECT quote_policy FROM posts WHERE object_id = ?`, objectID).Scan(&policy); err != nil {
		return ""
	}
	if policy == vocab.QuotePolicyUnknown {
		return ""
	}
	return QuotePending
}

// requestQuote asks the quoted author for consent to a new note's quote,
// in the note's transaction: a QuoteRequest naming their post, with the
// note as the instrument.
func (f *Feed) requestQuote(ctx context.Context, tx *sql.Tx, n Note) error {
	if n.QuoteState != QuotePending || f.cfg.Publisher == nil {
		return nil
	}
	var author string
	if err := tx.QueryRowContext(ctx, `SELECT author FROM posts WHERE object_id = ?`, n.QuoteOf).Scan(&author); err != nil {
		return fmt.Errorf("quote request: %w", err)
	}
	a := vocab.OutActivity{ID: vocab.QuoteRequestID(n.URL), Type: vocab.TypeQuoteRequest, Actor: f.cfg.ActorID,
		Object: n.QuoteOf, Instrument: vocab.ObjectMap(f.object(n)), To: []string{author}, Published: n.Created}
	if err := f.cfg.Publisher.Publish(ctx, tx, a, federation.Audience{Actors: []string{author}}); err != nil {
		return fmt.Errorf("quote request of %s: %w", n.URL, err)
	}
	return nil
}

// mayQuote decides a request by actorID to quote note under the note's
// policy: a post only for followers or a few is never quoted.
func (f *Feed) mayQuote(ctx context.Context, n Note, actorID string) bool {
	if n.Visibility != VisibilityPublic && n.Visibility != VisibilityUnlisted {
		return false
	}
	switch orPublic(n.QuotePolicy) {
	case vocab.QuotePolicyPublic:
		return true
	case vocab.QuotePolicyFollowers:
		return f.cfg.IsFollower != nil && f.cfg.IsFollower(ctx, actorID)
	}
	return false
}

// quoteAllowed reports whether the note's policy lets actorID quote it:
// a quote the owner would refuse is kept (and shown refused) but tells
// the owner nothing, as Mastodon does not notify of those.
func (f *Feed) quoteAllowed(ctx context.Context, noteURL, actorID string) bool {
	n, err := f.ByURL(ctx, noteURL)
	return err == nil && f.mayQuote(ctx, n, actorID)
}

// QuoteRequested answers a request to quote one of the owner's notes: an
// Accept whose result is a new QuoteAuthorization when the note's policy
// lets the requester quote it, a Reject otherwise. A quote the owner took
// back stays taken back. Asking again gets the same answer.
func (f *Feed) QuoteRequested(ctx context.Context, requestID, quotedID, quotingID string, quoting *vocab.Object, from *vocab.Actor) error {
	n, err := f.ByURL(ctx, quotedID)
	if errors.Is(err, ErrNotFound) || errors.Is(err, ErrGone) {
		return f.answerQuote(ctx, requestID, quotedID, quotingID, from.ID, 0, false)
	}
	if err != nil {
		return fmt.Errorf("quote requested: %w", err)
	}
	allowed := f.mayQuote(ctx, n, from.ID)
	if quoting != nil && (quoting.ID != quotingID || quoting.AttributedTo != from.ID || (quoting.QuoteOf != "" && quoting.QuoteOf != quotedID)) {
		// The post is someone else's, or quotes something else.
		allowed = false
	}
	state := QuoteRejected
	if allowed {
		state = QuoteAccepted
	}
	id := f.nextID()
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `INSERT INTO quote_authorizations(id, note_id, quoting_object, quoting_author, state, created)
		VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT (note_id, quoting_object) DO NOTHING`, id, n.ID, quotingID, from.ID, state, f.now().Unix())
	if err != nil {
		return fmt.Errorf("quote requested: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT id, state FROM quote_authorizations WHERE note_id = ? AND quoting_object = ?`,
		n.ID, quotingID).Scan(&id, &state); err != nil {
		return fmt.Errorf("quote requested: %w", err)
	}
	if err := f.answerQuoteIn(ctx, tx, requestID, quotedID, quotingID, from.ID, id, state == QuoteAccepted); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if p, err := f.storedPost(ctx, `p.object_id = ?`, quotingID); err == nil {
		f.events.StatusUpdated(ctx, p.ID)
	}
	return nil
}

// answerQuote sends an answer that stores nothing (a request for a note
// that does not exist).
func (f *Feed) answerQuote(ctx context.Context, requestID, quotedID, quotingID, actorID string, stamp int64, accepted bool) error {
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := f.answerQuoteIn(ctx, tx, requestID, quotedID, quotingID, actorID, stamp, accepted); err != nil {
		return err
	}
	return tx.Commit()
}

// answerQuoteIn queues the Accept (with the stamp as its result) or the
// Reject of a QuoteRequest, the request embedded as Mastodon sends it.
func (f *Feed) answerQuoteIn(ctx context.Context, tx *sql.Tx, requestID, quotedID, quotingID, actorID string, stamp int64, accepted bool) error {
	if f.cfg.Publisher == nil {
		return nil
	}
	request := map[string]any{"id": requestID, "type": vocab.TypeQuoteRequest, "actor": actorID,
		"object": quotedID, "instrument": quotingID}
	a := vocab.OutActivity{Type: vocab.TypeReject, Actor: f.cfg.ActorID, Object: request, To: []string{actorID}, Published: f.now()}
	a.ID = f.base + "/quote-answers/" + strconv.FormatInt(f.nextID(), 10)
	if accepted {
		a.Type, a.Result = vocab.TypeAccept, f.QuoteAuthorizationURL(stamp)
	}
	if err := f.cfg.Publisher.Publish(ctx, tx, a, federation.Audience{Actors: []string{actorID}}); err != nil {
		return fmt.Errorf("answer quote request %s: %w", requestID, err)
	}
	return nil
}

// QuoteAnswered records the quoted author's answer to one of the owner's
// QuoteRequests. An Accept puts the stamp on the note and sends the note
// again (an Update) so that everyone sees the quote allowed; a Reject
// leaves the quote shown as not allowed. Only the quoted post's author
// answers.
func (f *Feed) QuoteAnswered(ctx context.Context, requestID, actorID, authorization, target string, accepted bool) error {
	n, err := f.ByURL(ctx, strings.TrimSuffix(requestID, vocab.QuoteRequestID("")))
	if err != nil || n.QuoteOf == "" {
		slog.InfoContext(ctx, "quote answer for no quote", "request", requestID, "err", err)
		return nil
	}
	var author string
	if err := f.db.QueryRowContext(ctx, `SELECT author FROM posts WHERE object_id = ?`, n.QuoteOf).Scan(&author); err != nil || author != actorID {
		slog.WarnContext(ctx, "quote answer from someone other than the quoted author ignored", "request", requestID, "actor", actorID)
		return nil
	}
	if accepted && target != n.QuoteOf {
		slog.WarnContext(ctx, "quote authorization for another post ignored", "request", requestID, "target", target)
		return nil
	}
	n.QuoteState, n.QuoteAuthorization = QuoteRejected, ""
	if accepted {
		n.QuoteState, n.QuoteAuthorization = QuoteAccepted, authorization
	}
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE notes SET quote_state = ?, quote_authorization = ? WHERE id = ?`,
		n.QuoteState, n.QuoteAuthorization, n.ID); err != nil {
		return fmt.Errorf("quote answered: %w", err)
	}
	if accepted {
		if err := f.publish(ctx, tx, vocab.TypeUpdate, n); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	f.events.StatusUpdated(ctx, n.ID)
	return nil
}

// quoteAuthorizationRevoked marks the owner's quote whose stamp was
// deleted by the quoted author as revoked; it reports whether a note had
// that stamp. Federation checked that the Delete came from the stamp's
// origin.
func (f *Feed) quoteAuthorizationRevoked(ctx context.Context, stamp, actorID string) (bool, error) {
	var id int64
	err := f.db.QueryRowContext(ctx, `SELECT id FROM notes WHERE quote_authorization = ? AND quote_authorization <> ''`, stamp).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("quote revoked: %w", err)
	}
	if _, err := f.db.ExecContext(ctx, `UPDATE notes SET quote_state = ? WHERE id = ?`, QuoteRevoked, id); err != nil {
		return false, fmt.Errorf("quote revoked: %w", err)
	}
	slog.InfoContext(ctx, "quote revoked by the quoted author", "note", id, "actor", actorID)
	f.events.StatusUpdated(ctx, id)
	return true, nil
}

// OwnerFollows reports whether the owner follows an actor, which decides
// whether the owner may quote a post its author lets only followers quote.
func (f *Feed) OwnerFollows(ctx context.Context, actorID string) bool { return f.follows(ctx, actorID) }

// SetQuotePolicy changes who may quote one of the owner's notes and sends
// the note again, so that other servers know.
func (f *Feed) SetQuotePolicy(ctx context.Context, id int64, policy string) error {
	if !vocab.ValidQuotePolicy(policy) {
		return invalid("“%s” is not one of the choices of who may quote a note.", policy)
	}
	n, err := f.Get(ctx, id)
	if err != nil {
		return fmt.Errorf("set quote policy: %w", err)
	}
	if n.QuotePolicy == policy {
		return nil
	}
	n.QuotePolicy = policy
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE notes SET quote_policy = ? WHERE id = ?`, policy, id); err != nil {
		return fmt.Errorf("set quote policy: %w", err)
	}
	if err := f.publish(ctx, tx, vocab.TypeUpdate, n); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	f.events.StatusUpdated(ctx, id)
	return nil
}
