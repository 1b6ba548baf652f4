package federation

import (
	"log/slog"
	"net/http"
	"strings"

	"roost/federation/vocab"
)

// Authorized fetch: with Config.RequireSignedFetch, the site's ActivityPub
// documents (the actor, notes, articles, the outbox, followers and the
// other collections) are served only to a request signed by a server the
// owner has not blocked, as GoToSocial always does and Mastodon does in
// secure mode. Web pages stay public. Two documents stay reachable without
// a signature, because a peer must be able to verify signatures before it
// can make one count:
//
//   - the instance actor (instance_actor.go), whose key signs the site's
//     own fetches;
//   - the owner's actor, as Mastodon serves it in secure mode to an unsigned
//     request: only what key discovery needs (id, type, preferredUsername,
//     inbox, outbox, endpoints, publicKey) and nothing of the profile.
//
// An unsigned or badly signed request for anything else is answered 401 (a
// peer that tried one signature scheme retries with the other), a signed
// one from a blocked actor or domain 403.

// RequireSignedFetch wraps the site's handler with the authorized-fetch
// check when the site runs in that mode, and returns it unchanged otherwise.
func (s *Service) RequireSignedFetch(next http.Handler) http.Handler {
	if !s.cfg.RequireSignedFetch {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isActivityPubGet(r) || r.URL.Path == instanceActorPath {
			next.ServeHTTP(w, r)
			return
		}
		verified, err := s.verifier.Verify(r, nil)
		if err != nil {
			if isOwnerActorPath(r.URL.Path) {
				s.serveKeyOnlyActor(w, r)
				return
			}
			slog.Info("signed fetch: refused", "path", r.URL.Path, "err", err)
			w.Header().Set("Vary", "Accept, Signature")
			writeJSONError(w, http.StatusUnauthorized, "this site answers signed requests only")
			return
		}
		if g := s.h().gate; g != nil && g.Blocked(r.Context(), verified.Owner) {
			writeJSONError(w, http.StatusForbidden, "blocked")
			return
		}
		// What a signed request was shown must not be served from a
		// shared cache to an unsigned one.
		w.Header().Set("Cache-Control", "private")
		next.ServeHTTP(noCacheOverride{w}, r)
	})
}

// isActivityPubGet tells the requests authorized fetch applies to: a GET
// asking for ActivityStreams anywhere, and any GET of the actor's
// collections, which are served as JSON whatever is asked. A browser's
// request for /actor is redirected to the profile page, so it passes.
func isActivityPubGet(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	if WantsActivityJSON(r) {
		return true
	}
	return strings.HasPrefix(r.URL.Path, "/actor/") || (r.URL.Path == "/actor" && !wantsHTML(r))
}

func isOwnerActorPath(p string) bool { return p == "/actor" || p == "/" }

// serveKeyOnlyActor is the owner's actor for an unsigned request: enough to
// verify the owner's signatures and reach the inbox, no profile.
func (s *Service) serveKeyOnlyActor(w http.ResponseWriter, r *http.Request) {
	pr, err := s.cfg.Profiles.Get(r.Context())
	username := pr.Username
	if err != nil || username == "" {
		username = s.defaultUsername()
	}
	pub, err := s.ownerPublicKey(r.Context())
	if err != nil {
		slog.Error("serve key-only actor", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "actor unavailable")
		return
	}
	doc, err := vocab.MarshalActor(vocab.OutActor{
		ID: s.ActorID(), Type: vocab.TypePerson, PreferredUsername: username,
		Inbox: s.InboxURL(), Outbox: s.OutboxURL(), SharedInbox: s.SharedInboxURL(), PublicKeyPEM: pub,
	})
	if err != nil {
		slog.Error("serve key-only actor", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "actor unavailable")
		return
	}
	w.Header().Set("Vary", "Accept, Signature")
	w.Header().Set("Cache-Control", "public, max-age=180")
	writeActivityJSON(w, http.StatusOK, doc)
}

// noCacheOverride keeps the handlers behind the check from making a signed
// answer publicly cacheable.
type noCacheOverride struct{ http.ResponseWriter }

func (w noCacheOverride) WriteHeader(status int) {
	w.Header().Set("Cache-Control", "private")
	w.ResponseWriter.WriteHeader(status)
}

func (w noCacheOverride) Write(b []byte) (int, error) {
	w.Header().Set("Cache-Control", "private")
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer.
func (w noCacheOverride) Unwrap() http.ResponseWriter { return w.ResponseWriter }
