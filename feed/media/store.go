package media

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

const selectMedia = `SELECT id, name, ext, media_type, width, height, size, blurhash,
	description, focus_x, focus_y, created FROM media`

// row is a media row as stored, before URLs are derived from it.
type row struct {
	Media
	stem, ext string
}

func (s *Store) scan(sc interface{ Scan(...any) error }) (row, error) {
	var r row
	var created string
	err := sc.Scan(&r.ID, &r.stem, &r.ext, &r.MediaType, &r.Width, &r.Height, &r.Size,
		&r.Blurhash, &r.Description, &r.FocusX, &r.FocusY, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return row{}, ErrNotFound
	}
	if err != nil {
		return row{}, err
	}
	r.Created, err = time.Parse(time.RFC3339Nano, created)
	if err != nil {
		return row{}, fmt.Errorf("created %q: %w", created, err)
	}
	r.URL = s.urlPrefix() + fileName(r.stem, r.ext)
	r.PreviewURL = s.urlPrefix() + previewName(r.stem)
	return r, nil
}

// Get returns the media with the given id.
func (s *Store) Get(ctx context.Context, id int64) (Media, error) {
	r, err := s.scan(s.db.QueryRowContext(ctx, selectMedia+` WHERE id = ?`, id))
	if err != nil {
		return Media{}, fmt.Errorf("get media %d: %w", id, err)
	}
	return r.Media, nil
}

// ByURL returns the media that rawURL points at: its URL or its preview's,
// absolute under the site's base URL or as a path starting with /media/
// (what the web editor's own forms carry). Micropub clients send back the
// URL the media endpoint gave them.
func (s *Store) ByURL(ctx context.Context, rawURL string) (Media, error) {
	name, ok := strings.CutPrefix(rawURL, s.urlPrefix())
	if !ok {
		name, ok = strings.CutPrefix(rawURL, "/media/")
	}
	stem, ext, preview, valid := parseFileName(name)
	if !ok || !valid {
		return Media{}, fmt.Errorf("media by url %q: %w", rawURL, ErrNotFound)
	}
	r, err := s.scan(s.db.QueryRowContext(ctx, selectMedia+` WHERE name = ?`, stem))
	if err == nil && !preview && r.ext != ext {
		err = ErrNotFound
	}
	if err != nil {
		return Media{}, fmt.Errorf("media by url %q: %w", rawURL, err)
	}
	return r.Media, nil
}

// Update sets the alt text and focal point. Focus coordinates are clamped to
// Mastodon's range of -1 to 1; a value that is not a number counts as the
// centre.
func (s *Store) Update(ctx context.Context, id int64, description string, focusX, focusY float64) (Media, error) {
	if err := checkDescription(description); err != nil {
		return Media{}, fmt.Errorf("update media %d: %w", id, err)
	}
	res, err := s.db.ExecContext(ctx, `UPDATE media SET description = ?, focus_x = ?, focus_y = ?
		WHERE id = ?`, description, clampFocus(focusX), clampFocus(focusY), id)
	if err != nil {
		return Media{}, fmt.Errorf("update media %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return Media{}, fmt.Errorf("update media %d: %w", id, err)
	} else if n == 0 {
		return Media{}, fmt.Errorf("update media %d: %w", id, ErrNotFound)
	}
	return s.Get(ctx, id)
}

func clampFocus(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return min(max(v, -1), 1)
}

// Delete removes the row, the image, its preview and its variants. The row goes first, so that a
// failure to remove a file leaves an orphan file rather than a row pointing
// at nothing.
func (s *Store) Delete(ctx context.Context, id int64) error {
	r, err := s.scan(s.db.QueryRowContext(ctx, `DELETE FROM media WHERE id = ? RETURNING
		id, name, ext, media_type, width, height, size, blurhash,
		description, focus_x, focus_y, created`, id))
	if err != nil {
		return fmt.Errorf("delete media %d: %w", id, err)
	}
	names := append([]string{fileName(r.stem, r.ext), previewName(r.stem)}, allVariantNames(r.stem, r.ext)...)
	if err := removeFiles(s.dir, names...); err != nil {
		return fmt.Errorf("delete media %d: %w", id, err)
	}
	return nil
}
