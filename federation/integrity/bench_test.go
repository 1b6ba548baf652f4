package integrity

import (
	"crypto/ed25519"
	"strings"
	"testing"
	"time"
)

// benchCreate is a Create of a note the size of a typical toot.
var benchCreate = `{"@context":["https://www.w3.org/ns/activitystreams","https://w3id.org/security/v1","https://w3id.org/security/data-integrity/v1",{"toot":"http://joinmastodon.org/ns#","sensitive":"as:sensitive","Hashtag":"as:Hashtag"}],
"id":"https://alice.example/notes/1#create-1","type":"Create","actor":"https://alice.example/actor","published":"2026-12-01T10:00:00Z",
"to":["https://www.w3.org/ns/activitystreams#Public"],"cc":["https://alice.example/actor/followers"],
"object":{"id":"https://alice.example/notes/1","type":"Note","attributedTo":"https://alice.example/actor","content":"<p>` + strings.Repeat("words and more words ", 20) + `</p>",
"to":["https://www.w3.org/ns/activitystreams#Public"],"cc":["https://alice.example/actor/followers"],"tag":[{"type":"Hashtag","name":"#garden","href":"https://alice.example/tags/garden"}]}}`

func BenchmarkSign(b *testing.B) {
	_, key, _ := ed25519.GenerateKey(nil)
	for b.Loop() {
		doc, _ := Decode([]byte(benchCreate))
		if _, err := Sign(doc, key, "https://alice.example/actor#ed25519-key", time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	_, key, _ := ed25519.GenerateKey(nil)
	doc, _ := Decode([]byte(benchCreate))
	signed, _ := Sign(doc, key, "https://alice.example/actor#ed25519-key", time.Now())
	body, _ := Encode(signed)
	pub := key.Public().(ed25519.PublicKey)
	for b.Loop() {
		doc, _ := Decode(body)
		if err := Verify(doc, pub); err != nil {
			b.Fatal(err)
		}
	}
}
