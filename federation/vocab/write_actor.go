package vocab

import (
	"fmt"
	"strings"
	"time"
)

// OutActor is roost's owner actor, as the site publishes it.
type OutActor struct {
	ID   string
	Type string // Person when empty
	// PreferredUsername is the local part of the handle.
	PreferredUsername, Name string
	SummaryHTML             string // already rendered and safe
	URL                     string // the profile page

	Inbox, Outbox, Followers, Following, Featured, SharedInbox string

	// PublicKeyPEM is published as the key ID + "#main-key", the key id
	// Mastodon-compatible servers expect for the owner's signatures.
	PublicKeyPEM string

	IconURL, IconMediaType, ImageURL, ImageMediaType string

	ManuallyApprovesFollowers, Discoverable, Indexable bool

	Published   time.Time
	Fields      []Field // ValueHTML already rendered and safe
	AlsoKnownAs []string
	MovedTo     string
	// Webfinger is the owner's handle, "user@host", published as the
	// FEP-2c59 webfinger property so that peers show the chosen handle even
	// when the username differs from what the actor URL suggests.
	Webfinger string
	// ProofKeyMultibase is the owner's Ed25519 public key as a Multikey
	// (FEP-521a), published in assertionMethod under ProofKeyID: the key
	// of the object integrity proofs the owner's activities carry.
	ProofKeyMultibase string
}

// ProofKeyID returns the id under which the actor's Ed25519 key is
// published.
func (a OutActor) ProofKeyID() string { return a.ID + "#ed25519-key" }

// KeyID returns the id under which the actor's public key is published.
func (a OutActor) KeyID() string { return a.ID + "#main-key" }

type personDoc struct {
	ID                        string                  `jsonld:"id"`
	Type                      string                  `jsonld:"type"`
	PreferredUsername         string                  `jsonld:"preferredUsername"`
	Name                      string                  `jsonld:"name,omitempty"`
	Summary                   string                  `jsonld:"summary,omitempty"`
	URL                       string                  `jsonld:"url,omitempty"`
	Inbox                     string                  `jsonld:"inbox"`
	Outbox                    string                  `jsonld:"outbox,omitempty"`
	Followers                 string                  `jsonld:"followers,omitempty"`
	Following                 string                  `jsonld:"following,omitempty"`
	Featured                  string                  `jsonld:"featured,omitempty"`
	Endpoints                 *endpointsDoc           `jsonld:"endpoints,omitempty"`
	ManuallyApprovesFollowers bool                    `jsonld:"manuallyApprovesFollowers"`
	Discoverable              bool                    `jsonld:"discoverable"`
	Indexable                 bool                    `jsonld:"indexable"`
	Published                 string                  `jsonld:"published,omitempty"`
	PublicKey                 *publicKeyDoc           `jsonld:"publicKey,omitempty"`
	Icon                      *imageDoc               `jsonld:"icon,omitempty"`
	Image                     *imageDoc               `jsonld:"image,omitempty"`
	Attachment                array[propertyValueDoc] `jsonld:"attachment,omitempty"`
	AlsoKnownAs               array[string]           `jsonld:"alsoKnownAs,omitempty"`
	MovedTo                   string                  `jsonld:"movedTo,omitempty"`
	Webfinger                 string                  `jsonld:"webfinger,omitempty"`
	AssertionMethod           array[multikeyDoc]      `jsonld:"assertionMethod,omitempty"`
}

type multikeyDoc struct {
	ID                 string `jsonld:"id"`
	Type               string `jsonld:"type"`
	Controller         string `jsonld:"controller"`
	PublicKeyMultibase string `jsonld:"publicKeyMultibase"`
}

type endpointsDoc struct {
	SharedInbox string `jsonld:"sharedInbox"`
}

type publicKeyDoc struct {
	ID           string `jsonld:"id"`
	Owner        string `jsonld:"owner"`
	PublicKeyPem string `jsonld:"publicKeyPem"`
}

type imageDoc struct {
	Type      string `jsonld:"type"`
	MediaType string `jsonld:"mediaType,omitempty"`
	URL       string `jsonld:"url"`
}

type propertyValueDoc struct {
	Type  string `jsonld:"type"`
	Name  string `jsonld:"name"`
	Value string `jsonld:"value"`
}

// MarshalActor writes the owner's actor document.
func MarshalActor(a OutActor) ([]byte, error) {
	if a.ID == "" || a.Inbox == "" || a.PreferredUsername == "" {
		return nil, fmt.Errorf("vocab: marshal actor: id, inbox and preferredUsername are required")
	}
	doc := personDoc{
		ID:                        a.ID,
		Type:                      orDefault(a.Type, TypePerson),
		PreferredUsername:         a.PreferredUsername,
		Name:                      a.Name,
		Summary:                   a.SummaryHTML,
		URL:                       a.URL,
		Inbox:                     a.Inbox,
		Outbox:                    a.Outbox,
		Followers:                 a.Followers,
		Following:                 a.Following,
		Featured:                  a.Featured,
		ManuallyApprovesFollowers: a.ManuallyApprovesFollowers,
		Discoverable:              a.Discoverable,
		Indexable:                 a.Indexable,
		Published:                 formatTime(a.Published),
		Icon:                      image(a.IconURL, a.IconMediaType),
		Image:                     image(a.ImageURL, a.ImageMediaType),
		AlsoKnownAs:               a.AlsoKnownAs,
		MovedTo:                   a.MovedTo,
	}
	if a.SharedInbox != "" {
		doc.Endpoints = &endpointsDoc{SharedInbox: a.SharedInbox}
	}
	if a.PublicKeyPEM != "" {
		doc.PublicKey = &publicKeyDoc{ID: a.KeyID(), Owner: a.ID, PublicKeyPem: a.PublicKeyPEM}
	}
	for _, f := range a.Fields {
		doc.Attachment = append(doc.Attachment, propertyValueDoc{Type: TypePropertyValue, Name: f.Name, Value: f.ValueHTML})
	}
	if a.Webfinger != "" {
		// FEP-2c59 allows the acct: URI form, which cannot be mistaken for
		// an e-mail address.
		doc.Webfinger = "acct:" + normalizeAcct(a.Webfinger)
	}
	if a.ProofKeyMultibase != "" {
		doc.AssertionMethod = array[multikeyDoc]{{ID: a.ProofKeyID(), Type: TypeMultikey, Controller: a.ID, PublicKeyMultibase: a.ProofKeyMultibase}}
	}
	// The actor names the contexts of its Multikey as Fedify's do: the DID
	// vocabulary defines assertionMethod, the Multikey context its key.
	b, err := marshalWithContexts(doc, ContextDataIntegrity, ContextDID, ContextMultikey)
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal actor %s: %w", a.ID, err)
	}
	return b, nil
}

func image(url, mediaType string) *imageDoc {
	if url == "" {
		return nil
	}
	return &imageDoc{Type: TypeImage, MediaType: mediaType, URL: url}
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// timeFormat is xsd:dateTime in UTC at second precision, as Mastodon
// writes it.
const timeFormat = "2006-01-02T15:04:05Z"

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeFormat)
}
