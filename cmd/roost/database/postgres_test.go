package database

import (
	"context"
	"net/url"
	"slices"
	"testing"
)

// A provider's URL without pool_max_conns gets a server-sized pool for its
// sites; one that names it gets exactly that.
func TestPostgresPoolSize(t *testing.T) {
	pg := testPostgres(t)
	u, err := url.Parse(pg.Pool().Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		set  string
		want int32
	}{{"", defaultPoolSize()}, {"7", 7}} {
		q := u.Query()
		q.Del("pool_max_conns")
		if c.set != "" {
			q.Set("pool_max_conns", c.set)
		}
		u.RawQuery = q.Encode()
		p, err := OpenPostgres(context.Background(), u.String())
		if err != nil {
			t.Fatal(err)
		}
		if got := p.SiteConns(); got != c.want {
			t.Errorf("pool_max_conns %q: %d connections for the sites, want %d", c.set, got, c.want)
		}
		p.Close()
	}
	if defaultPoolSize() < 16 {
		t.Errorf("default pool of %d connections, want at least 16", defaultPoolSize())
	}
}

// The sites' connections are split into shards of a few connections, each
// site always served by the same one.
func TestShardSizes(t *testing.T) {
	for _, c := range []struct {
		total int32
		want  []int32
	}{{16, []int32{4, 4, 4, 4}}, {7, []int32{7}}, {3, []int32{3}}, {10, []int32{5, 5}}, {18, []int32{4, 4, 4, 6}}} {
		got := shardSizes(c.total)
		if !slices.Equal(got, c.want) {
			t.Errorf("shardSizes(%d) = %v, want %v", c.total, got, c.want)
		}
	}
}
