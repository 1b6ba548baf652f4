package mediaproxy

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// A cached file is a fixed-size header holding the sniffed content type,
// padded with spaces, followed by the remote bytes; its modification time is
// when it was fetched. The header's room is reserved before the body is
// written, because the type is known only once the body is in.
const headerSize = 64

// sniffSize is how much of the start of a file the sniffer looks at.
const sniffSize = 3072

const tempPrefix = "tmp-"

// diskCache keeps fetched files under names derived from their URLs and
// stays under a size bound by removing the oldest fetched first.
type diskCache struct {
	dir string
	max int64

	mu    sync.Mutex
	total int64
}

func openDiskCache(dir string, max int64) (*diskCache, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("media cache: %w", err)
	}
	c := &diskCache{dir: dir, max: max}
	// A fetch interrupted by a stop leaves its temporary file behind.
	if stale, err := filepath.Glob(filepath.Join(dir, tempPrefix+"*")); err == nil {
		for _, name := range stale {
			os.Remove(name)
		}
	}
	files, err := c.files()
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		c.total += f.size
	}
	return c, nil
}

func (c *diskCache) path(src string) string {
	sum := sha256.Sum256([]byte(src))
	return filepath.Join(c.dir, hex.EncodeToString(sum[:]))
}

// entry is an open cached file.
type entry struct {
	contentType string
	fetched     time.Time
	body        io.ReadSeeker
	file        *os.File
}

func (e *entry) Close() error { return e.file.Close() }

// errMissing is a file not cached, or cached before the cut-off.
var errMissing = errors.New("media cache: not cached")

// open returns the cached copy of src fetched after freshAfter.
func (c *diskCache) open(src string, freshAfter time.Time) (*entry, error) {
	f, err := os.Open(c.path(src))
	if err != nil {
		return nil, errMissing
	}
	info, err := f.Stat()
	if err != nil || info.ModTime().Before(freshAfter) || info.Size() < headerSize {
		f.Close()
		return nil, errMissing
	}
	head := make([]byte, headerSize)
	if _, err := io.ReadFull(f, head); err != nil {
		f.Close()
		return nil, errMissing
	}
	return &entry{
		contentType: strings.TrimSpace(string(head)),
		fetched:     info.ModTime(),
		body:        io.NewSectionReader(f, headerSize, info.Size()-headerSize),
		file:        f,
	}, nil
}

// cacheWriter receives a file being fetched, in a temporary file that
// becomes the cached copy only on commit.
type cacheWriter struct {
	c         *diskCache
	src       string
	f         *os.File
	start     []byte
	committed bool
}

func (c *diskCache) create(src string) (*cacheWriter, error) {
	f, err := os.CreateTemp(c.dir, tempPrefix)
	if err != nil {
		return nil, fmt.Errorf("media cache: %w", err)
	}
	if _, err := f.Write([]byte(strings.Repeat(" ", headerSize))); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("media cache: %w", err)
	}
	return &cacheWriter{c: c, src: src, f: f}, nil
}

func (w *cacheWriter) Write(b []byte) (int, error) {
	if room := sniffSize - len(w.start); room > 0 {
		w.start = append(w.start, b[:min(room, len(b))]...)
	}
	return w.f.Write(b)
}

// head is the start of the body, for the sniffer.
func (w *cacheWriter) head() []byte { return w.start }

// commit writes the content type into the header and puts the file in place.
func (w *cacheWriter) commit(contentType string) error {
	if len(contentType) >= headerSize {
		return fmt.Errorf("media cache: content type %q too long", contentType)
	}
	if _, err := w.f.WriteAt([]byte(contentType), 0); err != nil {
		return fmt.Errorf("media cache: %w", err)
	}
	info, err := w.f.Stat()
	if err != nil {
		return fmt.Errorf("media cache: %w", err)
	}
	if err := w.f.Close(); err != nil {
		return fmt.Errorf("media cache: %w", err)
	}
	final := w.c.path(w.src)
	w.c.mu.Lock()
	defer w.c.mu.Unlock()
	if old, err := os.Stat(final); err == nil {
		w.c.total -= old.Size()
	}
	if err := os.Rename(w.f.Name(), final); err != nil {
		os.Remove(w.f.Name())
		return fmt.Errorf("media cache: %w", err)
	}
	w.committed = true
	w.c.total += info.Size()
	if w.c.total > w.c.max {
		w.c.evict()
	}
	return nil
}

// abort drops the temporary file unless it was committed.
func (w *cacheWriter) abort() {
	if !w.committed {
		w.f.Close()
		os.Remove(w.f.Name())
	}
}

type cachedFile struct {
	name    string
	size    int64
	fetched time.Time
}

// files lists the cached files (not the ones being written).
func (c *diskCache) files() ([]cachedFile, error) {
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return nil, fmt.Errorf("media cache: %w", err)
	}
	var out []cachedFile
	for _, e := range entries {
		if !e.Type().IsRegular() || strings.HasPrefix(e.Name(), tempPrefix) {
			continue
		}
		info, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("media cache: %w", err)
		}
		out = append(out, cachedFile{name: e.Name(), size: info.Size(), fetched: info.ModTime()})
	}
	return out, nil
}

// evict removes the oldest fetched files until the cache is at nine tenths
// of its bound, so that not every new file starts another eviction. Files
// being served stay readable until closed. c.mu is held.
func (c *diskCache) evict() {
	files, err := c.files()
	if err != nil {
		return
	}
	slices.SortFunc(files, func(a, b cachedFile) int { return a.fetched.Compare(b.fetched) })
	var total int64
	for _, f := range files {
		total += f.size
	}
	for _, f := range files {
		if total <= c.max*9/10 {
			break
		}
		if os.Remove(filepath.Join(c.dir, f.name)) == nil {
			total -= f.size
		}
	}
	c.total = total
}
