package templates

import "testing"

func TestLocalPath(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"/home", "/home"},
		{"/notes/12?x=1#n-3", "/notes/12?x=1#n-3"},
		{"", "/fallback"},
		{"//evil.example", "/fallback"},
		{"/\t/evil.example/", "/fallback"},
		{"/\n/evil.example/", "/fallback"},
		{"\t//evil.example", "/fallback"},
		{`/\evil.example`, "/fallback"},
		{`\\evil.example`, "/fallback"},
		{"http://evil.example/", "/fallback"},
		{"https:evil.example", "/fallback"},
		{"javascript:alert(1)", "/fallback"},
		{"home", "/fallback"},
		{"/ /evil.example", "/fallback"},
		{"/%zz", "/fallback"},
	} {
		if got := LocalPath(tc.in, "/fallback"); got != tc.want {
			t.Errorf("LocalPath(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
