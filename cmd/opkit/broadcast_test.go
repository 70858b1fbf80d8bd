package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/opkit-dev/opkit/claims"
	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/contracts/deploy"
	"github.com/opkit-dev/opkit/contracts/devnet"
	"github.com/opkit-dev/opkit/transcoder"
	"github.com/opkit-dev/opkit/transcoder/broadcast"
	"github.com/opkit-dev/opkit/transcoder/hls"
)

const bcastLadder = transcoder.P240p30fps16x9 + "," + transcoder.P144p30fps16x9

// registerTranscoder registers dev account 1 as an active transcoder at
// price wei per segment (testJob's first half: no job).
func registerTranscoder(t *testing.T, net *devnet.Devnet, price *big.Int) {
	t.Helper()
	info := net.Info()
	c := net.Client()
	jm, _ := bindings.NewJobsManager(info.Contracts.JobsManager, c)
	bm, _ := bindings.NewBondingManager(info.Contracts.BondingManager, c)
	tok, _ := bindings.NewLivepeerToken(info.Contracts.Token, c)
	tr := net.Key(1)
	stake := deploy.LPT(100)
	devnetSend(t, net, tr, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return tok.Approve(o, info.Contracts.BondingManager, stake)
	})
	devnetSend(t, net, tr, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return bm.Bond(o, stake, info.Accounts[1].Address)
	})
	devnetSend(t, net, tr, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return bm.Transcoder(o, big.NewInt(0), big.NewInt(0))
	})
	nextRound(t, net)
	devnetSend(t, net, tr, func(o *bind.TransactOpts) (*types.Transaction, error) { return jm.SetPricePerSegment(o, price) })
}

// bcastWorld is a devnet with dev account 1 registered and its `opkit node`
// running with a receipt store and chain flags.
type bcastWorld struct {
	net        *devnet.Devnet
	devnetFile string
	node       *claimsNode
	secretFile string
}

func newBcastWorld(t *testing.T) *bcastWorld {
	t.Helper()
	net, devnetFile := testDevnet(t)
	registerTranscoder(t, net, big.NewInt(1e9))
	n := startClaimsNode(t, devnetFile)
	secretFile := filepath.Join(t.TempDir(), "node.secret")
	if err := os.WriteFile(secretFile, []byte(n.secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return &bcastWorld{net: net, devnetFile: devnetFile, node: n, secretFile: secretFile}
}

// broadcast runs `opkit broadcast --json` as dev account 2 against nodeURL
// and returns its report and error.
func (w *bcastWorld) broadcast(t *testing.T, nodeURL, stream, out string, source ...string) (broadcastReport, error) {
	t.Helper()
	args := append([]string{"broadcast", "--devnet", w.devnetFile, "--account", "2", "--tx-poll-interval", "20ms",
		"--deposit", "1", "--stream", stream, "--ladder", bcastLadder, "--max-price", "2000000000",
		"--node", nodeURL, "--secret-file", w.secretFile, "--out", out, "--retry-timeout", "30s", "--json"}, source...)
	stdout, err := opkit(t, args...)
	var rep broadcastReport
	if jerr := json.Unmarshal([]byte(stdout), &rep); jerr != nil {
		t.Fatalf("opkit broadcast: %v; stdout is not one JSON object (%v):\n%s", err, jerr, stdout)
	}
	return rep, err
}

// receipts counts the receipts the node's store holds for job, after
// stopping the node (the store is the node's while it runs).
func (w *bcastWorld) receipts(t *testing.T, job uint64) int {
	t.Helper()
	if err := w.node.stop(); err != nil {
		t.Fatalf("node after cancel: %v", err)
	}
	store, err := claims.OpenStore(w.node.db, claims.StoreOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	n := 0
	for seg := uint64(0); seg < 16; seg++ {
		_, err := store.Get(job, seg)
		switch {
		case err == nil:
			n++
		case !errors.Is(err, claims.ErrNotFound):
			t.Fatal(err)
		}
	}
	return n
}

// TestBroadcastEndToEnd: `opkit broadcast` deposits, creates a job that
// elects the node's account, sends 4 generated segments signed for it, and
// writes the renditions with playlists; the node keeps 4 receipts.
func TestBroadcastEndToEnd(t *testing.T) {
	w := newBcastWorld(t)
	out := t.TempDir()
	rep, err := w.broadcast(t, w.node.base, "s", out, "--testsrc", "320x240@30", "--segments", "4", "--segment-duration", "1s")
	if err != nil {
		t.Fatalf("opkit broadcast: %v", err)
	}
	js, _ := json.Marshal(rep)
	t.Logf("report: %s", js)
	s := rep.Summary
	info := w.net.Info()
	if !rep.Chain.JobCreated || rep.Chain.Transcoder != info.Accounts[1].Address || rep.Chain.Broadcaster != info.Accounts[2].Address ||
		len(rep.Chain.Txs) != 2 || rep.Chain.Deposit.Cmp(big.NewInt(1e18)) != 0 {
		t.Fatalf("chain part: %+v", rep.Chain)
	}
	j, err := w.clientJob(s.Job)
	if err != nil {
		t.Fatal(err)
	}
	if j.Transcoder != info.Accounts[1].Address || j.StreamId != "s" || j.TranscodingOptions != claims.TranscodingOptions(transcoder.P240p30fps16x9, transcoder.P144p30fps16x9) {
		t.Fatalf("job on chain: %+v", j)
	}
	if s.Stream != "s" || s.Segments != (broadcast.Segments{Total: 4, Sent: 4, Answered: 4}) || s.Sends != 4 || s.Retries != 0 ||
		s.Receipts != 4 || len(s.Renditions) != 2 || s.Bytes <= 0 || s.MediaSeconds < 3.9 || s.RealTimeRatio <= 0 {
		t.Fatalf("summary: %s", js)
	}
	var sum int64
	for _, r := range s.Renditions {
		sum += r.Bytes
		for seq := 0; seq < 4; seq++ {
			if st, err := os.Stat(filepath.Join(out, r.Name, fmt.Sprintf("%d.ts", seq))); err != nil || st.Size() == 0 {
				t.Fatalf("rendition %s segment %d: %v", r.Name, seq, err)
			}
		}
		media, err := hls.ParseFile(r.Playlist)
		if err != nil || media.Kind != hls.MediaPlaylist || len(media.Segments) != 4 || !media.Ended {
			t.Fatalf("%s: %+v, %v", r.Playlist, media, err)
		}
	}
	if sum != s.Bytes {
		t.Fatalf("renditions hold %d bytes, summary says %d", sum, s.Bytes)
	}
	if s.MasterPlaylist != filepath.Join(out, broadcast.MasterName) {
		t.Fatalf("master playlist %q", s.MasterPlaylist)
	}
	master, err := hls.ParseFile(s.MasterPlaylist)
	if err != nil || master.Kind != hls.MasterPlaylist || len(master.Variants) != 2 {
		t.Fatalf("master: %+v, %v", master, err)
	}
	for _, v := range master.Variants {
		if v.Bandwidth <= 0 || v.Width == 0 || v.Height == 0 || !strings.HasPrefix(v.Codecs, "avc1.") {
			t.Fatalf("variant %+v lacks BANDWIDTH, RESOLUTION or CODECS", v)
		}
	}
	if n := w.receipts(t, s.Job); n != 4 {
		t.Fatalf("the node's store holds %d receipts of job %d, want 4", n, s.Job)
	}
}

func (w *bcastWorld) clientJob(job uint64) (bindings.JobsManagerJob, error) {
	jm, err := bindings.NewJobsManagerCaller(w.net.Info().Contracts.JobsManager, w.net.Client())
	if err != nil {
		return bindings.JobsManagerJob{}, err
	}
	return jm.GetJob(&bind.CallOpts{}, new(big.Int).SetUint64(job))
}

// flakyProxy stands between the broadcaster and the node: the first try of
// segment 1 gets 503 with Retry-After: 1 and never reaches the node; the
// first try of segment 2 reaches the node, which does the work and keeps
// the receipt, but its answer is lost (the connection is closed).
func flakyProxy(t *testing.T, nodeBase string) *httptest.Server {
	t.Helper()
	var mu sync.Mutex
	tries := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seq := path.Base(r.URL.Path)
		mu.Lock()
		tries[seq]++
		try := tries[seq]
		mu.Unlock()
		if seq == "1" && try == 1 {
			w.Header().Set("Retry-After", "1")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(w, `{"error":"draining","code":"draining"}`)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return
		}
		req, _ := http.NewRequestWithContext(r.Context(), r.Method, nodeBase+r.URL.RequestURI(), bytes.NewReader(body))
		req.Header = r.Header.Clone()
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		answer, err := io.ReadAll(resp.Body)
		if seq == "2" && try == 1 || err != nil {
			conn, _, herr := http.NewResponseController(w).Hijack()
			if herr == nil {
				_ = conn.Close()
			}
			return
		}
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = w.Write(answer)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestBroadcastRetries: a 503 with Retry-After and a lost answer are
// retried with the same bytes and signature; every segment is answered,
// nothing is refused as a conflict and the node keeps exactly 4 receipts.
func TestBroadcastRetries(t *testing.T) {
	w := newBcastWorld(t)
	proxy := flakyProxy(t, w.node.base)
	rep, err := w.broadcast(t, proxy.URL, "s-retry", t.TempDir(), "--testsrc", "320x240@30", "--segments", "4", "--segment-duration", "1s")
	js, _ := json.Marshal(rep)
	t.Logf("report: %s", js)
	if err != nil {
		t.Fatalf("opkit broadcast: %v", err)
	}
	s := rep.Summary
	if s.Segments != (broadcast.Segments{Total: 4, Sent: 4, Answered: 4}) || s.Sends != 6 || s.Retries != 2 ||
		s.RetriesBy[broadcast.RetryUnavailable] != 1 || s.RetriesBy[broadcast.RetryTransport] != 1 || s.Receipts != 4 || len(s.Failures) != 0 {
		t.Fatalf("summary: %s", js)
	}
	if n := w.receipts(t, s.Job); n != 4 {
		t.Fatalf("the node's store holds %d receipts of job %d, want 4", n, s.Job)
	}
}

// TestBroadcastRefusedSegment: a corrupt segment in the playlist gets 422
// from the node; it is reported, the segments after it are still sent, and
// the command exits 1.
func TestBroadcastRefusedSegment(t *testing.T) {
	w := newBcastWorld(t)
	dir := t.TempDir()
	segs := testSegments(t, 3)
	segs[1] = bytes.Repeat([]byte("not a transport stream "), 400)
	var pl strings.Builder
	pl.WriteString("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n")
	for i, seg := range segs {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d.ts", i)), seg, 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&pl, "#EXTINF:1.000,\n%d.ts\n", i)
	}
	pl.WriteString("#EXT-X-ENDLIST\n")
	playlist := filepath.Join(dir, "index.m3u8")
	if err := os.WriteFile(playlist, []byte(pl.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	rep, err := w.broadcast(t, w.node.base, "s-bad", out, "--in", playlist)
	js, _ := json.Marshal(rep)
	t.Logf("report: %s (err %v)", js, err)
	if !errors.Is(err, errSegmentsFailed) || exitCode(err) != 1 {
		t.Fatalf("err %v (exit %d), want errSegmentsFailed and exit 1", err, exitCode(err))
	}
	s := rep.Summary
	if s.Segments != (broadcast.Segments{Total: 3, Sent: 3, Answered: 2, Failed: 1}) || len(s.Failures) != 1 ||
		s.Failures[0].Seq != 1 || s.Failures[0].Status != http.StatusUnprocessableEntity || s.Retries != 0 {
		t.Fatalf("summary: %s", js)
	}
	media, err := hls.ParseFile(filepath.Join(out, transcoder.P240p30fps16x9, transcoder.PlaylistName))
	if err != nil || len(media.Segments) != 2 || media.Segments[0].URI != "0.ts" || media.Segments[1].URI != "2.ts" {
		t.Fatalf("media playlist %+v, %v", media, err)
	}
	if n := w.receipts(t, s.Job); n != 2 {
		t.Fatalf("the node's store holds %d receipts of job %d, want 2", n, s.Job)
	}
}

func TestBroadcastFlags(t *testing.T) {
	good := defaultBroadcastConfig()
	good.stream, good.maxPrice, good.deposit = "s", "1000", "0.5"
	good.testsrc, good.node, good.secretFile, good.out = "320x240@30", "http://127.0.0.1:8935", "/etc/opkit/node.secret", "/tmp/out"
	if err := good.Validate(); err != nil {
		t.Fatalf("good flags: %v", err)
	}
	cases := []struct {
		name string
		mut  func(*broadcastConfig)
		want string // "" for valid
	}{
		{"reuse a job", func(c *broadcastConfig) { c.job, c.stream, c.maxPrice = "7", "", "" }, ""},
		{"playlist input", func(c *broadcastConfig) { c.testsrc, c.in = "", "in.m3u8" }, ""},
		{"no stream", func(c *broadcastConfig) { c.stream = "" }, "--stream"},
		{"bad ladder", func(c *broadcastConfig) { c.ladder = "P999p" }, "--ladder"},
		{"empty ladder", func(c *broadcastConfig) { c.ladder = "" }, "--ladder"},
		{"bad job", func(c *broadcastConfig) { c.job = "x" }, "--job"},
		{"no max price", func(c *broadcastConfig) { c.maxPrice = "" }, "--max-price"},
		{"zero max price", func(c *broadcastConfig) { c.maxPrice = "0" }, "--max-price"},
		{"fractional max price", func(c *broadcastConfig) { c.maxPrice = "1.5" }, "--max-price"},
		{"zero job blocks", func(c *broadcastConfig) { c.jobBlocks = 0 }, "--job-blocks"},
		{"bad deposit", func(c *broadcastConfig) { c.deposit = "lots" }, "--deposit"},
		{"no source", func(c *broadcastConfig) { c.testsrc = "" }, "one source"},
		{"two sources", func(c *broadcastConfig) { c.in = "a.ts" }, "one source"},
		{"bad testsrc", func(c *broadcastConfig) { c.testsrc = "320x240" }, "--testsrc"},
		{"zero fps", func(c *broadcastConfig) { c.testsrc = "320x240@0" }, "--testsrc"},
		{"zero segments", func(c *broadcastConfig) { c.segments = 0 }, "--segments"},
		{"no node", func(c *broadcastConfig) { c.node = "" }, "--node"},
		{"node without scheme", func(c *broadcastConfig) { c.node = "127.0.0.1:8935" }, "--node"},
		{"no secret", func(c *broadcastConfig) { c.secretFile = "" }, "--secret-file"},
		{"no out", func(c *broadcastConfig) { c.out = "" }, "--out"},
		{"zero retry timeout", func(c *broadcastConfig) { c.retryTimeout = 0 }, "--retry-timeout"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := good
			tc.mut(&c)
			err := c.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatalf("got %v, want valid", err)
				}
				return
			}
			if !errors.Is(err, errBroadcastConfig) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want errBroadcastConfig naming %s", err, tc.want)
			}
		})
	}
}

// TestBroadcastInterruptedReusedJob: with --job the command reuses a job
// created outside it and skips a deposit that already covers it. Cancelled
// (as SIGINT does) while segment 2 is at the node, it abandons that
// segment, writes the playlists of segments 0 and 1 without EXT-X-ENDLIST,
// prints the summary and exits 130.
func TestBroadcastInterruptedReusedJob(t *testing.T) {
	w := newBcastWorld(t)
	info := w.net.Info()
	jm, _ := bindings.NewJobsManager(info.Contracts.JobsManager, w.net.Client())
	devnetSend(t, w.net, w.net.Key(2), func(o *bind.TransactOpts) (*types.Transaction, error) {
		o.Value = big.NewInt(1e18)
		return jm.Deposit(o)
	})
	head, err := w.net.Client().BlockNumber(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r := devnetSend(t, w.net, w.net.Key(2), func(o *bind.TransactOpts) (*types.Transaction, error) {
		return jm.Job(o, "s-int", claims.TranscodingOptions(transcoder.P240p30fps16x9, transcoder.P144p30fps16x9), big.NewInt(2e9), big.NewInt(int64(head)+1000))
	})
	var job uint64
	for _, l := range r.Logs {
		if ev, err := jm.ParseNewJob(*l); err == nil {
			job = ev.JobId.Uint64()
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// Segment 2 reaches a proxy that cancels the command and holds the
	// request until the command lets go of it.
	proxy := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body) // the server notices a closed connection only once the body is read
		if path.Base(req.URL.Path) == "2" {
			cancel()
			<-req.Context().Done()
			return
		}
		fwd, _ := http.NewRequestWithContext(req.Context(), req.Method, w.node.base+req.URL.RequestURI(), bytes.NewReader(body))
		fwd.Header = req.Header.Clone()
		resp, err := http.DefaultTransport.RoundTrip(fwd)
		if err != nil {
			rw.WriteHeader(http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			rw.Header()[k] = v
		}
		rw.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(rw, resp.Body)
	}))
	t.Cleanup(proxy.Close)

	out := t.TempDir()
	var stdout bytes.Buffer
	app := newApp()
	app.Writer = &stdout
	err = app.RunContext(ctx, []string{"opkit", "--log-level", "warn", "broadcast", "--devnet", w.devnetFile, "--account", "2",
		"--tx-poll-interval", "20ms", "--deposit", "1", "--job", fmt.Sprint(job), "--ladder", bcastLadder,
		"--node", proxy.URL, "--secret-file", w.secretFile, "--out", out, "--json",
		"--testsrc", "320x240@30", "--segments", "4", "--segment-duration", "1s"})
	if exitCode(err) != 130 {
		t.Fatalf("err %v (exit %d), want exit 130", err, exitCode(err))
	}
	var rep broadcastReport
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("stdout is not one JSON object (%v):\n%s", err, stdout.String())
	}
	js, _ := json.Marshal(rep)
	t.Logf("report: %s", js)
	s := rep.Summary
	if rep.Chain.JobCreated || !rep.Chain.DepositSkipped || len(rep.Chain.Txs) != 0 || rep.Chain.Transcoder != info.Accounts[1].Address ||
		s.Job != job || s.Stream != "s-int" {
		t.Fatalf("chain part: %s", js)
	}
	if !s.Interrupted || s.Segments != (broadcast.Segments{Total: 4, Sent: 3, Answered: 2, Abandoned: 1}) || s.Receipts != 2 {
		t.Fatalf("summary: %s", js)
	}
	media, err := hls.ParseFile(filepath.Join(out, transcoder.P144p30fps16x9, transcoder.PlaylistName))
	if err != nil || len(media.Segments) != 2 || media.Ended {
		t.Fatalf("media playlist of an interrupted run: %+v, %v", media, err)
	}
	if _, err := hls.ParseFile(s.MasterPlaylist); err != nil {
		t.Fatal(err)
	}
}

func TestPrintBroadcast(t *testing.T) {
	rep := &broadcastReport{
		Summary: &broadcast.Summary{Job: 3, Stream: "cam1", Segments: broadcast.Segments{Total: 2, Sent: 2, Answered: 1, Failed: 1}, Sends: 3, Retries: 1,
			Failures:       []broadcast.Failure{{Seq: 1, Name: "1.ts", Status: 422, Code: "corrupt", Error: "segment 1: segment refused: 422 corrupt"}},
			MasterPlaylist: "out/master.m3u8"},
		Chain: broadcastChain{DepositSkipped: true, Deposit: big.NewInt(10), WorstCase: big.NewInt(8)},
	}
	var b bytes.Buffer
	printBroadcast(&b, rep)
	for _, want := range []string{"job 3", `"cam1"`, "1 answered, 1 failed", "3 sends, 1 retries", "segment 1 (1.ts)", "422 corrupt", "--deposit skipped", "out/master.m3u8"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, b.String())
		}
	}
}
