package broadcast

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/claims"
	"github.com/opkit-dev/opkit/transcoder/node"
)

// Errors callers act on.
var (
	// ErrRefused: the node answered the segment with a final 4xx (not 408
	// or 429); sending it again cannot help. The error is a *RefusedError.
	ErrRefused = errors.New("segment refused")
	// ErrGaveUp: the segment was still failing with retryable errors when
	// its retry budget (Config.RetryTimeout) ran out.
	ErrGaveUp = errors.New("gave up on segment")
)

// RefusedError is a final answer of the node to one segment.
type RefusedError struct {
	Status  int    // HTTP status, e.g. 409, 410, 422
	Code    string // the node's error code, e.g. "receipt_conflict", "job_ended", "corrupt"
	Message string
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("%v: %d %s: %s", ErrRefused, e.Status, e.Code, e.Message)
}

// Is makes errors.Is(err, ErrRefused) hold.
func (e *RefusedError) Is(target error) bool { return target == ErrRefused }

// Retry reasons, the keys of Summary.RetriesBy.
const (
	RetryBusy        = "busy"         // 429
	RetryUnavailable = "unavailable"  // 503
	RetryTimeout     = "timeout"      // 408
	RetryServer      = "server_error" // other 5xx
	RetryTransport   = "transport"    // no answer: connection refused, reset, timed out
	RetryLostAnswer  = "lost_answer"  // 200 whose body broke off or did not verify
)

const (
	attemptTimeout  = 5 * time.Minute // one upload, transcode and answer; the node's own limits are shorter
	minBackoff      = 250 * time.Millisecond
	maxBackoff      = 5 * time.Second
	defaultRetryGap = time.Second // a 429/503 without Retry-After
)

// sender posts one stream's segments to a node.
type sender struct {
	cfg     *Config
	segBase string // node URL + /v1/streams/<stream>/segments/
	log     *zap.Logger
	sends   int
	retries map[string]int
}

// signed is a segment ready to go: the same bytes and signature on every try.
type signed struct {
	Segment
	sig string // 0x + hex of the 65-byte signature
}

func (s *sender) sign(seg Segment) (signed, error) {
	h := claims.SegmentHash(s.cfg.Stream, uint64(seg.Seq), crypto.Keccak256Hash(seg.Data))
	sig, err := s.cfg.Sign(h)
	if err != nil {
		return signed{}, fmt.Errorf("sign segment %d: %w", seg.Seq, err)
	}
	return signed{Segment: seg, sig: "0x" + hex.EncodeToString(sig)}, nil
}

// send delivers seg and returns the node's verified answer, retrying
// within the retry budget. The error wraps ErrRefused, ErrGaveUp, or the
// context's error when ctx ended first.
func (s *sender) send(ctx context.Context, seg signed) (*node.Response, error) {
	deadline := s.cfg.now().Add(s.cfg.RetryTimeout)
	backoff := minBackoff
	for attempt := 1; ; attempt++ {
		resp, wait, reason, err := s.try(ctx, seg)
		if err == nil {
			return resp, nil
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("segment %d: %w", seg.Seq, ctx.Err())
		}
		if reason == "" {
			return nil, fmt.Errorf("segment %d: %w", seg.Seq, err)
		}
		if wait == 0 {
			wait, backoff = backoff, min(2*backoff, maxBackoff)
		}
		if s.cfg.now().Add(wait).After(deadline) {
			return nil, fmt.Errorf("segment %d: %w after %d tries in %v: %w", seg.Seq, ErrGaveUp, attempt, s.cfg.RetryTimeout, err)
		}
		s.retries[reason]++
		s.log.Info("retrying segment", zap.Int("seq", seg.Seq), zap.String("reason", reason),
			zap.Duration("wait", wait), zap.Int("attempt", attempt), zap.Error(err))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("segment %d: %w", seg.Seq, ctx.Err())
		case <-t.C:
		}
	}
}

// try is one POST of seg. On failure reason names a retryable failure
// ("" when final) and wait is the node's Retry-After (0 for a backoff).
func (s *sender) try(ctx context.Context, seg signed) (_ *node.Response, wait time.Duration, reason string, _ error) {
	ctx, cancel := context.WithTimeout(ctx, attemptTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.segBase+strconv.Itoa(seg.Seq), bytes.NewReader(seg.Data))
	if err != nil {
		return nil, 0, "", fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+s.cfg.Secret)
	req.Header.Set("Content-Type", "video/mp2t")
	req.Header.Set(node.HeaderLadder, s.cfg.Ladder)
	req.Header.Set(node.HeaderJobID, strconv.FormatUint(s.cfg.Job, 10))
	req.Header.Set(node.HeaderBroadcasterSig, seg.sig)
	s.sends++
	resp, err := s.cfg.Client.Do(req)
	if err != nil {
		return nil, 0, RetryTransport, fmt.Errorf("post: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		r, err := node.ReadResponse(resp.Header.Get("Content-Type"), resp.Body)
		if err != nil {
			return nil, 0, RetryLostAnswer, fmt.Errorf("read answer: %w", err)
		}
		if r.Result.Stream != s.cfg.Stream || r.Result.Seq != seg.Seq {
			return nil, 0, RetryLostAnswer, fmt.Errorf("%w: answer for stream %q segment %d", node.ErrBadResponse, r.Result.Stream, r.Result.Seq)
		}
		return r, 0, "", nil
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var e struct {
		Error string `json:"error"`
		Code  string `json:"code"`
	}
	if json.Unmarshal(body, &e) != nil || e.Error == "" {
		e.Error = strings.TrimSpace(string(body))
	}
	err = fmt.Errorf("node answered %d %s: %s", resp.StatusCode, e.Code, e.Error)
	switch st := resp.StatusCode; {
	case st == http.StatusTooManyRequests:
		return nil, retryAfter(resp.Header.Get("Retry-After"), s.cfg.now()), RetryBusy, err
	case st == http.StatusServiceUnavailable:
		return nil, retryAfter(resp.Header.Get("Retry-After"), s.cfg.now()), RetryUnavailable, err
	case st == http.StatusRequestTimeout:
		return nil, 0, RetryTimeout, err
	case st >= 500:
		return nil, 0, RetryServer, err
	default:
		return nil, 0, "", &RefusedError{Status: st, Code: e.Code, Message: e.Error}
	}
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return defaultRetryGap
	}
	if n, err := strconv.Atoi(h); err == nil && n >= 0 {
		return max(time.Duration(n)*time.Second, minBackoff)
	}
	if t, err := http.ParseTime(h); err == nil {
		return max(t.Sub(now), minBackoff)
	}
	return defaultRetryGap
}

// segmentsBase is the segment URL of stream on the node at base, without
// the sequence number.
func segmentsBase(base, stream string) string {
	return strings.TrimRight(base, "/") + "/v1/streams/" + url.PathEscape(stream) + "/segments/"
}
