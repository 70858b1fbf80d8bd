package txmgr

import (
	"errors"
	"math/big"
	"testing"
	"time"
)

func TestConfigValidate(t *testing.T) {
	c := newChain(t)
	cases := []struct {
		name string
		mut  func(*Config)
		ok   bool
	}{
		{"valid", func(*Config) {}, true},
		{"no backend", func(cfg *Config) { cfg.Backend = nil }, false},
		{"no signer", func(cfg *Config) { cfg.Sign = nil }, false},
		{"zero from", func(cfg *Config) { cfg.From = [20]byte{} }, false},
		{"no cap", func(cfg *Config) { cfg.MaxGasPrice = nil }, false},
		{"zero cap", func(cfg *Config) { cfg.MaxGasPrice = new(big.Int) }, false},
		{"10% bump", func(cfg *Config) { cfg.FeeBumpPercent = 10 }, false},
		{"negative timeout", func(cfg *Config) { cfg.ResubmitTimeout = -time.Second }, false},
		{"defaults filled", func(cfg *Config) { cfg.ResubmitTimeout, cfg.PollInterval, cfg.Clock = 0, 0, nil }, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := c.config(t)
			tc.mut(&cfg)
			_, err := New(cfg)
			if tc.ok != (err == nil) {
				t.Fatalf("New: %v, want ok=%v", err, tc.ok)
			}
			if err != nil && !errors.Is(err, ErrInvalidConfig) {
				t.Fatalf("error %v does not wrap ErrInvalidConfig", err)
			}
		})
	}
}
