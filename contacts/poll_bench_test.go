package contacts

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkPollFeeds polls 200 feeds of 20 items on a loopback server, one
// round per iteration, and reports the CPU a round costs and what share of
// one core that is when every feed is polled at the default interval.
func BenchmarkPollFeeds(b *testing.B) {
	const feeds = 200
	var items strings.Builder
	for i := range 20 {
		fmt.Fprintf(&items, `<item><title>Item %d</title><link>https://site.example/%d</link><guid>g-%d</guid>
			<pubDate>Sat, 01 Feb 2025 10:%02d:00 GMT</pubDate><description>&lt;p&gt;Some &lt;b&gt;text&lt;/b&gt; for item %d&lt;/p&gt;</description></item>`, i, i, i, i, i)
	}
	doc := `<?xml version="1.0"?><rss version="2.0"><channel><title>Site</title><link>https://site.example/</link>` +
		items.String() + `</channel></rss>`
	for _, mode := range []string{"unchanged", "refetched"} {
		b.Run(mode, func(b *testing.B) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if mode == "unchanged" {
					w.Header().Set("ETag", `"same"`)
					if r.Header.Get("If-None-Match") == `"same"` {
						w.WriteHeader(http.StatusNotModified)
						return
					}
				}
				fmt.Fprint(w, doc)
			}))
			defer srv.Close()
			f := newFixture(b)
			ctx := context.Background()
			for i := range feeds {
				if _, err := f.c.SubscribeFeed(ctx, fmt.Sprintf("%s/feed/%d.xml", srv.URL, i)); err != nil {
					b.Fatal(err)
				}
			}
			cpuStart := cpuTime()
			b.ResetTimer()
			for b.Loop() {
				f.advance(25 * time.Hour) // every feed is due
				if err := f.c.PollFeeds(ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			perRound := (cpuTime() - cpuStart) / time.Duration(b.N)
			b.ReportMetric(float64(perRound.Microseconds())/1000, "cpu-ms/round")
			// At the default interval every feed is fetched once per
			// defaultFeedInterval, so one round's CPU is spread over it.
			b.ReportMetric(100*perRound.Seconds()/defaultFeedInterval.Seconds(), "%core@30min")
		})
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
