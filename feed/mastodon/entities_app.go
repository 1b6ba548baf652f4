package mastodon

// appEntity is Mastodon's Application as verify_credentials shows it;
// vapidKey is the site's VAPID public key, which apps of before Mastodon
// 4.3 read here rather than from the instance.
func appEntity(ap app, vapidKey string) map[string]any {
	uri := ""
	if len(ap.RedirectURIs) > 0 {
		uri = ap.RedirectURIs[0]
	}
	var website any
	if ap.Website != "" {
		website = ap.Website
	}
	return map[string]any{
		"id": idString(ap.ID), "name": ap.Name, "website": website, "scopes": ap.Scopes,
		"redirect_uri": uri, "redirect_uris": ap.RedirectURIs, "vapid_key": vapidKey,
	}
}

// credentialAppEntity adds the client credentials, shown once at registration.
func credentialAppEntity(ap app, vapidKey string) map[string]any {
	e := appEntity(ap, vapidKey)
	e["client_id"], e["client_secret"] = ap.ClientID, ap.ClientSecret
	e["client_secret_expires_at"] = 0
	// Several apps send one redirect URI and read back redirect_uri as they
	// sent it, newline-joined when there were several.
	e["redirect_uri"] = joinLines(ap.RedirectURIs)
	return e
}

func joinLines(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += "\n"
		}
		out += x
	}
	return out
}
