package main

import (
	"encoding/json"
	"net"
	"strings"
	"testing"
)

// TestEthURLFallback: with the first --eth-url refusing connections, a
// read-only command is answered through the second.
func TestEthURLFallback(t *testing.T) {
	net0, info := testDevnet(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String() + "/v2/DEADKEY"
	ln.Close() // nobody listens there now
	args := []string{"round", "status", "--json", "--eth-url", dead + "," + net0.RPCURL(),
		"--controller", net0.Info().Contracts.Controller.Hex(), "--account", net0.Info().Accounts[1].Address.Hex()}
	out, err := opkit(t, args...)
	if err != nil {
		t.Fatalf("round status with the first endpoint down: %v\n%s", err, out)
	}
	var st roundStatus
	if err := json.Unmarshal([]byte(out), &st); err != nil || st.Block == 0 {
		t.Fatalf("round status %q: %v", out, err)
	}
	if strings.Contains(out, "DEADKEY") {
		t.Fatal("output carries the first endpoint's key")
	}
	_ = info
}

func TestEthURLListValidation(t *testing.T) {
	cfg := defaultChainConfig
	cfg.Controller, cfg.Account = "0x00000000000000000000000000000000000000d0", "0x00000000000000000000000000000000000000a1"
	for _, tc := range []struct {
		list string
		ok   bool
	}{
		{"http://a:8545", true},
		{"http://a:8545, https://b/v2/KEY", true},
		{"http://a:8545,ftp://b", false},
		{" , ", false},
	} {
		cfg.EthURL = tc.list
		err := cfg.Validate()
		if (err == nil) != tc.ok {
			t.Errorf("--eth-url %q: %v, want ok %v", tc.list, err, tc.ok)
		}
		if err != nil && strings.Contains(err.Error(), "KEY") {
			t.Errorf("error %q echoes a URL", err)
		}
	}
}
