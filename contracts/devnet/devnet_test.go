package devnet_test

import (
	"context"
	"errors"
	"math/big"
	"os"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/ethclient"
	"go.uber.org/zap/zaptest"

	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/contracts/devnet"
)

func startDevnet(t *testing.T, blockTime time.Duration, roundLength uint64) *devnet.Devnet {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	d, err := devnet.Start(ctx, devnet.Config{
		RPCAddr:     "127.0.0.1:0",
		BlockTime:   blockTime,
		RoundLength: roundLength,
		Accounts:    3,
		Dir:         t.TempDir(),
		Logger:      zaptest.NewLogger(t),
	})
	if err != nil {
		t.Fatalf("start devnet: %v", err)
	}
	t.Cleanup(func() {
		if err := d.Close(); err != nil {
			t.Errorf("close devnet: %v", err)
		}
	})
	return d
}

// TestDevnetRoundsAdvanceOverJSONRPC talks to the devnet the way an operator's
// tools do: a plain ethclient over HTTP on loopback, with the ticker mining.
func TestDevnetRoundsAdvanceOverJSONRPC(t *testing.T) {
	d := startDevnet(t, 20*time.Millisecond, 4)
	info := d.Info()
	if err := info.Validate(); err != nil {
		t.Fatalf("info: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	client, err := ethclient.DialContext(ctx, info.RPCURL)
	if err != nil {
		t.Fatalf("dial %s: %v", info.RPCURL, err)
	}
	defer client.Close()
	chainID, err := client.ChainID(ctx)
	if err != nil || chainID.Uint64() != info.ChainID {
		t.Fatalf("chain id = %v, %v; want %d", chainID, err, info.ChainID)
	}
	rounds, err := bindings.NewRoundsManager(info.Contracts.RoundsManager, client)
	if err != nil {
		t.Fatal(err)
	}
	opts := &bind.CallOpts{Context: ctx}
	first, err := rounds.CurrentRound(opts)
	if err != nil {
		t.Fatalf("currentRound: %v", err)
	}
	length, err := rounds.RoundLength(opts)
	if err != nil || length.Uint64() != 4 {
		t.Fatalf("roundLength = %v, %v; want 4", length, err)
	}
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		cur, err := rounds.CurrentRound(opts)
		if err != nil {
			t.Fatalf("currentRound: %v", err)
		}
		if cur.Cmp(new(big.Int).Add(first, big.NewInt(2))) >= 0 {
			t.Logf("round advanced from %v to %v over JSON-RPC", first, cur)
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("round did not advance past %v: %v", first, ctx.Err())
		case <-tick.C:
		}
	}
}

// TestDevnetAccountsAreFundedAndUnlockable checks the keystore files, the
// password files and the balances that devnet.json promises.
func TestDevnetAccountsAreFundedAndUnlockable(t *testing.T) {
	d := startDevnet(t, 0, 20)
	info := d.Info()
	ctx := context.Background()
	client := d.Client()
	token, err := bindings.NewLivepeerToken(info.Contracts.Token, client)
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range info.Accounts {
		raw, err := os.ReadFile(a.KeystoreFile)
		if err != nil {
			t.Fatalf("account %d keystore: %v", i, err)
		}
		pw, err := os.ReadFile(a.PasswordFile)
		if err != nil {
			t.Fatalf("account %d password: %v", i, err)
		}
		key, err := keystore.DecryptKey(raw, string(pw[:len(pw)-1]))
		if err != nil {
			t.Fatalf("account %d: decrypt keystore: %v", i, err)
		}
		if key.Address != a.Address {
			t.Fatalf("account %d: keystore holds %s, info says %s", i, key.Address, a.Address)
		}
		eth, err := client.BalanceAt(ctx, a.Address, nil)
		if err != nil || eth.Sign() <= 0 {
			t.Fatalf("account %d ETH balance = %v, %v", i, eth, err)
		}
		lpt, err := token.BalanceOf(&bind.CallOpts{Context: ctx}, a.Address)
		if err != nil || lpt.Cmp(new(big.Int).Mul(big.NewInt(devnet.DefaultTokensPerAccount), big.NewInt(1e18))) < 0 {
			t.Fatalf("account %d LPT balance = %v, %v", i, lpt, err)
		}
	}
	// Manual mining: the block number moves only when asked.
	before, _ := client.BlockNumber(ctx)
	d.Mine(3)
	after, _ := client.BlockNumber(ctx)
	if after != before+3 {
		t.Fatalf("Mine(3): block %d -> %d", before, after)
	}
}

func TestDevnetConfigRejectsNonLoopback(t *testing.T) {
	for name, addr := range map[string]string{
		"public":   "0.0.0.0:8545",
		"private":  "10.0.0.1:8545",
		"no port":  "127.0.0.1",
		"bad port": "127.0.0.1:99999",
	} {
		t.Run(name, func(t *testing.T) {
			cfg := devnet.Config{RPCAddr: addr, RoundLength: 20, Accounts: 1, Dir: t.TempDir()}
			if err := cfg.Validate(); !errors.Is(err, devnet.ErrInvalidConfig) {
				t.Fatalf("Validate(%q) = %v, want ErrInvalidConfig", addr, err)
			}
		})
	}
}

// The last dev account is the Verifier's trusted solver, and only it.
func TestDevnetTrustsTheLastAccountAsSolver(t *testing.T) {
	d := startDevnet(t, 0, 20)
	info := d.Info()
	v, err := bindings.NewVerifierCaller(info.Contracts.Verifier, d.Client())
	if err != nil {
		t.Fatal(err)
	}
	last := info.Accounts[len(info.Accounts)-1].Address
	if info.Solver != last {
		t.Fatalf("info.Solver %s, want the last account %s", info.Solver, last)
	}
	for i, a := range info.Accounts {
		ok, err := v.IsSolver(&bind.CallOpts{}, a.Address)
		if err != nil || ok != (a.Address == last) {
			t.Errorf("account %d isSolver = %v, %v", i, ok, err)
		}
	}
}
