package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"strings"

	"github.com/opkit-dev/opkit/transcoder/node"
)

// runtimeConfig is the JSON of --config-file and of POST /admin/config: what
// changes without a restart. An absent field keeps its value.
type runtimeConfig struct {
	MaxSessions        *int       `json:"max_sessions,omitempty"`
	MaxInflight        *int       `json:"max_inflight,omitempty"`
	PricePerSegmentWei *weiAmount `json:"price_per_segment_wei,omitempty"`
}

// weiAmount is an amount of wei in JSON: a decimal string ("1000"), or an
// integer; it is written as a string.
type weiAmount struct{ big.Int }

func (w *weiAmount) UnmarshalJSON(b []byte) error {
	s := strings.TrimSuffix(strings.TrimPrefix(string(b), `"`), `"`)
	if _, ok := w.SetString(s, 10); !ok {
		return fmt.Errorf("wei amount %s: want a whole number", b)
	}
	return nil
}

func (w *weiAmount) MarshalJSON() ([]byte, error) { return json.Marshal(w.String()) }

// maxPrice is the JobsManager's bound on a price (it stores uint128).
var maxPrice = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))

// parseRuntimeConfig reads one JSON object with known fields only and
// checks its values; errors wrap errRuntimeConfig.
func parseRuntimeConfig(data []byte) (runtimeConfig, error) {
	var rc runtimeConfig
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", errRuntimeConfig, fmt.Sprintf(format, a...))
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rc); err != nil {
		return rc, bad("%v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return rc, bad("data after the JSON object")
	}
	switch p := rc.PricePerSegmentWei; {
	case rc.MaxSessions != nil && *rc.MaxSessions < 0:
		return rc, bad("max_sessions %d: want 0 or more", *rc.MaxSessions)
	case rc.MaxInflight != nil && (*rc.MaxInflight < 1 || *rc.MaxInflight > node.MaxInflightCeiling):
		return rc, bad("max_inflight %d: want 1 to %d", *rc.MaxInflight, node.MaxInflightCeiling)
	case p != nil && (p.Sign() <= 0 || p.Cmp(maxPrice) > 0):
		return rc, bad("price_per_segment_wei %s: want 1 to 2^128-1", p)
	}
	return rc, nil
}

// limits is cur with the fields rc sets.
func (rc runtimeConfig) limits(cur node.Limits) node.Limits {
	if rc.MaxSessions != nil {
		cur.LocalSessions = *rc.MaxSessions
	}
	if rc.MaxInflight != nil {
		cur.MaxInflight = *rc.MaxInflight
	}
	return cur
}

// readRuntimeConfig reads and checks the config file.
func readRuntimeConfig(path string) (runtimeConfig, error) {
	f, err := os.Open(path)
	if err != nil {
		return runtimeConfig{}, fmt.Errorf("--%s: %w", flagNodeConfigFile, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxRuntimeConfigBytes+1))
	switch {
	case err != nil:
		return runtimeConfig{}, fmt.Errorf("--%s %s: %w", flagNodeConfigFile, path, err)
	case len(data) > maxRuntimeConfigBytes:
		return runtimeConfig{}, fmt.Errorf("--%s %s: %w: above %d bytes", flagNodeConfigFile, path, errRuntimeConfig, maxRuntimeConfigBytes)
	}
	rc, err := parseRuntimeConfig(data)
	if err != nil {
		return rc, fmt.Errorf("--%s %s: %w", flagNodeConfigFile, path, err)
	}
	return rc, nil
}
