package vocab

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/go-ap/jsonld"
)

// OutObject is a Note, Article or Question that roost publishes.
type OutObject struct {
	ID, Type     string // Type is Note, Article or Question
	AttributedTo string
	Name         string // an article's title
	ContentHTML  string // already rendered and safe
	// Summary is a note's content warning, or an article's summary.
	Summary   string
	URL       string
	InReplyTo string
	Sensitive bool
	Published time.Time
	Updated   time.Time // omitted when zero
	To, Cc    []string
	Tags      []Tag
	// Attachments default to type Document, as Mastodon writes media.
	Attachments []Attachment
	// RepliesID is the replies collection; Replies, when set, is written
	// embedded in its place with its first page (write_replies.go).
	RepliesID string
	Replies   *OutReplies
	MediaType string // of the content; omitted when empty (HTML)
	// QuoteOf is the quoted post, written as FEP-044f's quote and, for
	// servers that read only the older names, quoteUri and _misskey_quote.
	QuoteOf string
	// QuoteAuthorization is the quoted author's stamp for the quote, once
	// given.
	QuoteAuthorization string
	// QuotePolicy says who may quote this object (QuotePolicyPublic, ...),
	// written as interactionPolicy.canQuote with Followers as the
	// followers collection; empty writes none.
	QuotePolicy, Followers string

	// Options make the object a poll (Type Question): written as oneOf, or
	// as anyOf when AnyOf allows several choices. EndTime and VotersCount
	// are written with them.
	Options     []PollOption
	AnyOf       bool
	EndTime     time.Time
	VotersCount int
	// Closed is when a poll ended, written once it has: Mastodon stops
	// taking votes on a Question whose closed is set.
	Closed time.Time
}

type objectDoc struct {
	ID           string                `jsonld:"id"`
	Type         string                `jsonld:"type"`
	AttributedTo string                `jsonld:"attributedTo"`
	Name         string                `jsonld:"name,omitempty"`
	Summary      string                `jsonld:"summary,omitempty"`
	Content      string                `jsonld:"content,omitempty"`
	MediaType    string                `jsonld:"mediaType,omitempty"`
	URL          string                `jsonld:"url,omitempty"`
	InReplyTo    string                `jsonld:"inReplyTo,omitempty"`
	Published    string                `jsonld:"published,omitempty"`
	Updated      string                `jsonld:"updated,omitempty"`
	To           array[string]         `jsonld:"to,omitempty"`
	Cc           array[string]         `jsonld:"cc,omitempty"`
	Sensitive    bool                  `jsonld:"sensitive"`
	Tag          array[tagDoc]         `jsonld:"tag,omitempty"`
	Attachment   array[attachmentDoc]  `jsonld:"attachment,omitempty"`
	Replies      any                   `jsonld:"replies,omitempty"`
	OneOf        array[optionDoc]      `jsonld:"oneOf,omitempty"`
	AnyOf        array[optionDoc]      `jsonld:"anyOf,omitempty"`
	EndTime      string                `jsonld:"endTime,omitempty"`
	Closed       string                `jsonld:"closed,omitempty"`
	VotersCount  *int                  `jsonld:"votersCount,omitempty"`
	Quote        string                `jsonld:"quote,omitempty"`
	QuoteURI     string                `jsonld:"quoteUri,omitempty"`
	MisskeyQuote string                `jsonld:"_misskey_quote,omitempty"`
	QuoteAuth    string                `jsonld:"quoteAuthorization,omitempty"`
	Policy       *interactionPolicyDoc `jsonld:"interactionPolicy,omitempty"`
}

// optionDoc is one choice of a poll, as Mastodon writes it: a Note named
// after the choice whose replies collection counts the votes.
type optionDoc struct {
	Type    string        `jsonld:"type"`
	Name    string        `jsonld:"name"`
	Replies collectionRef `jsonld:"replies"`
}

type collectionRef struct {
	Type       string `jsonld:"type"`
	TotalItems int    `jsonld:"totalItems"`
}

type tagDoc struct {
	ID   string    `jsonld:"id,omitempty"`
	Type string    `jsonld:"type"`
	Href string    `jsonld:"href,omitempty"`
	Name string    `jsonld:"name"`
	Icon *imageDoc `jsonld:"icon,omitempty"`
}

type attachmentDoc struct {
	Type      string `jsonld:"type"`
	MediaType string `jsonld:"mediaType,omitempty"`
	URL       string `jsonld:"url"`
	Name      string `jsonld:"name,omitempty"`
	Blurhash  string `jsonld:"blurhash,omitempty"`
	Width     int    `jsonld:"width,omitempty"`
	Height    int    `jsonld:"height,omitempty"`
}

func objectDocFrom(o OutObject) objectDoc {
	doc := objectDoc{
		ID:           o.ID,
		Type:         orDefault(o.Type, TypeNote),
		AttributedTo: o.AttributedTo,
		Name:         o.Name,
		Summary:      o.Summary,
		Content:      o.ContentHTML,
		MediaType:    o.MediaType,
		URL:          o.URL,
		InReplyTo:    o.InReplyTo,
		Published:    formatTime(o.Published),
		Updated:      formatTime(o.Updated),
		To:           o.To,
		Cc:           o.Cc,
		Sensitive:    o.Sensitive,
		Quote:        o.QuoteOf,
		QuoteURI:     o.QuoteOf,
		MisskeyQuote: o.QuoteOf,
		QuoteAuth:    o.QuoteAuthorization,
		Policy:       quotePolicyDoc(o.QuotePolicy, o.AttributedTo, o.Followers),
	}
	switch {
	case o.Replies != nil:
		doc.Replies = repliesDocFrom(*o.Replies)
	case o.RepliesID != "":
		doc.Replies = o.RepliesID
	}
	for _, t := range o.Tags {
		td := tagDoc{Type: t.Type, Href: t.Href, Name: t.Name}
		if t.Type == TypeEmoji {
			// Mastodon identifies a custom emoji by its id and draws its icon.
			td = tagDoc{ID: t.Href, Type: t.Type, Name: t.Name, Icon: image(t.IconURL, "")}
		}
		doc.Tag = append(doc.Tag, td)
	}
	if len(o.Options) > 0 {
		pollDocFrom(&doc, o)
	}
	for _, a := range o.Attachments {
		doc.Attachment = append(doc.Attachment, attachmentDoc{
			Type:      orDefault(a.Type, TypeDocument),
			MediaType: a.MediaType,
			URL:       a.URL,
			Name:      a.Name,
			Blurhash:  a.Blurhash,
			Width:     a.Width,
			Height:    a.Height,
		})
	}
	return doc
}

// pollDocFrom writes a poll's choices, end and voter count.
func pollDocFrom(doc *objectDoc, o OutObject) {
	options := make(array[optionDoc], 0, len(o.Options))
	for _, opt := range o.Options {
		options = append(options, optionDoc{Type: TypeNote, Name: opt.Name,
			Replies: collectionRef{Type: TypeCollection, TotalItems: opt.Votes}})
	}
	if o.AnyOf {
		doc.AnyOf = options
	} else {
		doc.OneOf = options
	}
	doc.EndTime = formatTime(o.EndTime)
	doc.Closed = formatTime(o.Closed)
	voters := o.VotersCount
	doc.VotersCount = &voters
}

// MarshalObject writes a Note or Article with roost's @context.
func MarshalObject(o OutObject) ([]byte, error) {
	if o.ID == "" || o.AttributedTo == "" {
		return nil, fmt.Errorf("vocab: marshal object: id and attributedTo are required")
	}
	b, err := marshalWithContext(objectDocFrom(o))
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal object %s: %w", o.ID, err)
	}
	return b, nil
}

// ObjectMap returns the object as a JSON map without @context, for
// embedding in an activity that carries the context.
func ObjectMap(o OutObject) map[string]any {
	m, err := toMap(objectDocFrom(o))
	if err != nil {
		// objectDoc holds only strings, numbers and booleans; encoding it
		// cannot fail.
		panic(fmt.Sprintf("vocab: object map %s: %v", o.ID, err))
	}
	return m
}

// toMap encodes a jsonld-tagged struct and decodes it into a map.
func toMap(doc any) (map[string]any, error) {
	b, err := jsonld.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("jsonld: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	return m, nil
}
