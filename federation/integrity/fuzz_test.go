package integrity

import "testing"

// FuzzVerify feeds arbitrary documents to the verifier, which reads what
// strangers send: it must answer with an error, never panic.
func FuzzVerify(f *testing.F) {
	f.Add([]byte(vcSigned))
	f.Add([]byte(fep8b32Unsigned))
	f.Add([]byte(`{"proof":[{"type":"DataIntegrityProof","cryptosuite":"eddsa-jcs-2022","verificationMethod":"x","proofValue":"z"}]}`))
	f.Add([]byte(`{"@context":{"a":"b"},"proof":{"type":"DataIntegrityProof","cryptosuite":"eddsa-jcs-2022","@context":[1],"proofValue":"z1"}}`))
	pub, err := DecodePublicKey(vectorPublic)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Decode(data)
		if err != nil {
			return
		}
		ProofOf(doc)
		// A document that verifies has a proof the rest of the site can read.
		if Verify(doc, pub) == nil {
			if _, err := ProofOf(doc); err != nil {
				t.Errorf("verified a document whose proof does not parse: %s", data)
			}
		}
	})
}
