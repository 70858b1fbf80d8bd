package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/opkit-dev/opkit/claims"
	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/contracts/devnet"
	"github.com/opkit-dev/opkit/ffmpeg"
	"github.com/opkit-dev/opkit/transcoder"
	"github.com/opkit-dev/opkit/transcoder/node"
)

func TestNodeClaimsFlags(t *testing.T) {
	good := defaultNodeClaimsConfig()
	good.db = "/var/lib/opkit/claims.db"
	devnetChain := defaultChainConfig
	devnetChain.DevnetFile = "devnet.json"
	tests := []struct {
		name  string
		cfg   nodeClaimsConfig
		chain ChainConfig
		want  string // "" for valid
	}{
		{"no receipts", defaultNodeClaimsConfig(), ChainConfig{}, ""},
		{"receipts only", good, ChainConfig{}, ""},
		{"receipts and claims", good, devnetChain, ""},
		{"chain without store", defaultNodeClaimsConfig(), devnetChain, "without --claims-db"},
		{"zero max segments", func() nodeClaimsConfig { c := good; c.loop.MaxSegments = 0; return c }(), ChainConfig{}, "--claims-max-segments"},
		{"zero end margin", func() nodeClaimsConfig { c := good; c.loop.EndMargin = 0; return c }(), ChainConfig{}, "--claims-end-margin"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.validate(tc.chain)
			if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
	names := map[string]bool{}
	for _, f := range nodeCommand().Flags {
		for _, n := range f.Names() {
			if names[n] {
				t.Errorf("--%s twice on opkit node", n)
			}
			names[n] = true
		}
	}
	for _, want := range []string{flagNodeClaimsDB, flagChainDevnet, flagChainEthURL, flagChainKeystore, flagChainAccount} {
		if !names[want] {
			t.Errorf("opkit node lacks --%s", want)
		}
	}
}

// TestNodeClaimsEndToEnd: `opkit node --claims-db --devnet` transcodes
// segments signed by the job's broadcaster, keeps their receipts, refuses
// a segment signed by another key before any work, and its in-process
// claims loop claims the receipts on chain.
// claimsNode is an `opkit node` run in-process on the devnet with a
// receipt store and the claims loop, for dev account 1.
type claimsNode struct {
	base, secret, db string
	done             chan error
	stop             func() error // idempotent; returns the command's error
}

func startClaimsNode(t *testing.T, devnetFile string, extra ...string) *claimsNode {
	t.Helper()
	dir := t.TempDir()
	n := &claimsNode{secret: "node-claims-secret-0123456789", db: filepath.Join(dir, "claims.db"), done: make(chan error, 1)}
	secretFile := filepath.Join(dir, "secret")
	if err := os.WriteFile(secretFile, []byte(n.secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		app := newApp()
		app.Writer = io.Discard
		n.done <- app.RunContext(ctx, append([]string{"opkit", "--log-level", "warn", "node", "--secret-file", secretFile,
			"--listen", addr, "--ladder", transcoder.P240p30fps16x9 + "," + transcoder.P144p30fps16x9, "--preset", "ultrafast",
			"--claims-db", n.db, "--claims-idle", "1ns", "--claims-poll-interval", "20ms",
			"--devnet", devnetFile, "--account", "1", "--tx-poll-interval", "20ms"}, extra...))
	}()
	n.stop = sync.OnceValue(func() error { cancel(); return <-n.done })
	t.Cleanup(func() { _ = n.stop() })
	n.base = "http://" + addr
	waitHealthy(t, n.base, n.done)
	return n
}

func TestNodeClaimsEndToEnd(t *testing.T) {
	net, devnetFile := testDevnet(t)
	job := claimsJob(t, net, big.NewInt(1e12))
	n := startClaimsNode(t, devnetFile)
	db, done, stop := n.db, n.done, n.stop

	segs := testSegments(t, 3)
	post := func(seq int, data []byte, signer int) (int, string) {
		t.Helper()
		return postSignedSegment(t, n.base, n.secret, net, job, seq, data, signer)
	}
	if status, body := post(0, segs[0], 1); status != http.StatusBadRequest || !strings.Contains(body, "wrong_signer") {
		t.Fatalf("segment signed by the transcoder, not the broadcaster: %d %s", status, body)
	}
	for seq, seg := range segs {
		if status, body := post(seq, seg, 2); status != http.StatusOK {
			t.Fatalf("segment %d: %d %.300s", seq, status, body)
		}
	}

	jm, err := bindings.NewJobsManagerCaller(net.Info().Contracts.JobsManager, net.Client())
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		j, err := jm.GetJob(&bind.CallOpts{}, new(big.Int).SetUint64(job))
		if err == nil && j.NumClaims > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no claim on chain within 60s: %+v, %v", j, err)
		}
		select {
		case err := <-done:
			done <- err
			t.Fatalf("node exited: %v", err)
		case <-time.After(50 * time.Millisecond): // an outside observer's poll interval
		}
	}
	if err := stop(); err != nil {
		t.Fatalf("node after cancel: %v", err)
	}

	store, err := claims.OpenStore(db, claims.StoreOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	st, err := store.Status()
	if err != nil {
		t.Fatal(err)
	}
	// --claims-idle 1ns claims each receipt as soon as it is there, so the
	// segments may be in several claims; the first is on chain, none overlap
	// (a later one may still be an intent, finished on the next start).
	js, _ := json.Marshal(st.Claims)
	next := uint64(0)
	for i, c := range st.Claims {
		if c.Start != next || c.End > 2 || (i == 0 && c.State != claims.ClaimClaimed) {
			t.Fatalf("claims in the store: %s; want consecutive claims from segment 0, the first claimed", js)
		}
		next = c.End + 1
	}
	if len(st.Claims) == 0 {
		t.Fatal("no claim in the store")
	}
	t.Logf("claims: %s", js)
}

// TestNodeRefusesEndedJob: once the head reaches the job's end block the
// node refuses its segments with 410 job_ended before doing the work (no
// claim could pay for it any more).
func TestNodeRefusesEndedJob(t *testing.T) {
	net, devnetFile := testDevnet(t)
	job := claimsJob(t, net, big.NewInt(1e12))
	n := startClaimsNode(t, devnetFile)
	segs := testSegments(t, 2)
	if status, body := postSignedSegment(t, n.base, n.secret, net, job, 0, segs[0], 2); status != http.StatusOK {
		t.Fatalf("segment of a live job: %d %.300s", status, body)
	}
	jm, err := bindings.NewJobsManagerCaller(net.Info().Contracts.JobsManager, net.Client())
	if err != nil {
		t.Fatal(err)
	}
	j, err := jm.GetJob(&bind.CallOpts{}, new(big.Int).SetUint64(job))
	if err != nil {
		t.Fatal(err)
	}
	head, err := net.Client().BlockNumber(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	net.Mine(int(j.EndBlock - head))
	status, body := postSignedSegment(t, n.base, n.secret, net, job, 1, segs[1], 2)
	if status != http.StatusGone || !strings.Contains(body, `"job_ended"`) {
		t.Fatalf("segment of a job past its end block %d: %d %.300s, want 410 job_ended", j.EndBlock, status, body)
	}
}

// A job whose transcoding options are not the node's ladder is refused
// before any work: the receipt would commit to renditions a verifier,
// re-encoding the job's options, could never match.
func TestNodeRefusesJobOfAnotherLadder(t *testing.T) {
	net, devnetFile := testDevnet(t)
	job := testJob(t, net, "cli-stream", big.NewInt(1e12), 1000, transcoder.P360p30fps16x9, transcoder.P144p30fps16x9)
	n := startClaimsNode(t, devnetFile)
	status, body := postSignedSegment(t, n.base, n.secret, net, job, 0, testSegments(t, 1)[0], 2)
	if status != http.StatusBadRequest || !strings.Contains(body, `"job_refused"`) || !strings.Contains(body, "transcoding options") {
		t.Fatalf("segment of a job of another ladder: %d %.300s, want 400 job_refused", status, body)
	}
}

// testSegments encodes n one-second 320x240 MPEG-TS segments.
func testSegments(t *testing.T, n int) [][]byte {
	t.Helper()
	var segs [][]byte
	spec := ffmpeg.SyntheticSpec{Width: 320, Height: 240, FPS: ffmpeg.Rational{Num: 30, Den: 1}, SegmentDuration: time.Second, Segments: n}
	if err := ffmpeg.GenerateSegments(context.Background(), spec, func(_ int, seg []byte) error {
		segs = append(segs, bytes.Clone(seg))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return segs
}

// postSignedSegment posts segment seq of stream "cli-stream" for job, signed
// by the devnet key signer, and returns the answer's status and body.
func postSignedSegment(t *testing.T, base, secret string, net *devnet.Devnet, job uint64, seq int, data []byte, signer int) (int, string) {
	t.Helper()
	sig, err := claims.SignSegment(net.Key(signer), claims.SegmentHash("cli-stream", uint64(seq), crypto.Keccak256Hash(data)))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/v1/streams/cli-stream/segments/"+strconv.Itoa(seq), bytes.NewReader(data))
	req.Header.Set("Authorization", "Bearer "+secret)
	req.Header.Set("Content-Type", "video/mp2t")
	req.Header.Set(node.HeaderJobID, strconv.FormatUint(job, 10))
	req.Header.Set(node.HeaderBroadcasterSig, "0x"+hex.EncodeToString(sig))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// waitHealthy polls /healthz until the node answers or exits.
func waitHealthy(t *testing.T, base string, done chan error) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("node not healthy within 30s: %v", err)
		}
		select {
		case err := <-done:
			done <- err
			t.Fatalf("node exited: %v", err)
		case <-time.After(20 * time.Millisecond): // an outside observer's poll interval
		}
	}
}
