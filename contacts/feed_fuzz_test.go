package contacts

import (
	"strings"
	"testing"
	"time"
)

// FuzzParseFeed reads RSS, Atom and JSON Feed documents as the poller does
// and maps their items: nothing a site serves may panic, and every link
// kept is http(s).
func FuzzParseFeed(f *testing.F) {
	for _, s := range []string{atomDoc, rssDoc, jsonDoc, brokenDoc,
		`<rss version="2.0"><channel><ttl>99999999999999999999</ttl><item><link>javascript:alert(1)</link><enclosure url="data:x" type="image/png"/></item></channel></rss>`,
		`{"version":"https://jsonfeed.org/version/1","items":[{"id":1,"url":"//evil.example","content_html":"<script>x</script>","date_published":"not a date"}]}`,
	} {
		f.Add([]byte(s))
	}
	ct := Contact{FeedURL: "https://site.example/feed.xml", URL: "https://site.example/"}
	f.Fuzz(func(t *testing.T, body []byte) {
		feed, interval, err := parseFeed(body, time.Hour)
		if err != nil {
			return
		}
		if interval < time.Hour {
			t.Fatalf("poll interval %s is under the minimum", interval)
		}
		for _, gi := range feed.Items {
			if gi == nil {
				continue
			}
			it := feedItem(ct, gi)
			for _, link := range []string{it.URL, it.Image} {
				if link != "" && !strings.HasPrefix(link, "https://") && !strings.HasPrefix(link, "http://") {
					t.Fatalf("kept the link %q", link)
				}
			}
		}
	})
}
