package federation

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"roost/federation/vocab"
)

// FeedLink is a syndication feed a site advertises.
type FeedLink struct {
	URL, Type, Title string
}

// Resolution is what a handle, domain or URL turned out to be: an actor, or
// (for a site without ActivityPub) its feeds. Tried lists the steps taken.
type Resolution struct {
	Actor *vocab.Actor
	Feeds []FeedLink
	Tried []string
}

// ErrUnresolvable is wrapped by Resolve when every step failed.
var ErrUnresolvable = errors.New("nothing to follow found")

// Resolve finds what a person typed into the follow box, in this order:
// "@user@host", "user@host" or "acct:user@host" by WebFinger on host; a
// bare domain by WebFinger for acct:domain@domain, then for the site URL,
// then the site itself asked for ActivityStreams, then its HTML page's
// ActivityStreams alternate link, then its feed links; a URL by fetching it
// as ActivityStreams, then the same HTML discovery. The error names every
// step tried.
func (s *Service) Resolve(ctx context.Context, input string) (*Resolution, error) {
	res := &Resolution{}
	in := strings.TrimSpace(input)
	var err error
	switch {
	case strings.HasPrefix(in, "https://") || strings.HasPrefix(in, "http://"):
		err = s.resolveURL(ctx, res, in)
	default:
		acct := strings.TrimPrefix(strings.TrimPrefix(in, "acct:"), "@")
		user, host, isAcct := strings.Cut(acct, "@")
		switch {
		case isAcct && user != "" && validHost(host):
			err = s.resolveAcct(ctx, res, user, host)
		case !isAcct && validHost(acct):
			err = s.resolveDomain(ctx, res, strings.ToLower(acct))
		default:
			return nil, fmt.Errorf("resolve %q: %w: not a handle, domain or URL", input, ErrUnresolvable)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("resolve %q: %w (tried: %s)", input, err, strings.Join(res.Tried, "; "))
	}
	return res, nil
}

// validHost accepts a domain (with a dot, or localhost) and an optional port.
func validHost(h string) bool {
	if h == "" || strings.ContainsAny(h, " /@?#\\") {
		return false
	}
	u, err := url.Parse("http://" + h)
	return err == nil && u.Host == h && (strings.Contains(u.Hostname(), ".") || u.Hostname() == "localhost")
}

// schemes lists the schemes to try on a host: https, and plain http after
// it only on development sites (and tests), where peers have no TLS.
func (s *Service) schemes() []string {
	if s.cfg.AllowPrivate || strings.HasPrefix(s.base, "http://") {
		return []string{"https", "http"}
	}
	return []string{"https"}
}

// step records a step and its outcome.
func (res *Resolution) step(what string, err error) {
	if err != nil {
		res.Tried = append(res.Tried, what+": "+err.Error())
		return
	}
	res.Tried = append(res.Tried, what+": found")
}

func (s *Service) resolveAcct(ctx context.Context, res *Resolution, user, host string) error {
	if a := s.webFingerAny(ctx, res, host, "acct:"+user+"@"+host); a != nil {
		res.Actor = a
		return nil
	}
	return ErrUnresolvable
}

func (s *Service) resolveDomain(ctx context.Context, res *Resolution, host string) error {
	if a := s.webFingerAny(ctx, res, host, "acct:"+host+"@"+host); a != nil {
		res.Actor = a
		return nil
	}
	for _, scheme := range s.schemes() {
		site := scheme + "://" + host + "/"
		if a := s.webFinger(ctx, res, scheme, host, site); a != nil {
			res.Actor = a
			return nil
		}
	}
	for _, scheme := range s.schemes() {
		if s.resolveURL(ctx, res, scheme+"://"+host+"/") == nil {
			return nil
		}
	}
	return ErrUnresolvable
}

// webFingerAny asks host about resource over each scheme in turn.
func (s *Service) webFingerAny(ctx context.Context, res *Resolution, host, resource string) *vocab.Actor {
	for _, scheme := range s.schemes() {
		if a := s.webFinger(ctx, res, scheme, host, resource); a != nil {
			return a
		}
	}
	return nil
}

// webFinger looks resource up on host and fetches the actor it names.
func (s *Service) webFinger(ctx context.Context, res *Resolution, scheme, host, resource string) *vocab.Actor {
	what := "WebFinger " + resource + " at " + scheme + "://" + host
	jrd, err := s.fetchJRD(ctx, scheme, host, resource)
	if err != nil {
		res.step(what, err)
		return nil
	}
	self := jrd.Self()
	if self == "" {
		res.step(what, errors.New("no ActivityPub self link"))
		return nil
	}
	a, err := s.FetchActor(ctx, self, false)
	res.step(what, err)
	return a
}

// resolveURL fetches u as ActivityStreams. An actor is the answer; a post
// leads to its author; an HTML page is searched for an ActivityStreams
// alternate link and then for feeds; a feed is itself the answer.
func (s *Service) resolveURL(ctx context.Context, res *Resolution, u string) error {
	what := "GET " + u + " as ActivityStreams"
	body, contentType, final, err := s.get(ctx, u, acceptActivity+", text/html;q=0.5, */*;q=0.1")
	if err != nil {
		res.step(what, err)
		return ErrUnresolvable
	}
	mt := mediaType(contentType)
	switch {
	case isJSONType(mt) && looksLikeJSONObject(body) && feedTypeOf(mt, body) == "":
		if a := s.actorFromDocument(ctx, res, what, final, body); a != nil {
			res.Actor = a
			return nil
		}
		return ErrUnresolvable
	case mt == "text/html" || mt == "application/xhtml+xml" || (mt == "" && bytes.Contains(body, []byte("<html"))):
		res.step(what, errors.New("got an HTML page"))
		return s.resolveHTML(ctx, res, final, body)
	}
	if ft := feedTypeOf(mt, body); ft != "" {
		res.step(what, nil)
		res.Feeds = []FeedLink{{URL: final, Type: ft}}
		return nil
	}
	res.step(what, fmt.Errorf("unexpected content type %q", contentType))
	return ErrUnresolvable
}

// actorFromDocument reads an ActivityStreams document fetched from final:
// an actor is taken (through FetchActor, so it is checked and cached), an
// object leads to its author, as far as the object's origin vouches for
// it (objectFromOrigin).
func (s *Service) actorFromDocument(ctx context.Context, res *Resolution, what, final string, body []byte) *vocab.Actor {
	kind, err := vocab.KindOf(body)
	if err != nil {
		res.step(what, err)
		return nil
	}
	var id string
	switch kind {
	case vocab.KindActor:
		a, err := vocab.ParseActor(body)
		if err != nil {
			res.step(what, err)
			return nil
		}
		id = a.ID
	case vocab.KindObject:
		o, err := vocab.ParseObject(body)
		if err == nil {
			o, err = s.objectFromOrigin(ctx, o, o.ID, final)
		}
		if err != nil {
			res.step(what, err)
			return nil
		}
		if o.AttributedTo == "" {
			res.step(what, fmt.Errorf("a post without an author"))
			return nil
		}
		id = o.AttributedTo
	default:
		res.step(what, fmt.Errorf("a %s, not an actor", kind))
		return nil
	}
	a, err := s.FetchActor(ctx, id, false)
	res.step(what, err)
	return a
}

// resolveHTML follows a page's ActivityStreams alternate link, and failing
// that, collects its feeds.
func (s *Service) resolveHTML(ctx context.Context, res *Resolution, pageURL string, page []byte) error {
	links := htmlAlternates(page, pageURL)
	for _, l := range links {
		if !isActivityType(l.Type) {
			continue
		}
		a, err := s.FetchActor(ctx, l.URL, false)
		res.step("ActivityStreams alternate link "+l.URL, err)
		if err == nil {
			res.Actor = a
			return nil
		}
	}
	for _, l := range links {
		if feedTypes[l.Type] {
			res.Feeds = append(res.Feeds, l)
		}
	}
	if len(res.Feeds) == 0 {
		res.step("feed links in "+pageURL, errors.New("none"))
		return ErrUnresolvable
	}
	res.step("feed links in "+pageURL, nil)
	return nil
}

func isJSONType(mt string) bool {
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

func looksLikeJSONObject(b []byte) bool {
	return bytes.HasPrefix(bytes.TrimSpace(b), []byte("{"))
}

func isActivityType(t string) bool {
	mt := mediaType(t)
	return mt == vocab.ContentTypeActivity || mt == "application/ld+json"
}
