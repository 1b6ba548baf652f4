package feed

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"

	"roost/federation"
	"roost/federation/vocab"
)

// ErrPollClosed is what Vote wraps when the poll has ended; the API
// answers 422.
var ErrPollClosed = errors.New("poll closed")

// isVote reports whether an arriving note is a vote: Mastodon votes with a
// Note that answers the Question, names the chosen option and has no
// content.
func isVote(obj *vocab.Object) bool {
	return obj.Type == vocab.TypeNote && obj.Name != "" && obj.InReplyTo != "" &&
		strings.TrimSpace(vocab.PlainText(obj.ContentHTML)) == ""
}

// countVote counts a vote on one of the owner's polls. counted is false
// when the note does not answer one of them, and the note is then handled
// as any other; a vote on a closed poll, for an unknown option or a second
// time is dropped (counted, as nothing else should happen to it).
func (f *Feed) countVote(ctx context.Context, obj *vocab.Object, actorID string) (counted bool, err error) {
	if !f.isLocalNote(obj.InReplyTo) || actorID == "" {
		return false, nil
	}
	n, err := f.ByURL(ctx, obj.InReplyTo)
	if err != nil || n.Poll == nil {
		return false, nil
	}
	poll := n.Poll
	position := slices.IndexFunc(poll.Options, func(o PollOption) bool { return o.Title == obj.Name })
	if poll.Expired(f.now()) || position < 0 {
		return true, nil
	}
	added, err := f.addVote(ctx, n.ID, actorID, position, poll.Multiple)
	if err != nil {
		return true, fmt.Errorf("count vote on %s: %w", n.URL, err)
	}
	if !added {
		return true, nil
	}
	f.events.StatusUpdated(ctx, n.ID)
	// Followers' servers show the counts they last received. Rather than an
	// Update to every follower for every vote (which strangers could set
	// off in bulk), the poll is marked and sent again at most once a
	// minute, by ClosePolls' tick.
	f.pollUpdates.Store(n.ID, struct{}{})
	return true, nil
}

// sendPollUpdates sends the Question of each poll that got votes since the
// last tick to followers again, with its new counts.
func (f *Feed) sendPollUpdates(ctx context.Context) {
	f.pollUpdates.Range(func(key, _ any) bool {
		f.pollUpdates.Delete(key)
		if n, err := f.note(ctx, key.(int64), true); err == nil {
			if err := f.publishAlone(ctx, vocab.TypeUpdate, n); err != nil {
				slog.ErrorContext(ctx, "send poll counts", "note", n.URL, "err", err)
			}
		}
		return ctx.Err() == nil
	})
}

// addVote records one vote and bumps the counts, in one transaction.
func (f *Feed) addVote(ctx context.Context, id int64, actorID string, position int, multiple bool) (bool, error) {
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var earlier, same int
	err = tx.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN position = ? THEN 1 ELSE 0 END), 0)
		FROM poll_votes WHERE note_id = ? AND actor_id = ?`, position, id, actorID).Scan(&earlier, &same)
	if err != nil {
		return false, err
	}
	if same > 0 || (earlier > 0 && !multiple) {
		return false, nil
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO poll_votes(note_id, actor_id, position, created) VALUES(?, ?, ?, ?)`,
		id, actorID, position, f.now().Unix())
	if err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE poll_options SET votes = votes + 1 WHERE note_id = ? AND position = ?`, id, position); err != nil {
		return false, err
	}
	if earlier == 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE note_polls SET voters_count = voters_count + 1 WHERE note_id = ?`, id); err != nil {
			return false, err
		}
	}
	return true, tx.Commit()
}

// Vote casts the owner's vote in someone else's poll (a status id):
// choices are option positions. Each choice goes to the poll's author as a
// Note naming the option, as Mastodon votes. A closed poll wraps
// ErrPollClosed; a second vote, a bad choice or the owner's own poll is a
// ValidationError.
func (f *Feed) Vote(ctx context.Context, id int64, choices []int) (Poll, error) {
	poll, err := f.Poll(ctx, id)
	if err != nil {
		return Poll{}, fmt.Errorf("vote: %w", err)
	}
	switch {
	case poll.Local:
		return Poll{}, invalid("You cannot vote in your own poll")
	case poll.Expired(f.now()):
		return Poll{}, fmt.Errorf("vote in %s: %w", poll.ObjectID, ErrPollClosed)
	case poll.Voted():
		return Poll{}, invalid("You have already voted on this poll")
	}
	choices = slices.Compact(slices.Sorted(slices.Values(choices)))
	if len(choices) == 0 || (!poll.Multiple && len(choices) > 1) {
		return Poll{}, invalid("Choose one option")
	}
	for _, c := range choices {
		if c < 0 || c >= len(poll.Options) {
			return Poll{}, invalid("That is not an option of this poll")
		}
	}
	p, err := f.Post(ctx, id)
	if err != nil {
		return Poll{}, fmt.Errorf("vote: %w", err)
	}
	if err := f.saveOwnVotes(ctx, p, &poll, choices); err != nil {
		return Poll{}, fmt.Errorf("vote in %s: %w", poll.ObjectID, err)
	}
	f.events.StatusUpdated(ctx, id)
	return poll, nil
}

// saveOwnVotes records the owner's choices and counts them locally, as
// Mastodon does, until the author's server sends its own counts; the votes
// are queued for the author in the same transaction.
func (f *Feed) saveOwnVotes(ctx context.Context, p Post, poll *Poll, choices []int) error {
	for _, c := range choices {
		poll.Options[c].Votes++
	}
	poll.VotersCount++
	poll.OwnVotes = choices
	options, err := json.Marshal(poll.Options)
	if err != nil {
		return err
	}
	own, err := json.Marshal(choices)
	if err != nil {
		return err
	}
	// Only a poll the owner has not voted in yet changes: of two requests
	// racing (a double click, an app retrying) one wins, and only its vote
	// is sent.
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE post_polls SET options = ?, own_votes = ?, voters_count = ?
		WHERE post_id = ? AND own_votes = '[]'`, string(options), string(own), poll.VotersCount, poll.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return invalid("You have already voted on this poll")
	}
	for _, c := range choices {
		if err := f.sendVote(ctx, tx, p, poll.Options[c].Title, c); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// sendVote queues one choice for the poll's author only.
func (f *Feed) sendVote(ctx context.Context, tx *sql.Tx, p Post, title string, choice int) error {
	if f.cfg.Publisher == nil || p.Author.ActorID == "" {
		return nil
	}
	now := f.now().UTC()
	// Mastodon names votes under the voter's actor; nothing serves them.
	voteID := f.cfg.ActorID + "#votes/" + formatID(f.nextID()) + "-" + strconv.Itoa(choice)
	to := []string{p.Author.ActorID}
	obj := vocab.ObjectMap(vocab.OutObject{ID: voteID, Type: vocab.TypeNote, AttributedTo: f.cfg.ActorID,
		Name: title, InReplyTo: p.ObjectID, Published: now, To: to})
	a := vocab.OutActivity{ID: voteID + "#create", Type: vocab.TypeCreate, Actor: f.cfg.ActorID, Object: obj,
		To: to, Published: now}
	return f.cfg.Publisher.Publish(ctx, tx, a, federation.Audience{Actors: to})
}

// PollsDueSQL is a query of one value: the unix millisecond at which the
// earliest open poll ends, NULL when none is open.
const PollsDueSQL = `SELECT MIN(p.expires_at) * 1000 FROM note_polls p JOIN notes n ON n.id = p.note_id
	WHERE p.notified = 0 AND p.expires_at IS NOT NULL AND n.deleted_at IS NULL`

// ClosePolls tells the owner about each of their polls that has ended
// since the last call, once. The composition root calls it every minute.
func (f *Feed) ClosePolls(ctx context.Context) error {
	f.sendPollUpdates(ctx)
	rows, err := f.db.QueryContext(ctx, `SELECT p.note_id FROM note_polls p JOIN notes n ON n.id = p.note_id
		WHERE p.notified = 0 AND p.expires_at IS NOT NULL AND p.expires_at <= ? AND n.deleted_at IS NULL`, f.now().Unix())
	if err != nil {
		return fmt.Errorf("close polls: %w", err)
	}
	var ended []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("close polls: %w", err)
		}
		ended = append(ended, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("close polls: %w", err)
	}
	for _, id := range ended {
		if err := f.closePoll(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// closePoll marks one ended poll, notifies the owner of it and queues its
// closing Update, in one transaction: a crash between them would mark it
// told and never tell.
func (f *Feed) closePoll(ctx context.Context, id int64) error {
	n, err := f.note(ctx, id, true)
	if errors.Is(err, sql.ErrNoRows) || errors.Is(err, ErrNotFound) || errors.Is(err, ErrGone) {
		_, err = f.db.ExecContext(ctx, `UPDATE note_polls SET notified = 1 WHERE note_id = ?`, id)
		return err
	}
	if err != nil {
		return fmt.Errorf("close poll %d: %w", id, err)
	}
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("close poll %d: %w", id, err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE note_polls SET notified = 1 WHERE note_id = ? AND notified = 0`, id)
	if err != nil {
		return fmt.Errorf("close poll %d: %w", id, err)
	}
	if changed, _ := res.RowsAffected(); changed == 0 {
		return nil // another caller got there first
	}
	note := Notification{Type: NotifyPoll, Actor: Author{ActorID: f.cfg.ActorID, ProfileURL: f.base + "/"},
		ObjectID: n.URL, ObjectURL: n.URL, Text: excerpt(n.HTML, n.ContentWarning)}
	nid, notified, err := f.notifyIn(ctx, tx, note)
	if err != nil {
		return fmt.Errorf("close poll %d: %w", id, err)
	}
	if err := f.publishClosed(ctx, tx, n); err != nil {
		return fmt.Errorf("close poll %d: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("close poll %d: %w", id, err)
	}
	if notified {
		f.events.NotificationCreated(ctx, nid)
	}
	return nil
}

// publishClosed sends the ended poll (its Question with closed and the
// final counts) to followers and to everyone who voted: servers that see
// closed stop taking votes for it and show the result. A poll ended is
// not a poll edited, so the Update carries no updated time of its own.
func (f *Feed) publishClosed(ctx context.Context, tx *sql.Tx, n Note) error {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT actor_id FROM poll_votes WHERE note_id = ? ORDER BY actor_id`, n.ID)
	if err != nil {
		return fmt.Errorf("voters: %w", err)
	}
	var voters []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return fmt.Errorf("voters: %w", err)
		}
		voters = append(voters, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("voters: %w", err)
	}
	return f.publishTo(ctx, tx, vocab.TypeUpdate, n, voters)
}
