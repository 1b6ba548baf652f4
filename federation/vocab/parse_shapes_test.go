package vocab

import (
	"errors"
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name  string
		parse func([]byte) error
		doc   string
		want  error
	}{
		{"activity malformed", parseActivityErr, `{"id":`, ErrMalformed},
		{"activity not an object", parseActivityErr, `["x"]`, ErrNotObject},
		{"activity without id", parseActivityErr, `{"type":"Like","actor":"https://a.example/u","object":"https://b.example/n"}`, ErrNoID},
		{"activity without type", parseActivityErr, `{"id":"https://a.example/1","actor":"https://a.example/u"}`, ErrNoType},
		{"activity without actor", parseActivityErr, `{"id":"https://a.example/1","type":"Like","object":"https://b.example/n"}`, ErrNoActor},
		{"actor without id", parseActorErr, `{"type":"Person","inbox":"https://a.example/inbox"}`, ErrNoID},
		{"object without type", parseObjectErr, `{"id":"https://a.example/n/1","content":"hi"}`, ErrNoType},
		{"collection malformed", parseCollectionErr, `{`, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.parse([]byte(tt.doc))
			if !errors.Is(err, tt.want) {
				t.Errorf("error = %v, want %v", err, tt.want)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "vocab: parse") {
				t.Errorf("error %q lacks the operation prefix", err)
			}
		})
	}
}

func parseActivityErr(b []byte) error   { _, err := ParseActivity(b); return err }
func parseActorErr(b []byte) error      { _, err := ParseActor(b); return err }
func parseObjectErr(b []byte) error     { _, err := ParseObject(b); return err }
func parseCollectionErr(b []byte) error { _, err := ParseCollection(b); return err }

// TestParseOddShapes covers property shapes that no fixture happens to use.
func TestParseOddShapes(t *testing.T) {
	doc := `{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id": "https://a.example/n/1", "type": "Note",
		"attributedTo": [{"type": "Group", "id": "https://a.example/g"}, {"type": "Person", "id": "https://a.example/u"}],
		"contentMap": {"fr": "<p>bonjour</p>", "en": "<p>hello</p>"},
		"tag": {"type": "Hashtag", "name": "#solo", "href": "https://a.example/tags/solo"},
		"url": {"type": "Link", "href": "https://a.example/@u/1", "mediaType": "text/html"},
		"to": "https://www.w3.org/ns/activitystreams#Public",
		"cc": [{"id": "https://a.example/u/followers"}],
		"inReplyTo": {"id": "https://b.example/n/9", "type": "Note"},
		"attachment": {"type": "Image", "url": [{"type": "Link", "href": "https://a.example/m.png", "mediaType": "image/png"}], "width": "640"},
		"sensitive": "true",
		"summary": "CW: spoilers"
	}`
	o, err := ParseObject([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"attributedTo", o.AttributedTo, "https://a.example/u"},
		{"content", o.ContentHTML, "<p>hello</p>"},
		{"tag", len(o.Tags), 1},
		{"url", o.URL, "https://a.example/@u/1"},
		{"to", strings.Join(o.To, ","), Public},
		{"cc", strings.Join(o.Cc, ","), "https://a.example/u/followers"},
		{"inReplyTo", o.InReplyTo, "https://b.example/n/9"},
		{"attachment", len(o.Attachments), 1},
		{"attachment url", o.Attachments[0].URL, "https://a.example/m.png"},
		{"attachment width", o.Attachments[0].Width, 640},
		{"sensitive", o.Sensitive, true},
		// go-fed reads a summary with a colon as an IRI; the raw reader keeps the text.
		{"summary", o.SummaryText, "CW: spoilers"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}

	actor := `{"id": "https://a.example/u", "type": "Person", "inbox": "https://a.example/inbox",
		"icon": [{"type": "Image", "url": "https://a.example/small.png"}, {"type": "Image", "url": "https://a.example/big.png"}],
		"publicKey": [{"id": "https://other.example/k", "owner": "https://other.example/", "publicKeyPem": "x"},
			{"id": "https://a.example/u#k", "owner": "https://a.example/u", "publicKeyPem": "-----BEGIN PUBLIC KEY-----"}],
		"webfinger": "acct:me@a.example", "preferredUsername": "u"}`
	a, err := ParseActor([]byte(actor))
	if err != nil {
		t.Fatal(err)
	}
	if a.IconURL != "https://a.example/small.png" || a.PublicKeyID != "https://a.example/u#k" || a.Handle() != "me@a.example" {
		t.Errorf("actor = %q %q %q", a.IconURL, a.PublicKeyID, a.Handle())
	}
}
