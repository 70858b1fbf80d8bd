package main

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/opkit-dev/opkit/staking/connect"
)

var wellFormedEnv = regexp.MustCompile(`^OPKIT_[A-Z][A-Z0-9_]*[A-Z0-9]$`)

// TestChainFlagsEnvVars checks that every flag of the chain flag set and of
// the stake and account commands has exactly one well-formed OPKIT_* env var
// that spells the flag's name, and that no two flags of one command share
// one.
func TestChainFlagsEnvVars(t *testing.T) {
	sets := map[string][]cli.Flag{"chain flags": chainFlags()}
	for _, root := range []*cli.Command{stakeCommand(), accountCommand()} {
		for _, sub := range root.Subcommands {
			sets[root.Name+" "+sub.Name] = sub.Flags
		}
	}
	for name, flags := range sets {
		t.Run(name, func(t *testing.T) {
			seen := map[string]string{}
			for _, f := range flags {
				fname := f.Names()[0]
				envs := f.(interface{ GetEnvVars() []string }).GetEnvVars()
				if len(envs) != 1 {
					t.Fatalf("--%s has %d env vars %v, want 1", fname, len(envs), envs)
				}
				env := envs[0]
				if !wellFormedEnv.MatchString(env) {
					t.Errorf("--%s env var %q is not OPKIT_UPPER_SNAKE", fname, env)
				}
				if !strings.HasSuffix(env, strings.ToUpper(strings.ReplaceAll(fname, "-", "_"))) {
					t.Errorf("--%s env var %q does not spell the flag name", fname, env)
				}
				if other, dup := seen[env]; dup {
					t.Errorf("--%s and --%s share %s", fname, other, env)
				}
				seen[env] = fname
			}
		})
	}
}

func TestChainConfigValidate(t *testing.T) {
	const ctrl = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
	remote := func(mut func(*ChainConfig)) ChainConfig {
		c := defaultChainConfig
		c.EthURL, c.Controller, c.Keystore = "https://arb1.example.org/v2/KEY", ctrl, "/var/lib/opkit/keystore"
		if mut != nil {
			mut(&c)
		}
		return c
	}
	devnetCfg := func(mut func(*ChainConfig)) ChainConfig {
		c := defaultChainConfig
		c.DevnetFile = "devnet.json"
		if mut != nil {
			mut(&c)
		}
		return c
	}
	cases := []struct {
		name string
		cfg  ChainConfig
		ok   bool
	}{
		{"defaults with a devnet file", devnetCfg(nil), true},
		{"defaults with a remote node", remote(nil), true},
		{"read-only by address", remote(func(c *ChainConfig) { c.Keystore, c.Account = "", ctrl }), true},
		{"devnet account index", devnetCfg(func(c *ChainConfig) { c.Account = "2" }), true},
		{"fractional gwei cap", remote(func(c *ChainConfig) { c.MaxGasPrice = "0.05" }), true},
		{"defaults alone name no chain", defaultChainConfig, false},
		{"devnet and eth url", devnetCfg(func(c *ChainConfig) { c.EthURL = "http://127.0.0.1:8545" }), false},
		{"no controller", remote(func(c *ChainConfig) { c.Controller = "" }), false},
		{"relative lock dir", remote(func(c *ChainConfig) { c.LockDir = "locks" }), false},
		{"bad controller", remote(func(c *ChainConfig) { c.Controller = "0x12" }), false},
		{"ipc path as url", remote(func(c *ChainConfig) { c.EthURL = "/tmp/geth.ipc" }), false},
		{"no keystore and no address", remote(func(c *ChainConfig) { c.Keystore = "" }), false},
		{"bad account", devnetCfg(func(c *ChainConfig) { c.Account = "first" }), false},
		{"zero cap", remote(func(c *ChainConfig) { c.MaxGasPrice = "0" }), false},
		{"cap below a wei", remote(func(c *ChainConfig) { c.MaxGasPrice = "0.0000000001" }), false},
		{"negative cap", remote(func(c *ChainConfig) { c.MaxGasPrice = "-1" }), false},
		{"zero confirmations", remote(func(c *ChainConfig) { c.ConfirmBlocks = 0 }), false},
		{"poll longer than resubmit", remote(func(c *ChainConfig) { c.PollInterval = 2 * c.ResubmitTimeout }), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if tc.ok != (err == nil) {
				t.Fatalf("Validate() = %v, want ok=%v", err, tc.ok)
			}
			if err != nil && !errors.Is(err, errChainConfig) {
				t.Fatalf("%v does not wrap errChainConfig", err)
			}
		})
	}
}

func TestRedactURL(t *testing.T) {
	if got := connect.RedactURL("https://user:pw@arb-mainnet.example.com/v2/SECRETKEY"); strings.Contains(got, "SECRET") || strings.Contains(got, "pw") {
		t.Fatalf("redactURL leaks: %s", got)
	}
}
