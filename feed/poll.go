package feed

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"roost/federation/vocab"
)

// Poll limits, Mastodon's: apps read them from the instance document.
const (
	MaxPollOptions     = 4
	MaxPollOptionChars = 50
	MinPollDuration    = 5 * time.Minute
	MaxPollDuration    = 7 * 24 * time.Hour
)

// Poll is a poll attached to one of the owner's notes or to a post by
// someone else. Its id is the status's id: a status carries one poll at
// most.
type Poll struct {
	ID        int64
	ObjectID  string // the Question's id
	Local     bool   // one of the owner's polls
	ExpiresAt time.Time
	Multiple  bool
	// VotersCount is how many people voted; Votes of each option how many
	// chose it (a person may choose several in a multiple-choice poll).
	VotersCount int
	Options     []PollOption
	// OwnVotes are the positions the owner chose in a poll by someone else.
	OwnVotes []int
}

// PollOption is one choice of a poll.
type PollOption struct {
	Title string `json:"title"`
	Votes int    `json:"votes"`
}

// PollInput is a poll the owner attaches to a new note.
type PollInput struct {
	Options   []string
	ExpiresIn time.Duration
	Multiple  bool
}

// Expired reports whether the poll no longer takes votes.
func (p Poll) Expired(now time.Time) bool {
	return !p.ExpiresAt.IsZero() && !now.Before(p.ExpiresAt)
}

// Votes is the number of votes over all options.
func (p Poll) Votes() int {
	total := 0
	for _, o := range p.Options {
		total += o.Votes
	}
	return total
}

// Voted reports whether the owner voted in the poll.
func (p Poll) Voted() bool { return len(p.OwnVotes) > 0 }

// validatePoll checks a poll the owner attaches, with the messages Mastodon
// answers apps.
func validatePoll(in *PollInput, media int) error {
	if in == nil {
		return nil
	}
	if media > 0 {
		return invalid("Cannot attach files to a poll")
	}
	if len(in.Options) < 2 {
		return invalid("Poll options must have more than one item")
	}
	if len(in.Options) > MaxPollOptions {
		return invalid("Poll options can't contain more than %d items", MaxPollOptions)
	}
	seen := map[string]bool{}
	for _, o := range in.Options {
		if o == "" {
			return invalid("Poll options can't be blank")
		}
		if utf8.RuneCountInString(o) > MaxPollOptionChars {
			return invalid("Poll options cannot be longer than %d characters each", MaxPollOptionChars)
		}
		if seen[o] {
			return invalid("Poll options must not contain duplicate items")
		}
		seen[o] = true
	}
	if in.ExpiresIn < MinPollDuration {
		return invalid("Poll expires at is too soon")
	}
	if in.ExpiresIn > MaxPollDuration {
		return invalid("Poll expires at is too far into the future")
	}
	return nil
}

// normalizePoll trims the options.
func normalizePoll(in *PollInput) *PollInput {
	if in == nil {
		return nil
	}
	out := *in
	out.Options = make([]string, len(in.Options))
	for i, o := range in.Options {
		out.Options[i] = strings.TrimSpace(o)
	}
	return &out
}

// newPoll is the stored form of a poll the owner attaches to a note
// created at created.
func newPoll(in *PollInput, created time.Time) *Poll {
	if in == nil {
		return nil
	}
	p := &Poll{Local: true, Multiple: in.Multiple, ExpiresAt: created.Add(in.ExpiresIn).Truncate(time.Second)}
	for _, o := range in.Options {
		p.Options = append(p.Options, PollOption{Title: o})
	}
	return p
}

// insertNotePoll writes the owner's poll with its note.
func insertNotePoll(ctx context.Context, tx execer, id int64, p *Poll) error {
	if p == nil {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO note_polls(note_id, expires_at, multiple, voters_count) VALUES(?, ?, ?, ?)`,
		id, unixOrNil(p.ExpiresAt), boolInt(p.Multiple), p.VotersCount)
	if err != nil {
		return fmt.Errorf("poll: %w", err)
	}
	for i, o := range p.Options {
		_, err := tx.ExecContext(ctx, `INSERT INTO poll_options(note_id, position, title, votes) VALUES(?, ?, ?, ?)`,
			id, i, o.Title, o.Votes)
		if err != nil {
			return fmt.Errorf("poll option: %w", err)
		}
	}
	return nil
}

// pollFromObject reads a Question's poll; nil for anything else.
func pollFromObject(obj *vocab.Object) *Poll {
	if obj.Type != vocab.TypeQuestion || len(obj.Options) == 0 {
		return nil
	}
	p := &Poll{ObjectID: obj.ID, Multiple: obj.MultipleChoice, ExpiresAt: obj.EndTime.UTC().Truncate(time.Second),
		VotersCount: obj.VotersCount}
	if closed := obj.Closed.UTC().Truncate(time.Second); !closed.IsZero() && (p.ExpiresAt.IsZero() || closed.Before(p.ExpiresAt)) {
		// Closed before its end time (or a poll without one): it takes no
		// more votes from now on.
		p.ExpiresAt = closed
	}
	for _, o := range obj.Options[:min(len(obj.Options), 16)] {
		p.Options = append(p.Options, PollOption{Title: o.Name, Votes: max(o.Votes, 0)})
	}
	if p.VotersCount <= 0 && !p.Multiple {
		// Single choice: every voter cast one vote. Servers that do not
		// write votersCount still count right.
		p.VotersCount = p.Votes()
	}
	return p
}

// savePostPoll writes (or replaces) the poll of a post by someone else,
// keeping the owner's votes.
func savePostPoll(ctx context.Context, tx queryExecer, id int64, p *Poll) error {
	if p == nil {
		return nil
	}
	options, err := json.Marshal(p.Options)
	if err != nil {
		return fmt.Errorf("post poll: %w", err)
	}
	// When the author changes the options, the owner's earlier choices name
	// other answers now: they are forgotten, so the owner may vote again.
	var old string
	if err := tx.QueryRowContext(ctx, `SELECT options FROM post_polls WHERE post_id = ?`, id).Scan(&old); err == nil && !sameTitles(old, p.Options) {
		if _, err := tx.ExecContext(ctx, `UPDATE post_polls SET own_votes = '[]' WHERE post_id = ?`, id); err != nil {
			return fmt.Errorf("post poll: %w", err)
		}
	}
	res, err := tx.ExecContext(ctx, `UPDATE post_polls SET expires_at = ?, multiple = ?, voters_count = ?, options = ?
		WHERE post_id = ?`, unixOrNil(p.ExpiresAt), boolInt(p.Multiple), p.VotersCount, string(options), id)
	if err != nil {
		return fmt.Errorf("post poll: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO post_polls(post_id, expires_at, multiple, voters_count, options)
		VALUES(?, ?, ?, ?, ?)`, id, unixOrNil(p.ExpiresAt), boolInt(p.Multiple), p.VotersCount, string(options))
	if err != nil {
		return fmt.Errorf("post poll: %w", err)
	}
	return nil
}

func unixOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Unix()
}

// Polls reads the polls of statuses by id (the owner's notes and others'
// posts alike); statuses without a poll are absent from the map. Counts
// change with every vote, so polls are read fresh, never cached with the
// content.
func (f *Feed) Polls(ctx context.Context, ids []int64) (map[int64]Poll, error) {
	out, err := f.notePolls(ctx, ids)
	if err != nil || len(ids) == 0 {
		return out, err
	}
	in, args := inList(ids, 0)
	return out, f.postPolls(ctx, in, args, out)
}

// notePolls reads the polls of the owner's notes.
func (f *Feed) notePolls(ctx context.Context, ids []int64) (map[int64]Poll, error) {
	out := make(map[int64]Poll)
	if len(ids) == 0 {
		return out, nil
	}
	in, args := inList(ids, 0)
	rows, err := f.query(ctx, `SELECT p.note_id, p.expires_at, p.multiple, p.voters_count, o.title, o.votes
		FROM note_polls p JOIN poll_options o ON o.note_id = p.note_id
		WHERE p.note_id IN (`+in+`) ORDER BY p.note_id, o.position`, args...)
	if err != nil {
		return nil, fmt.Errorf("polls: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var expires sql.NullInt64
		var multiple int
		var p Poll
		var o PollOption
		if err := rows.Scan(&id, &expires, &multiple, &p.VotersCount, &o.Title, &o.Votes); err != nil {
			return nil, fmt.Errorf("polls: %w", err)
		}
		if old, ok := out[id]; ok {
			p = old
		} else {
			p.ID, p.ObjectID, p.Local, p.Multiple, p.ExpiresAt = id, f.NoteURL(id), true, multiple != 0, unixTime(expires)
		}
		p.Options = append(p.Options, o)
		out[id] = p
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("polls: %w", err)
	}
	return out, nil
}

// postPolls adds the polls of others' posts.
func (f *Feed) postPolls(ctx context.Context, in string, args []any, out map[int64]Poll) error {
	rows, err := f.query(ctx, `SELECT q.post_id, p.object_id, q.expires_at, q.multiple, q.voters_count, q.options, q.own_votes
		FROM post_polls q JOIN posts p ON p.id = q.post_id WHERE q.post_id IN (`+in+`)`, args...)
	if err != nil {
		return fmt.Errorf("post polls: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p Poll
		var expires sql.NullInt64
		var multiple int
		var options, own string
		if err := rows.Scan(&p.ID, &p.ObjectID, &expires, &multiple, &p.VotersCount, &options, &own); err != nil {
			return fmt.Errorf("post polls: %w", err)
		}
		p.Multiple, p.ExpiresAt = multiple != 0, unixTime(expires)
		if err := json.Unmarshal([]byte(options), &p.Options); err != nil {
			return fmt.Errorf("post poll %d options: %w", p.ID, err)
		}
		if err := json.Unmarshal([]byte(own), &p.OwnVotes); err != nil {
			return fmt.Errorf("post poll %d own votes: %w", p.ID, err)
		}
		out[p.ID] = p
	}
	return rows.Err()
}

// Poll reads one status's poll; ErrNotFound when it has none.
func (f *Feed) Poll(ctx context.Context, id int64) (Poll, error) {
	polls, err := f.Polls(ctx, []int64{id})
	if err != nil {
		return Poll{}, err
	}
	p, ok := polls[id]
	if !ok {
		return Poll{}, fmt.Errorf("poll %d: %w", id, ErrNotFound)
	}
	return p, nil
}

// attachPolls sets the Poll of posts that have one.
func (f *Feed) attachPolls(ctx context.Context, posts []*Post) error {
	ids := make([]int64, 0, len(posts))
	for _, p := range posts {
		// The owner's notes read from the content cache say Note; any of
		// them may carry a poll.
		if p.Local || p.Type == vocab.TypeQuestion {
			ids = append(ids, p.ID)
		}
	}
	polls, err := f.Polls(ctx, ids)
	if err != nil {
		return err
	}
	for _, p := range posts {
		if poll, ok := polls[p.ID]; ok {
			p.Poll, p.Type = &poll, vocab.TypeQuestion
		}
		p.PollChecked = true
	}
	return nil
}

func unixTime(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.Unix(v.Int64, 0).UTC()
}

// sameTitles tells whether stored options (JSON) have the same titles, in
// the same order, as options.
func sameTitles(stored string, options []PollOption) bool {
	var old []PollOption
	if json.Unmarshal([]byte(stored), &old) != nil || len(old) != len(options) {
		return false
	}
	for i := range old {
		if old[i].Title != options[i].Title {
			return false
		}
	}
	return true
}

// queryExecer is a transaction or the database: both read and write.
type queryExecer interface {
	execer
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}
