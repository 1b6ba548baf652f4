package vocab

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseActorFixtures(t *testing.T) {
	tests := []struct {
		file  string
		check func(t *testing.T, a *Actor)
	}{
		{"activitypub/gotosocial/actor-with-fields.json", func(t *testing.T, a *Actor) {
			want := []Field{{Name: "should you follow me?", ValueHTML: "maybe!"}, {Name: "age", ValueHTML: "120"}}
			if !slices.Equal(a.Fields, want) {
				t.Errorf("fields = %+v", a.Fields)
			}
			if !a.ManuallyApprovesFollowers || a.Discoverable {
				t.Errorf("flags = %v %v", a.ManuallyApprovesFollowers, a.Discoverable)
			}
			if a.SummaryHTML != "<p>i post about things that concern me</p>" {
				t.Errorf("summary = %q", a.SummaryHTML)
			}
			if a.Handle() != "1happyturtle@localhost:8080" {
				t.Errorf("handle = %q", a.Handle())
			}
		}},
		{"activitypub/gotosocial/actor-aliased-moved.json", func(t *testing.T, a *Actor) {
			if !slices.Equal(a.AlsoKnownAs, []string{"http://localhost:8080/users/1happyturtle"}) {
				t.Errorf("alsoKnownAs = %v", a.AlsoKnownAs)
			}
			if a.MovedTo != "http://localhost:8080/users/1happyturtle" {
				t.Errorf("movedTo = %q", a.MovedTo)
			}
		}},
		{"activitypub/wordpress/actor-blog-group.json", func(t *testing.T, a *Actor) {
			// The blog actor's id has no username in it; FEP-2c59 names it.
			if a.Handle() != "dbzer0.com@dbzer0.com" || a.Webfinger != "dbzer0.com@dbzer0.com" {
				t.Errorf("handle = %q", a.Handle())
			}
			if a.Type != TypeGroup || a.SharedInbox != "https://dbzer0.com/wp-json/activitypub/1.0/inbox" {
				t.Errorf("type/sharedInbox = %q/%q", a.Type, a.SharedInbox)
			}
			if !strings.HasPrefix(a.IconURL, "https://i0.wp.com/dbzer0.com/") {
				t.Errorf("icon = %q", a.IconURL)
			}
		}},
		{"activitypub/wordpress/actor-person-notiz-blog.json", func(t *testing.T, a *Actor) {
			if a.Handle() != "pfefferle@notiz.blog" {
				t.Errorf("handle = %q", a.Handle())
			}
			if len(a.Fields) != 3 || !strings.Contains(a.Fields[0].ValueHTML, `href="https://notiz.blog/"`) {
				t.Errorf("fields = %+v", a.Fields)
			}
			if !strings.Contains(a.SummaryHTML, "<del>eine Kolumne</del>") {
				t.Errorf("summary lost allowed markup: %q", a.SummaryHTML)
			}
		}},
		{"activitypub/mastodon/actor-gargron.json", func(t *testing.T, a *Actor) {
			if a.Name != "Eugen Rochko" || a.PreferredUsername != "Gargron" || a.Handle() != "Gargron@mastodon.social" {
				t.Errorf("name = %q %q %q", a.Name, a.PreferredUsername, a.Handle())
			}
			if a.SharedInbox != "https://mastodon.social/inbox" || a.PublicKeyID != "https://mastodon.social/users/Gargron#main-key" {
				t.Errorf("sharedInbox/key = %q %q", a.SharedInbox, a.PublicKeyID)
			}
			if !a.Discoverable || !a.Indexable || a.Bot {
				t.Errorf("flags = %+v", a)
			}
			if a.Published.IsZero() || a.ImageURL == "" || a.Featured == "" {
				t.Errorf("published/image/featured missing")
			}
		}},
		{"activitypub/gotosocial/application-bot-actor.json", func(t *testing.T, a *Actor) {
			if !a.Bot {
				t.Error("an Application actor is a bot")
			}
		}},
		{"activitypub/misskey/actor-syuilo.json", func(t *testing.T, a *Actor) {
			// Misskey repeats the shared inbox at the top level.
			if a.SharedInbox != "https://misskey.io/inbox" {
				t.Errorf("sharedInbox = %q", a.SharedInbox)
			}
		}},
		{"activitypub/gotosocial/key-stub-docs-example.json", func(t *testing.T, a *Actor) {
			if a.Inbox != "" || a.PublicKeyOwner != a.ID || a.PublicKeyPEM == "" {
				t.Errorf("key stub = %+v", a)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			a, err := ParseActor(readFixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, a)
		})
	}
}

func TestParseObjectFixtures(t *testing.T) {
	tests := []struct {
		file  string
		check func(t *testing.T, o *Object)
	}{
		{"activitypub/mastodon/note-attachment-blurhash-mention.json", func(t *testing.T, o *Object) {
			want := Attachment{
				URL:       "https://cdn.masto.host/floss/media_attachments/files/113/306/826/682/985/891/original/c8d906a2f2ab2334.jpg",
				MediaType: "image/jpeg",
				Name:      "The KDE dragons Katie and Konqi stand on either side of a pot filling up with gold coins. Donate!",
				Blurhash:  "USQv:h-W-qI-^,W;RPs=^-R%NZxbo#sDobSc",
				Width:     1500, Height: 1095, Type: TypeDocument,
			}
			if len(o.Attachments) != 1 || o.Attachments[0] != want {
				t.Errorf("attachments = %+v", o.Attachments)
			}
			if len(o.Tags) != 1 || o.Tags[0] != (Tag{Type: TypeMention, Name: "@kde@lemmy.kde.social", Href: "https://lemmy.kde.social/c/kde"}) {
				t.Errorf("tags = %+v", o.Tags)
			}
			if o.InReplyTo != "https://floss.social/users/kde/statuses/113306824627995724" || o.Sensitive || o.SummaryText != "" {
				t.Errorf("reply/cw = %q %v %q", o.InReplyTo, o.Sensitive, o.SummaryText)
			}
			if strings.Contains(o.ContentHTML, "translate=") || !strings.Contains(o.ContentHTML, `<span class="invisible">https://</span>`) {
				t.Errorf("content = %q", o.ContentHTML)
			}
		}},
		{"activitypub/gotosocial/note-with-tags-emoji.json", func(t *testing.T, o *Object) {
			if len(o.Tags) != 2 || o.Tags[0].Type != TypeEmoji || !strings.HasSuffix(o.Tags[0].IconURL, ".png") || o.Tags[1].Name != "#welcome" {
				t.Errorf("tags = %+v", o.Tags)
			}
			// Older GoToSocial wrote the alt text as summary.
			if len(o.Attachments) != 1 || !strings.HasPrefix(o.Attachments[0].Name, "Black and white image") || o.Attachments[0].Type != TypeImage {
				t.Errorf("attachments = %+v", o.Attachments)
			}
		}},
		{"activitypub/lemmy/page.json", func(t *testing.T, o *Object) {
			if o.Type != TypePage || o.Name != "Post title" || o.AttributedTo != "https://enterprise.lemmy.ml/u/picard" {
				t.Errorf("page = %q %q %q", o.Type, o.Name, o.AttributedTo)
			}
			if len(o.Attachments) != 1 || o.Attachments[0].URL != "https://enterprise.lemmy.ml/pictrs/image/eOtYb9iEiB.png" || o.Attachments[0].Type != TypeLink {
				t.Errorf("link attachment = %+v", o.Attachments)
			}
			if len(o.Tags) != 1 || o.Tags[0].Type != TypeMention {
				t.Errorf("tags = %+v (community post tags are not kept)", o.Tags)
			}
			if o.Published.IsZero() {
				t.Error("microsecond timestamp not read")
			}
		}},
		{"activitypub/peertube/video.json", func(t *testing.T, o *Object) {
			if o.AttributedTo != "https://tilvids.com/accounts/thelinuxexperiment" {
				t.Errorf("attributedTo = %q, want the Person among the Groups", o.AttributedTo)
			}
			if o.URL != "https://tilvids.com/videos/watch/e7946124-7b72-4ad7-9d22-844a84bb2de1" {
				t.Errorf("url = %q, want the text/html link", o.URL)
			}
			if !strings.HasPrefix(o.ContentHTML, "<p>Head to https://squarespace.com/") || !strings.Contains(o.ContentHTML, "<br>") {
				t.Errorf("markdown content = %.80q", o.ContentHTML)
			}
		}},
		{"activitypub/misskey/note-quote.json", func(t *testing.T, o *Object) {
			if o.QuoteOf != "https://misskey.io/notes/8vs6wxufd0" {
				t.Errorf("quote = %q", o.QuoteOf)
			}
		}},
		{"activitypub/fedibird/note-quote-quoteuri.json", func(t *testing.T, o *Object) {
			if o.QuoteOf != "https://misskey.io/notes/8vsn2izjwh" {
				t.Errorf("quote = %q", o.QuoteOf)
			}
			if strings.Contains(o.ContentHTML, "data-status") {
				t.Errorf("data attributes kept: %q", o.ContentHTML)
			}
		}},
		{"activitypub/fep-044f/note-quote.json", func(t *testing.T, o *Object) {
			if o.QuoteOf != "https://example.com/users/alice/statuses/1" {
				t.Errorf("quote = %q", o.QuoteOf)
			}
			if !slices.Contains(o.To, Public) {
				t.Errorf("to = %v", o.To)
			}
		}},
		{"activitypub/misskey/question-poll.json", func(t *testing.T, o *Object) {
			want := []PollOption{{Name: "Working", Votes: 0}, {Name: "Broken af", Votes: 1}}
			if o.Type != TypeQuestion || !slices.Equal(o.Options, want) || o.MultipleChoice {
				t.Errorf("poll = %q %+v %v", o.Type, o.Options, o.MultipleChoice)
			}
		}},
		{"activitypub/wordpress/article.json", func(t *testing.T, o *Object) {
			if o.Type != TypeArticle || o.Name != "An Epic 3D-Printed Fan Expansion for Last Light" {
				t.Errorf("article = %q %q", o.Type, o.Name)
			}
			if o.SummaryText == "" || strings.Contains(o.SummaryText, "<") {
				t.Errorf("summary = %q", o.SummaryText)
			}
			if o.Updated.IsZero() || o.URL == "" || len(o.Tags) == 0 {
				t.Errorf("updated/url/tags = %v %q %d", o.Updated, o.URL, len(o.Tags))
			}
		}},
		{"activitypub/pixelfed/note-attachments.json", func(t *testing.T, o *Object) {
			if len(o.Attachments) != 1 || o.Attachments[0].MediaType != "image/jpeg" || o.Attachments[0].Name != "" {
				t.Errorf("attachments = %+v (a null name is no alt text)", o.Attachments)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			o, err := ParseObject(readFixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, o)
		})
	}
}

func TestParseActivityFixtures(t *testing.T) {
	tests := []struct {
		file  string
		check func(t *testing.T, a *Activity)
	}{
		{"activitypub/mastodon/create-note-cw-mention-ldsig.json", func(t *testing.T, a *Activity) {
			o := a.Object
			if a.Type != TypeCreate || o == nil || o.Type != TypeNote {
				t.Fatalf("create = %q %+v", a.Type, o)
			}
			if o.SummaryText != "cw" || !o.Sensitive {
				t.Errorf("content warning = %q %v", o.SummaryText, o.Sensitive)
			}
			if len(o.Tags) != 1 || o.Tags[0].Type != TypeMention || o.Tags[0].Href != "http://localtesting.pleroma.lol/users/lain" {
				t.Errorf("tags = %+v", o.Tags)
			}
			if o.RepliesID != "http://mastodon.example.org/users/admin/statuses/99512778738411822/replies" {
				t.Errorf("replies = %q", o.RepliesID)
			}
			if !a.Published.Equal(time.Date(2018, 2, 12, 14, 8, 20, 0, time.UTC)) {
				t.Errorf("published = %v", a.Published)
			}
		}},
		{"activitypub/mastodon/undo-follow.json", func(t *testing.T, a *Activity) {
			if a.Inner == nil || a.Inner.Type != TypeFollow || a.Inner.ObjectID == "" || a.Inner.Actor != a.Actor {
				t.Errorf("inner = %+v", a.Inner)
			}
		}},
		{"activitypub/lemmy/accept-follow.json", func(t *testing.T, a *Activity) {
			if a.Inner == nil || a.Inner.Type != TypeFollow || a.ObjectID != a.Inner.ID {
				t.Errorf("inner = %+v", a.Inner)
			}
		}},
		{"activitypub/lemmy/announce-create-page.json", func(t *testing.T, a *Activity) {
			in := a.Inner
			if in == nil || in.Type != TypeCreate || in.Object == nil || in.Object.Type != TypePage {
				t.Fatalf("announce of create of page not mapped: %+v", in)
			}
		}},
		{"activitypub/mastodon/update-person.json", func(t *testing.T, a *Activity) {
			if a.ObjectActor == nil || a.ObjectActor.Name != "gargle" || len(a.ObjectActor.Fields) != 2 {
				t.Errorf("actor = %+v", a.ObjectActor)
			}
		}},
		{"activitypub/mastodon/delete-tombstone.json", func(t *testing.T, a *Activity) {
			if a.Object == nil || a.Object.Type != TypeTombstone || a.ObjectID != a.Object.ID {
				t.Errorf("tombstone = %+v", a.Object)
			}
		}},
		{"activitypub/mastodon/move-docs-example.json", func(t *testing.T, a *Activity) {
			if a.Type != TypeMove || a.ObjectID != a.Actor || a.Target != "https://alice.com/users/109835986274379" {
				t.Errorf("move = %+v", a)
			}
		}},
		{"activitypub/mastodon/flag.json", func(t *testing.T, a *Activity) {
			if len(a.ObjectIDs) != 3 || a.ObjectID != a.ObjectIDs[0] {
				t.Errorf("objects = %v", a.ObjectIDs)
			}
		}},
		{"activitypub/pleroma/emoji-react.json", func(t *testing.T, a *Activity) {
			// Unknown to go-fed, kept as it is.
			if a.Type != TypeEmojiReact || a.Raw["content"] == nil {
				t.Errorf("emoji react = %q %v", a.Type, a.Raw["content"])
			}
		}},
		{"activitypub/pleroma/create-chat-message.json", func(t *testing.T, a *Activity) {
			o := a.Object
			if o == nil || o.Type != "ChatMessage" || strings.Contains(o.ContentHTML, "alert") {
				t.Errorf("chat message = %+v", o)
			}
		}},
		{"activitypub/mastodon/create-question-poll.json", func(t *testing.T, a *Activity) {
			o := a.Object
			if o == nil || len(o.Options) != 4 || o.Options[1].Votes != 1 || o.EndTime.IsZero() {
				t.Errorf("poll = %+v", o)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			a, err := ParseActivity(readFixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, a)
		})
	}
}

func TestParseCollectionFixtures(t *testing.T) {
	c, err := ParseCollection(readFixture(t, "activitypub/mastodon/collection-followers-page.json"))
	if err != nil {
		t.Fatal(err)
	}
	if c.TotalItems != 437 || c.Next == "" || c.PartOf == "" || len(c.ItemIDs) != 12 || c.ItemIDs[0] != "https://testing.uguu.ltd/users/rin" {
		t.Errorf("page = %+v", c)
	}
	c, err = ParseCollection(readFixture(t, "activitypub/mobilizon/collection-members.json"))
	if err != nil {
		t.Fatal(err)
	}
	if c.First != "http://mobilizon.test/@demo/members?page=1" || len(c.Items) != 2 {
		t.Errorf("first page not read through: %+v", c)
	}
}
