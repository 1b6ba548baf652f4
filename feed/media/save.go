package media

import (
	"context"
	"fmt"
	"io"
	"time"
	"unicode/utf8"
)

// Save reads an upload from r, checks and cleans it, writes the image and
// its preview and records them. It reads at most one byte more than the
// store's limit: a longer body is ErrTooLarge and the rest of it is left
// unread. A body that is not an accepted image is ErrNotImage, whatever name
// or type the client gave it.
func (s *Store) Save(ctx context.Context, r io.Reader, description string) (Media, error) {
	if err := checkDescription(description); err != nil {
		return Media{}, fmt.Errorf("save media: %w", err)
	}
	data, err := io.ReadAll(io.LimitReader(r, s.maxBytes+1))
	if err != nil {
		return Media{}, fmt.Errorf("save media: read upload: %w", err)
	}
	if int64(len(data)) > s.maxBytes {
		return Media{}, fmt.Errorf("save media: %w: the limit is %d bytes", ErrTooLarge, s.maxBytes)
	}

	// Decoding and resizing are the expensive part; bound how many run at
	// once so that a burst of uploads cannot exhaust memory.
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		return Media{}, fmt.Errorf("save media: %w", ctx.Err())
	}
	p, err := decodeAndProcess(data)
	<-s.slots
	if err != nil {
		return Media{}, fmt.Errorf("save media: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return Media{}, fmt.Errorf("save media: %w", err)
	}

	stem := newStem()
	original, preview := fileName(stem, p.ext), previewName(stem)
	if err := writeFile(s.dir, original, p.data); err != nil {
		return Media{}, fmt.Errorf("save media: %w", err)
	}
	if err := writeFile(s.dir, preview, p.preview); err != nil {
		removeFiles(s.dir, original)
		return Media{}, fmt.Errorf("save media: %w", err)
	}

	m := Media{
		MediaType:   p.mediaType,
		Width:       p.width,
		Height:      p.height,
		Blurhash:    p.blurhash,
		Description: description,
		Created:     time.Now().UTC(),
		Size:        int64(len(p.data)),
	}
	err = s.db.QueryRowContext(ctx, `INSERT INTO media
		(name, ext, media_type, width, height, size, blurhash, description, created)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		stem, p.ext, m.MediaType, m.Width, m.Height, m.Size, m.Blurhash, m.Description,
		m.Created.Format(time.RFC3339Nano)).Scan(&m.ID)
	if err != nil {
		removeFiles(s.dir, original, preview)
		return Media{}, fmt.Errorf("save media: insert: %w", err)
	}
	m.URL, m.PreviewURL = s.urlPrefix()+original, s.urlPrefix()+preview
	return m, nil
}

func decodeAndProcess(data []byte) (processed, error) {
	img, f, err := decodeUpload(data)
	if err != nil {
		return processed{}, err
	}
	return process(img, f)
}

func checkDescription(description string) error {
	if n := utf8.RuneCountInString(description); n > MaxDescription {
		return fmt.Errorf("%w: %d characters, the limit is %d", ErrDescriptionTooLong, n, MaxDescription)
	}
	return nil
}
