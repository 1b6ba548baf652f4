package federation

import (
	"context"
	"crypto"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"roost/federation/httpsig"
	"roost/federation/vocab"
)

// actorMaxAge is how long a fetched actor is trusted before it is fetched
// again.
const actorMaxAge = 24 * time.Hour

// actorCache keeps parsed actors in memory in front of the database table,
// so that verifying a busy peer's signatures costs no query and no parse.
type actorCache struct {
	mu    sync.Mutex
	max   int
	byID  map[string]cachedActor
	byKey map[string]string           // key id → actor id
	keys  map[string]crypto.PublicKey // parsed, by PEM text
}

type cachedActor struct {
	actor   *vocab.Actor
	fetched time.Time
}

func newActorCache(max int) *actorCache {
	return &actorCache{max: max, byID: map[string]cachedActor{}, byKey: map[string]string{}, keys: map[string]crypto.PublicKey{}}
}

func (c *actorCache) get(id string) (cachedActor, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byID[id]
	return e, ok
}

func (c *actorCache) byKeyID(keyID string) (cachedActor, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byID[c.byKey[keyID]]
	return e, ok
}

func (c *actorCache) put(a *vocab.Actor, fetched time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.byID) >= c.max {
		// Dropping everything is crude but bounded; the table behind the
		// cache refills it.
		c.byID, c.byKey = map[string]cachedActor{}, map[string]string{}
	}
	c.byID[a.ID] = cachedActor{actor: a, fetched: fetched}
	// An actor may only claim keys on its own server; otherwise evil.example
	// could shadow bob.example's key id in this index.
	if a.PublicKeyID != "" && SameOrigin(a.PublicKeyID, a.ID) {
		c.byKey[a.PublicKeyID] = a.ID
	}
}

func (c *actorCache) drop(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byID[id]; ok && e.actor.PublicKeyID != "" {
		delete(c.byKey, e.actor.PublicKeyID)
	}
	delete(c.byID, id)
}

// FetchActor returns a remote actor, from the cache when it was fetched
// less than a day ago and refresh is false, otherwise from its server. A
// document fetched anew that differs from the stored one is handed to the
// profile handler: whatever the refetch was for (the cached copy expired,
// a key rotated), the rooms learn the new name and inboxes with it.
func (s *Service) FetchActor(ctx context.Context, id string, refresh bool) (*vocab.Actor, error) {
	if !refresh {
		if a, ok := s.cachedActor(ctx, id); ok {
			return a, nil
		}
	}
	a, changed, err := s.fetchActor(ctx, id)
	if err != nil {
		return nil, err
	}
	if changed {
		if p := s.h().profiles; p != nil {
			if err := p.ActorUpdated(ctx, a); err != nil {
				// The fetch itself succeeded; the next change tries again.
				slog.Warn("refresh actor snapshots", "actor", a.ID, "err", err)
			}
		}
	}
	return a, nil
}

// fetchActor fetches an actor from its server and stores it; changed tells
// whether the document differs from the one stored before (or none was).
func (s *Service) fetchActor(ctx context.Context, id string) (a *vocab.Actor, changed bool, err error) {
	body, _, final, err := s.get(ctx, id, "")
	if err != nil {
		return nil, false, fmt.Errorf("fetch actor: %w", err)
	}
	a, err = vocab.ParseActor(body)
	if err != nil {
		return nil, false, fmt.Errorf("fetch actor %s: %w", id, err)
	}
	// A server speaks only for its own origin: an actor document claiming
	// an id elsewhere, or served from elsewhere after a redirect, is not
	// believed. (Unlike an object, an actor is not fetched again from the
	// id it names: callers key what they keep by the id they asked for.)
	if !SameOrigin(a.ID, id) || !SameOrigin(a.ID, final) {
		return nil, false, fmt.Errorf("fetch actor %s: document for %s served by %s: %w", id, a.ID, originOf(final), errForeignOrigin)
	}
	if a.Inbox == "" {
		return nil, false, fmt.Errorf("fetch actor %s: not an actor (no inbox)", id)
	}
	s.confirmHandle(ctx, a)
	changed, err = s.storeActor(ctx, a, body)
	if err != nil {
		return nil, false, err
	}
	return a, changed, nil
}

// actorUpdated answers an Update of an actor by the actor itself. The
// embedded document is not believed: the actor's server is asked, and
// what it serves goes to the rooms' snapshots even when the stored copy
// already had it (they may lag behind it).
func (s *Service) actorUpdated(ctx context.Context, profiles ProfileHandler, actorID string) error {
	a, _, err := s.fetchActor(ctx, actorID)
	if err != nil {
		slog.Warn("inbox: refresh updated actor", "actor", actorID, "err", err)
		return nil
	}
	if profiles == nil {
		return nil
	}
	if err := profiles.ActorUpdated(ctx, a); err != nil {
		return fmt.Errorf("update of %s: %w", actorID, err)
	}
	return nil
}

// cachedActor looks in memory and then in the table.
func (s *Service) cachedActor(ctx context.Context, id string) (*vocab.Actor, bool) {
	now := s.now()
	if e, ok := s.actors.get(id); ok && now.Sub(e.fetched) < actorMaxAge {
		return e.actor, true
	}
	var doc string
	var fetched int64
	err := s.cfg.DB.QueryRowContext(ctx, `SELECT document, fetched FROM remote_actors WHERE id = ?`, id).Scan(&doc, &fetched)
	if err != nil || now.Sub(time.Unix(fetched, 0)) >= actorMaxAge {
		return nil, false
	}
	a, err := vocab.ParseActor([]byte(doc))
	if err != nil {
		return nil, false
	}
	s.applyStoredHandle(ctx, a)
	s.actors.put(a, time.Unix(fetched, 0))
	return a, true
}

// storeActor keeps a fetched actor document and tells whether it differs
// from the one stored before.
func (s *Service) storeActor(ctx context.Context, a *vocab.Actor, doc []byte) (changed bool, err error) {
	now := s.now()
	var old string
	err = s.cfg.DB.QueryRowContext(ctx, `SELECT document FROM remote_actors WHERE id = ?`, a.ID).Scan(&old)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("store actor %s: %w", a.ID, err)
	}
	changed = old != string(doc)
	_, err = s.cfg.DB.ExecContext(ctx, `INSERT INTO remote_actors(id, key_id, document, fetched) VALUES(?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET key_id = excluded.key_id, document = excluded.document, fetched = excluded.fetched`,
		a.ID, a.PublicKeyID, string(doc), now.Unix())
	if err != nil {
		return false, fmt.Errorf("store actor %s: %w", a.ID, err)
	}
	s.actors.put(a, now)
	return changed, nil
}

// forgetActor drops a deleted actor from the cache.
func (s *Service) forgetActor(ctx context.Context, id string) error {
	s.actors.drop(id)
	if _, err := s.cfg.DB.ExecContext(ctx, `DELETE FROM remote_actors WHERE id = ?`, id); err != nil {
		return fmt.Errorf("forget actor %s: %w", id, err)
	}
	if _, err := s.cfg.DB.ExecContext(ctx, `DELETE FROM remote_handles WHERE actor_id = ?`, id); err != nil {
		return fmt.Errorf("forget actor %s: %w", id, err)
	}
	return nil
}

// FetchObject fetches a remote object (a post being boosted or replied
// to) from its own origin, and refuses one whose author is elsewhere. Its
// id may differ from the IRI asked for: a URL that led to the object's
// real id (see fetchFromOrigin).
func (s *Service) FetchObject(ctx context.Context, id string) (*vocab.Object, error) {
	var o *vocab.Object
	err := s.fetchFromOrigin(ctx, id, func(body []byte) (string, error) {
		var err error
		o, err = vocab.ParseObject(body)
		if err != nil {
			return "", err
		}
		return o.ID, nil
	})
	if err != nil {
		return nil, fmt.Errorf("fetch object: %w", err)
	}
	if err := checkAuthorOrigin(o); err != nil {
		return nil, fmt.Errorf("fetch object %s: %w", id, err)
	}
	return o, nil
}

// resolveKey is the verifier's KeyResolver. Mastodon-style key ids are the
// actor's id with a #main-key fragment; GoToSocial's are a path of their
// own (/users/x/main-key) that serves a stub naming the owner, and some
// servers serve a bare key document with an "owner". Either way the key is
// trusted only when the owner's actor document publishes it under that id.
func (s *Service) resolveKey(ctx context.Context, keyID string, refresh bool) (crypto.PublicKey, string, error) {
	if !refresh {
		if a, ok := s.storedKeyOwner(ctx, keyID); ok {
			return s.actors.keyOf(a, keyID)
		}
	}
	// Anything further asks the key's server, which is rationed (see
	// key_fetches.go): a forged signature must not cost a fetch each.
	// A peer delivers from several connections at once: the requests that
	// need the same key while it is being fetched wait for that fetch
	// rather than being refused as "fetched just now". The fetch does not
	// end with the request that started it, so the others still get it.
	v, err, _ := s.keyFetches.flight.Do(keyID, func() (any, error) {
		now := s.now()
		if err := s.keyFetches.admit(keyID, now); err != nil {
			// Fetched just now (perhaps by a request that was checking
			// the cache as this one did): what it brought is the answer.
			if a, ok := s.storedKeyOwner(ctx, keyID); ok && errors.Is(err, errFetchedJustNow) {
				pub, owner, err := s.actors.keyOf(a, keyID)
				return resolvedKey{pub, owner}, err
			}
			return nil, fmt.Errorf("resolve key %s: %w", keyID, err)
		}
		pub, owner, err := s.fetchKey(context.WithoutCancel(ctx), keyID)
		s.keyFetches.fetched(keyID, now, err)
		return resolvedKey{pub, owner}, err
	})
	if err != nil {
		return nil, "", err
	}
	k := v.(resolvedKey)
	return k.pub, k.owner, nil
}

type resolvedKey struct {
	pub   crypto.PublicKey
	owner string
}

// storedKeyOwner is the actor that publishes keyID, from the memory cache
// or the table, when it was fetched less than actorMaxAge ago.
func (s *Service) storedKeyOwner(ctx context.Context, keyID string) (*vocab.Actor, bool) {
	if e, ok := s.actors.byKeyID(keyID); ok && s.now().Sub(e.fetched) < actorMaxAge {
		return e.actor, true
	}
	owner, err := s.keyOwnerFromTable(ctx, keyID)
	if err != nil {
		return nil, false
	}
	a, ok := s.cachedActor(ctx, owner)
	return a, ok && a.PublicKeyID == keyID
}

// fetchKey asks the key's server for the actor that publishes it.
func (s *Service) fetchKey(ctx context.Context, keyID string) (crypto.PublicKey, string, error) {
	docURL, _, _ := strings.Cut(keyID, "#")
	if a, err := s.FetchActor(ctx, docURL, true); err == nil && a.PublicKeyID == keyID {
		return s.actors.keyOf(a, keyID)
	}
	owner, err := s.keyDocumentOwner(ctx, docURL)
	if err != nil {
		return nil, "", fmt.Errorf("resolve key %s: %w", keyID, err)
	}
	a, err := s.FetchActor(ctx, owner, true)
	if err != nil {
		return nil, "", fmt.Errorf("resolve key %s: %w", keyID, err)
	}
	return s.actors.keyOf(a, keyID)
}

func (s *Service) keyOwnerFromTable(ctx context.Context, keyID string) (string, error) {
	var id string
	err := s.cfg.DB.QueryRowContext(ctx, `SELECT id FROM remote_actors WHERE key_id = ?`, keyID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return id, err
}

// keyDocumentOwner fetches a key id's document and names the actor that
// owns the key: "owner" of a bare key, or the id of an actor stub.
func (s *Service) keyDocumentOwner(ctx context.Context, docURL string) (string, error) {
	body, _, err := s.Get(ctx, docURL, "")
	if err != nil {
		return "", err
	}
	var doc struct {
		ID        string `json:"id"`
		Owner     string `json:"owner"`
		PublicKey struct {
			Owner string `json:"owner"`
		} `json:"publicKey"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return "", fmt.Errorf("key document %s: %w", docURL, err)
	}
	for _, owner := range []string{doc.Owner, doc.PublicKey.Owner, doc.ID} {
		if owner != "" && owner != docURL && SameOrigin(owner, docURL) {
			return owner, nil
		}
	}
	return "", fmt.Errorf("key document %s names no owner", docURL)
}

// keyOf returns the actor's key when it is published under keyID.
func (c *actorCache) keyOf(a *vocab.Actor, keyID string) (crypto.PublicKey, string, error) {
	if a.PublicKeyID != keyID || a.PublicKeyPEM == "" || !SameOrigin(keyID, a.ID) {
		return nil, "", fmt.Errorf("actor %s does not publish key %s", a.ID, keyID)
	}
	if a.PublicKeyOwner != "" && a.PublicKeyOwner != a.ID {
		return nil, "", fmt.Errorf("key %s is owned by %s, not by %s", keyID, a.PublicKeyOwner, a.ID)
	}
	pub, err := c.parsedKey(a.PublicKeyPEM)
	if err != nil {
		return nil, "", fmt.Errorf("key %s: %w", keyID, err)
	}
	return pub, a.ID, nil
}

// parsedKey parses a PEM public key once: every signed request from a
// peer carries the same key, and parsing it is a fifth of verifying.
func (c *actorCache) parsedKey(pemText string) (crypto.PublicKey, error) {
	c.mu.Lock()
	pub, ok := c.keys[pemText]
	c.mu.Unlock()
	if ok {
		return pub, nil
	}
	pub, err := httpsig.ParsePublicKeyPEM(pemText)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.keys) >= c.max {
		c.keys = map[string]crypto.PublicKey{}
	}
	c.keys[pemText] = pub
	return pub, nil
}

// FetchCollection fetches a collection or one of its pages (a post's
// replies) from its own origin. A page that names no id of its own is
// taken as the IRI that served it.
func (s *Service) FetchCollection(ctx context.Context, id string) (*vocab.Collection, error) {
	var c *vocab.Collection
	err := s.fetchFromOrigin(ctx, id, func(body []byte) (string, error) {
		var err error
		c, err = vocab.ParseCollection(body)
		if err != nil {
			return "", err
		}
		if c.ID == "" {
			return id, nil
		}
		return c.ID, nil
	})
	if err != nil {
		return nil, fmt.Errorf("fetch collection: %w", err)
	}
	return c, nil
}
