package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/contracts/devnet"
)

// The demo's chain: quarter-second blocks, ten-second rounds, and one
// segment in two challenged (the devnet's 1 in 4 leaves a short demo with
// nothing for the verifier a good part of the time).
const (
	demoBlockTime        = 250 * time.Millisecond
	demoRoundLength      = 40
	demoPoll             = "250ms"
	demoVerificationRate = 2
	// demoMinChallenged is the fewest segments from which the demo expects
	// a verification: all 10 go unchallenged once in 1024 runs.
	demoMinChallenged = 10
)

// Dev accounts of the demo.
const (
	demoDelegator   = 0
	demoOperator    = 1
	demoBroadcaster = 2
	demoSolver      = 3
)

// demo is one run of `opkit demo`.
type demo struct {
	cfg    demoConfig
	status io.Writer
	log    *zap.Logger

	net        *devnet.Devnet
	devnetFile string
	procs      *demoProcs
	chain      *demoChain
	nodeURL    string
	secret     string // node secret file
	started    time.Time
	before     map[string]demoBalances
	bcast      *broadcastReport
	bcastStart time.Time
	live       bool      // status is a terminal: the status line is rewritten in place
	lastLine   time.Time // when the status line was last printed (not live)
}

// run does the whole demo and returns its summary; an error is a demo that
// could not run to its end (the summary, when not nil, says how far it got).
func (d *demo) run(ctx context.Context) (_ *demoSummary, err error) {
	d.started = time.Now()
	if err := d.startChain(ctx); err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, d.net.Close()) }()
	if d.procs, err = newDemoProcs(d.cfg.out, envVar("lock-dir")+"="+filepath.Join(d.cfg.out, "locks")); err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, d.procs.stopAll()) }()
	d.say("staking: the operator bonds %s LPT and registers, the delegator bonds %s LPT to it", demoBondLPT, demoDelegateLP)
	if err := d.stake(ctx); err != nil {
		return nil, err
	}
	if err := d.startServices(ctx); err != nil {
		return nil, err
	}
	d.say("waiting for the operator's first reward (it is active from the round after it registered)")
	if err := d.until(ctx, 2*time.Minute, "the operator's first reward", func(e demoEvents) bool { return len(e.Rewards) > 0 }); err != nil {
		return nil, err
	}
	if err := d.broadcast(ctx); err != nil {
		return nil, err
	}
	d.say("stream done; waiting for claims, verifications and fees (verification and slashing windows)")
	windErr := d.until(ctx, d.cfg.windDown, "every segment claimed, verified and paid", d.settled)
	sum, err := d.summarize(ctx)
	if err != nil {
		return nil, errors.Join(windErr, err)
	}
	if windErr != nil && ctx.Err() == nil {
		sum.fail("%v", windErr)
	}
	if err := ctx.Err(); err != nil {
		return sum, err // interrupted: the summary says how far it got
	}
	if d.cfg.keep {
		d.say("everything keeps running (node %s, RPC %s); Ctrl-C stops it and prints the summary", d.nodeURL, d.net.RPCURL())
		<-ctx.Done() // the awaited end of a --keep run, not an interruption
	}
	return sum, nil
}

func (d *demo) say(format string, a ...any) {
	if d.live {
		fmt.Fprint(d.status, "\r\033[K") // clear the status line
	}
	fmt.Fprintf(d.status, "demo: "+format+"\n", a...)
}

// demoStatusEvery is how often the status line is printed to a log (a
// terminal gets it rewritten every 2 s).
const demoStatusEvery = 10 * time.Second

func (d *demo) startChain(ctx context.Context) error {
	net, err := devnet.Start(ctx, devnet.Config{
		RPCAddr: "127.0.0.1:0", BlockTime: demoBlockTime, RoundLength: demoRoundLength, Accounts: 4,
		Dir: filepath.Join(d.cfg.out, "devnet"), Logger: d.log.Named("devnet"),
	})
	if err != nil {
		return err
	}
	d.net, d.devnetFile = net, filepath.Join(d.cfg.out, "devnet.json")
	if err := net.Info().Write(d.devnetFile); err != nil {
		return errors.Join(err, net.Close())
	}
	info := net.Info()
	d.chain, err = newDemoChain(net, info.Accounts[demoOperator].Address, info.Accounts[demoDelegator].Address)
	if err == nil {
		err = d.chain.setVerificationRate(ctx, net, demoVerificationRate)
	}
	if err != nil {
		return errors.Join(err, net.Close())
	}
	d.say("dev chain on %s (%v blocks, %d-block rounds); everything is in %s", net.RPCURL(), demoBlockTime, demoRoundLength, d.cfg.out)
	return nil
}

// chainArgs is the chain flags of dev account acct.
func (d *demo) chainArgs(acct int) []string {
	return []string{"--devnet", d.devnetFile, "--account", strconv.Itoa(acct), "--tx-poll-interval", demoPoll}
}

func (d *demo) opkit(sub []string, acct int, rest ...string) []string {
	args := append([]string{"--log-level", "info"}, sub...)
	return append(append(args, d.chainArgs(acct)...), rest...)
}

// stake bonds and registers the operator and bonds the delegator; each
// command initializes the round and waits out a lock period itself.
func (d *demo) stake(ctx context.Context) error {
	operator := d.net.Info().Accounts[demoOperator].Address.Hex()
	steps := []struct {
		name string
		args []string
	}{
		{"operator-bond", d.opkit([]string{"stake", "bond"}, demoOperator, "--amount", demoBondLPT, "--initialize-round", "--wait")},
		{"operator-register", d.opkit([]string{"stake", "register"}, demoOperator, "--reward-cut", strconv.Itoa(demoRewardCut),
			"--fee-share", strconv.Itoa(demoFeeShare), "--price", strconv.Itoa(demoPriceWei), "--initialize-round", "--wait")},
		{"delegator-bond", d.opkit([]string{"stake", "bond"}, demoDelegator, "--amount", demoDelegateLP, "--to", operator, "--initialize-round", "--wait")},
	}
	for _, s := range steps {
		if _, err := d.procs.once(ctx, s.name, s.args...); err != nil {
			return err
		}
	}
	d.before = map[string]demoBalances{}
	for name, who := range map[string]int{"operator": demoOperator, "delegator": demoDelegator} {
		b, err := d.chain.balances(ctx, d.net.Info().Accounts[who].Address)
		if err != nil {
			return err
		}
		d.before[name] = b
	}
	return nil
}

// startServices starts the node (reward duty, claims loop, segment store
// and its archive API), its remote transcoder and the verifier (fetching
// over that API), and waits for the worker.
func (d *demo) startServices(ctx context.Context) error {
	nodeSecret, err1 := d.secretFile("node.secret")
	workerSecret, err2 := d.secretFile("worker.secret")
	verifierSecret, err3 := d.secretFile("verifier.secret")
	addr, err4 := freeLoopback()
	verMetrics, err5 := freeLoopback()
	if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
		return err
	}
	d.secret, d.nodeURL = nodeSecret, "http://"+addr
	out := func(name string) string { return filepath.Join(d.cfg.out, name) }
	d.say("starting opkit node (reward, claims, segment store), one opkit transcoder and opkit verifier")
	if _, err := d.procs.start("node", d.opkit([]string{"node"}, demoOperator,
		"--listen", addr, "--secret-file", nodeSecret, "--worker-secret-file", workerSecret, "--verifier-secret-file", verifierSecret,
		"--max-sessions", "0", "--ladder", d.cfg.ladder, "--preset", "veryfast",
		"--claims-db", out("claims.db"), "--segment-store", out("segments"), "--claims-idle", "2s", "--claims-poll-interval", demoPoll,
		"--reward", "--initialize-round", "--initialize-delay-max", "1s", "--db", out("protection.db"), "--poll-interval", demoPoll)...); err != nil {
		return err
	}
	if err := d.waitMetric(ctx, "opkit_node_workers", nil, 0, "the node"); err != nil { // serving
		return err
	}
	if _, err := d.procs.start("worker", "--log-level", "info", "transcoder", "--orchestrator", d.nodeURL,
		"--secret-file", workerSecret, "--name", "demo-worker", "--capacity", "2", "--preset", "veryfast"); err != nil {
		return err
	}
	if _, err := d.procs.start("verifier", d.opkit([]string{"verifier"}, demoSolver,
		"--node", d.nodeURL, "--node-secret-file", verifierSecret, "--db", out("verifier.db"), "--poll-interval", "500ms",
		"--give-up-after", "1m", "--metrics-addr", verMetrics)...); err != nil {
		return err
	}
	return d.waitMetric(ctx, "opkit_node_workers", nil, 1, "a worker registered with the node")
}

func (d *demo) secretFile(name string) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	path := filepath.Join(d.cfg.out, name)
	return path, os.WriteFile(path, []byte(base64.StdEncoding.EncodeToString(b)+"\n"), 0o600)
}

func freeLoopback() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	return addr, ln.Close()
}

// broadcast runs the broadcaster to the end of the stream, with the status
// line going meanwhile.
func (d *demo) broadcast(ctx context.Context) error {
	n := d.cfg.segments()
	d.say("broadcasting %d segments of %s (%v each) to the node, ladder %s, into %s", n, d.cfg.testsrc, d.cfg.segDur, d.cfg.ladder,
		filepath.Join(d.cfg.out, "broadcast"))
	type result struct {
		out []byte
		err error
	}
	done := make(chan result, 1)
	d.bcastStart = time.Now()
	go func() {
		out, err := d.procs.once(ctx, "broadcast", d.opkit([]string{"broadcast"}, demoBroadcaster,
			"--deposit", "1", "--stream", "demo", "--ladder", d.cfg.ladder, "--max-price", strconv.Itoa(demoPriceWei),
			"--testsrc", d.cfg.testsrc, "--segments", strconv.Itoa(n), "--segment-duration", d.cfg.segDur.String(),
			"--node", d.nodeURL, "--secret-file", d.secret, "--out", filepath.Join(d.cfg.out, "broadcast"), "--json")...)
		done <- result{out, err}
	}()
	tick := time.NewTicker(2 * time.Second)
	defer tick.Stop()
	for {
		select {
		case r := <-done:
			d.bcast = &broadcastReport{}
			if err := json.Unmarshal(r.out, d.bcast); err != nil {
				return errors.Join(r.err, fmt.Errorf("read the broadcaster's summary: %w", err))
			}
			return r.err
		case <-tick.C:
			d.statusLine(ctx)
			if err := d.procs.exited(); err != nil {
				return err
			}
		}
	}
}

// until polls the chain's events every 2 s, printing the status line,
// until done holds, limit passes or a service exits.
func (d *demo) until(ctx context.Context, limit time.Duration, what string, done func(demoEvents) bool) error {
	deadline := time.Now().Add(limit)
	tick := time.NewTicker(2 * time.Second)
	defer tick.Stop()
	for {
		e, err := d.chain.events(ctx)
		if err == nil && done(e) {
			return nil
		}
		if err := d.procs.exited(); err != nil {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no %s within %v", what, limit)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
			d.statusLine(ctx)
		}
	}
}

// settled: every answered segment is claimed, every claim paid, every
// verification request answered.
func (d *demo) settled(e demoEvents) bool {
	answered := uint64(d.bcast.Segments.Answered)
	requests, err := d.chain.requests()
	return err == nil && e.ClaimedSegs >= answered && e.Claims > 0 && e.Distributions == e.Claims &&
		uint64(e.Passed+e.Failed) == requests
}

// statusLine prints one line of where the run stands.
func (d *demo) statusLine(ctx context.Context) {
	e, err := d.chain.events(ctx)
	if err != nil {
		d.say("status: %v", err)
		return
	}
	round, _ := d.chain.round(ctx, nil)
	segs, _ := d.metric("opkit_node_segments_total", map[string]string{"result": "ok"})
	ratio := 0.0
	switch el := time.Since(d.bcastStart).Seconds(); {
	case d.bcast != nil && d.bcast.Summary != nil:
		ratio = d.bcast.RealTimeRatio
	case el > 0 && !d.bcastStart.IsZero():
		ratio = segs * d.cfg.segDur.Seconds() / el
	}
	line := fmt.Sprintf("round %d | rewards %d | segments %.0f (%.2fx real time) | claims %d | verifications %d passed, %d failed | fees %s wei",
		round, len(e.Rewards), segs, ratio, e.Claims, e.Passed, e.Failed, e.Distributed)
	switch {
	case d.live:
		fmt.Fprint(d.status, "\r\033[K"+line)
	case time.Since(d.lastLine) >= demoStatusEvery:
		d.lastLine = time.Now()
		d.say("%s", line)
	}
}

// metric reads one sample of the node's /metrics; labels select it.
func (d *demo) metric(name string, labels map[string]string) (float64, error) {
	resp, err := http.Get(d.nodeURL + "/metrics")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		return 0, err
	}
	f, ok := fams[name]
	if !ok {
		return 0, fmt.Errorf("no %s", name)
	}
next:
	for _, m := range f.GetMetric() {
		for _, l := range m.GetLabel() {
			if want, ok := labels[l.GetName()]; ok && want != l.GetValue() {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.GetCounter().GetValue(), nil
		case m.Gauge != nil:
			return m.GetGauge().GetValue(), nil
		}
	}
	return 0, fmt.Errorf("no %s%v", name, labels)
}

// waitMetric waits until the node serves name at min or more.
func (d *demo) waitMetric(ctx context.Context, name string, labels map[string]string, min float64, what string) error {
	deadline := time.Now().Add(time.Minute)
	for {
		if v, err := d.metric(name, labels); err == nil && v >= min {
			return nil
		}
		if err := d.procs.exited(); err != nil {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("waited a minute for %s", what)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}
