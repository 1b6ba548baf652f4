package federation

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// Verifying a signature may make the site fetch the signer's key, and a
// signature that fails makes it fetch the key again in case it rotated.
// Without limits every forged request costs one outgoing GET: a stranger
// with a loop turns the site into a reflector against any server whose
// key ids it names. So key fetches are rationed, in memory:
//
//   - per key id, at most one fetch every keyRefetchEvery, whatever its
//     outcome. Within that time a failed fetch answers with its error (a
//     short negative cache) and a refresh asked for a key fetched just now
//     is refused: the key did not rotate again since.
//   - per host, keyHostBurst fetches at once and keyHostRate a second after
//     that, so that naming ever new key ids on one server does not get
//     round the first limit.
//
// A peer that really rotated its key gets its refetch the first time a
// signature fails with the cached key, unless the key was fetched less
// than keyRefetchEvery ago; its retry of the delivery succeeds after that.
const (
	keyRefetchEvery = time.Minute
	keyHostBurst    = 60
	keyHostRate     = 1.0
	// keyFetchNames bounds the names remembered by each limit.
	keyFetchNames = 10000
)

// errKeyFetchLimited is a key that was not fetched because the signer's
// server was asked for keys too often: the inbox answers 429, so that an
// honest peer tries again later instead of giving up on a 401.
var errKeyFetchLimited = errors.New("too many key fetches from this server")

// errFetchedJustNow is a key fetched successfully less than
// keyRefetchEvery ago: the stored copy is as fresh as a fetch would be.
var errFetchedJustNow = errors.New("key fetched just now")

// keyFetches is the ration of key fetches (see above).
type keyFetches struct {
	// flight joins the requests waiting for the same key id.
	flight singleflight.Group
	mu     sync.Mutex
	last   map[string]keyFetch // by key id
	hosts  *buckets
}

type keyFetch struct {
	at  time.Time
	err error // the fetch's failure, nil when it succeeded
}

func newKeyFetches() *keyFetches {
	return &keyFetches{last: map[string]keyFetch{}, hosts: newBuckets(keyHostRate, keyHostBurst, keyFetchNames)}
}

// admit says whether keyID may be fetched from its server at now; when it
// may not, the error says why: the previous fetch's failure, a fetch just
// made, or the host's ration spent (a *keyFetchLimitedError).
func (k *keyFetches) admit(keyID string, now time.Time) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if prev, ok := k.last[keyID]; ok && now.Sub(prev.at) < keyRefetchEvery {
		if prev.err != nil {
			return fmt.Errorf("fetched %s ago and failed: %w", now.Sub(prev.at).Round(time.Second), prev.err)
		}
		return fmt.Errorf("%w (%s ago); not fetched again before %s", errFetchedJustNow, now.Sub(prev.at).Round(time.Second), keyRefetchEvery)
	}
	ok, wait, _ := k.hosts.take(keyHost(keyID), now)
	if !ok {
		return &keyFetchLimitedError{retry: wait}
	}
	if len(k.last) >= keyFetchNames {
		for id, f := range k.last {
			if now.Sub(f.at) >= keyRefetchEvery {
				delete(k.last, id)
			}
		}
		if len(k.last) >= keyFetchNames {
			clear(k.last)
		}
	}
	k.last[keyID] = keyFetch{at: now}
	return nil
}

// fetched records how the fetch admitted at the same time went.
func (k *keyFetches) fetched(keyID string, at time.Time, err error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.last[keyID] = keyFetch{at: at, err: err}
}

// keyHost is the host a key id would be fetched from; a key id that is not
// a URL is rationed as one host of its own kind.
func keyHost(keyID string) string {
	u, err := url.Parse(keyID)
	if err != nil || u.Host == "" {
		return "invalid"
	}
	return strings.ToLower(u.Host)
}

// keyFetchLimitedError carries the time after which the host may be asked
// again, for the inbox's Retry-After.
type keyFetchLimitedError struct{ retry time.Duration }

func (e *keyFetchLimitedError) Error() string {
	return fmt.Sprintf("%v; try again in %s", errKeyFetchLimited, e.retry.Round(time.Second))
}

func (e *keyFetchLimitedError) Unwrap() error { return errKeyFetchLimited }
