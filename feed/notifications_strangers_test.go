package feed

import (
	"fmt"
	"testing"

	"roost/federation/vocab"
)

// mentionOfOwner is a public note by author that mentions the owner.
func mentionOfOwner(id, author string) *vocab.Object {
	n := publicNote(id, author, "<p>@alice hello</p>", 0)
	n.Tags = []vocab.Tag{{Type: vocab.TypeMention, Name: "@alice.test@alice.test", Href: testActor}}
	return n
}

// countNotifications counts the notifications by "type actor".
func countNotifications(t *testing.T, s *testSite) map[string]int {
	t.Helper()
	count := map[string]int{}
	for _, n := range notificationsOf(t, s) {
		count[n.Type+" "+n.Actor.ActorID]++
	}
	return count
}

// A stranger mentioning the owner again and again makes a few
// notifications, not one each; someone the owner follows makes one each.
func TestStrangerFloodIsCollapsed(t *testing.T) {
	s := newRemoteSite(t, carolID)
	for i := range 100 {
		mustCreated(t, s, mentionOfOwner(fmt.Sprintf("https://remote.test/notes/flood-%d", i), bobID), actor(bobID, "bob"))
	}
	for i := range 8 {
		mustCreated(t, s, mentionOfOwner(fmt.Sprintf("https://other.test/notes/%d", i), carolID), actor(carolID, "carol"))
	}
	count := countNotifications(t, s)
	if got := count[NotifyMention+" "+bobID]; got != strangerNotifyMax {
		t.Errorf("100 mentions by a stranger made %d notifications, want %d", got, strangerNotifyMax)
	}
	if got := count[NotifyMention+" "+carolID]; got != 8 {
		t.Errorf("8 mentions by a followed account made %d notifications, want 8", got)
	}
	// A stranger's follow is still told, once.
	if err := s.feed.Notify(t.Context(), Notification{Type: NotifyFollow, Actor: Author{ActorID: bobID}}); err != nil {
		t.Fatal(err)
	}
	if got := countNotifications(t, s)[NotifyFollow+" "+bobID]; got != 1 {
		t.Errorf("a stranger's follow made %d notifications, want 1", got)
	}
}

// With "only from people I follow" on, a stranger's mention is not
// notified; a followed account's is, and so is a stranger's follow.
func TestOnlyFollowedNotify(t *testing.T) {
	set := &followSet{ids: map[string]bool{carolID: true}}
	s := newTestSite(t, func(c *Config) {
		c.Follows = set.follows
		c.OnlyFollowedNotify = func() bool { return true }
	})
	mustCreated(t, s, mentionOfOwner("https://remote.test/notes/1", bobID), actor(bobID, "bob"))
	mustCreated(t, s, mentionOfOwner("https://other.test/notes/1", carolID), actor(carolID, "carol"))
	if err := s.feed.Notify(t.Context(), Notification{Type: NotifyFollow, Actor: Author{ActorID: bobID}}); err != nil {
		t.Fatal(err)
	}
	count := countNotifications(t, s)
	want := map[string]int{NotifyMention + " " + carolID: 1, NotifyFollow + " " + bobID: 1}
	if len(count) != len(want) || count[NotifyMention+" "+carolID] != 1 || count[NotifyFollow+" "+bobID] != 1 {
		t.Errorf("notifications %v, want %v", count, want)
	}
}
