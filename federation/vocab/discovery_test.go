package vocab

import (
	"errors"
	"testing"
)

func TestJRDSelf(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"activity+json", `{"subject":"acct:a@a.example","links":[{"rel":"self","type":"application/activity+json","href":"https://a.example/u"}]}`, "https://a.example/u"},
		{"ld+json with profile", `{"subject":"acct:a@a.example","links":[{"rel":"self","type":"application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"","href":"https://a.example/ld"}]}`, "https://a.example/ld"},
		{"html self is not an actor", `{"subject":"acct:a@a.example","links":[{"rel":"self","type":"text/html","href":"https://a.example/"}]}`, ""},
		{"profile page is not self", `{"subject":"acct:a@a.example","links":[{"rel":"http://webfinger.net/rel/profile-page","type":"application/activity+json","href":"https://a.example/@a"}]}`, ""},
		{"no links", `{"subject":"acct:a@a.example"}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j, err := ParseJRD([]byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			if got := j.Self(); got != tt.want {
				t.Errorf("Self() = %q, want %q", got, tt.want)
			}
		})
	}
	if _, err := ParseJRD([]byte(`<html>`)); !errors.Is(err, ErrMalformed) {
		t.Errorf("ParseJRD(html) error = %v", err)
	}
}

func TestWebFingerFixtureDetails(t *testing.T) {
	j, err := ParseJRD(readFixture(t, "webfinger/mastodon-gargron.json"))
	if err != nil {
		t.Fatal(err)
	}
	if j.Subject != "acct:Gargron@mastodon.social" || j.Self() != "https://mastodon.social/users/Gargron" || len(j.Aliases) != 2 {
		t.Errorf("jrd = %+v", j)
	}
	var subscribe string
	for _, l := range j.Links {
		if l.Rel == RelSubscribe {
			subscribe = l.Template
		}
	}
	if subscribe != "https://mastodon.social/authorize_interaction?uri={uri}" {
		t.Errorf("subscribe template = %q", subscribe)
	}

	tmpl, err := ParseHostMeta(readFixture(t, "webfinger/host-meta-framatube-peertube.xml"))
	if err != nil || tmpl != "https://framatube.org/main/xrd?uri={uri}" {
		t.Errorf("host-meta template = %q, %v", tmpl, err)
	}
	if _, err := ParseHostMeta([]byte(`<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0"></XRD>`)); !errors.Is(err, ErrNoTemplate) {
		t.Errorf("empty host-meta error = %v", err)
	}
}

func TestNodeInfoFixtureDetails(t *testing.T) {
	ni, err := ParseNodeInfo(readFixture(t, "nodeinfo/mastodon-2.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	if ni.Software.Name != "mastodon" || ni.Software.Version != "4.1.0" || !ni.OpenRegistrations ||
		ni.Usage.Users.Total != 971090 || ni.Usage.Users.ActiveMonth != 167218 || ni.Usage.LocalPosts != 52071541 {
		t.Errorf("nodeinfo = %+v", ni)
	}

	links, err := ParseNodeInfoLinks(readFixture(t, "nodeinfo/mobilizon-well-known-both-versions.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(links) != 2 || links[0].Href != "https://mobilizon.fr/.well-known/nodeinfo/2.1" {
		t.Errorf("links = %+v, want 2.1 first", links)
	}
	links, err = ParseNodeInfoLinks(readFixture(t, "nodeinfo/wordpress-well-known-with-relay.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(links) != 1 || links[0].Href != "https://event-federation.eu/wp-json/activitypub/1.0/nodeinfo" {
		t.Errorf("links = %+v, want only the schema link", links)
	}
	if _, err := ParseNodeInfo([]byte(`{"software":{"name":"x"}}`)); !errors.Is(err, ErrNoVersion) {
		t.Errorf("missing version error = %v", err)
	}
}
