package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/opkit-dev/opkit/claims"
	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/contracts/devnet/rpcfault"
)

// faultSummary is the fault suite's verdict, printed as one line.
type faultSummary struct {
	rounds, rewarded, missed, double, slashed    int
	segmentsSent, segmentsLost, conflicts, stuck int
	verified, requests                           int // verifications passed, and requested
	unchecked                                    int // claims whose slashing window closed unchecked
	proxyCounts                                  map[string]int
}

func (s faultSummary) line() string {
	return fmt.Sprintf("faults: rounds=%d rewarded=%d missed=%d double=%d slashed=%d segments_sent=%d segments_lost=%d receipts_conflict=%d stuck_nonce=%d verified=%d/%d",
		s.rounds, s.rewarded, s.missed, s.double, s.slashed, s.segmentsSent, s.segmentsLost, s.conflicts, s.stuck, s.verified, s.requests)
}

func (s faultSummary) ok() bool {
	return s.missed == 0 && s.double == 0 && s.slashed == 0 && s.segmentsLost == 0 &&
		s.conflicts == 0 && s.stuck == 0 && s.unchecked == 0 && s.segmentsSent > 0 && s.verified == s.requests
}

// finder plays the party that slashes: while the run goes on, it checks
// every claim of the job in its slashing window and counts each challenged
// segment whose missedVerificationSlash would succeed.
type finder struct {
	w         *faultWorld
	mu        sync.Mutex
	checked   map[uint64]bool
	slashable int
	unchecked int
	stop      chan struct{}
	done      chan struct{}
}

func (w *faultWorld) startFinder() *finder {
	f := &finder{w: w, checked: map[uint64]bool{}, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(f.done)
		tick := time.NewTicker(4 * faultBlockTime)
		defer tick.Stop()
		for {
			select {
			case <-f.stop:
				return
			case <-tick.C:
				f.pass()
			}
		}
	}()
	return f
}

func (f *finder) close() { close(f.stop); <-f.done }

// pass checks the claims whose verification window has closed.
func (f *finder) pass() {
	w := f.w
	jm := w.jobs()
	job, err := jm.GetJob(callLatest, new(big.Int).SetUint64(w.job))
	if err != nil {
		return
	}
	head := w.head()
	for id := uint64(0); id < job.NumClaims; id++ {
		if f.isChecked(id) {
			continue
		}
		c, err := jm.GetClaim(callLatest, new(big.Int).SetUint64(w.job), new(big.Int).SetUint64(id))
		if err != nil || head < c.EndVerificationBlock {
			continue
		}
		n, err := f.slashableSegments(id, c)
		f.mu.Lock()
		f.checked[id] = true
		if err != nil || head >= c.EndSlashingBlock {
			f.unchecked++
		}
		f.slashable += n
		f.mu.Unlock()
	}
}

func (f *finder) isChecked(id uint64) bool { f.mu.Lock(); defer f.mu.Unlock(); return f.checked[id] }

// slashableSegments counts the claim's challenged segments that a finder
// could slash for a missed verification now.
func (f *finder) slashableSegments(id uint64, c bindings.JobsManagerClaim) (int, error) {
	w := f.w
	ctx := context.Background()
	rate, err := w.jobs().VerificationRate(callLatest)
	if err != nil {
		return 0, err
	}
	seed, err := w.net.Client().HeaderByNumber(ctx, new(big.Int).SetUint64(claims.SeedBlock(c.ClaimBlock)))
	if err != nil {
		return 0, err
	}
	abi, err := bindings.JobsManagerMetaData.GetAbi()
	if err != nil {
		return 0, err
	}
	to := w.net.Info().Contracts.JobsManager
	n := 0
	for _, seg := range claims.ChallengedSegments(c.ClaimBlock, seed.Hash(), c.SegmentStart, c.SegmentEnd, rate.Uint64()) {
		data, err := abi.Pack("missedVerificationSlash", new(big.Int).SetUint64(w.job), new(big.Int).SetUint64(id), new(big.Int).SetUint64(seg))
		if err != nil {
			return n, err
		}
		msg := ethereum.CallMsg{From: w.net.Info().Accounts[2].Address, To: &to, Data: data}
		if _, err := w.net.Client().CallContract(ctx, msg, nil); err == nil {
			n++
		}
	}
	return n, nil
}

// waitReceipt waits a few blocks for tx's receipt; nil if none came.
func (w *faultWorld) waitReceipt(tx rpcfault.RawTx) *types.Receipt {
	for range 50 {
		if rc, err := w.net.Client().TransactionReceipt(context.Background(), tx.Hash); err == nil {
			return rc
		}
		time.Sleep(faultBlockTime / 2)
	}
	return nil
}

// settle lets the node claim what it transcoded, stops it, and reads the
// outcome from the chain, the proxy and the client.
func (w *faultWorld) settle(f *finder, first uint64, n int, classes map[uint64]faultClass, client *faultClient, sent int) faultSummary {
	t := w.t
	st := client.stats()
	s := faultSummary{rounds: n, segmentsSent: sent, conflicts: st.Conflicts}
	answered := sent - st.Lost
	claimed := w.waitClaimed(answered, 60*time.Second)
	w.waitBlock(w.lastEndVerification() + 2)
	s.verified, s.requests = w.waitVerified(60 * time.Second)
	f.pass()
	if err := w.node.stop(30 * time.Second); !exitedCleanly(err) {
		t.Errorf("node on SIGTERM: %v\n%s", err, w.node.output())
	}
	for seq := 0; seq < sent; seq++ {
		if !claimed[uint64(seq)] {
			s.segmentsLost++
			t.Errorf("segment %d: never claimed (client: %q; store: %s)", seq, st.Errors[seq], w.storeRecord(uint64(seq)))
		}
	}
	s.double += w.doubleClaimed()
	f.mu.Lock()
	s.slashed, s.unchecked = f.slashable+w.slashEvents(), f.unchecked
	f.mu.Unlock()
	w.countRewards(&s, first, n, classes)
	// A transaction published just before the SIGTERM is mined in the next
	// blocks; a stuck one is still pending after them.
	w.waitBlock(w.head() + 3)
	ctx := context.Background()
	latest, _ := w.net.Client().NonceAt(ctx, w.acct, nil)
	pending, _ := w.net.Client().PendingNonceAt(ctx, w.acct)
	s.stuck = int(pending - latest)
	_, s.proxyCounts = w.proxy.Snapshot()
	if s.unchecked > 0 {
		t.Errorf("%d claims left their slashing window unchecked", s.unchecked)
	}
	return s
}

// storeRecord describes the node's receipt of seg (read once the node stopped).
func (w *faultWorld) storeRecord(seg uint64) string {
	st, err := claims.OpenStore(filepath.Join(w.dir, "claims.db"), claims.StoreOptions{ReadOnly: true})
	if err != nil {
		return err.Error()
	}
	defer st.Close()
	r, err := st.Get(w.job, seg)
	if err != nil {
		return err.Error()
	}
	desc := fmt.Sprintf("in_claim=%v claim_start=%d rejected=%q received=%s", r.InClaim, r.ClaimStart, r.Rejected, r.Received.Format(time.StampMilli))
	cs, _ := st.Claims()
	for _, c := range cs {
		if r.InClaim && c.Start == r.ClaimStart {
			b, _ := json.Marshal(c)
			desc += " claim " + string(b)
		}
	}
	return desc
}

// waitClaimed waits until segments 0..n-1 are covered by the job's claims
// on chain, and returns the covered segments.
func (w *faultWorld) waitClaimed(n int, d time.Duration) map[uint64]bool {
	deadline := time.Now().Add(d)
	for {
		covered := map[uint64]bool{}
		for _, c := range w.claims() {
			for s := c.SegmentStart; s <= c.SegmentEnd; s++ {
				covered[s] = true
			}
		}
		all := true
		for s := 0; s < n; s++ {
			all = all && covered[uint64(s)]
		}
		if all || time.Now().After(deadline) {
			return covered
		}
		time.Sleep(4 * faultBlockTime)
	}
}

func (w *faultWorld) claims() []bindings.JobsManagerClaim {
	jm := w.jobs()
	job, err := jm.GetJob(callLatest, new(big.Int).SetUint64(w.job))
	if err != nil {
		w.t.Fatal(err)
	}
	var out []bindings.JobsManagerClaim
	for id := uint64(0); id < job.NumClaims; id++ {
		c, err := jm.GetClaim(callLatest, new(big.Int).SetUint64(w.job), new(big.Int).SetUint64(id))
		if err != nil {
			w.t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

func (w *faultWorld) lastEndVerification() uint64 {
	var last uint64
	for _, c := range w.claims() {
		last = max(last, c.EndVerificationBlock)
	}
	return last
}

// doubleClaimed counts segments inside two of the job's claims.
func (w *faultWorld) doubleClaimed() int {
	seen, n := map[uint64]bool{}, 0
	for _, c := range w.claims() {
		for s := c.SegmentStart; s <= c.SegmentEnd; s++ {
			if seen[s] {
				n++
				w.t.Errorf("segment %d claimed twice", s)
			}
			seen[s] = true
		}
	}
	return n
}

// txRound is the round a transaction was sent in: from the head the proxy
// read from the chain with it, else its round label.
func txRound(tx rpcfault.RawTx) uint64 {
	if tx.Head == rpcfault.NoHead {
		return tx.Round
	}
	return tx.Head / faultRoundLength
}

// waitVerified waits until the verifier has answered every verification
// request, and returns the passed verifications and the requests.
func (w *faultWorld) waitVerified(d time.Duration) (passed, requests int) {
	info := w.net.Info()
	ver, _ := bindings.NewVerifierCaller(info.Contracts.Verifier, w.net.Client())
	jm, _ := bindings.NewJobsManagerFilterer(info.Contracts.JobsManager, w.net.Client())
	for deadline := time.Now().Add(d); ; {
		n, err := ver.NumRequests(&bind.CallOpts{})
		passed = 0
		if it, err := jm.FilterSegmentVerificationPassed(&bind.FilterOpts{}, nil, nil); err == nil {
			for it.Next() {
				passed++
			}
		}
		if err == nil {
			requests = int(n.Int64())
		}
		if (err == nil && passed >= requests) || time.Now().After(deadline) {
			if passed < requests {
				w.t.Errorf("%d of %d verification requests passed within %v\nverifier: %s", passed, requests, d, w.verifier.output())
			}
			return passed, requests
		}
		time.Sleep(faultBlockTime) // an outside observer's poll interval
	}
}

// slashEvents counts every slash of the transcoder and failed verification.
func (w *faultWorld) slashEvents() int {
	info := w.net.Info()
	bm, _ := bindings.NewBondingManagerFilterer(info.Contracts.BondingManager, w.net.Client())
	jm, _ := bindings.NewJobsManagerFilterer(info.Contracts.JobsManager, w.net.Client())
	n := 0
	if it, err := bm.FilterTranscoderSlashed(&bind.FilterOpts{}, []common.Address{w.acct}); err == nil {
		for it.Next() {
			n++
		}
	}
	if it, err := jm.FilterSegmentVerificationFailed(&bind.FilterOpts{}, nil, nil); err == nil {
		for it.Next() {
			n++
		}
	}
	return n
}

// countRewards reads the account's Reward events and the reward
// transactions the proxy saw, round by round.
func (w *faultWorld) countRewards(s *faultSummary, first uint64, n int, classes map[uint64]faultClass) {
	t := w.t
	bm, _ := bindings.NewBondingManagerFilterer(w.net.Info().Contracts.BondingManager, w.net.Client())
	it, err := bm.FilterReward(&bind.FilterOpts{Start: first * faultRoundLength}, []common.Address{w.acct})
	if err != nil {
		t.Fatal(err)
	}
	perRound := map[uint64]int{}
	for it.Next() {
		perRound[it.Event.Raw.BlockNumber/faultRoundLength]++
	}
	nonces := map[uint64]map[uint64]bool{}
	abi, _ := bindings.BondingManagerMetaData.GetAbi()
	txs, _ := w.proxy.Snapshot()
	for _, tx := range txs {
		if tx.From != w.acct || tx.To != w.net.Info().Contracts.BondingManager || len(tx.Data) < 4 {
			continue
		}
		if m, err := abi.MethodById(tx.Data[:4]); err == nil && (m.Name == "reward" || m.Name == "rewardWithHint") {
			r := txRound(tx)
			if nonces[r] == nil {
				nonces[r] = map[uint64]bool{}
			}
			nonces[r][tx.Nonce] = true
		}
	}
	rounds := make([]uint64, 0, n)
	for i := range n {
		rounds = append(rounds, first+uint64(i))
	}
	sort.Slice(rounds, func(i, j int) bool { return rounds[i] < rounds[j] })
	for _, r := range rounds {
		got := perRound[r]
		if got > 0 {
			s.rewarded++
		}
		if got > 1 || len(nonces[r]) > 1 {
			s.double++
			t.Errorf("round %d (%s): %d rewards on chain, sent at nonces %v", r, classes[r], got, nonces[r])
		}
		if classes[r].rewardable() && got != 1 {
			s.missed++
			t.Errorf("round %d (%s): %d rewards on chain, want 1", r, classes[r], got)
		}
	}
}
