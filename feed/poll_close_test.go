package feed

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"roost/federation/vocab"
)

// When the owner's poll ends, its Question goes out once more, closed,
// with the final counts, to followers and to each voter.
func TestClosedPollIsPublishedToFollowersAndVoters(t *testing.T) {
	s, clock := newPollSite(t)
	n := s.mustCreate(t, pollNote(true))
	for _, v := range [][2]string{{"bob", "Kale"}, {"bob", "Beans"}, {"carol", "Beans"}} {
		voter := "https://" + v[0] + ".test/actor"
		mustCreated(t, s, voteNote(voter+"/v/"+v[1], voter, n.URL, v[1]), actor(voter, v[0]))
	}
	ctx := context.Background()
	if err := s.feed.ClosePolls(ctx); err != nil { // sends the counts of the votes
		t.Fatal(err)
	}
	before := len(s.pub.all())
	clock.add(2 * time.Hour)
	for range 2 {
		if err := s.feed.ClosePolls(ctx); err != nil {
			t.Fatal(err)
		}
	}
	got := s.pub.all()[before:]
	if len(got) != 1 {
		t.Fatalf("the end sent %d activities, want one", len(got))
	}
	a := got[0]
	obj, _ := a.activity.Object.(map[string]any)
	if a.activity.Type != vocab.TypeUpdate || obj["type"] != vocab.TypeQuestion || obj["closed"] != "2025-03-01T13:00:00Z" {
		t.Errorf("closing activity %s of %v closed %v", a.activity.Type, obj["type"], obj["closed"])
	}
	if !a.audience.Followers || !slices.Equal(a.audience.Actors, []string{"https://bob.test/actor", "https://carol.test/actor"}) {
		t.Errorf("audience = %+v, want followers and both voters", a.audience)
	}
	beans := obj["anyOf"].([]any)[2].(map[string]any)["replies"].(map[string]any)["totalItems"]
	if beans == nil || beans.(interface{ String() string }).String() != "2" {
		t.Errorf("final count of Beans = %v, want 2", beans)
	}
}

// An Update that closes someone else's poll before its end time ends it
// here too: the owner can no longer vote.
func TestRemotePollClosedEarly(t *testing.T) {
	s, clock := newPollSite(t, "https://bob.test/actor")
	bob := actor("https://bob.test/actor", "bob")
	mustCreated(t, s, remoteQuestion(clock.now().Add(time.Hour), 1, 2), bob)
	closed := remoteQuestion(clock.now().Add(time.Hour), 1, 2)
	closed.Closed = clock.now().Add(-time.Minute)
	if err := s.feed.PostUpdated(context.Background(), closed, bob); err != nil {
		t.Fatal(err)
	}
	p, _ := s.feed.PostByObjectID(context.Background(), "https://bob.test/q/1")
	if p.Poll == nil || !p.Poll.Expired(clock.now()) {
		t.Fatalf("poll = %+v, want it ended", p.Poll)
	}
	if _, err := s.feed.Vote(context.Background(), p.ID, []int{0}); !errors.Is(err, ErrPollClosed) {
		t.Errorf("vote in the closed poll: %v", err)
	}
}
