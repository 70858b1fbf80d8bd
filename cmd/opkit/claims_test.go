package main

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/urfave/cli/v2"

	"github.com/opkit-dev/opkit/claims"
	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/contracts/deploy"
	"github.com/opkit-dev/opkit/contracts/devnet"
	"github.com/opkit-dev/opkit/transcoder"
)

func TestClaimsFlagsEnvVars(t *testing.T) {
	for _, sub := range claimsCommand().Subcommands {
		seen := map[string]string{}
		for _, f := range sub.Flags {
			name := f.Names()[0]
			envs := f.(interface{ GetEnvVars() []string }).GetEnvVars()
			if len(envs) != 1 || !wellFormedEnv.MatchString(envs[0]) ||
				!strings.HasSuffix(envs[0], strings.ToUpper(strings.ReplaceAll(name, "-", "_"))) {
				t.Errorf("claims %s --%s: env vars %v; want one OPKIT_ variable spelling the flag", sub.Name, name, envs)
				continue
			}
			if other, dup := seen[envs[0]]; dup {
				t.Errorf("claims %s: --%s and --%s share %s", sub.Name, name, other, envs[0])
			}
			seen[envs[0]] = name
		}
		for _, own := range []string{flagClaimsDB, flagClaimsMetrics} {
			if env, ok := envOf(sub.Flags, own); ok && !strings.HasPrefix(env, "OPKIT_CLAIMS_") {
				t.Errorf("claims %s --%s uses %s; it must not share the staking daemon's variable", sub.Name, own, env)
			}
		}
	}
}

func envOf(flags []cli.Flag, name string) (string, bool) {
	for _, f := range flags {
		if f.Names()[0] == name {
			return f.(interface{ GetEnvVars() []string }).GetEnvVars()[0], true
		}
	}
	return "", false
}

func TestClaimsConfigValidate(t *testing.T) {
	ok := defaultClaimsConfig
	ok.DB = "/tmp/x.db"
	if err := ok.Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	cases := map[string]func(*claimsConfig){
		"zero max segments": func(c *claimsConfig) { c.MaxSegments = 0 },
		"zero claim idle":   func(c *claimsConfig) { c.ClaimIdle = 0 },
		"zero end margin":   func(c *claimsConfig) { c.EndMargin = 0 },
		"negative poll":     func(c *claimsConfig) { c.PollInterval = -time.Second },
	}
	for name, mut := range cases {
		t.Run(name, func(t *testing.T) {
			c := ok
			mut(&c)
			if err := c.Validate(); !errors.Is(err, errClaimsConfig) {
				t.Fatalf("err = %v, want errClaimsConfig", err)
			}
		})
	}
}

// claimsJob registers dev account 1 as a transcoder at price, deposits from account 2 and
// creates a job for it with two profiles; it returns the job id.
func claimsJob(t *testing.T, net *devnet.Devnet, price *big.Int) uint64 {
	t.Helper()
	return testJob(t, net, "cli-stream", price, 1000, transcoder.P240p30fps16x9, transcoder.P144p30fps16x9)
}

// testJob registers dev account 1 as a transcoder at price and creates a
// job for stream from dev account 2 that ends blocks after the head, with
// the transcoding options of profiles (the ladder of the node that takes
// it: a node refuses a job of other options).
func testJob(t *testing.T, net *devnet.Devnet, stream string, price *big.Int, blocks int64, profiles ...string) uint64 {
	t.Helper()
	info := net.Info()
	c := net.Client()
	jm, _ := bindings.NewJobsManager(info.Contracts.JobsManager, c)
	bm, _ := bindings.NewBondingManager(info.Contracts.BondingManager, c)
	tok, _ := bindings.NewLivepeerToken(info.Contracts.Token, c)
	send := func(key *ecdsa.PrivateKey, f func(*bind.TransactOpts) (*types.Transaction, error)) *types.Receipt {
		t.Helper()
		return devnetSend(t, net, key, f)
	}
	tr, b := net.Key(1), net.Key(2)
	stake := deploy.LPT(100)
	send(tr, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return tok.Approve(o, info.Contracts.BondingManager, stake)
	})
	send(tr, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return bm.Bond(o, stake, info.Accounts[1].Address)
	})
	send(tr, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return bm.Transcoder(o, big.NewInt(0), big.NewInt(0))
	})
	nextRound(t, net)
	send(tr, func(o *bind.TransactOpts) (*types.Transaction, error) { return jm.SetPricePerSegment(o, price) })
	send(b, func(o *bind.TransactOpts) (*types.Transaction, error) {
		o.Value = big.NewInt(1e18)
		return jm.Deposit(o)
	})
	head, _ := c.BlockNumber(context.Background())
	r := send(b, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return jm.Job(o, stream, claims.TranscodingOptions(profiles...), price, big.NewInt(int64(head)+blocks))
	})
	for _, l := range r.Logs {
		if ev, err := jm.ParseNewJob(*l); err == nil {
			return ev.JobId.Uint64()
		}
	}
	t.Fatal("no NewJob event")
	return 0
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

// TestClaimsRunAndStatus: receipts stored by the transcoder are claimed by `opkit claims run`,
// whose /claims endpoint shows the claim; after a clean stop `opkit claims status` prints it.
func TestClaimsRunAndStatus(t *testing.T) {
	net, devnetFile := testDevnet(t)
	job := claimsJob(t, net, big.NewInt(1e12))
	db := filepath.Join(t.TempDir(), "claims.db")
	store, err := claims.OpenStore(db, claims.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for seg := uint64(0); seg < 5; seg++ {
		hs, _ := claims.RenditionHashesFromHex(fmt.Sprintf("%064x", seg), fmt.Sprintf("%064x", seg+100))
		r := claims.NewReceipt("cli-stream", seg, []byte(fmt.Sprint("source ", seg)), hs, nil)
		if r.BroadcasterSig, err = claims.SignSegment(net.Key(2), r.SegmentHash()); err != nil {
			t.Fatal(err)
		}
		if err := store.Put(job, r, hs); err != nil {
			t.Fatal(err)
		}
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}

	metricsAddr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		app := newApp()
		app.Writer = io.Discard
		done <- app.RunContext(ctx, []string{"opkit", "--log-level", "warn", "claims", "run", "--devnet", devnetFile,
			"--account", "1", "--db", db, "--claim-idle", "1ns", "--poll-interval", "20ms", "--tx-poll-interval", "20ms",
			"--metrics-addr", metricsAddr})
	}()
	stop := sync.OnceValue(func() error { cancel(); return <-done })
	t.Cleanup(func() { _ = stop() })

	deadline := time.Now().Add(60 * time.Second)
	for {
		st, err := fetchClaims("http://" + metricsAddr + "/claims")
		if err == nil && len(st.Claims) == 1 && st.Claims[0].State == claims.ClaimClaimed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no claimed claim on /claims within 60s: %+v, %v", st, err)
		}
		select {
		case err := <-done:
			done <- err
			t.Fatalf("claims run exited: %v", err)
		case <-time.After(50 * time.Millisecond): // an outside observer's poll interval
		}
	}
	if err := stop(); err != nil {
		t.Fatalf("claims run after cancel: %v", err)
	}

	out := mustOpkit(t, "claims", "status", "--db", db)
	for _, want := range []string{"cli-stream", "0-4", "claimed", "10000000000000"} {
		if !strings.Contains(out, want) {
			t.Fatalf("status output lacks %q:\n%s", want, out)
		}
	}
	t.Logf("opkit claims status:\n%s", out)
	var st claims.Status
	if err := json.Unmarshal([]byte(mustOpkit(t, "claims", "status", "--db", db, "--json")), &st); err != nil {
		t.Fatal(err)
	}
	if st.Binding == nil || st.Binding.Account != net.Info().Accounts[1].Address || len(st.Claims) != 1 || st.Claims[0].End != 4 {
		t.Fatalf("status JSON = %+v", st)
	}
}

func fetchClaims(url string) (claims.Status, error) {
	var st claims.Status
	resp, err := http.Get(url)
	if err != nil {
		return st, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return st, fmt.Errorf("%s: %s", url, resp.Status)
	}
	return st, json.NewDecoder(resp.Body).Decode(&st)
}

// devnetSend sends one transaction from key through the bindings and waits
// for it to succeed.
func devnetSend(t *testing.T, net *devnet.Devnet, key *ecdsa.PrivateKey, f func(*bind.TransactOpts) (*types.Transaction, error)) *types.Receipt {
	t.Helper()
	o, _ := bind.NewKeyedTransactorWithChainID(key, big.NewInt(devnet.ChainID))
	o.GasLimit = 5_000_000
	tx, err := f(o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r, err := bind.WaitMined(ctx, net.Client(), tx)
	if err != nil || r.Status != 1 {
		t.Fatalf("transaction: %v, %v", r, err)
	}
	return r
}
