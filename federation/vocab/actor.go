package vocab

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Actor is a remote (or roost's own) actor as roost stores it.
type Actor struct {
	ID, Type, PreferredUsername, Name string
	SummaryHTML                       string // sanitized
	URL                               string // profile page for people

	Inbox, SharedInbox, Outbox, Followers, Following, Featured string

	PublicKeyID, PublicKeyPEM, PublicKeyOwner string
	// AssertionKeys are the Multikeys of assertionMethod (FEP-521a), the
	// keys the actor's object integrity proofs are made with.
	AssertionKeys []Multikey

	IconURL, ImageURL string

	ManuallyApprovesFollowers, Discoverable, Indexable bool
	// Bot is true for Service and Application actors, which Mastodon shows
	// as automated accounts.
	Bot bool

	Fields      []Field // PropertyValue attachments: profile metadata
	AlsoKnownAs []string
	MovedTo     string
	// Webfinger is the FEP-2c59 address the actor names for itself, as
	// "user@host" (any "acct:" prefix removed).
	Webfinger string
	// HandleUnconfirmed is set by the federation room when WebFinger
	// confirmed no address for the actor: it is then shown without one.
	HandleUnconfirmed bool
	Published         time.Time
}

// Multikey is a public key an actor publishes (FEP-521a).
type Multikey struct {
	ID, Controller, PublicKeyMultibase string
}

// Field is one profile metadata row; ValueHTML is sanitized.
type Field struct {
	Name, ValueHTML string
}

// Host returns the host (with port, if any) of the actor's id.
func (a Actor) Host() string {
	u, err := url.Parse(a.ID)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host)
}

// Handle returns the actor's address as "user@host": the FEP-2c59 webfinger
// property when present, otherwise preferredUsername at the host of the id,
// which is how Mastodon builds it. It is "" when neither is known or when
// HandleUnconfirmed is set.
func (a Actor) Handle() string {
	if a.HandleUnconfirmed {
		return ""
	}
	if a.Webfinger != "" {
		return a.Webfinger
	}
	if a.PreferredUsername == "" || a.Host() == "" {
		return ""
	}
	return a.PreferredUsername + "@" + a.Host()
}

// ParseActor reads an actor document. A document without an inbox is still
// accepted, because the key document that some servers serve at a keyId
// URL is an actor stub holding only the public key.
func ParseActor(data []byte) (*Actor, error) {
	n, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("vocab: parse actor: %w", err)
	}
	a := actorFrom(n)
	if a.ID == "" {
		return nil, fmt.Errorf("vocab: parse actor: %w", ErrNoID)
	}
	if a.Type == "" {
		return nil, fmt.Errorf("vocab: parse actor %s: %w", a.ID, ErrNoType)
	}
	return a, nil
}

func actorFrom(n node) *Actor {
	a := &Actor{
		ID:                        n.str("id"),
		Type:                      n.typ(),
		PreferredUsername:         username(n.str("preferredUsername")),
		Name:                      plainText(n.text("name"), maxDisplayNameChars, false),
		SummaryHTML:               SanitizeHTML(clipHTML(n.text("summary"), maxBioBytes)),
		URL:                       WebURL(linkOf(n["url"])),
		Inbox:                     n.id("inbox"),
		Outbox:                    n.id("outbox"),
		Followers:                 n.id("followers"),
		Following:                 n.id("following"),
		Featured:                  n.id("featured"),
		IconURL:                   WebURL(imageURL(n["icon"])),
		ImageURL:                  WebURL(imageURL(n["image"])),
		ManuallyApprovesFollowers: n.bool("manuallyApprovesFollowers"),
		Discoverable:              n.bool("discoverable"),
		Indexable:                 n.bool("indexable"),
		AlsoKnownAs:               firstN(n.ids("alsoKnownAs"), maxAlsoKnownAs),
		MovedTo:                   n.id("movedTo"),
		Webfinger:                 webfinger(n.str("webfinger")),
		Published:                 n.time("published"),
	}
	a.Bot = a.Type == TypeService || a.Type == TypeApplication
	a.SharedInbox = sharedInbox(n)
	a.PublicKeyID, a.PublicKeyPEM, a.PublicKeyOwner = publicKey(n, a.ID)
	a.Fields = fields(n)
	a.AssertionKeys = multikeys(n)
	return a
}

// maxAssertionKeys bounds the keys read from one actor.
const maxAssertionKeys = 8

// multikeys reads assertionMethod's embedded Multikeys; a key named only by
// its IRI is a document of its own, fetched when a proof names it.
func multikeys(n node) []Multikey {
	var out []Multikey
	for _, k := range n.nodes("assertionMethod") {
		if len(out) == maxAssertionKeys {
			break
		}
		if !k.hasType(TypeMultikey) || k.str("id") == "" || k.str("publicKeyMultibase") == "" {
			continue
		}
		out = append(out, Multikey{ID: k.str("id"), Controller: k.id("controller"), PublicKeyMultibase: k.str("publicKeyMultibase")})
	}
	return out
}

// sharedInbox reads endpoints.sharedInbox; Misskey also repeats it at the
// top level, which is used when endpoints is missing.
func sharedInbox(n node) string {
	if ep := n.child("endpoints"); ep != nil {
		if s := ep.id("sharedInbox"); s != "" {
			return s
		}
	}
	return n.id("sharedInbox")
}

// publicKey reads the actor's key. Some servers publish several keys as an
// array; the one owned by the actor itself is preferred. A bare IRI names
// the key without its PEM, which then has to be fetched.
func publicKey(n node, actorID string) (id, pem, owner string) {
	keys := n.nodes("publicKey")
	if len(keys) == 0 {
		return n.id("publicKey"), "", ""
	}
	chosen := keys[0]
	for _, k := range keys {
		if k.id("owner") == actorID && k.str("publicKeyPem") != "" {
			chosen = k
			break
		}
	}
	return chosen.str("id"), chosen.str("publicKeyPem"), chosen.id("owner")
}

// fields reads the PropertyValue attachments that Mastodon-compatible
// servers use for profile metadata, up to maxFields. Their names are plain
// text, their values HTML.
func fields(n node) []Field {
	var out []Field
	for _, att := range n.nodes("attachment") {
		if len(out) == maxFields {
			break
		}
		if !att.hasType(TypePropertyValue) {
			continue
		}
		name := plainText(att.text("name"), maxFieldNameChars, false)
		if name == "" {
			continue
		}
		out = append(out, Field{Name: name, ValueHTML: SanitizeHTML(clipHTML(att.str("value"), maxFieldValueBytes))})
	}
	return out
}

// username keeps a preferredUsername only when it is a valid username;
// the actor is then known by its id and its webfinger address.
func username(s string) string {
	if s = strings.TrimSpace(s); ValidUsername(s) {
		return s
	}
	return ""
}

// webfinger keeps the FEP-2c59 address only when it is "user@host" with a
// valid username and host.
func webfinger(s string) string {
	if s = normalizeAcct(s); validHandle(s) {
		return s
	}
	return ""
}

// normalizeAcct turns "acct:user@host" or "@user@host" into "user@host".
func normalizeAcct(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "acct:")
	return strings.TrimPrefix(s, "@")
}
