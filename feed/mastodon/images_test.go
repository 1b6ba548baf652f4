package mastodon

import (
	"strings"
	"testing"

	"roost/federation/vocab"
)

// TestRemoteSVGIconsBecomeTheDefault: an account whose server gives an SVG
// icon or header is shown with the default PNGs; raster images stay.
func TestRemoteSVGIconsBecomeTheDefault(t *testing.T) {
	ta := newTestAPI(t, false)
	svg := &vocab.Actor{ID: "https://svg.test/u/s", PreferredUsername: "s", IconURL: "https://svg.test/icon.SVG?v=2", ImageURL: "https://svg.test/h.svg"}
	acct := ta.api.remoteAccount(7, svg)
	for _, u := range []string{acct.Avatar, acct.AvatarStatic, acct.Header, acct.HeaderStatic} {
		if !strings.HasSuffix(u, ".png") {
			t.Errorf("SVG image shown as %s", u)
		}
	}
	png := &vocab.Actor{ID: "https://png.test/u/p", PreferredUsername: "p", IconURL: "https://png.test/a.jpg"}
	if acct := ta.api.remoteAccount(8, png); acct.Avatar != "https://png.test/a.jpg" {
		t.Errorf("raster avatar shown as %s", acct.Avatar)
	}
}
