package database

import "testing"

func TestTSQuery(t *testing.T) {
	for in, want := range map[string]string{
		`"okapi" "daw"*`: `'okapi' & 'daw':*`,
		`"zebra"*`:       `'zebra':*`,
		`"it's" "a\b"`:   `'it''s' & 'a\\b'`,
		`"say ""hi"""`:   `'say "hi"'`,
		``:               ``,
		`"" "tapir"`:     `'tapir'`,
	} {
		if got := TSQuery(in); got != want {
			t.Errorf("TSQuery(%s) = %s, want %s", in, got, want)
		}
	}
}
