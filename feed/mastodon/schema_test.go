package mastodon

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"roost/federation/vocab"
)

// schemaPath is the community OpenAPI description of the Mastodon API,
// kept beside the repository.
const schemaPath = "../../../shared/mastodon-api/schema.json"

func loadSchemas(t *testing.T) *jsonschema.Compiler {
	t.Helper()
	data, err := os.ReadFile(schemaPath)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("schema missing: %v", err)
		}
		t.Skip("Mastodon API schema not found beside the repository; skipping contract tests")
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(doc)
	parsed, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource("mastodon.json", parsed); err != nil {
		t.Fatal(err)
	}
	return c
}

func validate(t *testing.T, c *jsonschema.Compiler, name string, body []byte) {
	t.Helper()
	sch, err := c.Compile("mastodon.json#/components/schemas/" + name)
	if err != nil {
		t.Fatalf("compile %s: %v", name, err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if err := sch.Validate(v); err != nil {
		t.Errorf("%s does not match the schema: %v\n%s", name, err, body)
	}
}

// TestEntitiesMatchSchema validates live responses against the schema.
func TestEntitiesMatchSchema(t *testing.T) {
	c := loadSchemas(t)
	ta := newTestAPI(t, true)
	parent := ta.post(t, "parent #tag")
	var reply map[string]any
	ta.do(t, "POST", "/api/v1/statuses", ta.token, url.Values{"status": {"@bob@bob.test reply"}, "in_reply_to_id": {parent["id"].(string)}}, 200, &reply)
	nid, _ := parseID(parent["id"].(string))
	ta.remote.notes = []Notification{{ID: 9, Type: "favourite", Actor: bob, NoteID: nid, Created: testNow()}}
	var acct map[string]any
	ta.do(t, "GET", "/api/v1/accounts/lookup?acct=@bob.test", ta.token, nil, 200, &acct)
	ta.do(t, "POST", "/api/v1/lists", ta.token, map[string]string{"title": "Friends"}, 200, nil)
	ta.do(t, "POST", "/api/v2/filters", ta.token, map[string]any{"title": "Spoilers", "context": []string{"home"},
		"keywords_attributes": []map[string]any{{"keyword": "finale"}}}, 200, nil)
	id, secret := ta.register(t, oob, "read")
	_ = secret

	for _, tc := range []struct {
		path, schema string
		array        bool
		method       string
		body         any
	}{
		{path: "/api/v1/statuses/" + parent["id"].(string), schema: "Status"},
		{path: "/api/v1/statuses/" + reply["id"].(string), schema: "Status"},
		{path: "/api/v1/timelines/home", schema: "Status", array: true},
		{path: "/api/v1/statuses/" + parent["id"].(string) + "/reblog", schema: "Status", method: "POST"},
		{path: "/api/v1/statuses/" + reply["id"].(string) + "/context", schema: "Context"},
		{path: "/api/v1/statuses/" + reply["id"].(string) + "/source", schema: "StatusSource"},
		{path: "/api/v1/statuses/" + reply["id"].(string) + "/history", schema: "StatusEdit", array: true},
		{path: "/api/v1/accounts/verify_credentials", schema: "Account"},
		{path: "/api/v1/accounts/" + acct["id"].(string), schema: "Account"},
		{path: "/api/v1/accounts/relationships?id[]=" + acct["id"].(string), schema: "Relationship", array: true},
		{path: "/api/v1/notifications", schema: "Notification", array: true},
		{path: "/api/v1/instance", schema: "V1Instance"},
		{path: "/api/v2/instance", schema: "Instance"},
		{path: "/api/v1/apps/verify_credentials", schema: "Application"},
		{path: "/api/v2/search?q=%40bob.test&resolve=true", schema: "Search"},
		{path: "/api/v1/tags/tag", schema: "Tag"},
		{path: "/api/v1/lists", schema: "List", array: true},
		{path: "/api/v2/filters", schema: "Filter", array: true},
		{path: "/api/v1/preferences", schema: "Preferences"},
	} {
		t.Run(tc.schema+" "+tc.path, func(t *testing.T) {
			var raw json.RawMessage
			m := tc.method
			if m == "" {
				m = "GET"
			}
			ta.do(t, m, tc.path, ta.token, tc.body, 200, &raw)
			if !tc.array {
				validate(t, c, tc.schema, raw)
				return
			}
			var items []json.RawMessage
			if err := json.Unmarshal(raw, &items); err != nil || len(items) == 0 {
				t.Fatalf("want a non-empty array: %s", raw)
			}
			for _, it := range items {
				validate(t, c, tc.schema, it)
			}
		})
	}
	var app json.RawMessage
	ta.do(t, "POST", "/api/v1/apps", "", url.Values{"client_name": {"X"}, "redirect_uris": {oob}}, 200, &app)
	validate(t, c, "CredentialApplication", app)
	var markers map[string]json.RawMessage
	ta.do(t, "GET", "/api/v1/markers?timeline[]=home", ta.token, nil, 200, &markers)
	validate(t, c, "Marker", markers["home"])
	_ = id
	// The validator must reject what apps would reject.
	sch, _ := c.Compile("mastodon.json#/components/schemas/Status")
	if v, _ := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(`{"id": 1}`))); sch.Validate(v) == nil {
		t.Error("a broken status passed validation")
	}
}

// TestScheduledAndEditsMatchSchema validates the scheduled status and a
// remote post's history, versions included.
func TestScheduledAndEditsMatchSchema(t *testing.T) {
	c := loadSchemas(t)
	ta := newTestAPI(t, true)
	parent := ta.post(t, "parent")
	var raw json.RawMessage
	ta.do(t, "POST", "/api/v1/statuses", ta.token, url.Values{"status": {"later"}, "scheduled_at": {"2030-01-01T00:00:00.000Z"},
		"media_ids[]": {ta.uploadPNG(t)}, "in_reply_to_id": {parent["id"].(string)}, "sensitive": {"true"}, "language": {"en"}}, 200, &raw)
	validate(t, c, "ScheduledStatus", raw)

	post := ta.bobPost(snowflake(1_700_000_000_000), "<p>now</p>", "public", func(p *Post) { p.Edited = testNow() })
	ta.remote.edits = map[int64][]Edit{post.ID: {{ContentHTML: "<p>before</p>", Created: testNow().Add(-time.Hour)}}}
	ta.remote.reacted = map[string][]*vocab.Actor{"like " + post.ObjectID: {bob, {ID: testBase + "/actor"}}}
	for _, tc := range []struct{ path, schema string }{
		{"/api/v1/scheduled_statuses", "ScheduledStatus"},
		{"/api/v1/statuses/" + idString(post.ID) + "/history", "StatusEdit"},
		{"/api/v1/statuses/" + idString(post.ID) + "/favourited_by", "Account"},
		{"/api/v1/accounts/" + ta.bobAccountID(t) + "/statuses", "Status"},
	} {
		var items []json.RawMessage
		ta.do(t, "GET", tc.path, ta.token, nil, 200, &items)
		if len(items) == 0 {
			t.Fatalf("%s: empty", tc.path)
		}
		for _, it := range items {
			validate(t, c, tc.schema, it)
		}
	}
}

// TestPollMatchesSchema checks the Poll entity of the owner's poll, inside
// its status and alone, and of someone else's poll after a vote.
func TestPollMatchesSchema(t *testing.T) {
	c := loadSchemas(t)
	ta := newTestAPI(t, true)
	var s map[string]any
	ta.do(t, "POST", "/api/v1/statuses", ta.token, url.Values{"status": {"Tea or coffee?"},
		"poll[options][]": {"Tea", "Coffee"}, "poll[expires_in]": {"300"}}, 200, &s)
	raw, _ := json.Marshal(s)
	validate(t, c, "Status", raw)
	raw, _ = json.Marshal(s["poll"])
	validate(t, c, "Poll", raw)
	id := storeRemotePoll(t, ta, ta.api.cfg.Now().Add(time.Hour))
	ta.do(t, "POST", "/api/v1/polls/"+id+"/votes", ta.token, url.Values{"choices[]": {"0"}}, 200, nil)
	var poll json.RawMessage
	ta.do(t, "GET", "/api/v1/polls/"+id, ta.token, nil, 200, &poll)
	validate(t, c, "Poll", poll)
}
