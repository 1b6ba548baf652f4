package mediaproxy

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

const secretSize = 32

// LoadSecret reads the key that signs proxied URLs from path, creating it
// on first start. It lives in the data directory so that URLs handed to
// client apps keep working across restarts.
func LoadSecret(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil && len(b) >= secretSize {
		return b[:secretSize], nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("media proxy key: %w", err)
	}
	b = make([]byte, secretSize)
	rand.Read(b)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return nil, fmt.Errorf("media proxy key: %w", err)
	}
	return b, nil
}
