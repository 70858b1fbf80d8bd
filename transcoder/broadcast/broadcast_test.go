package broadcast

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/opkit-dev/opkit/claims"
	"github.com/opkit-dev/opkit/ffmpeg"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		name, h string
		want    time.Duration
	}{
		{"absent", "", defaultRetryGap},
		{"seconds", "3", 3 * time.Second},
		{"zero is not a busy loop", "0", minBackoff},
		{"http date", now.Add(7 * time.Second).Format(http.TimeFormat), 7 * time.Second},
		{"date in the past", now.Add(-time.Hour).Format(http.TimeFormat), minBackoff},
		{"garbage", "soon", defaultRetryGap},
		{"negative", "-5", defaultRetryGap},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := retryAfter(tc.h, now); got != tc.want {
				t.Fatalf("retryAfter(%q) = %v, want %v", tc.h, got, tc.want)
			}
		})
	}
}

func TestRefusedError(t *testing.T) {
	err := fmt.Errorf("segment 3: %w", &RefusedError{Status: 409, Code: "receipt_conflict", Message: "another source"})
	var re *RefusedError
	if !errors.Is(err, ErrRefused) || !errors.As(err, &re) || re.Code != "receipt_conflict" || errors.Is(err, ErrGaveUp) {
		t.Fatalf("%v: want ErrRefused carrying the code", err)
	}
}

func TestConfigValidate(t *testing.T) {
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	good := Config{Node: "http://127.0.0.1:8935", Secret: "s3cret-s3cret-s3cret", Stream: "s", Ladder: "P240p30fps16x9",
		Sign: func(h common.Hash) ([]byte, error) { return claims.SignSegment(key, h) }, Source: SyntheticSource{Spec: ffmpeg.SyntheticSpec{Segments: 2}}, OutDir: "/tmp/x", RetryTimeout: time.Minute}
	if err := good.Validate(); err != nil {
		t.Fatalf("good config: %v", err)
	}
	for name, mut := range map[string]func(*Config){
		"node without scheme": func(c *Config) { c.Node = "127.0.0.1:8935" },
		"no secret":           func(c *Config) { c.Secret = "" },
		"no stream":           func(c *Config) { c.Stream = "" },
		"no signer":           func(c *Config) { c.Sign = nil },
		"no segments":         func(c *Config) { c.Source = SyntheticSource{} },
		"no out dir":          func(c *Config) { c.OutDir = "" },
		"zero retry timeout":  func(c *Config) { c.RetryTimeout = 0 },
		"bad ladder":          func(c *Config) { c.Ladder = "P1p" },
	} {
		t.Run(name, func(t *testing.T) {
			c := good
			mut(&c)
			if err := c.Validate(); !errors.Is(err, ErrConfig) {
				t.Fatalf("err = %v, want ErrConfig", err)
			}
		})
	}
}

func TestSegmentsBase(t *testing.T) {
	if got := segmentsBase("http://h:1/", "a b/c"); got != "http://h:1/v1/streams/a%20b%2Fc/segments/" {
		t.Fatalf("segmentsBase = %q", got)
	}
	if !strings.HasSuffix(segmentsBase("http://h:1", "cam1"), "/v1/streams/cam1/segments/") {
		t.Fatal("segmentsBase without a trailing slash")
	}
}
