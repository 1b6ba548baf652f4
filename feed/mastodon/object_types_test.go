package mastodon

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"roost/federation/vocab"
)

// TestStatusKeepsAuthorTypeAndConvertedText: a video from a Service
// (a bot) and a named post from a Group that mention the owner read back
// with bot and group set, the video with its title, text and link, the
// named note with its own text rather than a title and a link; a mention
// written without a host takes the host of the account it links to.
func TestStatusKeepsAuthorTypeAndConvertedText(t *testing.T) {
	ta := newTestAPI(t, false)
	ta.api.cfg.Remote = FeedRemote(ta.feed)
	ctx := context.Background()
	mention := []vocab.Tag{{Type: vocab.TypeMention, Href: testBase + "/actor", Name: "@alice.test@alice.test"}}
	botActor := &vocab.Actor{ID: "https://tube.test/accounts/bot", Type: vocab.TypeService,
		PreferredUsername: "bot", Name: "Tube bot"}
	groupActor := &vocab.Actor{ID: "https://social.test/groups/g", Type: vocab.TypeGroup,
		PreferredUsername: "g", Name: "A group"}
	video := &vocab.Object{ID: "https://tube.test/videos/1", Type: vocab.TypeVideo, AttributedTo: botActor.ID,
		Name: "A talk", ContentHTML: "<p>About federation.</p>", URL: "https://tube.test/w/1",
		To:   []string{vocab.Public, testBase + "/actor"},
		Tags: append([]vocab.Tag{{Type: vocab.TypeMention, Href: "https://carol.test/users/carol", Name: "@carol"}}, mention...)}
	named := &vocab.Object{ID: "https://social.test/posts/2", Type: vocab.TypeNote, AttributedTo: groupActor.ID,
		Name: "Heading", ContentHTML: "<p>The whole post text.</p>",
		To: []string{vocab.Public, testBase + "/actor"}, Tags: mention}
	for _, c := range []struct {
		obj  *vocab.Object
		from *vocab.Actor
	}{{video, botActor}, {named, groupActor}} {
		if err := ta.feed.PostCreated(ctx, c.obj, c.from); err != nil {
			t.Fatal(err)
		}
	}
	status := func(objectID string) (out struct {
		Content  string
		Account  struct{ Bot, Group bool }
		Mentions []struct{ Acct string }
	}) {
		p, err := ta.feed.PostByObjectID(ctx, objectID)
		if err != nil {
			t.Fatal(err)
		}
		ta.do(t, "GET", "/api/v1/statuses/"+strconv.FormatInt(p.ID, 10), ta.token, nil, 200, &out)
		return out
	}
	v := status(video.ID)
	if !v.Account.Bot || v.Account.Group {
		t.Errorf("video author: bot %v group %v, want a bot", v.Account.Bot, v.Account.Group)
	}
	for _, want := range []string{"<p><strong>A talk</strong></p>", "About federation.", `href="https://tube.test/w/1"`} {
		if !strings.Contains(v.Content, want) {
			t.Errorf("video content %q lacks %q", v.Content, want)
		}
	}
	if len(v.Mentions) == 0 || v.Mentions[0].Acct != "carol@carol.test" {
		t.Errorf("mention without a host: %+v, want carol@carol.test", v.Mentions)
	}
	n := status(named.ID)
	if !n.Account.Group || n.Account.Bot {
		t.Errorf("group author: bot %v group %v, want a group", n.Account.Bot, n.Account.Group)
	}
	if !strings.Contains(n.Content, "The whole post text.") {
		t.Errorf("named note lost its text: %q", n.Content)
	}
}
