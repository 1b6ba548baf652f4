package vocab

import "testing"

func TestCanonicalHost(t *testing.T) {
	for in, want := range map[string]string{
		"evil.example":          "evil.example",
		"Evil.Example.":         "evil.example",
		"evil.example.:443":     "evil.example",
		"EVIL.example:8080":     "evil.example",
		"bücher.example":        "xn--bcher-kva.example",
		"BÜCHER.example.":       "xn--bcher-kva.example",
		"xn--bcher-kva.example": "xn--bcher-kva.example",
		"[::1]:80":              "::1",
		"127.0.0.1":             "127.0.0.1",
		"my_host.example":       "my_host.example",
	} {
		if got := CanonicalHost(in); got != want {
			t.Errorf("CanonicalHost(%q) = %q, want %q", in, got, want)
		}
	}
	if got := URLHost("https://Evil.Example./users/x"); got != "evil.example" {
		t.Errorf("URLHost = %q", got)
	}
}
