package vocab

import (
	"testing"
)

func TestKindOf(t *testing.T) {
	const as = `"@context": "https://www.w3.org/ns/activitystreams", `
	tests := []struct {
		name, doc string
		want      Kind
	}{
		{"note", `{` + as + `"id": "https://a.example/n/1", "type": "Note"}`, KindObject},
		{"question is content", `{` + as + `"id": "https://a.example/q/1", "type": "Question", "oneOf": []}`, KindObject},
		{"person", `{` + as + `"id": "https://a.example/u", "type": "Person", "inbox": "https://a.example/i"}`, KindActor},
		{"service without context", `{"id": "https://a.example/u", "type": "Service"}`, KindActor},
		{"create", `{` + as + `"id": "https://a.example/1", "type": "Create", "actor": "https://a.example/u"}`, KindActivity},
		{"page of a collection", `{` + as + `"id": "https://a.example/c?p=1", "type": "OrderedCollectionPage"}`, KindCollection},
		{"unknown activity", `{` + as + `"id": "https://a.example/r/1", "type": "EmojiReact", "actor": "https://a.example/u"}`, KindActivity},
		{"unknown type with actor", `{` + as + `"id": "https://a.example/r/1", "type": "Bite", "actor": "https://a.example/u"}`, KindActivity},
		{"unknown type with inbox", `{` + as + `"id": "https://a.example/u", "type": "Bot", "inbox": "https://a.example/i"}`, KindActor},
		{"unknown type with items", `{` + as + `"id": "https://a.example/c", "type": "List", "items": []}`, KindCollection},
		{"unknown content type", `{` + as + `"id": "https://a.example/s/1", "type": "Story"}`, KindObject},
		{"type array", `{` + as + `"id": "https://a.example/n/1", "type": ["Custom", "Article"]}`, KindObject},
		{"no type", `{"id": "https://a.example/x"}`, KindUnknown},
		{"numeric type", `{` + as + `"id": 7, "type": 42, "actor": [1, 2]}`, KindActivity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := KindOf([]byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("KindOf = %v, want %v", got, tt.want)
			}
		})
	}
	if _, err := KindOf([]byte(`nope`)); err == nil {
		t.Error("KindOf accepted malformed JSON")
	}
}

// TestParseSurvivesStrangeValues feeds values of the wrong JSON type to
// every property the parsers read; none may panic, and the parsers must
// still answer.
func TestParseSurvivesStrangeValues(t *testing.T) {
	docs := []string{
		`{"id": "https://a.example/1", "type": "Create", "actor": {"id": "https://a.example/u", "type": "Person", "name": 3}, "object": [null, 4, {"type": ["Note"], "id": "https://a.example/n", "content": 5, "tag": "x", "attachment": [1, {"url": 2}], "published": "yesterday", "sensitive": 1, "replies": []}]}`,
		`{"id": "https://a.example/1", "type": "Undo", "actor": "https://a.example/u", "object": {"type": "Undo", "actor": "x", "object": {"type": "Undo", "actor": "x", "object": {"type": "Undo", "actor": "x", "object": {"type": "Undo", "actor": "x", "object": {"type": "Follow", "actor": "x"}}}}}}`,
		`{"id": "https://a.example/1", "type": "Update", "actor": "https://a.example/u", "object": {"type": "Person", "id": "https://a.example/u", "publicKey": "https://a.example/u#k", "icon": 9, "endpoints": "x", "attachment": {"type": "PropertyValue"}}}`,
	}
	for _, d := range docs {
		if _, err := ParseActivity([]byte(d)); err != nil {
			t.Errorf("ParseActivity: %v", err)
		}
	}
	c, _ := ParseActivity([]byte(docs[0]))
	if c.Actor != "https://a.example/u" || c.Object == nil || c.Object.ID != "https://a.example/n" || c.Object.ContentHTML != "" {
		t.Errorf("create = %+v", c)
	}
	a, _ := ParseActivity([]byte(docs[1]))
	depth := 0
	for in := a.Inner; in != nil; in = in.Inner {
		depth++
	}
	if depth > maxNesting {
		t.Errorf("followed %d nested activities, limit is %d", depth, maxNesting)
	}
	up, _ := ParseActivity([]byte(docs[2]))
	if up.ObjectActor == nil || up.ObjectActor.PublicKeyID != "https://a.example/u#k" {
		t.Errorf("actor with key IRI = %+v", up.ObjectActor)
	}
}
