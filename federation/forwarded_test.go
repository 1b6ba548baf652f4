package federation

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"roost/federation/integrity"
	"roost/federation/vocab"
)

// giveProofKey gives bob an Ed25519 assertion key and returns it.
func giveProofKey(t *testing.T, f *inboxFixture) ed25519.PrivateKey {
	t.Helper()
	_, key, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	f.bob.setActorField("bob", "assertionMethod", []any{map[string]any{
		"id": f.bobID + "#ed25519-key", "type": integrity.TypeMultikey, "controller": f.bobID,
		"publicKeyMultibase": integrity.EncodePublicKey(key.Public().(ed25519.PublicKey)),
	}})
	return key
}

// signAs adds an eddsa-jcs-2022 proof by key to an activity.
func signAs(t *testing.T, activity map[string]any, key ed25519.PrivateKey, keyID string) []byte {
	t.Helper()
	doc, err := integrity.Decode(mustJSON(t, activity))
	if err != nil {
		t.Fatal(err)
	}
	signed, err := integrity.Sign(doc, key, keyID, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	body, err := integrity.Encode(signed)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// carolForwards is a third server's actor, carol, who relays bob's
// activities with her own signature.
func carolForwards(t *testing.T, f *inboxFixture) (keyID string) {
	t.Helper()
	carol := newPeer(t, f.network, "carol.test")
	return carol.addActor("carol", testKey(t, 2)) + "#main-key"
}

func createOf(obj map[string]any) map[string]any {
	return map[string]any{"@context": []any{vocab.ContextAS, integrity.ContextDataIntegrity},
		"id": obj["id"].(string) + "/activity", "type": vocab.TypeCreate, "actor": obj["attributedTo"], "object": obj,
		"to": []any{vocab.Public}}
}

func TestForwardedCreateWithProofIsTakenAsItsActors(t *testing.T) {
	f := newInboxFixture(t)
	key := giveProofKey(t, f)
	carolKey := carolForwards(t, f)
	body := signAs(t, createOf(note(f.bobID+"/statuses/7", f.bobID)), key, f.bobID+"#ed25519-key")
	if w := f.postRaw(t, body, carolKey, testKey(t, 2), time.Now()); w.Code != http.StatusAccepted {
		t.Fatalf("forwarded Create with bob's proof: %d %s", w.Code, w.Body)
	}
	f.site.waitInbox(t)
	if got := f.rec.got(); len(got) != 1 || got[0] != "created "+f.bobID+"/statuses/7 by "+f.bobID {
		t.Errorf("handler calls %v", got)
	}
	if n := f.bob.fetches("/users/bob/statuses/7"); n != 0 {
		t.Errorf("the proven object was fetched %d times; the proof vouches for it", n)
	}
}

func TestForgedProofIsRefused(t *testing.T) {
	f := newInboxFixture(t)
	giveProofKey(t, f)
	_, forger, _ := ed25519.GenerateKey(nil)
	create := createOf(note(f.bobID+"/statuses/8", f.bobID))
	cases := map[string][]byte{
		"signed with another key": signAs(t, create, forger, f.bobID+"#ed25519-key"),
		"key on another server":   signAs(t, create, forger, "http://carol.test/users/carol#ed25519-key"),
		"key the actor lacks":     signAs(t, create, forger, f.bobID+"#other-key"),
		"edited after signing": []byte(strings.Replace(string(signAs(t, create, giveProofKey(t, f), f.bobID+"#ed25519-key")),
			"<p>hi</p>", "<p>forged</p>", 1)),
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			// Even bob's own HTTP signature does not carry a bad proof.
			w := f.postRaw(t, body, f.bobID+"#main-key", f.bobKey, time.Now())
			if w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), "object integrity proof does not verify") {
				t.Errorf("status %d %s, want 401 naming the proof", w.Code, w.Body)
			}
		})
	}
	f.site.waitInbox(t)
	if got := f.rec.got(); len(got) != 0 {
		t.Errorf("refused activities reached handlers: %v", got)
	}
}

func TestForwardedCreateWithoutProofBelievesOnlyTheOrigin(t *testing.T) {
	f := newInboxFixture(t)
	carolKey := carolForwards(t, f)
	var served *vocab.Object
	f.site.SetHandlers(f.rec, postsSeen{f.rec, &served}, f.rec, nil, gate{f.rec}, nil)
	real := note(f.bobID+"/statuses/9", f.bobID)
	f.bob.extra.HandleFunc("GET /users/bob/statuses/9", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", vocab.ContentTypeActivity)
		json.NewEncoder(w).Encode(real)
	})
	forged := note(f.bobID+"/statuses/9", f.bobID)
	forged["content"] = "<p>words bob never wrote</p>"
	if w := f.postRaw(t, mustJSON(t, createOf(forged)), carolKey, testKey(t, 2), time.Now()); w.Code != http.StatusAccepted {
		t.Fatalf("forwarded Create: %d %s", w.Code, w.Body)
	}
	f.site.waitInbox(t)
	if served == nil || served.ContentHTML != "<p>hi</p>" {
		t.Fatalf("stored %+v, want the origin's copy", served)
	}

	// An object its origin does not serve is not taken on the forwarder's word.
	missing := note(f.bobID+"/statuses/10", f.bobID)
	served = nil
	if w := f.postRaw(t, mustJSON(t, createOf(missing)), carolKey, testKey(t, 2), time.Now()); w.Code != http.StatusAccepted {
		t.Fatalf("forwarded Create: %d %s", w.Code, w.Body)
	}
	f.site.waitInbox(t)
	if served != nil {
		t.Errorf("an object missing at its origin was stored: %+v", served)
	}

	// One its origin will not show this site is dropped at once, not
	// retried: asking again would get the same answer.
	f.bob.extra.HandleFunc("GET /users/bob/statuses/14", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "followers only", http.StatusForbidden)
	})
	hidden := createOf(note(f.bobID+"/statuses/14", f.bobID))
	if w := f.postRaw(t, mustJSON(t, hidden), carolKey, testKey(t, 2), time.Now()); w.Code != http.StatusAccepted {
		t.Fatalf("forwarded Create: %d %s", w.Code, w.Body)
	}
	f.site.waitInbox(t)
	var state, attempts int
	if err := f.site.cfg.DB.QueryRow(`SELECT state, attempts FROM inbox_queue WHERE dedupe_key = ?`,
		f.bobID+" "+hidden["id"].(string)).Scan(&state, &attempts); err != nil {
		t.Fatal(err)
	}
	if served != nil || state != 1 || attempts != 1 {
		t.Errorf("stored %+v; row state %d after %d attempts, want dropped (1) after one", served, state, attempts)
	}
}

// postsSeen records the object a post handler was given.
type postsSeen struct {
	*recorder
	got **vocab.Object
}

func (p postsSeen) PostCreated(ctx context.Context, o *vocab.Object, a *vocab.Actor) error {
	*p.got = o
	return p.recorder.PostCreated(ctx, o, a)
}

// followers are alice's followers for the forwarding tests: dave on
// dave.test and bob himself.
type followers []string

func (f followers) FollowerInboxes(ctx context.Context) ([]string, error) { return f, nil }
func (f followers) Followers(ctx context.Context, offset, limit int) ([]string, int, error) {
	return nil, 0, nil
}
func (f followers) Following(ctx context.Context, offset, limit int) ([]string, int, error) {
	return nil, 0, nil
}

func TestReplyToOwnersPostIsForwardedToFollowers(t *testing.T) {
	f := newInboxFixture(t)
	dave := newPeer(t, f.network, "dave.test")
	f.site.SetHandlers(f.rec, f.rec, f.rec, followers{"http://dave.test/inbox", "http://bob.test/inbox"}, gate{f.rec}, nil)
	reply := note(f.bobID+"/statuses/11", f.bobID)
	reply["inReplyTo"] = "http://alice.test/notes/1"
	create := createOf(reply)
	create["cc"] = []any{"http://alice.test/actor/followers"}
	body := mustJSON(t, create)
	if w := f.postRaw(t, body, f.bobID+"#main-key", f.bobKey, time.Now()); w.Code != http.StatusAccepted {
		t.Fatalf("reply: %d %s", w.Code, w.Body)
	}
	f.site.waitInbox(t)
	waitFor(t, 5*time.Second, "the forward to dave", func() bool { return len(dave.received()) > 0 })
	got := dave.received()[0]
	if string(got.Body) != string(body) {
		t.Errorf("forwarded body changed:\n got %s\nwant %s", got.Body, body)
	}
	if sig := got.Header.Get("Signature-Input") + got.Header.Get("Signature"); !strings.Contains(sig, `"http://alice.test/actor#main-key"`) {
		t.Errorf("forward signed as %q, want alice's key", sig)
	}
	// A redelivery is not forwarded again, and bob's own server gets none.
	f.postRaw(t, body, f.bobID+"#main-key", f.bobKey, time.Now())
	f.site.waitInbox(t)
	time.Sleep(200 * time.Millisecond)
	if n := len(dave.received()); n != 1 {
		t.Errorf("dave got the reply %d times", n)
	}
	if n := len(f.bob.received()); n != 0 {
		t.Errorf("the reply went back to its own server %d times", n)
	}

	// A post that is no reply to alice, or only for bob's followers, is
	// not forwarded.
	other := note(f.bobID+"/statuses/12", f.bobID)
	other["inReplyTo"] = "http://carol.test/notes/1"
	elsewhere := createOf(other)
	elsewhere["cc"] = []any{"http://alice.test/actor/followers"}
	f.postRaw(t, mustJSON(t, elsewhere), f.bobID+"#main-key", f.bobKey, time.Now())
	private := note(f.bobID+"/statuses/13", f.bobID)
	private["inReplyTo"] = "http://alice.test/notes/1"
	privateCreate := createOf(private)
	privateCreate["to"] = []any{f.bobID + "/followers"}
	f.postRaw(t, mustJSON(t, privateCreate), f.bobID+"#main-key", f.bobKey, time.Now())
	f.site.waitInbox(t)
	time.Sleep(200 * time.Millisecond)
	if n := len(dave.received()); n != 1 {
		t.Errorf("dave got %d activities, want only the one reply", n)
	}

	// The reply's Delete follows the way its Create went.
	del := mustJSON(t, map[string]any{"@context": vocab.ContextAS, "id": f.bobID + "/statuses/11#delete", "type": vocab.TypeDelete,
		"actor": f.bobID, "object": map[string]any{"id": f.bobID + "/statuses/11", "type": vocab.TypeTombstone}, "to": []any{vocab.Public}})
	f.postRaw(t, del, f.bobID+"#main-key", f.bobKey, time.Now())
	waitFor(t, 5*time.Second, "the forwarded Delete", func() bool { return len(dave.received()) == 2 })
	if got := dave.received()[1]; string(got.Body) != string(del) {
		t.Errorf("forwarded Delete changed: %s", got.Body)
	}
}

func TestForwardedDeleteWithoutProofNeedsTheObjectGone(t *testing.T) {
	f := newInboxFixture(t)
	carolKey := carolForwards(t, f)
	f.bob.extra.HandleFunc("GET /users/bob/statuses/20", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", vocab.ContentTypeActivity)
		json.NewEncoder(w).Encode(note(f.bobID+"/statuses/20", f.bobID))
	})
	for _, id := range []string{"20", "21"} {
		del := map[string]any{"@context": vocab.ContextAS, "id": f.bobID + "/statuses/" + id + "#delete", "type": vocab.TypeDelete,
			"actor": f.bobID, "object": f.bobID + "/statuses/" + id, "to": []any{vocab.Public}}
		if w := f.postRaw(t, mustJSON(t, del), carolKey, testKey(t, 2), time.Now()); w.Code != http.StatusAccepted {
			t.Fatalf("forwarded Delete: %d %s", w.Code, w.Body)
		}
	}
	f.site.waitInbox(t)
	// 20 still exists at bob's server: carol's word does not delete it;
	// 21 is gone there (404), so its Delete stands.
	if got := f.rec.got(); len(got) != 1 || !strings.Contains(got[0], "/statuses/21") {
		t.Errorf("handler calls %v, want the Delete of 21 only", got)
	}
}

func TestOwnActivitiesCarryAProofPeersVerify(t *testing.T) {
	f := newInboxFixture(t)
	f.rec.accept = true
	f.post(t, map[string]any{"@context": vocab.ContextAS, "id": f.bobID + "/follows/2", "type": vocab.TypeFollow,
		"actor": f.bobID, "object": "http://alice.test/actor"})
	waitFor(t, 5*time.Second, "the Accept", func() bool { return len(f.bob.received()) > 0 })
	doc, err := integrity.Decode(f.bob.received()[0].Body)
	if err != nil {
		t.Fatal(err)
	}
	p, err := integrity.ProofOf(doc)
	if err != nil || p.VerificationMethod != "http://alice.test/actor#ed25519-key" {
		t.Fatalf("proof %+v, %v", p, err)
	}
	ctx, _ := doc["@context"].([]any)
	if len(ctx) < 3 || ctx[2] != vocab.ContextDataIntegrity {
		t.Errorf("@context %v does not name the Data Integrity context after the security one", ctx)
	}
	// The key is the one alice's actor publishes.
	a, err := vocab.ParseActor(f.site.get(t, "/actor", vocab.ContentTypeActivity).Body.Bytes())
	if err != nil || len(a.AssertionKeys) != 1 || a.AssertionKeys[0].ID != p.VerificationMethod {
		t.Fatalf("actor keys %+v, %v", a.AssertionKeys, err)
	}
	pub, err := integrity.DecodePublicKey(a.AssertionKeys[0].PublicKeyMultibase)
	if err != nil {
		t.Fatal(err)
	}
	if err := integrity.Verify(doc, pub); err != nil {
		t.Errorf("alice's Accept does not verify with her published key: %v", err)
	}
}

// boostsSeen records the object a reaction handler was given with a boost.
type boostsSeen struct {
	*recorder
	got **vocab.Object
}

func (b boostsSeen) Announced(ctx context.Context, act, obj string, o *vocab.Object, from *vocab.Actor) error {
	*b.got = o
	return b.recorder.Announced(ctx, act, obj, o, from)
}

// A boost from a third server carries bob's note with bob's own proof: the
// note is believed as embedded, without asking bob's server; with a proof
// that does not verify it is not (and bob's server, asked, has no such note).
func TestBoostedObjectWithItsAuthorsProof(t *testing.T) {
	f := newInboxFixture(t)
	key := giveProofKey(t, f)
	carol := newPeer(t, f.network, "carol.test")
	carolID := carol.addActor("carol", testKey(t, 2))
	var boosted *vocab.Object
	f.site.SetHandlers(f.rec, f.rec, boostsSeen{f.rec, &boosted}, nil, gate{f.rec}, nil)
	_, forger, _ := ed25519.GenerateKey(nil)
	for i, signer := range []ed25519.PrivateKey{key, forger} {
		id := f.bobID + "/statuses/4" + string(rune('0'+i))
		obj, err := integrity.Decode(signAs(t, note(id, f.bobID), signer, f.bobID+"#ed25519-key"))
		if err != nil {
			t.Fatal(err)
		}
		boost := map[string]any{"@context": vocab.ContextAS, "id": carolID + "/boosts/" + string(rune('0'+i)), "type": vocab.TypeAnnounce,
			"actor": carolID, "object": obj, "to": []any{vocab.Public}}
		boosted = nil
		if w := f.postRaw(t, mustJSON(t, boost), carolID+"#main-key", testKey(t, 2), time.Now()); w.Code != http.StatusAccepted {
			t.Fatalf("boost: %d %s", w.Code, w.Body)
		}
		f.site.waitInbox(t)
		switch {
		case i == 0 && (boosted == nil || boosted.ContentHTML != "<p>hi</p>"):
			t.Errorf("the proven note was not taken as embedded: %+v", boosted)
		case i == 0 && f.bob.fetches("/users/bob/statuses/40") != 0:
			t.Error("the proven note was fetched from bob's server anyway")
		case i == 1 && boosted != nil:
			t.Errorf("a note with a forged proof was believed: %+v", boosted)
		}
	}
}
