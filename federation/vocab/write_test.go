package vocab

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var (
	published = time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)
	edited    = time.Date(2025, 3, 15, 10, 0, 0, 0, time.UTC)
)

// testPublicKeyPEM is a throwaway RSA key, real enough for JSON-LD
// processors that import the key while reading the actor.
const testPublicKeyPEM = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAyn/o0MT7nhXKSuTaHcly
rimxo+YoA5TQ6hgDcWA94k5DGScA9ut9zuyDl9Aqkm5p0AZeykY8J4d1kqJjbCig
q2vykg3do3blow1idVaeeqV3nZe3aNNjjGqrp8FsOF5kbmtflNV/1bUvBFE0UR+7
rLYkrNPVu5ogHA0UZ3vG/gpz8KHmq1ldD/ufL4MbTHW6/4BPJuqo3+3hKSKfe66y
8E80CFG2X6kbPIfEB1vZ5jaqvAICNN0pMqlG0U0yU0UokKCGbmMGPbRQM45PIc3B
cvyCcGWZ7kyt06eAy0rZTemxMQXTNqLrQGAUEog/4jaK2h2KitHeI9XSpUcVsWsw
zwIDAQAB
-----END PUBLIC KEY-----
`

func ownerActor() OutActor {
	return OutActor{
		ID:                "https://alice.example/actor",
		PreferredUsername: "alice.example",
		Name:              "Alice",
		SummaryHTML:       "<p>Writing about <a href=\"https://alice.example/blog/\">gardens</a>.</p>",
		URL:               "https://alice.example/",
		Inbox:             "https://alice.example/actor/inbox",
		Outbox:            "https://alice.example/actor/outbox",
		Followers:         "https://alice.example/actor/followers",
		Following:         "https://alice.example/actor/following",
		Featured:          "https://alice.example/actor/featured",
		SharedInbox:       "https://alice.example/inbox",
		PublicKeyPEM:      testPublicKeyPEM,
		IconURL:           "https://alice.example/media/avatar.png",
		IconMediaType:     "image/png",
		ImageURL:          "https://alice.example/media/header.jpg",
		Discoverable:      true,
		Indexable:         true,
		Published:         published,
		Fields:            []Field{{Name: "Blog", ValueHTML: "<a href=\"https://alice.example/blog/\" rel=\"me\">alice.example/blog</a>"}},
		AlsoKnownAs:       []string{"https://old.example/users/alice"},
		Webfinger:         "alice.example@alice.example",
		ProofKeyMultibase: "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
	}
}

func ownerNote() OutObject {
	return OutObject{
		ID:           "https://alice.example/notes/42",
		Type:         TypeNote,
		AttributedTo: "https://alice.example/actor",
		ContentHTML:  "<p>Tomatoes are up! <a href=\"https://alice.example/tags/garden\" class=\"mention hashtag\" rel=\"tag\">#<span>garden</span></a> cc <span class=\"h-card\"><a href=\"https://bob.example/@bob\" class=\"u-url mention\">@<span>bob</span></a></span></p>",
		Summary:      "food",
		Sensitive:    true,
		URL:          "https://alice.example/notes/42",
		InReplyTo:    "https://bob.example/notes/7",
		Published:    published,
		To:           []string{Public},
		Cc:           []string{"https://alice.example/actor/followers", "https://bob.example/users/bob"},
		Tags: []Tag{
			{Type: TypeHashtag, Name: "#garden", Href: "https://alice.example/tags/garden"},
			{Type: TypeMention, Name: "@bob@bob.example", Href: "https://bob.example/users/bob"},
		},
		Attachments: []Attachment{{
			URL: "https://alice.example/media/tomatoes.jpg", MediaType: "image/jpeg",
			Name: "Green tomatoes on the vine", Blurhash: "LKO2?U%2Tw=w]~RBVZRi};RPxuwH", Width: 1200, Height: 800,
		}},
		RepliesID: "https://alice.example/notes/42/replies",
	}
}

func ownerArticle() OutObject {
	return OutObject{
		ID:           "https://alice.example/blog/winter-garden",
		Type:         TypeArticle,
		AttributedTo: "https://alice.example/actor",
		Name:         "Planning a winter garden",
		Summary:      "What survives the frost, and what does not.",
		ContentHTML:  "<h2>Kale</h2><p>Kale does not mind the cold.</p>",
		MediaType:    "text/html",
		URL:          "https://alice.example/blog/winter-garden",
		Published:    published,
		Updated:      edited,
		To:           []string{Public},
		Cc:           []string{"https://alice.example/actor/followers"},
		Tags:         []Tag{{Type: TypeHashtag, Name: "#garden", Href: "https://alice.example/tags/garden"}},
	}
}

func ownerQuestion() OutObject {
	return OutObject{
		ID:           "https://alice.example/notes/43",
		Type:         TypeQuestion,
		AttributedTo: "https://alice.example/actor",
		ContentHTML:  "<p>Which should I plant first?</p>",
		URL:          "https://alice.example/notes/43",
		Published:    published,
		To:           []string{Public},
		Cc:           []string{"https://alice.example/actor/followers"},
		RepliesID:    "https://alice.example/notes/43/replies",
		Options:      []PollOption{{Name: "Kale", Votes: 3}, {Name: "Leeks", Votes: 0}},
		EndTime:      edited,
		VotersCount:  3,
	}
}

func TestGoldenDocuments(t *testing.T) {
	tests := []struct {
		name    string
		marshal func() ([]byte, error)
	}{
		{"actor", func() ([]byte, error) { return MarshalActor(ownerActor()) }},
		{"note", func() ([]byte, error) { return MarshalObject(ownerNote()) }},
		{"article", func() ([]byte, error) { return MarshalObject(ownerArticle()) }},
		{"question", func() ([]byte, error) { return MarshalObject(ownerQuestion()) }},
		{"create", func() ([]byte, error) {
			n := ownerNote()
			return MarshalActivity(OutActivity{
				ID: n.ID + "/activity", Type: TypeCreate, Actor: n.AttributedTo,
				Object: n, To: n.To, Cc: n.Cc, Published: n.Published,
			})
		}},
		{"undo-follow", func() ([]byte, error) {
			follow := OutActivity{ID: "https://alice.example/follows/1", Type: TypeFollow,
				Actor: "https://alice.example/actor", Object: "https://bob.example/users/bob"}
			return MarshalActivity(OutActivity{ID: "https://alice.example/follows/1/undo", Type: TypeUndo,
				Actor: "https://alice.example/actor", Object: follow, To: []string{"https://bob.example/users/bob"}})
		}},
		{"tombstone", func() ([]byte, error) {
			return MarshalTombstone("https://alice.example/notes/41", TypeNote, edited)
		}},
		{"outbox-page", func() ([]byte, error) {
			return MarshalCollection(OutCollection{
				ID: "https://alice.example/actor/outbox?page=1", Type: TypeOrderedCollectionPage,
				PartOf: "https://alice.example/actor/outbox", Next: "https://alice.example/actor/outbox?page=2",
				OrderedItems: []any{"https://alice.example/notes/42/activity"},
			})
		}},
		{"followers", func() ([]byte, error) {
			return MarshalCollection(OutCollection{ID: "https://alice.example/actor/followers",
				TotalItems: 3, First: "https://alice.example/actor/followers?page=1"})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.marshal()
			if err != nil {
				t.Fatal(err)
			}
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, got, "", "  "); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, got)
			}
			pretty.WriteByte('\n')
			path := filepath.Join("testdata", tt.name+".golden.json")
			if *update {
				if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(pretty.Bytes(), want) {
				t.Errorf("%s differs from %s:\n%s", tt.name, path, pretty.Bytes())
			}
			checkTermsDefined(t, got)
		})
	}
}

// asTerms are the ActivityStreams and security-vocabulary terms roost
// writes; every other property must be defined in roost's inline context,
// or a JSON-LD processor such as Fedify drops it.
var asTerms = []string{
	"id", "type", "actor", "object", "target", "to", "cc", "published", "updated", "deleted",
	"formerType", "attributedTo", "name", "summary", "content", "mediaType", "url", "inReplyTo",
	"tag", "attachment", "replies", "href", "icon", "image", "width", "height", "preferredUsername",
	"inbox", "outbox", "followers", "following", "endpoints", "sharedInbox", "totalItems", "first",
	"next", "prev", "partOf", "orderedItems", "oneOf", "anyOf", "endTime",
	"publicKey", "owner", "publicKeyPem",
}

// multikeyTerms are defined by the DID and Multikey contexts, which the
// actor names for its assertionMethod key.
var multikeyTerms = []string{"assertionMethod", "controller", "publicKeyMultibase"}

func checkTermsDefined(t *testing.T, doc []byte) {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatal(err)
	}
	ctx, ok := m["@context"].([]any)
	if !ok || len(ctx) < 3 || ctx[0] != ContextAS || ctx[1] != ContextSecurity {
		t.Fatalf("@context = %v", m["@context"])
	}
	defined := ctx[len(ctx)-1].(map[string]any)
	known := asTerms
	if slices.Contains(ctx, any(ContextDID)) && slices.Contains(ctx, any(ContextMultikey)) {
		known = append(slices.Clone(asTerms), multikeyTerms...)
	}
	for _, as := range asTerms {
		if _, ok := defined[as]; ok {
			t.Errorf("inline context redefines the core term %q", as)
		}
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if k == "@context" {
					continue
				}
				if _, ok := defined[k]; !ok && !slices.Contains(known, k) {
					t.Errorf("property %q is not defined by the context", k)
				}
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(m)
}

func TestObjectMapHasNoContext(t *testing.T) {
	m := ObjectMap(ownerNote())
	if _, ok := m["@context"]; ok {
		t.Error("ObjectMap carries a @context")
	}
	if m["id"] != "https://alice.example/notes/42" || m["sensitive"] != true {
		t.Errorf("map = %v", m)
	}
	// Embedding the map keeps one-element arrays as arrays.
	b, err := MarshalActivity(OutActivity{ID: "https://alice.example/a/1", Type: TypeUpdate,
		Actor: "https://alice.example/actor", Object: m, To: []string{Public}})
	if err != nil {
		t.Fatal(err)
	}
	a, err := ParseActivity(b)
	if err != nil {
		t.Fatal(err)
	}
	raw := a.Raw["object"].(map[string]any)
	if _, ok := raw["to"].([]any); !ok {
		t.Errorf("embedded to = %#v, want an array", raw["to"])
	}
	if a.Object == nil || a.Object.SummaryText != "food" {
		t.Errorf("embedded object = %+v", a.Object)
	}
}

func TestMarshalRejectsIncompleteDocuments(t *testing.T) {
	tests := []struct {
		name string
		err  func() error
	}{
		{"actor without inbox", func() error {
			_, err := MarshalActor(OutActor{ID: "https://a.example/actor", PreferredUsername: "a"})
			return err
		}},
		{"object without author", func() error { _, err := MarshalObject(OutObject{ID: "https://a.example/n/1"}); return err }},
		{"activity without actor", func() error {
			_, err := MarshalActivity(OutActivity{ID: "https://a.example/1", Type: TypeLike})
			return err
		}},
		{"activity with a bad object", func() error {
			_, err := MarshalActivity(OutActivity{ID: "https://a.example/1", Type: TypeLike, Actor: "https://a.example/actor", Object: 42})
			return err
		}},
		{"tombstone without id", func() error { _, err := MarshalTombstone("", TypeNote, time.Time{}); return err }},
		{"collection without id", func() error { _, err := MarshalCollection(OutCollection{}); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.err(); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestActorRoundTrip(t *testing.T) {
	in := ownerActor()
	b, err := MarshalActor(in)
	if err != nil {
		t.Fatal(err)
	}
	a, err := ParseActor(b)
	if err != nil {
		t.Fatal(err)
	}
	want := Actor{
		ID: in.ID, Type: TypePerson, PreferredUsername: in.PreferredUsername, Name: in.Name,
		SummaryHTML: SanitizeHTML(in.SummaryHTML), URL: in.URL,
		Inbox: in.Inbox, SharedInbox: in.SharedInbox, Outbox: in.Outbox, Followers: in.Followers,
		Following: in.Following, Featured: in.Featured,
		PublicKeyID: in.ID + "#main-key", PublicKeyPEM: in.PublicKeyPEM, PublicKeyOwner: in.ID,
		IconURL: in.IconURL, ImageURL: in.ImageURL,
		Discoverable: true, Indexable: true,
		Fields:      []Field{{Name: "Blog", ValueHTML: SanitizeHTML(in.Fields[0].ValueHTML)}},
		AlsoKnownAs: in.AlsoKnownAs, Webfinger: in.Webfinger, Published: in.Published,
		AssertionKeys: []Multikey{{ID: in.ID + "#ed25519-key", Controller: in.ID, PublicKeyMultibase: in.ProofKeyMultibase}},
	}
	if !reflect.DeepEqual(*a, want) {
		t.Errorf("round trip\n got %+v\nwant %+v", *a, want)
	}
	if a.Handle() != "alice.example@alice.example" {
		t.Errorf("handle = %q", a.Handle())
	}
}

func TestObjectRoundTrip(t *testing.T) {
	for _, in := range []OutObject{ownerNote(), ownerArticle()} {
		t.Run(in.Type, func(t *testing.T) {
			b, err := MarshalObject(in)
			if err != nil {
				t.Fatal(err)
			}
			o, err := ParseObject(b)
			if err != nil {
				t.Fatal(err)
			}
			checks := []struct {
				name      string
				got, want any
			}{
				{"id", o.ID, in.ID},
				{"type", o.Type, in.Type},
				{"attributedTo", o.AttributedTo, in.AttributedTo},
				{"name", o.Name, in.Name},
				{"content", o.ContentHTML, SanitizeHTML(in.ContentHTML)},
				{"summary", o.SummaryText, in.Summary},
				{"url", o.URL, in.URL},
				{"inReplyTo", o.InReplyTo, in.InReplyTo},
				{"sensitive", o.Sensitive, in.Sensitive},
				{"published", o.Published.Equal(in.Published), true},
				{"updated", o.Updated.Equal(in.Updated), true},
				{"to", slices.Equal(o.To, in.To), true},
				{"cc", slices.Equal(o.Cc, in.Cc), true},
				{"tags", slices.Equal(o.Tags, in.Tags), true},
				{"replies", o.RepliesID, in.RepliesID},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
				}
			}
			for i, att := range in.Attachments {
				att.Type = TypeDocument
				if i >= len(o.Attachments) || o.Attachments[i] != att {
					t.Errorf("attachments = %+v, want %+v", o.Attachments, in.Attachments)
				}
			}
		})
	}
}

func TestContextMatchesWrittenDocuments(t *testing.T) {
	b, err := MarshalTombstone("https://alice.example/notes/1", TypeNote, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Context json.RawMessage `json:"@context"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	ctx, err := json.Marshal(Context())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ctx, doc.Context) {
		t.Errorf("Context() = %s\nwritten  %s", ctx, doc.Context)
	}
}
