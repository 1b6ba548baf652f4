package federation

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"roost/federation/vocab"
)

// ErrNoInteraction means the visitor's server names no interaction
// (OStatus subscribe) template, so there is nowhere to send them.
var ErrNoInteraction = errors.New("federation: the server offers no follow page")

// ErrBadHandle means what the visitor typed is not user@host.
var ErrBadHandle = errors.New("federation: not a handle of the form user@example.com")

// InteractionURL is where a visitor with the handle addr follows uri on
// their own server: the {uri} of the subscribe template that WebFinger at
// their host names, as Mastodon's remote-follow dialog finds it. The lookup
// goes through the service's guarded client, so a handle naming a private
// address is refused like any other fetch.
func (s *Service) InteractionURL(ctx context.Context, addr, uri string) (string, error) {
	addr, ok := normalAddress(strings.TrimPrefix(strings.TrimSpace(addr), "@"))
	if !ok {
		return "", ErrBadHandle
	}
	jrd, err := s.webFingerAcct(ctx, addr)
	if err != nil {
		return "", fmt.Errorf("webfinger %s: %w", addr, err)
	}
	for _, l := range jrd.Links {
		if l.Rel != vocab.RelSubscribe || !strings.Contains(l.Template, "{uri}") {
			continue
		}
		target := strings.ReplaceAll(l.Template, "{uri}", url.QueryEscape(uri))
		if u, err := url.Parse(target); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
			return target, nil
		}
	}
	return "", ErrNoInteraction
}
