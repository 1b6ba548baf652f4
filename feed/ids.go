package feed

import (
	"crypto/rand"
	"encoding/binary"
	"strconv"
	"time"
)

// newID makes a snowflake-style id: milliseconds since the epoch in the high
// bits and 16 random bits below, so ids sort by creation time (the Mastodon
// client API pages with max_id/since_id) and two notes made in the same
// millisecond still differ.
func newID(t time.Time) int64 {
	var b [2]byte
	_, _ = rand.Read(b[:])
	return t.UnixMilli()<<16 | int64(binary.BigEndian.Uint16(b[:]))
}

func formatID(id int64) string { return strconv.FormatInt(id, 10) }

func parseID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}
