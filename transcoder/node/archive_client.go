package node

import (
	"bytes"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/opkit-dev/opkit/claims/archive"
)

// DefaultArchiveMaxBytes bounds one archive answer a client reads: the
// renditions a node with the default --max-segment-bytes (64 MiB) may keep
// for one segment (8 times its input). A node under verification cannot make
// its verifier hold more.
const DefaultArchiveMaxBytes = 512 << 20

// ArchiveClient fetches a node's kept segments over its archive API, as a
// verifier on another host does. It checks every answer against the hash
// it asked for, as a local archive does: a not-found answer wraps
// archive.ErrNotFound, bytes that do not hash to the claim
// archive.ErrCorrupt; anything else is temporary.
type ArchiveClient struct {
	base     string
	secret   []byte
	client   *http.Client
	maxBytes int64
}

// NewArchiveClient is a client of the node at base (http:// or https://)
// with the node's verifier secret; roots, when set, are the CAs trusted
// for https.
func NewArchiveClient(base string, secret []byte, roots *x509.CertPool) (*ArchiveClient, error) {
	if !strings.HasPrefix(base, "http://") && !strings.HasPrefix(base, "https://") {
		return nil, fmt.Errorf("archive client: node URL %q: want http:// or https://", base)
	}
	if len(secret) < MinSecretLen {
		return nil, fmt.Errorf("archive client: the verifier secret must be at least %d bytes", MinSecretLen)
	}
	return &ArchiveClient{
		base: strings.TrimRight(base, "/"), secret: secret, maxBytes: DefaultArchiveMaxBytes,
		client: &http.Client{Transport: workerTransport(roots), Timeout: time.Minute},
	}, nil
}

// Source returns the source of segment seg of job that hashes to dataHash.
func (c *ArchiveClient) Source(job, seg uint64, dataHash common.Hash) ([]byte, error) {
	resp, err := c.get(job, seg, "source", dataHash)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("archive client: read source: %w", err)
	}
	if int64(len(data)) > c.maxBytes {
		return nil, fmt.Errorf("%w: source above %d bytes", archive.ErrTooLarge, c.maxBytes)
	}
	if err := archive.CheckSource(job, seg, data, dataHash); err != nil {
		return nil, err
	}
	return data, nil
}

// Renditions returns the renditions of segment seg of job whose
// transcodedDataHash is h, in ladder order.
func (c *ArchiveClient) Renditions(job, seg uint64, h common.Hash) ([]archive.Rendition, error) {
	resp, err := c.get(job, seg, "renditions", h)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.ContentLength > c.maxBytes {
		return nil, fmt.Errorf("%w: renditions of %d bytes, above %d", archive.ErrTooLarge, resp.ContentLength, c.maxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("archive client: read renditions: %w", err)
	}
	if int64(len(body)) > c.maxBytes {
		return nil, fmt.Errorf("%w: renditions above %d bytes", archive.ErrTooLarge, c.maxBytes)
	}
	r, err := ReadResponse(resp.Header.Get("Content-Type"), bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", archive.ErrCorrupt, err)
	}
	rends := make([]archive.Rendition, len(r.Renditions))
	for i, rr := range r.Renditions {
		rends[i] = archive.Rendition{Name: rr.Name, Data: rr.Data}
	}
	if err := archive.CheckRenditions(job, seg, rends, h); err != nil {
		return nil, err
	}
	return rends, nil
}

func (c *ArchiveClient) get(job, seg uint64, kind string, h common.Hash) (*http.Response, error) {
	url := fmt.Sprintf("%s/v1/archive/jobs/%d/segments/%d/%s/0x%s", c.base, job, seg, kind, hex.EncodeToString(h[:]))
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	bearer(req.Header, c.secret)
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("archive client: %s: %w", kind, err)
	}
	if resp.StatusCode == http.StatusOK {
		return resp, nil
	}
	defer resp.Body.Close()
	var body errorBody
	_ = json.NewDecoder(io.LimitReader(resp.Body, 4096)).Decode(&body)
	err = fmt.Errorf("archive client: %s: %s %s: %s", kind, resp.Status, body.Code, body.Error)
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return nil, fmt.Errorf("%w: %w", archive.ErrNotFound, err)
	case body.Code == "archive_corrupt":
		return nil, fmt.Errorf("%w: %w", archive.ErrCorrupt, err)
	}
	return nil, err
}
