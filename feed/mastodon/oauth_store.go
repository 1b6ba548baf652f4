package mastodon

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
)

// app is a registered client application.
type app struct {
	ID           int64
	Name         string
	Website      string
	RedirectURIs []string
	Scopes       []string
	ClientID     string
	ClientSecret string
	Created      time.Time
}

func randomSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (a *API) createApp(ctx context.Context, ap *app) error {
	ap.ClientID, ap.ClientSecret, ap.Created = randomSecret(), randomSecret(), a.cfg.Now()
	err := a.db.QueryRowContext(ctx, `INSERT INTO mastodon_apps (name, website, redirect_uris, scopes, client_id, client_secret, created)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, ap.Name, ap.Website, strings.Join(ap.RedirectURIs, "\n"),
		strings.Join(ap.Scopes, " "), ap.ClientID, ap.ClientSecret, ap.Created.Unix()).Scan(&ap.ID)
	if err != nil {
		return fmt.Errorf("create app: %w", err)
	}
	return nil
}

const appColumns = `id, name, website, redirect_uris, scopes, client_id, client_secret, created`

func scanApp(row interface{ Scan(...any) error }) (app, error) {
	var ap app
	var uris, scopes string
	var created int64
	err := row.Scan(&ap.ID, &ap.Name, &ap.Website, &uris, &scopes, &ap.ClientID, &ap.ClientSecret, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return ap, ErrNotFound
	}
	ap.RedirectURIs = strings.Split(uris, "\n")
	ap.Scopes = strings.Fields(scopes)
	ap.Created = time.Unix(created, 0)
	return ap, err
}

func (a *API) appByClientID(ctx context.Context, clientID string) (app, error) {
	return scanApp(a.db.QueryRowContext(ctx, `SELECT `+appColumns+` FROM mastodon_apps WHERE client_id = ?`, clientID))
}

func (a *API) appByID(ctx context.Context, id int64) (app, error) {
	return scanApp(a.db.QueryRowContext(ctx, `SELECT `+appColumns+` FROM mastodon_apps WHERE id = ?`, id))
}

// codeLifetime is how long an authorization code may wait to be exchanged.
const codeLifetime = 10 * time.Minute

func (a *API) createCode(ctx context.Context, appID int64, redirectURI string, scopes []string, challenge string) (string, error) {
	code := randomSecret()
	_, err := a.db.ExecContext(ctx, `INSERT INTO mastodon_codes (hash, app_id, redirect_uri, scopes, challenge, expires)
		VALUES (?, ?, ?, ?, ?, ?)`, hashSecret(code), appID, redirectURI, strings.Join(scopes, " "), challenge,
		a.cfg.Now().Add(codeLifetime).Unix())
	if err != nil {
		return "", fmt.Errorf("create code: %w", err)
	}
	return code, nil
}

type authCode struct {
	appID int64
	// redirectURI is the one the authorization request named, which the
	// token request must repeat; "" when it named none.
	redirectURI string
	scopes      []string
	challenge   string
}

// takeCode reads and deletes a code: a code works once.
func (a *API) takeCode(ctx context.Context, code string) (authCode, error) {
	var c authCode
	var scopes string
	var expires int64
	h := hashSecret(code)
	err := a.db.QueryRowContext(ctx, `DELETE FROM mastodon_codes WHERE hash = ? RETURNING app_id, redirect_uri, scopes, challenge, expires`, h).
		Scan(&c.appID, &c.redirectURI, &scopes, &c.challenge, &expires)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && expires < a.cfg.Now().Unix()) {
		return c, ErrNotFound
	}
	c.scopes = strings.Fields(scopes)
	return c, err
}

func (a *API) createToken(ctx context.Context, appID int64, scopes []string, owner bool) (string, time.Time, error) {
	secret := randomSecret()
	now := a.cfg.Now()
	_, err := a.db.ExecContext(ctx, `INSERT INTO mastodon_tokens (hash, app_id, scopes, owner, created) VALUES (?, ?, ?, ?, ?)`,
		hashSecret(secret), appID, strings.Join(scopes, " "), owner, now.Unix())
	if err != nil {
		return "", now, fmt.Errorf("create token: %w", err)
	}
	return secret, now, nil
}

// tokenByHash reads a token by the hash of its secret.
func (a *API) tokenByHash(ctx context.Context, hash string) (*token, error) {
	var t token
	var scopes string
	err := a.db.QueryRowContext(ctx, `SELECT id, app_id, scopes, owner FROM mastodon_tokens WHERE hash = ?`, hash).
		Scan(&t.id, &t.appID, &scopes, &t.owner)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read token: %w", err)
	}
	t.scopes = strings.Fields(scopes)
	return &t, nil
}

func (a *API) revokeToken(ctx context.Context, secret string, appID int64) error {
	_, err := a.db.ExecContext(ctx, `DELETE FROM mastodon_tokens WHERE hash = ? AND app_id = ?`, hashSecret(secret), appID)
	a.forgetTokens()
	return err
}

// authorizedApp is a row of the owner's settings page.
type authorizedApp struct {
	App    app
	Scopes string
	Tokens int
	Since  time.Time
}

func (a *API) authorizedApps(ctx context.Context) ([]authorizedApp, error) {
	rows, err := a.db.QueryContext(ctx, `SELECT a.id, a.name, a.website, MAX(t.scopes), COUNT(*), MIN(t.created)
		FROM mastodon_tokens t JOIN mastodon_apps a ON a.id = t.app_id WHERE t.owner = 1
		GROUP BY a.id, a.name, a.website ORDER BY MIN(t.created) DESC`)
	if err != nil {
		return nil, fmt.Errorf("authorized apps: %w", err)
	}
	defer rows.Close()
	var out []authorizedApp
	for rows.Next() {
		var x authorizedApp
		var since int64
		if err := rows.Scan(&x.App.ID, &x.App.Name, &x.App.Website, &x.Scopes, &x.Tokens, &since); err != nil {
			return nil, fmt.Errorf("authorized apps: %w", err)
		}
		x.Since = time.Unix(since, 0)
		out = append(out, x)
	}
	return out, rows.Err()
}

func (a *API) revokeApp(ctx context.Context, appID int64) error {
	_, err := a.db.ExecContext(ctx, `DELETE FROM mastodon_tokens WHERE app_id = ?`, appID)
	a.forgetTokens()
	if err != nil {
		return fmt.Errorf("revoke app: %w", err)
	}
	return nil
}
