package chain

import (
	"context"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/opkit-dev/opkit/contracts/deploy"
	"github.com/opkit-dev/opkit/contracts/protocoltest"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

const roundLength = 20

func newProtocol(t *testing.T) (*protocoltest.Chain, *Client) {
	t.Helper()
	pc := protocoltest.New(t, deploy.DevnetParams(roundLength), 2, deploy.LPT(1000))
	c, err := Dial(context.Background(), pc.Client, pc.Addr.Controller)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	return pc, c
}

// exec signs cand from a, mines it and fails the test unless it succeeds.
// It stands in for txmgr so that this test checks the calldata alone.
func exec(t *testing.T, pc *protocoltest.Chain, a *protocoltest.Account, cand txmgr.Candidate) *types.Receipt {
	t.Helper()
	ctx := context.Background()
	gas, err := pc.Client.EstimateGas(ctx, ethereum.CallMsg{From: a.Addr, To: cand.To, Data: cand.Data})
	if err != nil {
		t.Fatalf("%s: estimate: %v", cand.Label, err)
	}
	nonce, err := pc.Client.PendingNonceAt(ctx, a.Addr)
	if err != nil {
		t.Fatal(err)
	}
	head, err := pc.Client.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	tip, err := pc.Client.SuggestGasTipCap(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := types.SignTx(types.NewTx(&types.DynamicFeeTx{
		ChainID: protocoltest.ChainID, Nonce: nonce, Gas: gas, To: cand.To, Data: cand.Data,
		GasTipCap: tip, GasFeeCap: new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2))),
	}), types.LatestSignerForChainID(protocoltest.ChainID), a.Key)
	if err != nil {
		t.Fatal(err)
	}
	if err := pc.Client.SendTransaction(ctx, tx); err != nil {
		t.Fatalf("%s: send: %v", cand.Label, err)
	}
	pc.Backend.Commit()
	r, err := pc.Client.TransactionReceipt(ctx, tx.Hash())
	if err != nil || r.Status != types.ReceiptStatusSuccessful {
		t.Fatalf("%s: receipt %v, %v", cand.Label, r, err)
	}
	return r
}

func must(t *testing.T) func(txmgr.Candidate, error) txmgr.Candidate {
	return func(c txmgr.Candidate, err error) txmgr.Candidate {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
}

func TestDialResolvesAddresses(t *testing.T) {
	pc, c := newProtocol(t)
	got := c.Addresses()
	want := Addresses{
		Controller: pc.Addr.Controller, BondingManager: pc.Addr.BondingManager, RoundsManager: pc.Addr.RoundsManager,
		Minter: pc.Addr.Minter, Token: pc.Addr.Token, JobsManager: pc.Addr.JobsManager, Verifier: pc.Addr.Verifier,
	}
	if got != want {
		t.Fatalf("resolved %+v, want %+v", got, want)
	}
	if !c.HasJobsManager() {
		t.Fatal("JobsManager not found")
	}
	// An address without code, and a contract that is not a Controller.
	for _, addr := range []common.Address{common.HexToAddress("0x1234"), pc.Addr.Token} {
		if _, err := Dial(context.Background(), pc.Client, addr); err == nil {
			t.Fatalf("Dial(%s) succeeded", addr)
		}
	}
	if _, err := Dial(context.Background(), pc.Client, common.HexToAddress("0x1234")); !errors.Is(err, ErrNoContract) {
		t.Fatalf("Dial(no code): %v, want ErrNoContract", err)
	}
}

// TestOperatorLifecycle runs every write the operator makes, built by this
// package, on the real contracts, and checks each read that follows.
func TestOperatorLifecycle(t *testing.T) {
	pc, c := newProtocol(t)
	ctx := context.Background()
	m := must(t)
	op := pc.Accounts[0]
	lpt := deploy.LPT

	pc.InitRound()
	r, err := c.Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Initialized || r.Length != roundLength || r.LastInitialized != r.Current ||
		r.StartBlock != r.Current*roundLength || r.EndBlock() != r.StartBlock+roundLength {
		t.Fatalf("round %+v", r)
	}

	exec(t, pc, op, m(c.ApproveBonding(lpt(600))))
	bal, err := c.Balances(ctx, op.Addr)
	if err != nil || bal.Allowance.Cmp(lpt(600)) != 0 || bal.LPT.Cmp(lpt(1000)) != 0 || bal.ETH.Sign() <= 0 {
		t.Fatalf("balances %+v, %v", bal, err)
	}
	exec(t, pc, op, m(c.Bond(lpt(500), op.Addr)))
	exec(t, pc, op, m(c.RegisterTranscoder(100_000, 500_000)))
	exec(t, pc, op, m(c.SetPricePerSegment(big.NewInt(1000))))

	tr, err := c.Transcoder(ctx, op.Addr)
	if err != nil {
		t.Fatal(err)
	}
	if !tr.Registered || tr.Status != TranscoderRegistered || tr.Active || tr.RewardCut != 100_000 ||
		tr.FeeShare != 500_000 || tr.PricePerSegment.Int64() != 1000 || tr.TotalStake.Cmp(lpt(500)) != 0 {
		t.Fatalf("transcoder after register %+v", tr)
	}
	d, err := c.Delegator(ctx, op.Addr)
	// The bond starts counting next round.
	if err != nil || d.Status != DelegatorPending || d.BondedAmount.Cmp(lpt(500)) != 0 ||
		d.DelegateAddress != op.Addr || d.StartRound != r.Current+1 {
		t.Fatalf("delegator %+v, %v", d, err)
	}

	// Next round: initialize it through this package, then reward.
	pc.NextRound()
	exec(t, pc, pc.Accounts[1], m(c.InitializeRound()))
	r, _ = c.Round(ctx)
	if !r.Initialized {
		t.Fatal("initializeRound did not initialize")
	}
	exec(t, pc, op, m(c.Reward()))
	tr, _ = c.Transcoder(ctx, op.Addr)
	if !tr.Active || tr.LastRewardRound != r.Current || tr.TotalStake.Cmp(lpt(500)) <= 0 {
		t.Fatalf("transcoder after reward %+v", tr)
	}
	exec(t, pc, op, m(c.ClaimEarnings(r.Current)))
	d, _ = c.Delegator(ctx, op.Addr)
	if d.Status != DelegatorBonded || d.LastClaimRound != r.Current || d.BondedAmount.Cmp(lpt(500)) <= 0 {
		t.Fatalf("delegator after claim %+v", d)
	}

	// Unbond twice, rebond the first lock, withdraw the second.
	exec(t, pc, op, m(c.Unbond(lpt(100))))
	exec(t, pc, op, m(c.Unbond(lpt(50))))
	d, _ = c.Delegator(ctx, op.Addr)
	locks, err := c.UnbondingLocks(ctx, op.Addr, d.NextUnbondingLockID)
	if err != nil || len(locks) != 2 || locks[0].Amount.Cmp(lpt(100)) != 0 || locks[1].ID != 1 {
		t.Fatalf("locks %+v, %v", locks, err)
	}
	exec(t, pc, op, m(c.Rebond(0)))
	for range deploy.DevnetParams(roundLength).UnbondingPeriod {
		pc.InitRound()
	}
	before, _ := c.Balances(ctx, op.Addr)
	exec(t, pc, op, m(c.WithdrawStake(1)))
	after, _ := c.Balances(ctx, op.Addr)
	if got := new(big.Int).Sub(after.LPT, before.LPT); got.Cmp(lpt(50)) != 0 {
		t.Fatalf("withdrew %v, want 50 LPT", got)
	}
	d, _ = c.Delegator(ctx, op.Addr)
	if locks, _ := c.UnbondingLocks(ctx, op.Addr, d.NextUnbondingLockID); len(locks) != 0 {
		t.Fatalf("locks left %+v", locks)
	}

	// Reads pinned to an old block see the old state.
	old := c.AtBlock(big.NewInt(int64(r.StartBlock)))
	if or, err := old.Round(ctx); err != nil || or.Current != r.Current {
		t.Fatalf("pinned round %+v, %v", or, err)
	}
	if paused, err := c.Paused(ctx); err != nil || paused {
		t.Fatalf("paused %v, %v", paused, err)
	}
	if mi, err := c.Mint(ctx); err != nil || mi.Mintable.Sign() <= 0 {
		t.Fatalf("mint %+v, %v", mi, err)
	}
}

func TestWriteArgumentChecks(t *testing.T) {
	c, err := New(nil, Addresses{BondingManager: common.HexToAddress("0xb0")})
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]func() (txmgr.Candidate, error){
		"unbond zero":          func() (txmgr.Candidate, error) { return c.Unbond(new(big.Int)) },
		"bond negative":        func() (txmgr.Candidate, error) { return c.Bond(big.NewInt(-1), common.HexToAddress("0x1")) },
		"bond to zero address": func() (txmgr.Candidate, error) { return c.Bond(big.NewInt(1), common.Address{}) },
		"reward cut over 100%": func() (txmgr.Candidate, error) { return c.RegisterTranscoder(PPM+1, 0) },
		"price without jobs":   func() (txmgr.Candidate, error) { return c.SetPricePerSegment(big.NewInt(1)) },
		"fees to zero address": func() (txmgr.Candidate, error) { return c.WithdrawFees(common.Address{}, big.NewInt(1)) },
		"zero fees":            func() (txmgr.Candidate, error) { return c.WithdrawFees(common.HexToAddress("0x1"), new(big.Int)) },
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := f(); err == nil {
				t.Fatal("accepted")
			}
		})
	}
	if _, err := c.SetPricePerSegment(big.NewInt(1)); !errors.Is(err, ErrNoJobsManager) {
		t.Fatalf("extension on a chain without JobsManager: %v", err)
	}
	cand, err := c.Reward()
	if err != nil || cand.Label != txmgr.LabelReward || *cand.To != c.Addresses().BondingManager ||
		common.Bytes2Hex(cand.Data) != "228cb733" { // keccak256("reward()")[:4]
		t.Fatalf("reward candidate %+v, %v", cand, err)
	}
}

func TestStatusTextRoundTrip(t *testing.T) {
	for v := range 5 {
		ds := DelegatorStatus(v)
		b, _ := ds.MarshalText()
		var back DelegatorStatus
		if err := back.UnmarshalText(b); err != nil || back != ds {
			t.Fatalf("delegator status %d -> %s -> %d, %v", v, b, back, err)
		}
		ts := TranscoderStatus(v)
		b, _ = ts.MarshalText()
		var tback TranscoderStatus
		if err := tback.UnmarshalText(b); err != nil || tback != ts {
			t.Fatalf("transcoder status %d -> %s -> %d, %v", v, b, tback, err)
		}
	}
}
