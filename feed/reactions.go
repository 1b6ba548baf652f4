package feed

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"roost/federation/vocab"
)

// reaction is one row of the reactions table.
type reaction struct {
	activityID, kind, objectID string
	actor                      Author
	// boostOf is the stored post a boost puts on the home timeline (0: none).
	boostOf int64
}

// isOwnObject reports whether an object id is on this site: a note, an
// article, anything the owner published.
func (f *Feed) isOwnObject(objectID string) bool {
	return strings.HasPrefix(objectID, f.base+"/")
}

// hasPost reports whether a remote post is stored (and not deleted).
func (f *Feed) hasPost(ctx context.Context, objectID string) (int64, bool) {
	var id int64
	err := f.db.QueryRowContext(ctx, `SELECT id FROM posts WHERE object_id = ? AND deleted_at IS NULL`, objectID).Scan(&id)
	return id, err == nil
}

// Liked counts a like of the owner's note or article (and notifies the
// owner), or of a stored post. Likes of anything else are dropped.
func (f *Feed) Liked(ctx context.Context, activityID, objectID string, from *vocab.Actor) error {
	if from == nil || activityID == "" || objectID == "" {
		return nil
	}
	ours := f.isOwnObject(objectID)
	if _, stored := f.hasPost(ctx, objectID); !ours && !stored {
		return nil
	}
	r := reaction{activityID: activityID, kind: reactionLike, objectID: objectID, actor: AuthorOf(from)}
	if err := f.addNotifiedReaction(ctx, r, ours, NotifyFavourite); err != nil {
		return fmt.Errorf("liked %s: %w", objectID, err)
	}
	return nil
}

// addNotifiedReaction adds a reaction and, when it is of the owner's
// object, its notification in the same transaction: a crash between the
// two would count the like and never tell the owner, and the redelivery
// that follows is a duplicate that notifies nobody.
func (f *Feed) addNotifiedReaction(ctx context.Context, r reaction, ours bool, notify string) error {
	if !ours {
		_, err := f.addReaction(ctx, r, nil)
		return err
	}
	n := f.reactionNotification(ctx, notify, r.objectID, r.actor)
	var id int64
	var notified bool
	added, err := f.addReaction(ctx, r, func(tx *sql.Tx) error {
		var err error
		id, notified, err = f.notifyIn(ctx, tx, n)
		return err
	})
	if err == nil && added && notified {
		f.events.NotificationCreated(ctx, id)
	}
	return err
}

// Unliked takes a like back.
func (f *Feed) Unliked(ctx context.Context, activityID, objectID, actorID string) error {
	if err := f.removeReaction(ctx, reactionLike, activityID, objectID, actorID, nil); err != nil {
		return fmt.Errorf("unliked %s: %w", objectID, err)
	}
	return nil
}

// Announced counts a boost of the owner's post or of a stored post. A boost
// by someone the owner follows also goes on the home timeline, with the
// boosted post stored beside it (when it could be fetched).
func (f *Feed) Announced(ctx context.Context, activityID, objectID string, obj *vocab.Object, from *vocab.Actor) error {
	if from == nil || activityID == "" || objectID == "" {
		return nil
	}
	ours := f.isOwnObject(objectID)
	postID, stored := f.hasPost(ctx, objectID)
	followed := f.follows(ctx, from.ID)
	if !ours && !stored && followed && obj != nil && obj.ID == objectID && vocab.IsPost(obj) {
		p, _, err := f.storePost(ctx, obj, &vocab.Actor{ID: obj.AttributedTo}, false, nil)
		if err != nil {
			return fmt.Errorf("announced %s: %w", objectID, err)
		}
		postID, stored = p.ID, p.ID != 0
	}
	if !ours && !stored {
		return nil
	}
	r := reaction{activityID: activityID, kind: reactionBoost, objectID: objectID, actor: AuthorOf(from)}
	if followed && stored {
		r.boostOf = postID
	}
	if err := f.addNotifiedReaction(ctx, r, ours, NotifyReblog); err != nil {
		return fmt.Errorf("announced %s: %w", objectID, err)
	}
	return nil
}

// Unannounced takes a boost back, off the counts and the home timeline.
func (f *Feed) Unannounced(ctx context.Context, activityID, actorID string) error {
	if err := f.removeReaction(ctx, reactionBoost, activityID, "", actorID, nil); err != nil {
		return fmt.Errorf("unannounced %s: %w", activityID, err)
	}
	return nil
}

// Flagged keeps a report and tells the owner about it, in one transaction
// so that a report is never kept untold.
func (f *Feed) Flagged(ctx context.Context, activityID, content string, objectIDs []string, from *vocab.Actor) error {
	if from == nil || activityID == "" {
		return nil
	}
	object := ""
	for _, id := range objectIDs {
		if f.isOwnObject(id) {
			object = id
			break
		}
	}
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("flagged %s: %w", activityID, err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO reports(activity_id, actor_id, content, object_ids, created)
		VALUES(?, ?, ?, ?, ?) ON CONFLICT(activity_id) DO NOTHING`,
		activityID, from.ID, content, strings.Join(objectIDs, "\n"), f.now().Unix())
	if err != nil {
		return fmt.Errorf("flagged %s: %w", activityID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	n := Notification{Type: NotifyReport, Actor: AuthorOf(from), ObjectID: object, ObjectURL: object, Text: content}
	id, notified, err := f.notifyIn(ctx, tx, n)
	if err != nil {
		return fmt.Errorf("flagged %s: %w", activityID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("flagged %s: %w", activityID, err)
	}
	if notified {
		f.events.NotificationCreated(ctx, id)
	}
	return nil
}

// ReactionCounts counts the likes and boosts of any object, the blog's
// articles included.
func (f *Feed) ReactionCounts(ctx context.Context, objectID string) (likes, boosts int, err error) {
	rows, err := f.db.QueryContext(ctx, `SELECT kind, COUNT(*) FROM reactions WHERE object_id = ? GROUP BY kind`, objectID)
	if err != nil {
		return 0, 0, fmt.Errorf("reaction counts %s: %w", objectID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			return 0, 0, fmt.Errorf("reaction counts %s: %w", objectID, err)
		}
		switch kind {
		case reactionLike:
			likes = n
		case reactionBoost:
			boosts = n
		}
	}
	return likes, boosts, rows.Err()
}

// reactionNotification describes a like or boost of the owner's object,
// with the start of the note when it is one.
func (f *Feed) reactionNotification(ctx context.Context, kind, objectID string, actor Author) Notification {
	n := Notification{Type: kind, Actor: actor, ObjectID: objectID, ObjectURL: objectID}
	if note, err := f.ByURL(ctx, objectID); err == nil {
		n.Text = excerpt(note.HTML, note.ContentWarning)
	}
	return n
}

// addReaction stores a reaction once (by activity id, and once per actor,
// object and kind), counts it and puts a boost on the home timeline.
//
// then, when not nil, runs in the same transaction once the reaction is
// added: the owner's reactions queue their activity there, so that the
// reaction and its federation commit together.
func (f *Feed) addReaction(ctx context.Context, r reaction, then func(*sql.Tx) error) (bool, error) {
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	// The unique index on (object, kind, actor) and the primary key on the
	// activity id decide whether this reaction is new.
	var homeID any
	if r.boostOf != 0 {
		homeID = f.nextID()
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO reactions(activity_id, kind, object_id, actor_id, created, home_id)
		VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, r.activityID, r.kind, r.objectID, r.actor.ActorID, f.now().Unix(), homeID)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	if err := f.saveAuthor(ctx, tx, r.actor); err != nil {
		return false, err
	}
	if r.boostOf != 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO home(id, kind, item, actor_id) VALUES(?, ?, ?, ?)`,
			homeID, homeBoost, r.boostOf, r.actor.ActorID); err != nil {
			return false, fmt.Errorf("home: %w", err)
		}
	}
	if err := f.countReaction(ctx, tx, r.objectID, r.kind, 1); err != nil {
		return false, err
	}
	if then != nil {
		if err := then(tx); err != nil {
			return false, err
		}
	}
	return true, tx.Commit()
}

// removeReaction deletes a reaction found by its activity id or, for the
// peers whose Undo names a different id than their Like did, by actor and
// object. Only the reaction's own actor can take it back.
// then, when not nil, runs in the same transaction once it is removed.
func (f *Feed) removeReaction(ctx context.Context, kind, activityID, objectID, actorID string, then func(*sql.Tx) error) error {
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var id, object, owner, foundKind string
	var homeID sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT activity_id, object_id, actor_id, kind, home_id FROM reactions
		WHERE activity_id = ?`, activityID).Scan(&id, &object, &owner, &foundKind, &homeID)
	if err == nil && (owner != actorID || foundKind != kind) {
		return nil // someone else's reaction: not theirs to take back
	}
	if errors.Is(err, sql.ErrNoRows) && objectID != "" {
		err = tx.QueryRowContext(ctx, `SELECT activity_id, object_id, home_id FROM reactions
			WHERE object_id = ? AND kind = ? AND actor_id = ?`, objectID, kind, actorID).Scan(&id, &object, &homeID)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM reactions WHERE activity_id = ?`, id); err != nil {
		return err
	}
	if homeID.Valid {
		if _, err := tx.ExecContext(ctx, `DELETE FROM home WHERE id = ?`, homeID.Int64); err != nil {
			return fmt.Errorf("home: %w", err)
		}
	}
	if err := f.countReaction(ctx, tx, object, kind, -1); err != nil {
		return err
	}
	if then != nil {
		if err := then(tx); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// countReaction keeps the likes or boosts column of the note or post in
// step with the reactions table.
func (f *Feed) countReaction(ctx context.Context, tx execer, objectID, kind string, delta int) error {
	column := "likes"
	if kind == reactionBoost {
		column = "boosts"
	}
	bump := column + ` = CASE WHEN ` + column + ` + ? < 0 THEN 0 ELSE ` + column + ` + ? END`
	var err error
	if f.isLocalNote(objectID) {
		id, ok := parseID(strings.TrimPrefix(objectID, f.base+"/notes/"))
		if !ok {
			return nil
		}
		_, err = tx.ExecContext(ctx, `UPDATE notes SET `+bump+` WHERE id = ? AND author = ''`, delta, delta, id)
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE posts SET `+bump+` WHERE object_id = ?`, delta, delta, objectID)
	}
	if err != nil {
		return fmt.Errorf("count %s: %w", column, err)
	}
	return nil
}
