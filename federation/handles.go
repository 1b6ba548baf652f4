package federation

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"roost/federation/vocab"
)

// An actor's document may name any address for itself (the FEP-2c59
// webfinger property): evil.example can claim to be gargron@mastodon.social.
// So an address is shown only once WebFinger for it, asked at the host it
// names, leads back to this very actor; the document's own claim first,
// then preferredUsername at the actor's host, as Mastodon does. The answer
// is kept, so an actor costs WebFinger lookups once a week, not on every
// fetch.
const (
	handleMaxAge = 7 * 24 * time.Hour // a confirmed address is asked again after this
	handleRetry  = time.Hour          // an actor with none, after this
)

// confirmHandle sets the address a freshly fetched actor is shown by: the
// one WebFinger confirmed, or none (Handle is then "").
func (s *Service) confirmHandle(ctx context.Context, a *vocab.Actor) {
	claims := handleClaims(a)
	key := strings.Join(claims, " ")
	handle, checked, ok := s.storedHandle(ctx, a.ID, key)
	age := s.now().Sub(checked)
	if !ok || (handle != "" && age >= handleMaxAge) || (handle == "" && age >= handleRetry) {
		handle = s.verifyHandle(ctx, a.ID, claims)
		if err := s.storeHandle(ctx, a.ID, key, handle); err != nil {
			slog.Warn("store confirmed handle", "actor", a.ID, "err", err)
		}
	}
	applyHandle(a, handle)
}

// applyStoredHandle gives an actor read back from the table the address
// confirmed when it was fetched, without asking anyone.
func (s *Service) applyStoredHandle(ctx context.Context, a *vocab.Actor) {
	handle, _, _ := s.storedHandle(ctx, a.ID, strings.Join(handleClaims(a), " "))
	applyHandle(a, handle)
}

func applyHandle(a *vocab.Actor, handle string) {
	a.Webfinger, a.HandleUnconfirmed = handle, handle == ""
}

// handleClaims lists the addresses an actor may be shown by, in the order
// they are tried.
func handleClaims(a *vocab.Actor) []string {
	var out []string
	if addr, ok := normalAddress(a.Webfinger); ok {
		out = append(out, addr)
	}
	if a.PreferredUsername != "" {
		if addr, ok := normalAddress(a.PreferredUsername + "@" + a.Host()); ok && (len(out) == 0 || out[0] != addr) {
			out = append(out, addr)
		}
	}
	return out
}

// normalAddress checks that s is "user@host" with a plain user name and a
// valid host, and lower-cases the host.
func normalAddress(s string) (string, bool) {
	user, host, ok := strings.Cut(strings.TrimPrefix(s, "acct:"), "@")
	if !ok || user == "" || strings.ContainsAny(user, "@/?#:% \t\r\n") || !validHost(host) {
		return "", false
	}
	return user + "@" + strings.ToLower(host), true
}

// verifyHandle returns the first claim that WebFinger confirms for the
// actor, or "".
func (s *Service) verifyHandle(ctx context.Context, actorID string, claims []string) string {
	for _, addr := range claims {
		confirmed, err := s.confirmAddress(ctx, actorID, addr)
		if err == nil {
			return confirmed
		}
		slog.Debug("handle not confirmed", "actor", actorID, "address", addr, "err", err)
	}
	return ""
}

// confirmAddress asks WebFinger at addr's host who addr is. The answer
// must name actorID. When it gives the account another address (a
// Mastodon whose handles use a shorter domain than its server), that
// address is asked in turn, must name the same actor and itself, and is
// the one returned.
func (s *Service) confirmAddress(ctx context.Context, actorID, addr string) (string, error) {
	jrd, err := s.webFingerAcct(ctx, addr)
	if err != nil {
		return "", err
	}
	if self := jrd.Self(); self != actorID {
		return "", fmt.Errorf("WebFinger for %s names %q", addr, self)
	}
	subject, ok := normalAddress(jrd.Subject)
	if !ok || strings.EqualFold(subject, addr) {
		return addr, nil
	}
	again, err := s.webFingerAcct(ctx, subject)
	if err != nil {
		return "", err
	}
	if again.Self() != actorID {
		return "", fmt.Errorf("WebFinger for %s (subject of %s) names %q", subject, addr, again.Self())
	}
	if confirmed, ok := normalAddress(again.Subject); !ok || !strings.EqualFold(confirmed, subject) {
		return "", fmt.Errorf("WebFinger for %s answers for %q", subject, again.Subject)
	}
	return subject, nil
}

// webFingerAcct looks acct:addr up at addr's host, over each scheme.
func (s *Service) webFingerAcct(ctx context.Context, addr string) (*vocab.JRD, error) {
	_, host, _ := strings.Cut(addr, "@")
	var errs []error
	for _, scheme := range s.schemes() {
		jrd, err := s.fetchJRD(ctx, scheme, host, "acct:"+addr)
		if err == nil {
			return jrd, nil
		}
		errs = append(errs, err)
	}
	return nil, errors.Join(errs...)
}

// fetchJRD asks host's WebFinger endpoint about resource.
func (s *Service) fetchJRD(ctx context.Context, scheme, host, resource string) (*vocab.JRD, error) {
	q := url.Values{"resource": {resource}}
	body, _, err := s.Get(ctx, scheme+"://"+host+"/.well-known/webfinger?"+q.Encode(), "application/jrd+json, application/json")
	if err != nil {
		return nil, err
	}
	return vocab.ParseJRD(body)
}

// storedHandle reads the kept answer for an actor whose document made the
// same claims; ok is false when there is none.
func (s *Service) storedHandle(ctx context.Context, actorID, claims string) (handle string, checked time.Time, ok bool) {
	var unix int64
	err := s.cfg.DB.QueryRowContext(ctx, `SELECT handle, checked FROM remote_handles WHERE actor_id = ? AND claims = ?`,
		actorID, claims).Scan(&handle, &unix)
	if err != nil {
		if !errors.Is(err, sql.ErrNoRows) {
			slog.Warn("read confirmed handle", "actor", actorID, "err", err)
		}
		return "", time.Time{}, false
	}
	return handle, time.Unix(unix, 0), true
}

func (s *Service) storeHandle(ctx context.Context, actorID, claims, handle string) error {
	_, err := s.cfg.DB.ExecContext(ctx, `INSERT INTO remote_handles(actor_id, claims, handle, checked) VALUES(?, ?, ?, ?)
		ON CONFLICT(actor_id) DO UPDATE SET claims = excluded.claims, handle = excluded.handle, checked = excluded.checked`,
		actorID, claims, handle, s.now().Unix())
	if err != nil {
		return fmt.Errorf("store handle of %s: %w", actorID, err)
	}
	return nil
}
