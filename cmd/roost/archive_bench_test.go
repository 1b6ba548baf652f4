package main

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// peakHeap samples the heap while fn runs and returns the most it saw, in
// MB: an export must take bounded memory however large the site.
func peakHeap(fn func()) float64 {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	})
	fn()
	close(done)
	wg.Wait()
	return float64(peak.Load()) / (1 << 20)
}

// BenchmarkSwitchProviders is moving a site of 10,000 notes and 1,000
// articles to another provider: roost export to a zip, then roost import
// of it into an empty folder. It reports the size of the zip and the
// largest heap seen during the export.
func BenchmarkSwitchProviders(b *testing.B) {
	s, _, _ := seededSite(b)
	dir := b.TempDir()
	zipPath := filepath.Join(dir, "site.zip")
	var heapMB float64
	for i := 0; b.Loop(); i++ {
		heapMB = max(heapMB, peakHeap(func() {
			f, err := os.Create(zipPath)
			if err != nil {
				b.Fatal(err)
			}
			if err := writeExport(context.Background(), s, f, nil); err != nil {
				b.Fatal(err)
			}
			f.Close()
		}))
		target := filepath.Join(dir, "restored", time.Now().Format("150405.000000"))
		if _, err := runCommand(b, runImport, "--data", target, zipPath); err != nil {
			b.Fatal(err)
		}
	}
	info, _ := os.Stat(zipPath)
	b.ReportMetric(float64(info.Size())/(1<<20), "zip-MB")
	b.ReportMetric(heapMB, "peak-heap-MB")
}
