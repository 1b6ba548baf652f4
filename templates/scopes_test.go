package templates

import "testing"

func TestScopeWords(t *testing.T) {
	for scope, want := range map[string]string{
		"read":           "see your timelines, notifications, contacts, lists, bookmarks and settings",
		"write:statuses": "change your posts",
		"read:follows":   "read your follows",
		"admin:read":     "admin:read",
		"write:unknown":  "write:unknown",
	} {
		if got := ScopeWords(scope); got != want {
			t.Errorf("ScopeWords(%q) = %q, want %q", scope, got, want)
		}
	}
}
