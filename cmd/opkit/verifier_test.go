package main

import (
	"context"
	"errors"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/contracts/devnet"
)

// solverAccount is the devnet's trusted solver in testDevnet: the last of
// its four accounts.
const solverAccount = "3"

// verifierWorld is a devnet where every claimed segment is challenged, a
// job for dev account 1's node, and that node.
type verifierWorld struct {
	net        *devnet.Devnet
	devnetFile string
	job        uint64
	node       *claimsNode
	jm         *bindings.JobsManagerFilterer
	ver        *bindings.VerifierCaller
}

func newVerifierWorld(t *testing.T, nodeArgs ...string) *verifierWorld {
	t.Helper()
	net, devnetFile := testDevnet(t)
	info := net.Info()
	jm, err := bindings.NewJobsManager(info.Contracts.JobsManager, net.Client())
	if err != nil {
		t.Fatal(err)
	}
	devnetSend(t, net, net.Key(0), func(o *bind.TransactOpts) (*types.Transaction, error) {
		return jm.SetVerificationRate(o, big.NewInt(1)) // every segment is challenged
	})
	ver, err := bindings.NewVerifierCaller(info.Contracts.Verifier, net.Client())
	if err != nil {
		t.Fatal(err)
	}
	w := &verifierWorld{net: net, devnetFile: devnetFile, job: claimsJob(t, net, big.NewInt(1e12)), jm: &jm.JobsManagerFilterer, ver: ver}
	w.node = startClaimsNode(t, devnetFile, nodeArgs...)
	return w
}

// transcode sends n segments to the node and waits until the node has
// sent verify() for all of them (one request each).
func (w *verifierWorld) transcode(t *testing.T, n int) {
	t.Helper()
	for seq, seg := range testSegments(t, n) {
		if status, body := postSignedSegment(t, w.node.base, w.node.secret, w.net, w.job, seq, seg, 2); status != 200 {
			t.Fatalf("segment %d: %d %.300s", seq, status, body)
		}
	}
	w.waitFor(t, "verification requests", func() bool {
		got, err := w.ver.NumRequests(&bind.CallOpts{})
		return err == nil && got.Uint64() >= uint64(n)
	})
}

// waitFor mines a block every 50 ms, as a chain moves on (the challenge
// of a claim is drawn from the block after it), until cond holds.
func (w *verifierWorld) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within 90s", what)
		}
		w.net.Mine(1)
		time.Sleep(50 * time.Millisecond)
	}
}

// segmentStore is where the node keeps paid segments: its default, next
// to its receipt store.
func (w *verifierWorld) segmentStore() string {
	return filepath.Join(filepath.Dir(w.node.db), "segments")
}

// startVerifier runs `opkit verifier` for the devnet's solver until stop
// or the end of the test.
func (w *verifierWorld) startVerifier(t *testing.T, from ...string) (db string, stop func() error) {
	t.Helper()
	if len(from) == 0 {
		from = []string{"--segment-store", w.segmentStore()}
	}
	db = filepath.Join(t.TempDir(), "verifier.db")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		app := newApp()
		app.Writer = io.Discard
		done <- app.RunContext(ctx, append([]string{"opkit", "--log-level", "warn", "verifier",
			"--devnet", w.devnetFile, "--account", solverAccount, "--tx-poll-interval", "20ms",
			"--db", db, "--poll-interval", "50ms", "--metrics-addr", "", "--give-up-after", "2s"}, from...))
	}()
	stop = sync.OnceValue(func() error { cancel(); return <-done })
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("opkit verifier: %v", err)
		}
	})
	return db, stop
}

// count is how many events a Filter* call found.
func count[I eventIterator](t *testing.T, it I, err error) int {
	t.Helper()
	n := 0
	if err := eachEvent(it, err, func(I) { n++ }); err != nil {
		t.Fatal(err)
	}
	return n
}

func (w *verifierWorld) passed(t *testing.T) int {
	it, err := w.jm.FilterSegmentVerificationPassed(&bind.FilterOpts{}, nil, nil)
	return count(t, it, err)
}

func (w *verifierWorld) failed(t *testing.T) int {
	it, err := w.jm.FilterSegmentVerificationFailed(&bind.FilterOpts{}, nil, nil)
	return count(t, it, err)
}

func (w *verifierWorld) slashed(t *testing.T) int {
	it, err := w.jm.FilterClaimSlashed(&bind.FilterOpts{}, nil, nil, nil)
	return count(t, it, err)
}

// TestVerifierPassesHonestWork: the node transcodes and claims; `opkit
// verifier` re-encodes every challenged segment from the node's segment
// store and every verification passes on chain; nothing is slashed.
func TestVerifierPassesHonestWork(t *testing.T) {
	w := newVerifierWorld(t)
	w.transcode(t, 2)
	db, stop := w.startVerifier(t)
	w.waitFor(t, "passed verifications", func() bool { return w.passed(t) >= 2 })
	if f, s := w.failed(t), w.slashed(t); f != 0 || s != 0 {
		t.Fatalf("%d failed verifications, %d slashed claims; want none", f, s)
	}
	if err := stop(); err != nil {
		t.Fatalf("opkit verifier: %v", err)
	}
	out, err := runOpkit(t, "verifier", "status", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	// Both verdicts are recorded; the last may still read "decided" if the
	// verifier was stopped before it saw its answer mined (its next start
	// reads the answer from the chain).
	if n := len(regexp.MustCompile(`(?m)^\d+ +0 +\d+ +\d+ +(answered|decided) +true +2 renditions match`).FindAllString(out, -1)); n != 2 {
		t.Fatalf("status, want two requests passed:\n%s", out)
	}
}

// TestVerifierSlashesTamperedRendition: a rendition in the node's segment
// store is changed after the claim, so what the transcoder shows no longer
// hashes to what it claimed. The verifier fails the segment, and the claim
// is slashed on chain.
func TestVerifierSlashesTamperedRendition(t *testing.T) {
	w := newVerifierWorld(t)
	w.transcode(t, 1)
	outs, err := filepath.Glob(filepath.Join(w.segmentStore(), "job-*", "seg-0", "out-*", "01-*"))
	if err != nil || len(outs) == 0 {
		t.Fatalf("no rendition of segment 0 in the segment store (%v)", err)
	}
	for _, p := range outs {
		if err := os.WriteFile(p, []byte("not the rendition that was claimed"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	w.startVerifier(t)
	w.waitFor(t, "slashed claim", func() bool { return w.slashed(t) >= 1 })
	if f, p := w.failed(t), w.passed(t); f != 1 || p != 0 {
		t.Fatalf("%d failed, %d passed verifications; want 1 failed", f, p)
	}
}

// TestVerifierFetchesFromTheNode: the verifier runs on another host than
// the node's segment store; it fetches the challenged segments over the
// node's archive API with the verifier secret, and the work passes.
func TestVerifierFetchesFromTheNode(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "verifier.secret")
	if err := os.WriteFile(secret, []byte("verifier-secret-0123456789\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	w := newVerifierWorld(t, "--verifier-secret-file", secret)
	w.transcode(t, 1)
	w.startVerifier(t, "--node", w.node.base, "--node-secret-file", secret)
	w.waitFor(t, "a passed verification", func() bool { return w.passed(t) >= 1 })
	if f, s := w.failed(t), w.slashed(t); f != 0 || s != 0 {
		t.Fatalf("%d failed verifications, %d slashed claims; want none", f, s)
	}
}

func TestVerifierFlags(t *testing.T) {
	ok := defaultVerifierConfig
	ok.segments = "segs"
	if err := ok.Validate(); err != nil {
		t.Fatalf("defaults with --segment-store: %v", err)
	}
	for name, tc := range map[string]struct {
		edit func(*verifierConfig)
		flag string
	}{
		"no source":           {func(c *verifierConfig) { c.segments = "" }, "--segment-store"},
		"two sources":         {func(c *verifierConfig) { c.node, c.nodeSecret = "http://n", "s" }, "--node"},
		"node without secret": {func(c *verifierConfig) { c.segments, c.node = "", "http://n" }, "--node-secret-file"},
		"CA without https":    {func(c *verifierConfig) { c.segments, c.node, c.nodeSecret, c.nodeCA = "", "http://n", "s", "ca.pem" }, "--node-tls-ca"},
		"PSNR too low":        {func(c *verifierConfig) { c.minPSNR = 10 }, "--min-psnr"},
		"zero give-up":        {func(c *verifierConfig) { c.giveUp = 0 }, "--give-up-after"},
		"zero check timeout":  {func(c *verifierConfig) { c.checkTimeout = 0 }, "--check-timeout"},
		"bad ladder":          {func(c *verifierConfig) { c.ladder = "P9000p" }, "--ladder"},
	} {
		c := ok
		tc.edit(&c)
		err := c.Validate()
		if !errors.Is(err, errVerifierConfig) || !strings.Contains(err.Error(), tc.flag) {
			t.Errorf("%s: %v, want errVerifierConfig naming %s", name, err, tc.flag)
		}
	}
}

// An account the Verifier does not trust is refused at start, with a
// message that says so, rather than sending answers that revert.
func TestVerifierRefusesAnUntrustedAccount(t *testing.T) {
	_, devnetFile := testDevnet(t)
	_, err := runOpkit(t, "verifier", "--devnet", devnetFile, "--account", "1", "--segment-store", t.TempDir(),
		"--db", filepath.Join(t.TempDir(), "v.db"), "--metrics-addr", "")
	if !errors.Is(err, errNotSolver) || !strings.Contains(err.Error(), "setSolver") {
		t.Fatalf("verifier for account 1: %v, want errNotSolver", err)
	}
}
