package node

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"
)

// FuzzReadResponse feeds segment answers, as a worker or a node being
// verified may send them, to ReadResponse: it must return a Response whose
// every rendition matches its SHA-256, or an error wrapping ErrBadResponse,
// and never panic.
func FuzzReadResponse(f *testing.F) {
	good := &Response{Result: Result{Stream: "s", Seq: 3}, Renditions: []Rendition{
		{Name: "P144p30fps16x9", Width: 256, Height: 144, Frames: 60, Data: []byte("rendition bytes")},
	}}
	sum := sha256.Sum256(good.Renditions[0].Data)
	good.Renditions[0].SHA256 = hex.EncodeToString(sum[:])
	var buf bytes.Buffer
	ct, err := good.Encode(&buf)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(ct, buf.Bytes())
	f.Add("multipart/mixed; boundary=x", []byte("--x\r\nContent-Type: application/json\r\n\r\n{}\r\n--x--\r\n"))
	f.Add("text/plain", []byte("no"))
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		r, err := ReadResponse(contentType, bytes.NewReader(body))
		if err != nil {
			if !errors.Is(err, ErrBadResponse) {
				t.Fatalf("error %v does not wrap ErrBadResponse", err)
			}
			return
		}
		for _, rr := range r.Renditions {
			s := sha256.Sum256(rr.Data)
			if hex.EncodeToString(s[:]) != rr.SHA256 {
				t.Fatalf("rendition %q accepted with a wrong SHA-256", rr.Name)
			}
		}
	})
}
