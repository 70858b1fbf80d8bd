package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/opkit-dev/opkit/claims"
	"github.com/opkit-dev/opkit/transcoder/node"
)

// faultClient is the broadcaster of the fault suite: it sends each segment
// of one stream until the node answers it, disconnects when told to, and
// sends every answered segment once more, as a client that missed the
// answer would. It counts what an operator would call a loss.
type faultClient struct {
	base, secret, stream string
	job                  uint64
	key                  *ecdsa.PrivateKey
	http                 *http.Client
	giveUp               time.Duration // a segment not answered by then is lost

	mu          sync.Mutex
	receipts    map[int]string // seq -> receipt hash of its first answer
	lost        []int
	conflicts   int // 409 receipt_conflict, or a repeat answered with another receipt
	outOfOrder  int // 409 out_of_order for a segment the client had not had answered
	disconnects int
	attempts    int
	lastErr     map[int]string
}

func newFaultClient(base, secret string, job uint64, key *ecdsa.PrivateKey) *faultClient {
	return &faultClient{base: base, secret: secret, stream: "fault-stream", job: job, key: key,
		http: &http.Client{Timeout: 60 * time.Second}, giveUp: 90 * time.Second,
		receipts: map[int]string{}, lastErr: map[int]string{}}
}

// send delivers segment seq: with disconnect, the first try is abandoned
// shortly after the upload; then tries until an answer (honouring 429 and
// 503), then a repeat that must be answered with the same receipt.
func (c *faultClient) send(ctx context.Context, seq int, data []byte, disconnect bool) {
	sig, err := claims.SignSegment(c.key, claims.SegmentHash(c.stream, uint64(seq), crypto.Keccak256Hash(data)))
	if err != nil {
		c.fail(seq, err.Error())
		return
	}
	if disconnect {
		c.abandon(ctx, seq, data, sig)
	}
	first, ok := c.until(ctx, seq, data, sig)
	if !ok {
		c.mu.Lock()
		c.lost = append(c.lost, seq)
		c.mu.Unlock()
		return
	}
	c.mu.Lock()
	c.receipts[seq] = first
	c.mu.Unlock()
	again, ok := c.until(ctx, seq, data, sig)
	if !ok || again != first {
		c.mu.Lock()
		c.conflicts++
		c.lastErr[seq] = fmt.Sprintf("repeat answered with receipt %q, first %q (answered %v)", again, first, ok)
		c.mu.Unlock()
	}
}

// abandon starts a try and goes away before the answer.
func (c *faultClient) abandon(ctx context.Context, seq int, data, sig []byte) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
	defer cancel()
	_, _, _, _ = c.try(ctx, seq, data, sig)
	c.mu.Lock()
	c.disconnects++
	c.mu.Unlock()
}

// until tries seq until the node answers it with 200, and returns the
// answer's receipt hash; false once giveUp has passed.
func (c *faultClient) until(ctx context.Context, seq int, data, sig []byte) (string, bool) {
	deadline := time.Now().Add(c.giveUp)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		status, code, receipt, wait := c.try(ctx, seq, data, sig)
		switch {
		case status == http.StatusOK:
			return receipt, true
		case status == http.StatusConflict && code == "receipt_conflict":
			c.mu.Lock()
			c.conflicts++
			c.mu.Unlock()
			return "", false
		case status == http.StatusConflict && code == "out_of_order":
			c.mu.Lock()
			c.outOfOrder++
			c.mu.Unlock()
		}
		if wait <= 0 {
			wait = 100 * time.Millisecond
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
	return "", false
}

// try posts the segment once: the status (0 for a transport failure), the
// error code of a refusal, the receipt of an answer, and the Retry-After.
func (c *faultClient) try(ctx context.Context, seq int, data, sig []byte) (int, string, string, time.Duration) {
	c.mu.Lock()
	c.attempts++
	c.mu.Unlock()
	url := c.base + "/v1/streams/" + c.stream + "/segments/" + strconv.Itoa(seq)
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(data))
	req.Header.Set("Authorization", "Bearer "+c.secret)
	req.Header.Set("Content-Type", "video/mp2t")
	req.Header.Set(node.HeaderJobID, strconv.FormatUint(c.job, 10))
	req.Header.Set(node.HeaderBroadcasterSig, "0x"+hex.EncodeToString(sig))
	resp, err := c.http.Do(req)
	if err != nil {
		c.note(seq, err.Error())
		return 0, "", "", 0
	}
	defer resp.Body.Close()
	wait, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		c.note(seq, fmt.Sprintf("%d %s", resp.StatusCode, strings.TrimSpace(string(body))))
		return resp.StatusCode, errorCode(body), "", time.Duration(wait) * time.Second
	}
	r, err := node.ReadResponse(resp.Header.Get("Content-Type"), resp.Body)
	if err != nil {
		c.note(seq, err.Error())
		return 0, "", "", 0
	}
	return http.StatusOK, "", r.Result.Receipt, 0
}

// errorCode reads the "error" code of a refusal's JSON body.
func errorCode(body []byte) string {
	for _, code := range []string{"receipt_conflict", "out_of_order"} {
		if bytes.Contains(body, []byte(`"`+code+`"`)) {
			return code
		}
	}
	return ""
}

func (c *faultClient) note(seq int, msg string) {
	c.mu.Lock()
	c.lastErr[seq] = msg
	c.mu.Unlock()
}

func (c *faultClient) fail(seq int, msg string) {
	c.mu.Lock()
	c.lost = append(c.lost, seq)
	c.lastErr[seq] = msg
	c.mu.Unlock()
}

// faultClientStats is what the client counted.
type faultClientStats struct {
	Answered, Lost, Conflicts, OutOfOrder, Disconnects, Attempts int
	LostSeqs                                                     []int
	Errors                                                       map[int]string
}

func (c *faultClient) stats() faultClientStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	errs := map[int]string{}
	for _, s := range c.lost {
		errs[s] = c.lastErr[s]
	}
	return faultClientStats{Answered: len(c.receipts), Lost: len(c.lost), Conflicts: c.conflicts,
		OutOfOrder: c.outOfOrder, Disconnects: c.disconnects, Attempts: c.attempts,
		LostSeqs: append([]int(nil), c.lost...), Errors: errs}
}
