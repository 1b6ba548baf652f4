package federation

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"roost/federation/vocab"
)

// profileRecorder is a ProfileHandler that keeps what it is handed.
type profileRecorder struct {
	mu     sync.Mutex
	actors []vocab.Actor
}

func (p *profileRecorder) ActorUpdated(_ context.Context, a *vocab.Actor) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.actors = append(p.actors, *a)
	return nil
}

func (p *profileRecorder) got() []vocab.Actor {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]vocab.Actor(nil), p.actors...)
}

func TestUpdateOfAnActorReachesTheRooms(t *testing.T) {
	ctx := context.Background()
	f := newInboxFixture(t)
	carol := newPeer(t, f.network, "carol.test")
	carolID := carol.addActor("carol", testKey(t, 2))
	profiles := &profileRecorder{}
	f.site.SetProfileHandler(profiles)
	b := f.bobID
	if _, err := f.site.FetchActor(ctx, b, false); err != nil {
		t.Fatal(err)
	}
	start := len(profiles.got())

	// Bob moves to a new inbox, without a shared one, and renames himself.
	f.bob.setActorField("bob", "name", "Bob Renamed")
	f.bob.setActorField("bob", "inbox", b+"/new-inbox")
	f.bob.setActorField("bob", "endpoints", map[string]any{})
	update := func(id string, object any) {
		t.Helper()
		w := f.post(t, map[string]any{"@context": vocab.ContextAS, "id": id, "type": vocab.TypeUpdate, "actor": b, "object": object})
		if w.Code != http.StatusAccepted {
			t.Fatalf("update %s: %d %s", id, w.Code, w.Body)
		}
	}
	// The embedded document is not what counts: bob's server is asked.
	update(b+"/updates/1", map[string]any{"id": b, "type": vocab.TypePerson, "name": "Forged", "inbox": "http://evil.test/inbox"})
	got := profiles.got()[start:]
	if len(got) != 1 || got[0].ID != b || got[0].Name != "Bob Renamed" || got[0].Inbox != b+"/new-inbox" || got[0].SharedInbox != "" {
		t.Fatalf("profile handler got %+v", got)
	}
	// Some servers name the actor by IRI only; the rooms hear of it even
	// though the stored document is already the new one.
	update(b+"/updates/2", b)
	// An Update of someone else's actor is nobody's news.
	update(b+"/updates/3", map[string]any{"id": carolID, "type": vocab.TypePerson, "inbox": carolID + "/inbox"})
	if got := profiles.got()[start:]; len(got) != 2 || got[1].Name != "Bob Renamed" {
		t.Fatalf("after an Update by IRI and one of another actor: %+v", got)
	}
	a, err := f.site.FetchActor(ctx, b, false)
	if err != nil || a.Inbox != b+"/new-inbox" {
		t.Errorf("cached actor %+v (%v), want the new inbox", a, err)
	}
}

func TestRefetchOfAChangedActorReachesTheRooms(t *testing.T) {
	ctx := context.Background()
	f := newInboxFixture(t)
	profiles := &profileRecorder{}
	f.site.SetProfileHandler(profiles)
	b := f.bobID
	if _, err := f.site.FetchActor(ctx, b, false); err != nil {
		t.Fatal(err)
	}
	start := len(profiles.got())
	if _, err := f.site.FetchActor(ctx, b, true); err != nil {
		t.Fatal(err)
	}
	if got := profiles.got()[start:]; len(got) != 0 {
		t.Errorf("an unchanged document was handed on: %+v", got)
	}
	f.bob.setActorField("bob", "inbox", b+"/moved-inbox")
	if _, err := f.site.FetchActor(ctx, b, true); err != nil {
		t.Fatal(err)
	}
	if got := profiles.got()[start:]; len(got) != 1 || got[0].Inbox != b+"/moved-inbox" {
		t.Errorf("after a refetch of a changed document: %+v", got)
	}
}
