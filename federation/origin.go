package federation

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"roost/federation/vocab"
)

// A server speaks only for its own origin (scheme, host and port): the
// documents it serves, the objects it embeds in its activities and the
// authors it names are believed only when they are on that origin.
// Everything that enters from another server passes through the functions
// of this file, so the rule is written once.

// errForeignOrigin is wrapped when a document speaks for another origin.
var errForeignOrigin = errors.New("speaks for another origin")

// originOf returns an http(s) URL's origin as "scheme://host[:port]",
// lower-cased, without the scheme's default port or a trailing dot on the
// host, so that https://Bob.Example:443/x and https://bob.example/y are
// one origin. Anything else has no origin ("").
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return ""
	}
	host := vocab.CanonicalHost(u.Hostname())
	if host == "" {
		return ""
	}
	port := u.Port()
	if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
		port = ""
	}
	switch {
	case port != "":
		return scheme + "://" + net.JoinHostPort(host, port)
	case strings.Contains(host, ":"): // IPv6
		return scheme + "://[" + host + "]"
	}
	return scheme + "://" + host
}

// SameOrigin reports whether two URLs share an origin (scheme, canonical
// host, port): the one rule for whether a server speaks for a document.
func SameOrigin(a, b string) bool {
	oa := originOf(a)
	return oa != "" && oa == originOf(b)
}

// checkAuthorOrigin refuses an object whose author lives on another origin
// than the object: a server cannot publish posts in someone else's name
// (Mastodon checks the same before it shows a fetched status). An object
// that names no author (an actor, a collection) has nothing to check.
func checkAuthorOrigin(o *vocab.Object) error {
	if o.AttributedTo != "" && !SameOrigin(o.AttributedTo, o.ID) {
		return fmt.Errorf("object %s: author %s: %w", o.ID, o.AttributedTo, errForeignOrigin)
	}
	return nil
}

// fetchFromOrigin fetches iri as ActivityStreams and hands the body to
// parse, which returns the document's id. The document is believed only
// when it came from its id's origin, after any redirects. One that names
// an id elsewhere (a post an attacker serves under a victim's id, or a
// page that links to the real post) is fetched again from that id, and
// that answer must be served by its own origin too. A document asked at
// its id's origin but served by another (an open redirect) is refused:
// asking again would go the same way.
func (s *Service) fetchFromOrigin(ctx context.Context, iri string, parse func([]byte) (id string, err error)) error {
	id, final, err := s.fetchAndParse(ctx, iri, parse)
	if err != nil {
		return err
	}
	if SameOrigin(id, final) {
		return nil
	}
	if SameOrigin(id, iri) {
		return fmt.Errorf("fetch %s: served by %s: %w", iri, originOf(final), errForeignOrigin)
	}
	again, final, err := s.fetchAndParse(ctx, id, parse)
	if err != nil {
		return err
	}
	if !SameOrigin(again, id) || !SameOrigin(again, final) {
		return fmt.Errorf("fetch %s: %s names %s: %w", iri, id, again, errForeignOrigin)
	}
	return nil
}

// fetchAndParse is one GET of fetchFromOrigin: the id the body names and
// the URL that answered.
func (s *Service) fetchAndParse(ctx context.Context, iri string, parse func([]byte) (string, error)) (id, final string, err error) {
	body, _, final, err := s.get(ctx, iri, "")
	if err != nil {
		return "", "", err
	}
	id, err = parse(body)
	if err != nil {
		return "", "", fmt.Errorf("fetch %s: %w", iri, err)
	}
	return id, final, nil
}

// objectFromOrigin returns the object an activity from sender carries, as
// far as it can be believed: an embedded copy when the sender's origin is
// the object's and its author's, otherwise the object as its own origin
// serves it (and an error when that cannot be had).
func (s *Service) objectFromOrigin(ctx context.Context, embedded *vocab.Object, id, sender string) (*vocab.Object, error) {
	if embedded != nil && SameOrigin(embedded.ID, sender) && checkAuthorOrigin(embedded) == nil {
		return embedded, nil
	}
	return s.FetchObject(ctx, id)
}
