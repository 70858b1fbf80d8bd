package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"go.uber.org/zap/zaptest"

	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/contracts/devnet"
	"github.com/opkit-dev/opkit/staking/amount"
	"github.com/opkit-dev/opkit/staking/chain"
	"github.com/opkit-dev/opkit/staking/stake"
)

// testDevnet starts a devnet that seals a block whenever a transaction is
// pending, so rounds only move when the test says so, and writes
// devnet.json. Everything stops at the end of the test.
func testDevnet(t *testing.T) (*devnet.Devnet, string) {
	t.Helper()
	dir := t.TempDir()
	net, err := devnet.Start(context.Background(), devnet.Config{
		RPCAddr: "127.0.0.1:0", RoundLength: 50, Accounts: 4, Dir: filepath.Join(dir, "data"),
		Logger: zaptest.NewLogger(t),
	})
	if err != nil {
		t.Fatalf("start devnet: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { // the test's block producer: mine what is pending
		defer close(done)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		client := net.Client()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if hasPending(ctx, client, net.Info().Accounts) {
					net.Mine(1)
				}
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		if err := net.Close(); err != nil {
			t.Errorf("close devnet: %v", err)
		}
	})
	path := filepath.Join(dir, "devnet.json")
	if err := net.Info().Write(path); err != nil {
		t.Fatal(err)
	}
	initializeRound(t, net)
	return net, path
}

// devnetChain is the protocol client of net, read straight from its RPC.
func devnetChain(t *testing.T, net *devnet.Devnet) *chain.Client {
	t.Helper()
	cl, err := chain.Dial(context.Background(), net.Client(), net.Info().Contracts.Controller)
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

// hasPending reports whether the pool holds a transaction from any dev
// account: its pool nonce is past its mined nonce.
func hasPending(ctx context.Context, client simulated.Client, accts []devnet.Account) bool {
	for _, a := range accts {
		pending, err1 := client.PendingNonceAt(ctx, a.Address)
		mined, err2 := client.NonceAt(ctx, a.Address, nil)
		if err1 == nil && err2 == nil && pending > mined {
			return true
		}
	}
	return false
}

// initializeRound initializes the current round from the last dev account.
func initializeRound(t *testing.T, net *devnet.Devnet) {
	t.Helper()
	ctx := context.Background()
	info := net.Info()
	cl, err := chain.Dial(ctx, net.Client(), info.Contracts.Controller)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := cl.Round(ctx); err != nil || r.Initialized {
		return
	}
	rm, err := bindings.NewRoundsManager(info.Contracts.RoundsManager, net.Client())
	if err != nil {
		t.Fatal(err)
	}
	opts, err := bind.NewKeyedTransactorWithChainID(net.Key(len(info.Accounts)-1), big.NewInt(devnet.ChainID))
	if err != nil {
		t.Fatal(err)
	}
	tx, err := rm.InitializeRound(opts)
	if err != nil {
		t.Fatalf("initializeRound: %v", err)
	}
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if r, err := bind.WaitMined(wctx, net.Client(), tx); err != nil || r.Status != 1 {
		t.Fatalf("initializeRound receipt: %v, %v", r, err)
	}
}

// nextRound mines to the start of the next round and initializes it.
func nextRound(t *testing.T, net *devnet.Devnet) {
	t.Helper()
	cl := devnetChain(t, net)
	r, err := cl.Round(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	head, err := net.Client().BlockNumber(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	net.Mine(int(r.EndBlock() - head))
	initializeRound(t, net)
}

// opkit runs the CLI in-process and returns its stdout.
func opkit(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	app := newApp()
	app.Writer = &out
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	start := time.Now()
	err := app.RunContext(ctx, append([]string{"opkit", "--log-level", "warn"}, args...))
	t.Logf("opkit %s %s: %v", args[0], args[1], time.Since(start))
	return out.String(), err
}

func mustOpkit(t *testing.T, args ...string) string {
	t.Helper()
	out, err := opkit(t, args...)
	if err != nil {
		t.Fatalf("opkit %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func lptWei(s string) *big.Int {
	v, err := amount.ParseLPT(s)
	if err != nil {
		panic(err)
	}
	return v
}

// TestStakeEndToEnd bonds, registers, reads status, unbonds and rebonds
// through the CLI against a devnet started here, then reads the same
// account through --eth-url/--controller/--keystore.
func TestStakeEndToEnd(t *testing.T) {
	net, info := testDevnet(t)
	chainArgs := []string{"--devnet", info, "--account", "1", "--tx-poll-interval", "10ms"}
	run := func(args ...string) string {
		out := mustOpkit(t, append(args, chainArgs...)...)
		t.Logf("opkit %s\n%s", strings.Join(args, " "), out)
		return out
	}

	var sent struct {
		Txs []sentTx `json:"txs"`
	}
	out := run("stake", "bond", "--amount", "1000.5", "--json")
	if err := json.Unmarshal([]byte(out), &sent); err != nil {
		t.Fatalf("bond output %q: %v", out, err)
	}
	if len(sent.Txs) != 2 || sent.Txs[0].Label != "approve" || sent.Txs[1].Label != "bond" {
		t.Fatalf("bond sent %+v, want approve then bond", sent.Txs)
	}
	out = run("stake", "register", "--reward-cut", "10", "--fee-share", "50", "--price", "1000")
	if !strings.Contains(out, "transcoder") || !strings.Contains(out, "set_price") {
		t.Fatalf("register output:\n%s", out)
	}

	var st stake.Status
	if err := json.Unmarshal([]byte(run("stake", "status", "--json")), &st); err != nil {
		t.Fatal(err)
	}
	acct := net.Info().Accounts[1].Address
	if st.Account != acct || st.Delegator.BondedAmount.Cmp(lptWei("1000.5")) != 0 || st.Delegator.DelegateAddress != acct {
		t.Fatalf("delegator %+v", st.Delegator)
	}
	tr := st.Transcoder
	if !tr.Registered || tr.RewardCut != 100_000 || tr.FeeShare != 500_000 || tr.PricePerSegment.Int64() != 1000 {
		t.Fatalf("transcoder %+v", tr)
	}
	if want := new(big.Int).Sub(lptWei("10000"), lptWei("1000.5")); st.Balances.LPT.Cmp(want) != 0 || st.Balances.Allowance.Sign() != 0 {
		t.Fatalf("balances %+v, want %v LPT and no allowance left", st.Balances, want)
	}

	nextRound(t, net) // the bond counts from the next round
	run("stake", "unbond", "--amount", "0.5")
	text := run("stake", "status")
	if !strings.Contains(text, "lock 0: 0.5 LPT") || !strings.Contains(text, "bonded") {
		t.Fatalf("status after unbond:\n%s", text)
	}
	if _, err := opkit(t, append([]string{"stake", "withdraw", "--lock", "0"}, chainArgs...)...); err == nil ||
		!strings.Contains(err.Error(), "withdrawable from round") {
		t.Fatalf("early withdraw: %v", err)
	}
	run("stake", "rebond", "--lock", "0")
	if err := json.Unmarshal([]byte(run("stake", "status", "--json")), &st); err != nil {
		t.Fatal(err)
	}
	if len(st.UnbondingLocks) != 0 || st.Delegator.BondedAmount.Cmp(lptWei("1000.5")) != 0 {
		t.Fatalf("after rebond: locks %+v, bonded %v", st.UnbondingLocks, st.Delegator.BondedAmount)
	}

	// Unbond again, wait out the unbonding period, withdraw; claim earnings.
	run("stake", "unbond", "--amount", "0.25")
	for range 2 { // devnet unbonding period
		nextRound(t, net)
	}
	run("stake", "withdraw", "--lock", "1")
	run("stake", "claim")
	if err := json.Unmarshal([]byte(run("stake", "status", "--json")), &st); err != nil {
		t.Fatal(err)
	}
	if want := new(big.Int).Sub(lptWei("10000"), lptWei("1000.25")); st.Balances.LPT.Cmp(want) != 0 {
		t.Fatalf("LPT after withdraw %v, want %v", st.Balances.LPT, want)
	}
	if len(st.UnbondingLocks) != 0 || st.Delegator.LastClaimRound != st.Round.Current {
		t.Fatalf("after withdraw and claim: locks %+v, last claim %d in round %d",
			st.UnbondingLocks, st.Delegator.LastClaimRound, st.Round.Current)
	}

	// The same account through a plain keystore and a password file.
	ks := filepath.Dir(net.Info().Accounts[1].KeystoreFile)
	text = mustOpkit(t, "stake", "status", "--eth-url", net.RPCURL(), "--controller", net.Info().Contracts.Controller.Hex(),
		"--keystore", ks, "--account", acct.Hex(), "--password-file", net.Info().Accounts[1].PasswordFile)
	if !strings.Contains(text, acct.Hex()) || !strings.Contains(text, "registered") {
		t.Fatalf("status over --eth-url:\n%s", text)
	}
	// Read-only: an address and no keystore; writes are refused.
	roArgs := []string{"--eth-url", net.RPCURL(), "--controller", net.Info().Contracts.Controller.Hex(), "--account", acct.Hex()}
	mustOpkit(t, append([]string{"stake", "status"}, roArgs...)...)
	if _, err := opkit(t, append([]string{"stake", "claim"}, roArgs...)...); err == nil || !strings.Contains(err.Error(), "--keystore") {
		t.Fatalf("claim without a key: %v", err)
	}
}

func TestStakeRefusesBadInputBeforeConnecting(t *testing.T) {
	// No chain flags at all: argument errors must come first, config errors next.
	cases := map[string][]string{
		"float amount": {"stake", "bond", "--amount", "1e3"},
		"no amount":    {"stake", "unbond"},
		"bad lock":     {"stake", "rebond", "--lock", "x"},
		"over 100%":    {"stake", "register", "--reward-cut", "101", "--fee-share", "1"},
		"no chain":     {"stake", "status"},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := opkit(t, args...); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}

func TestAccountCommands(t *testing.T) {
	dir := t.TempDir()
	ks := filepath.Join(dir, "keystore")
	pw := filepath.Join(dir, "pw")
	keyFile := filepath.Join(dir, "key.hex")
	if err := os.WriteFile(pw, []byte("hunter2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A published test vector (the first Hardhat/Anvil dev account).
	if err := os.WriteFile(keyFile, []byte("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := mustOpkit(t, "account", "import", "--keystore", ks, "--key-file", keyFile, "--password-file", pw, "--light-kdf")
	if !strings.HasPrefix(out, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266 ") {
		t.Fatalf("import printed %q", out)
	}
	if _, err := opkit(t, "account", "import", "--keystore", ks, "--key-file", keyFile, "--password-file", pw, "--light-kdf"); err == nil {
		t.Fatal("second import of the same key accepted")
	}
	var made struct{ Address string }
	if err := json.Unmarshal([]byte(mustOpkit(t, "account", "new", "--keystore", ks, "--password-file", pw, "--light-kdf", "--json")), &made); err != nil {
		t.Fatal(err)
	}
	var list []struct {
		Index   int
		Address string
	}
	if err := json.Unmarshal([]byte(mustOpkit(t, "account", "list", "--keystore", ks, "--json")), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Fatalf("list %+v, want 2 accounts", list)
	}
	found := false
	for _, e := range list {
		found = found || strings.EqualFold(e.Address, made.Address)
	}
	if !found {
		t.Fatalf("new account %s not listed in %+v", made.Address, list)
	}
	// The private key never reaches stdout.
	if strings.Contains(out, "ac0974bec") {
		t.Fatal("import printed the private key")
	}
}
