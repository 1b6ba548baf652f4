package main

import (
	"context"
	"fmt"
	"io"
	"testing"
)

// BenchmarkSiteCreate is roost sites add on the test PostgreSQL: register,
// create the schema with every room's tables, the actor, keys and settings.
func BenchmarkSiteCreate(b *testing.B) {
	pg := testPostgres(b)
	ctx := context.Background()
	data := b.TempDir()
	reg, err := openRegistry(ctx, pg)
	if err != nil {
		b.Fatal(err)
	}
	var domains []string
	b.Cleanup(func() {
		for _, d := range domains {
			removeSite(context.Background(), pg, reg, data, d, true, nil, io.Discard)
		}
	})
	for i := 0; b.Loop(); i++ {
		d := fmt.Sprintf("bench-%d-%d.test", b.N, i)
		if err := addSite(ctx, pg, reg, data, d, "http://"+d, io.Discard); err != nil {
			b.Fatal(err)
		}
		domains = append(domains, d)
	}
}
