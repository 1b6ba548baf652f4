package database

import (
	"context"
	"net/url"
	"testing"
)

// A provider's URL without pool_max_conns gets a server-sized pool; one
// that names it gets exactly that.
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
		if got := p.Pool().Config().MaxConns; got != c.want {
			t.Errorf("pool_max_conns %q: pool of %d, want %d", c.set, got, c.want)
		}
		p.Close()
	}
	if defaultPoolSize() < 16 {
		t.Errorf("default pool of %d connections, want at least 16", defaultPoolSize())
	}
}
