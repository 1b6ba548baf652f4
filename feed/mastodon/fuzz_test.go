package mastodon

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzParams decodes a Mastodon API body as JSON or as a form, the two
// ways apps send parameters, and reads it the way the endpoints do:
// status fields, scopes, a poll, profile fields, a focal point. Nothing an
// app sends may panic.
func FuzzParams(f *testing.F) {
	for _, s := range []string{
		`{"status":"Hello","visibility":"public","media_ids":["1","2"],"poll":{"options":["a","b"],"expires_in":3600,"multiple":true},"sensitive":false}`,
		`{"fields_attributes":[{"name":"Web","value":"https://a.example"},{"name":"x","value":"y"}],"display_name":"A","locked":"true"}`,
		`{"fields_attributes":{"0":{"name":"a","value":"b"}},"scopes":"read write:statuses follow","focus":"0.5,-0.5"}`,
		`{"a":{"b":{"c":[1,2,{"d":null}]}},"limit":40.5,"max_id":"9999999999999999999999"}`,
		`status=Hi&media_ids[]=1&media_ids[]=2&poll[options][]=a&poll[options][]=b&poll[expires_in]=300&limit=-1`,
		`fields_attributes[0][name]=a&fields_attributes[0][value]=b&scope=read+push&focus=2,2`,
	} {
		json := strings.HasPrefix(s, "{")
		f.Add(s, json)
	}
	f.Fuzz(func(t *testing.T, body string, json bool) {
		r := httptest.NewRequest(http.MethodPost, "/api/v1/statuses?limit=5", strings.NewReader(body))
		if json {
			r.Header.Set("Content-Type", "application/json")
		} else {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		p, err := parseParams(httptest.NewRecorder(), r, 1<<20)
		if err != nil {
			return
		}
		p.get("status")
		p.list("media_ids")
		p.boolean("sensitive", false)
		p.integer("limit", 20)
		parseScopes(p.get("scopes"))
		parseFocus(p.get("focus"))
		pollInput(p)
		fieldsAttributes(p)
		if _, _, ok := p.file("file"); ok {
			t.Fatal("a file appeared in a body without one")
		}
	})
}
