package httpsig

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
)

// ParsePublicKeyPEM parses an actor's publicKeyPem. ActivityPub servers
// publish SubjectPublicKeyInfo ("PUBLIC KEY"); a few older ones publish a
// bare PKCS#1 RSA key ("RSA PUBLIC KEY"), so both are accepted.
func ParsePublicKeyPEM(data string) (crypto.PublicKey, error) {
	block, _ := pem.Decode([]byte(data))
	if block == nil {
		return nil, errors.New("parse public key: no PEM block")
	}
	switch block.Type {
	case "PUBLIC KEY":
		pub, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parse public key: %w", err)
		}
		return pub, nil
	case "RSA PUBLIC KEY":
		pub, err := x509.ParsePKCS1PublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parse public key: %w", err)
		}
		return pub, nil
	}
	return nil, fmt.Errorf("parse public key: unexpected PEM type %q", block.Type)
}
