package feed

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"roost/federation/vocab"
)

// settableClock is a clock a test moves by hand.
type settableClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *settableClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *settableClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newPollSite(t *testing.T, following ...string) (*testSite, *settableClock) {
	t.Helper()
	clock := &settableClock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	set := &followSet{ids: map[string]bool{}}
	for _, id := range following {
		set.ids[id] = true
	}
	return newTestSite(t, func(c *Config) { c.Now, c.Follows = clock.now, set.follows }), clock
}

func pollNote(multiple bool) NoteInput {
	return NoteInput{Text: "Which first?", Poll: &PollInput{Options: []string{"Kale", "Leeks", "Beans"},
		ExpiresIn: time.Hour, Multiple: multiple}}
}

func TestCreatePollPublishesQuestion(t *testing.T) {
	s, _ := newPollSite(t)
	n := s.mustCreate(t, pollNote(false))
	got := s.pub.all()
	if len(got) != 1 {
		t.Fatalf("published %d activities", len(got))
	}
	obj := got[0].activity.Object.(map[string]any)
	if obj["type"] != vocab.TypeQuestion || obj["endTime"] != "2025-03-01T13:00:00Z" {
		t.Errorf("object = %v", obj)
	}
	options, ok := obj["oneOf"].([]any)
	if !ok || len(options) != 3 || options[1].(map[string]any)["name"] != "Leeks" {
		t.Errorf("oneOf = %#v", obj["oneOf"])
	}
	if _, ok := obj["anyOf"]; ok {
		t.Error("a single-choice poll has anyOf")
	}
	stored, err := s.feed.Get(context.Background(), n.ID)
	if err != nil || stored.Poll == nil || len(stored.Poll.Options) != 3 || stored.Poll.Multiple {
		t.Fatalf("stored poll = %+v, %v", stored.Poll, err)
	}
}

func TestCreatePollValidates(t *testing.T) {
	long := "012345678901234567890123456789012345678901234567890"
	tests := []struct {
		name string
		edit func(*NoteInput)
	}{
		{"one option", func(in *NoteInput) { in.Poll.Options = in.Poll.Options[:1] }},
		{"five options", func(in *NoteInput) { in.Poll.Options = []string{"a", "b", "c", "d", "e"} }},
		{"long option", func(in *NoteInput) { in.Poll.Options[0] = long }},
		{"duplicate", func(in *NoteInput) { in.Poll.Options[1] = "Kale" }},
		{"too soon", func(in *NoteInput) { in.Poll.ExpiresIn = time.Minute }},
		{"too late", func(in *NoteInput) { in.Poll.ExpiresIn = 8 * 24 * time.Hour }},
		{"with media", func(in *NoteInput) { in.Media = []Media{{URL: testBase + "/media/a.gif"}} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newPollSite(t)
			in := pollNote(false)
			tt.edit(&in)
			_, err := s.feed.Create(context.Background(), in)
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Errorf("err = %v, want a validation error", err)
			}
		})
	}
}

func voteNote(id, voter, poll, choice string) *vocab.Object {
	return &vocab.Object{ID: id, Type: vocab.TypeNote, AttributedTo: voter, Name: choice, InReplyTo: poll,
		To: []string{testActor}}
}

func TestRemoteVotesCountOnce(t *testing.T) {
	tests := []struct {
		name     string
		multiple bool
		votes    [][2]string // voter, choice
		want     []int
		voters   int
	}{
		{"single choice", false, [][2]string{{"bob", "Kale"}, {"bob", "Kale"}, {"bob", "Leeks"}, {"carol", "Leeks"}}, []int{1, 1, 0}, 2},
		{"multiple choice", true, [][2]string{{"bob", "Kale"}, {"bob", "Kale"}, {"bob", "Leeks"}, {"carol", "Leeks"}}, []int{1, 2, 0}, 2},
		{"unknown option", false, [][2]string{{"bob", "Turnips"}}, []int{0, 0, 0}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newPollSite(t, "https://bob.test/actor")
			n := s.mustCreate(t, pollNote(tt.multiple))
			for i, v := range tt.votes {
				voter := "https://" + v[0] + ".test/actor"
				mustCreated(t, s, voteNote(voter+"/votes/"+string(rune('a'+i)), voter, n.URL, v[1]), actor(voter, v[0]))
			}
			poll, err := s.feed.Poll(context.Background(), n.ID)
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range tt.want {
				if poll.Options[i].Votes != want {
					t.Errorf("option %d votes = %d, want %d", i, poll.Options[i].Votes, want)
				}
			}
			if poll.VotersCount != tt.voters {
				t.Errorf("voters = %d, want %d", poll.VotersCount, tt.voters)
			}
			if storedCount(t, s) != 0 {
				t.Error("a vote was stored as a post")
			}
			if got, _ := s.feed.Get(context.Background(), n.ID); got.Replies != 0 {
				t.Errorf("replies = %d", got.Replies)
			}
		})
	}
}

func TestRemoteVoteUpdatesFollowers(t *testing.T) {
	s, _ := newPollSite(t)
	n := s.mustCreate(t, pollNote(false))
	mustCreated(t, s, voteNote("https://bob.test/v/1", "https://bob.test/actor", n.URL, "Beans"), actor("https://bob.test/actor", "bob"))
	mustCreated(t, s, voteNote("https://carol.test/v/1", "https://carol.test/actor", n.URL, "Beans"), actor("https://carol.test/actor", "carol"))
	before := len(s.pub.all())
	// Votes are sent on to followers at the next tick, once for all of them.
	if err := s.feed.ClosePolls(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := s.pub.all()
	if len(got) != before+1 {
		t.Fatalf("the tick sent %d activities, want one Update for two votes", len(got)-before)
	}
	last := got[len(got)-1]
	obj, _ := last.activity.Object.(map[string]any)
	if last.activity.Type != vocab.TypeUpdate || obj["type"] != vocab.TypeQuestion || !last.audience.Followers {
		t.Fatalf("last activity = %+v", last.activity)
	}
	option := obj["oneOf"].([]any)[2].(map[string]any)
	if total := option["replies"].(map[string]any)["totalItems"]; total == nil || total.(interface{ String() string }).String() != "2" {
		t.Errorf("option = %v", option)
	}
}

func TestVoteOnClosedPollIsDropped(t *testing.T) {
	s, clock := newPollSite(t)
	n := s.mustCreate(t, pollNote(false))
	clock.add(2 * time.Hour)
	mustCreated(t, s, voteNote("https://bob.test/v/1", "https://bob.test/actor", n.URL, "Kale"), actor("https://bob.test/actor", "bob"))
	poll, _ := s.feed.Poll(context.Background(), n.ID)
	if poll.Votes() != 0 || storedCount(t, s) != 0 {
		t.Errorf("votes = %d, stored %d", poll.Votes(), storedCount(t, s))
	}
}

func remoteQuestion(end time.Time, votes ...int) *vocab.Object {
	q := publicNote("https://bob.test/q/1", "https://bob.test/actor", "<p>Tea or coffee?</p>", 5)
	q.Type, q.EndTime, q.VotersCount = vocab.TypeQuestion, end, 3
	for i, name := range []string{"Tea", "Coffee"} {
		q.Options = append(q.Options, vocab.PollOption{Name: name, Votes: votes[i]})
	}
	return q
}

func TestRemoteQuestionStoredAndRefreshed(t *testing.T) {
	s, clock := newPollSite(t, "https://bob.test/actor")
	bob := actor("https://bob.test/actor", "bob")
	mustCreated(t, s, remoteQuestion(clock.now().Add(time.Hour), 1, 2), bob)
	p, err := s.feed.PostByObjectID(context.Background(), "https://bob.test/q/1")
	if err != nil || p.Poll == nil || len(p.Poll.Options) != 2 || p.Poll.Options[1].Votes != 2 || p.Poll.VotersCount != 3 {
		t.Fatalf("post poll = %+v, %v", p.Poll, err)
	}
	if err := s.feed.PostUpdated(context.Background(), remoteQuestion(clock.now().Add(time.Hour), 4, 2), bob); err != nil {
		t.Fatal(err)
	}
	p, _ = s.feed.PostByObjectID(context.Background(), "https://bob.test/q/1")
	if p.Poll.Options[0].Votes != 4 {
		t.Errorf("after update options = %+v", p.Poll.Options)
	}
	if edits, _ := s.feed.PostEdits(context.Background(), p.ID); len(edits) != 0 {
		t.Errorf("a count update made %d edits", len(edits))
	}
	entries, err := s.feed.Timeline(context.Background(), 10, 0, 0)
	if err != nil || len(entries) != 1 || entries[0].Post.Poll == nil {
		t.Errorf("timeline = %+v, %v", entries, err)
	}
}

func TestOwnerVotesInRemotePoll(t *testing.T) {
	s, clock := newPollSite(t, "https://bob.test/actor")
	mustCreated(t, s, remoteQuestion(clock.now().Add(time.Hour), 1, 2), actor("https://bob.test/actor", "bob"))
	p, _ := s.feed.PostByObjectID(context.Background(), "https://bob.test/q/1")
	poll, err := s.feed.Vote(context.Background(), p.ID, []int{1})
	if err != nil {
		t.Fatal(err)
	}
	if !poll.Voted() || poll.Options[1].Votes != 3 {
		t.Errorf("poll = %+v", poll)
	}
	got := s.pub.all()
	if len(got) != 1 {
		t.Fatalf("published %d", len(got))
	}
	a := got[0]
	obj := a.activity.Object.(map[string]any)
	if a.activity.Type != vocab.TypeCreate || obj["name"] != "Coffee" || obj["inReplyTo"] != "https://bob.test/q/1" ||
		a.audience.Followers || len(a.audience.Actors) != 1 || a.audience.Actors[0] != "https://bob.test/actor" {
		t.Errorf("vote = %+v %v", a, obj)
	}
	var ve *ValidationError
	if _, err := s.feed.Vote(context.Background(), p.ID, []int{0}); !errors.As(err, &ve) {
		t.Errorf("second vote: %v", err)
	}
	clock.add(2 * time.Hour)
	if _, err := s.feed.Vote(context.Background(), p.ID, []int{0}); !errors.Is(err, ErrPollClosed) {
		t.Errorf("vote after the end: %v", err)
	}
}

func TestClosePollsNotifiesOnce(t *testing.T) {
	s, clock := newPollSite(t)
	s.mustCreate(t, pollNote(false))
	ctx := context.Background()
	if err := s.feed.ClosePolls(ctx); err != nil {
		t.Fatal(err)
	}
	clock.add(2 * time.Hour)
	for range 2 {
		if err := s.feed.ClosePolls(ctx); err != nil {
			t.Fatal(err)
		}
	}
	list, err := s.feed.Notifications(ctx, 10, 0, []string{NotifyPoll})
	if err != nil || len(list) != 1 {
		t.Errorf("poll notifications = %+v, %v", list, err)
	}
}
