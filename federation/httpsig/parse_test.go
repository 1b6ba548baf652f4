package httpsig

import (
	"errors"
	"slices"
	"testing"
)

func TestParseCavage(t *testing.T) {
	tests := []struct {
		name    string
		value   string
		want    cavageParams
		wantErr bool
	}{
		{name: "Mastodon form",
			value: `keyId="https://a.example/u#k",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="c2ln"`,
			want:  cavageParams{keyID: "https://a.example/u#k", algorithm: "rsa-sha256", headers: []string{"(request-target)", "host", "date", "digest"}, signature: "c2ln"}},
		{name: "spaces after commas and upper-case names",
			value: `keyId="k", Algorithm="HS2019", headers="Date Host", signature="c2ln"`,
			want:  cavageParams{keyID: "k", algorithm: "hs2019", headers: []string{"date", "host"}, signature: "c2ln"}},
		{name: "headers absent means date",
			value: `keyId="k",signature="c2ln"`,
			want:  cavageParams{keyID: "k", headers: []string{"date"}, signature: "c2ln"}},
		{name: "comma inside a quoted value",
			value: `keyId="k,1",signature="c2ln"`,
			want:  cavageParams{keyID: "k,1", headers: []string{"date"}, signature: "c2ln"}},
		{name: "unquoted created",
			value: `keyId="k",created=1402170695,headers="(created)",signature="c2ln"`,
			want:  cavageParams{keyID: "k", headers: []string{"(created)"}, signature: "c2ln", created: "1402170695"}},
		{name: "duplicate headers parameter", wantErr: true,
			value: `keyId="k",headers="date",headers="(request-target) date digest",signature="c2ln"`},
		{name: "missing keyId", value: `signature="c2ln"`, wantErr: true},
		{name: "unterminated quote", value: `keyId="k,signature="c2ln`, wantErr: true},
		{name: "junk between parameters", value: `keyId="k" x signature="c2ln"`, wantErr: true},
		{name: "non-numeric created", value: `keyId="k",created=soon,signature="c2ln"`, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseCavage(tc.value)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("parseCavage = %+v, want an error", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseCavage: %v", err)
			}
			if got.keyID != tc.want.keyID || got.algorithm != tc.want.algorithm || got.signature != tc.want.signature ||
				got.created != tc.want.created || !slices.Equal(got.headers, tc.want.headers) {
				t.Errorf("parseCavage = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestCheckDigest(t *testing.T) {
	body := []byte("Hello world")
	const sha256OK = "SHA-256=ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw="
	const sha512OK = "SHA-512=t/eDuu2Cl/DbkXRiGE/08I5pwtXl95qUJgD5cl9Yzh8pwYE5v4CwbA//K900c4RS7PQMSIwip+PYDN9vnBwNRw=="
	tests := []struct {
		header string
		ok     bool
	}{
		{sha256OK, true},
		{"sha-256=ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw=", true},
		{sha512OK, true},
		{sha256OK + ", " + sha512OK, true},
		{"MD5=XrY7u+Ae7tCTyyK7j1rNww==, " + sha256OK, true},
		{"SHA-256=wFNeS+K3n/2TKRMFQ2v4iTFOSj+uwF7P/Lt98xrZ5Ro=", false},
		{sha256OK + ", SHA-512=AAAA", false},
		{"MD5=XrY7u+Ae7tCTyyK7j1rNww==", false},
		{"SHA-256", false},
		{"SHA-256=not base64!", false},
	}
	for _, tc := range tests {
		err := checkDigest(tc.header, body)
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrDigestMismatch)) {
			t.Errorf("checkDigest(%q) = %v, want ok=%v", tc.header, err, tc.ok)
		}
	}
}

func TestCheckContentDigest(t *testing.T) {
	body := []byte(`{"hello": "world"}`)
	tests := []struct {
		values []string
		ok     bool
	}{
		{[]string{contentDigestSHA256(body)}, true},
		// RFC 9421 Appendix B's sha-512 digest of the same body.
		{[]string{"sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:"}, true},
		{[]string{contentDigestSHA256([]byte("other"))}, false},
		{[]string{"md5=:AAAA:"}, false},
		{[]string{"sha-256=\"not bytes\""}, false},
		{[]string{"sha-256=:"}, false},
	}
	for _, tc := range tests {
		err := checkContentDigest(tc.values, body)
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrDigestMismatch)) {
			t.Errorf("checkContentDigest(%q) = %v, want ok=%v", tc.values, err, tc.ok)
		}
	}
}

func TestParsePublicKeyPEM(t *testing.T) {
	bad := []string{
		"",
		"not a key",
		"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
		"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
	}
	for _, data := range bad {
		if pub, err := ParsePublicKeyPEM(data); err == nil {
			t.Errorf("ParsePublicKeyPEM(%q) = %T, want an error", data, pub)
		}
	}
}
