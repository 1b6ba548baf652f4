package vocab

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestActorLimits: a hostile actor document with endless fields, aliases
// and a huge bio is cut to what a real profile holds, and its names are
// plain text a person can read.
func TestActorLimits(t *testing.T) {
	var fields, aliases []any
	for i := range 1000 {
		fields = append(fields, map[string]any{"type": TypePropertyValue, "name": fmt.Sprintf("\u202ename %d\n", i),
			"value": "<ul><li>" + strings.Repeat("x", 5000)})
		aliases = append(aliases, fmt.Sprintf("https://evil.test/users/a%d", i))
	}
	a, err := ParseActor(mustJSON(t, map[string]any{
		"id": "https://evil.test/users/m", "type": TypePerson, "inbox": "https://evil.test/inbox",
		"preferredUsername": "m allory", "webfinger": "acct:mallory@evil.test/../x",
		"name": "\u2066Mallory\u2069\r\n\x00" + strings.Repeat("y", 1000), "summary": "<p>" + strings.Repeat("bio ", 100_000),
		"url": "https://evil.test/" + strings.Repeat("u", 5000), "attachment": fields, "alsoKnownAs": aliases,
	}))
	if err != nil {
		t.Fatal(err)
	}
	if a.PreferredUsername != "" || a.Webfinger != "" || a.URL != "" {
		t.Errorf("username %q, webfinger %q, url of %d bytes kept", a.PreferredUsername, a.Webfinger, len(a.URL))
	}
	if !strings.HasPrefix(a.Name, "Mallory  yy") || len([]rune(a.Name)) != maxDisplayNameChars {
		t.Errorf("name %q (%d characters)", a.Name[:20], len([]rune(a.Name)))
	}
	if len(a.Fields) != maxFields || a.Fields[0].Name != "name 0" || len(a.Fields[0].ValueHTML) > maxFieldValueBytes+20 ||
		!strings.HasSuffix(a.Fields[0].ValueHTML, "</li></ul>") {
		t.Errorf("%d fields, first %q with a value of %d bytes", len(a.Fields), a.Fields[0].Name, len(a.Fields[0].ValueHTML))
	}
	if len(a.SummaryHTML) > maxBioBytes+10 || !strings.HasSuffix(a.SummaryHTML, "</p>") || len(a.AlsoKnownAs) != maxAlsoKnownAs {
		t.Errorf("bio of %d bytes, %d aliases", len(a.SummaryHTML), len(a.AlsoKnownAs))
	}
}

func TestRemoteNames(t *testing.T) {
	tests := []struct {
		name  string
		valid func(string) bool
		in    string
		want  bool
	}{
		{"username", ValidUsername, "gargron", true},
		{"username with dots and dashes", ValidUsername, "the.mighty-zork_2", true},
		{"username ending in a dot", ValidUsername, "bob.", false},
		{"username with markup", ValidUsername, "<b>bob</b>", false},
		{"username with a space", ValidUsername, "bob smith", false},
		{"username with an override", ValidUsername, "bob\u202e", false},
		{"domain as username", ValidUsername, "alice.com", true},
		{"handle", validHandle, "bob@social.example:8443", true},
		{"handle with a path", validHandle, "bob@evil.test/x", false},
		{"hashtag", validHashtag, "Fediverse", true},
		{"hashtag in Japanese", validHashtag, "日本語", true},
		{"hashtag with digits", validHashtag, "web3", true},
		{"hashtag of digits", validHashtag, "2025", false},
		{"hashtag with markup", validHashtag, "<script>", false},
		{"hashtag with a space", validHashtag, "two words", false},
		{"mention", validMention, "@bob@social.example", true},
		{"local mention", validMention, "@bob", true},
		{"mention with markup", validMention, `@bob@x"><img>`, false},
		{"emoji", validEmoji, ":blobcat:", true},
		{"emoji with markup", validEmoji, ":<b>:", false},
	}
	for _, tt := range tests {
		if got := tt.valid(tt.in); got != tt.want {
			t.Errorf("%s %q: %v, want %v", tt.name, tt.in, got, tt.want)
		}
	}
}

// TestObjectLimits: tags of each kind, attachments, recipients and poll
// options are capped, and invalid tag names are dropped.
func TestObjectLimits(t *testing.T) {
	var tags, media, options, to []any
	for i := range 500 {
		tags = append(tags,
			map[string]any{"type": TypeHashtag, "name": fmt.Sprintf("#t%d", i)},
			map[string]any{"type": TypeMention, "name": fmt.Sprintf("@u%d@x.test", i), "href": fmt.Sprintf("https://x.test/u/%d", i)},
			map[string]any{"type": TypeEmoji, "name": fmt.Sprintf(":e%d:", i), "icon": map[string]any{"url": "https://x.test/e.png"}})
		media = append(media, map[string]any{"type": "Image", "url": fmt.Sprintf("https://x.test/%d.png", i), "name": "alt\u202e"})
		options = append(options, map[string]any{"type": TypeNote, "name": fmt.Sprintf("o%d", i)})
		to = append(to, fmt.Sprintf("https://x.test/users/%d", i))
	}
	tags = append([]any{
		map[string]any{"type": TypeHashtag, "name": "#<b>x</b>"},
		map[string]any{"type": TypeEmoji, "name": ":a b:"},
		map[string]any{"type": TypeMention, "name": "@<b>", "href": "https://x.test/u/b"},
	}, tags...)
	o, err := ParseObject(mustJSON(t, map[string]any{
		"id": "https://x.test/q/1", "type": TypeQuestion, "attributedTo": "https://x.test/users/1",
		"name": "Title\u202e", "summary": strings.Repeat("cw ", 10_000), "tag": tags, "attachment": media, "oneOf": options,
		"to": to, "cc": append(to, Public),
	}))
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, tag := range o.Tags {
		count[tag.Type]++
	}
	if count[TypeHashtag] != maxHashtags || count[TypeMention] != maxMentions || count[TypeEmoji] != maxEmojis {
		t.Errorf("tags kept %v", count)
	}
	if o.Tags[0].Type != TypeMention || o.Tags[0].Name != "" || o.Tags[0].Href != "https://x.test/u/b" {
		t.Errorf("first tag %+v, want the mention with markup kept by its href only", o.Tags[0])
	}
	if len(o.Attachments) != maxAttachments || o.Attachments[0].Name != "alt" || len(o.Options) != maxPollOptions {
		t.Errorf("%d attachments (alt %q), %d options", len(o.Attachments), o.Attachments[0].Name, len(o.Options))
	}
	if !slices.ContainsFunc(o.Cc, IsPublic) {
		t.Error("cutting cc made a public post private")
	}
	if len(o.To) != maxRecipients || len(o.Cc) != maxRecipients || o.Name != "Title" || len([]rune(o.SummaryText)) > maxSummaryChars {
		t.Errorf("to %d, cc %d, name %q, summary of %d characters", len(o.To), len(o.Cc), o.Name, len([]rune(o.SummaryText)))
	}
}
