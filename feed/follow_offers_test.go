package feed

import (
	"context"
	"net/url"
	"testing"
)

// countingFollows answers Config.Follows and counts the questions by actor.
type countingFollows struct {
	set   *followSet
	asked map[string]int
}

func (c *countingFollows) follows(ctx context.Context, id string) bool {
	c.asked[id]++
	return c.set.follows(ctx, id)
}

func TestFollowButtons(t *testing.T) {
	ctx := context.Background()
	set := &followSet{ids: map[string]bool{bobID: true, carolID: true, feedURL: true}}
	counter := &countingFollows{set: set, asked: map[string]int{}}
	s := newTestSite(t, func(c *Config) { c.Follows = counter.follows })

	bobPost := publicNote("https://remote.test/notes/1", bobID, "<p>bob</p>", 1)
	carolPost := publicNote("https://other.test/notes/1", carolID, "<p>carol</p>", 2)
	carolAgain := publicNote("https://other.test/notes/2", carolID, "<p>carol again</p>", 3)
	carolReply := publicNote("https://other.test/notes/3", carolID, "<p>carol answers</p>", 4)
	carolReply.InReplyTo = bobPost.ID
	mustCreated(t, s, bobPost, actor(bobID, "Bob"))
	mustCreated(t, s, carolPost, actor(carolID, "Carol"))
	mustCreated(t, s, carolAgain, actor(carolID, "Carol"))
	mustCreated(t, s, carolReply, actor(carolID, "Carol"))
	item := feedArticle("https://www.example.com/?p=1", "On gardens", 5)
	if err := s.feed.StoreFeedItem(ctx, item, feedSite()); err != nil {
		t.Fatal(err)
	}
	own := s.mustCreate(t, NoteInput{Text: "mine", Visibility: VisibilityPublic})
	// The owner stops following Carol (and the web feed, whose items stay);
	// her posts stay on the timeline.
	set.mu.Lock()
	delete(set.ids, carolID)
	delete(set.ids, feedURL)
	set.mu.Unlock()
	clear(counter.asked)

	doc := parseHTML(t, s.do(t, "GET", "/home", nil, true))
	cases := []struct {
		name, object string
		want         bool
	}{
		{"unfollowed author", carolPost.ID, true},
		{"followed author", bobPost.ID, false},
		{"web-feed item", FeedItemID(feedURL, item.ID), false},
		{"own note", own.URL, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := postByObject(doc, c.object)
			if p.Length() != 1 {
				t.Fatalf("post %s not on /home", c.object)
			}
			if got := p.Find(`form[data-testid="follow"]`).Length() == 1; got != c.want {
				t.Errorf("follow button %v, want %v", got, c.want)
			}
		})
	}
	form := postByObject(doc, carolPost.ID).Find(`form[data-testid="follow"]`)
	if form.AttrOr("action", "") != "/contacts/follow" || form.AttrOr("method", "") != "post" ||
		form.Find(`input[name="handle"]`).AttrOr("value", "") != carolID || form.Find("button").Text() != "Follow" {
		t.Errorf("follow form: action %q, handle %q", form.AttrOr("action", ""), form.Find(`input[name="handle"]`).AttrOr("value", ""))
	}
	// Carol has three posts on the page: the contacts room is asked once.
	if counter.asked[carolID] != 1 || counter.asked[bobID] != 1 || counter.asked[feedURL] != 0 || counter.asked[testActor] != 0 {
		t.Errorf("follows asked %v", counter.asked)
	}

	thread := parseHTML(t, s.do(t, "GET", "/home/thread?"+url.Values{"object": {bobPost.ID}}.Encode(), nil, true))
	if n := thread.Find(`[data-testid="focus"] form[data-testid="follow"]`).Length(); n != 0 {
		t.Error("the thread offers to follow Bob, who is followed")
	}
	reply := thread.Find(`[data-testid="replies"] [data-object="` + carolReply.ID + `"]`)
	if reply.Find(`form[data-testid="follow"] input[name="handle"]`).AttrOr("value", "") != carolID {
		t.Error("the thread does not offer to follow Carol on her reply")
	}
	focus := parseHTML(t, s.do(t, "GET", "/home/thread?"+url.Values{"object": {carolPost.ID}}.Encode(), nil, true))
	if focus.Find(`[data-testid="focus"] form[data-testid="follow"]`).Length() != 1 {
		t.Error("the thread of Carol's post does not offer to follow her")
	}
}
