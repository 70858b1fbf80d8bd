package chain

import (
	"context"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/contracts/deploy"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

// TestBroadcasterJob deposits and creates a job with the candidates built
// here, on the real contracts, and reads the elected transcoder back from
// the receipt's NewJob event and from getJob.
func TestBroadcasterJob(t *testing.T) {
	pc, c := newProtocol(t)
	ctx := context.Background()
	m := must(t)
	op, b := pc.Accounts[0], pc.Accounts[1]

	pc.InitRound()
	exec(t, pc, op, m(c.ApproveBonding(deploy.LPT(500))))
	exec(t, pc, op, m(c.Bond(deploy.LPT(500), op.Addr)))
	exec(t, pc, op, m(c.RegisterTranscoder(0, 0)))
	exec(t, pc, op, m(c.SetPricePerSegment(big.NewInt(1000))))
	pc.InitRound() // op is active from this round

	dep := m(c.Deposit(big.NewInt(5e15)))
	if dep.Value.Int64() != 5e15 || dep.Label != LabelDeposit {
		t.Fatalf("deposit candidate %+v", dep)
	}
	// exec ignores the value; send this one as the broadcaster with it.
	pc.MustTx("deposit", b, func(o *bind.TransactOpts) (*types.Transaction, error) {
		o.Value = dep.Value
		a, err := bindings.JobsManagerMetaData.GetAbi()
		if err != nil {
			return nil, err
		}
		return bind.NewBoundContract(*dep.To, *a, pc.Client, pc.Client, pc.Client).RawTransact(o, dep.Data)
	})
	got, err := c.BroadcasterDeposit(ctx, b.Addr)
	if err != nil || got.Int64() != 5e15 {
		t.Fatalf("deposit after deposit(): %v, %v", got, err)
	}

	end := pc.BlockNumber() + 100
	r := exec(t, pc, b, m(c.CreateJob("s1", "aaaaaaaabbbbbbbb", big.NewInt(2000), end)))
	ev, err := c.NewJobOf(r)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Transcoder != op.Addr || ev.Broadcaster != b.Addr || ev.Stream != "s1" || ev.EndBlock != end ||
		ev.PricePerSegment.Int64() != 1000 || ev.MaxPricePerSegment.Int64() != 2000 {
		t.Fatalf("NewJob %+v", ev)
	}
	j, err := c.Job(ctx, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	if j.Transcoder != op.Addr || j.Broadcaster != b.Addr || j.Profiles != 2 || j.TranscodingOptions != "aaaaaaaabbbbbbbb" || j.EndBlock != end {
		t.Fatalf("job %+v", j)
	}
	if _, err := c.Job(ctx, ev.ID+1); err == nil {
		t.Fatal("getJob of a job that does not exist succeeded")
	}
	if _, err := c.NewJobOf(&types.Receipt{}); !errors.Is(err, ErrNoNewJob) {
		t.Fatalf("NewJobOf(no logs) = %v, want ErrNoNewJob", err)
	}
	if cost := JobCost(4, 2, big.NewInt(1000)); cost.Int64() != 8000 {
		t.Fatalf("JobCost = %v", cost)
	}
}

func TestBroadcasterWritesRefuse(t *testing.T) {
	_, c := newProtocol(t)
	for name, build := range map[string]func() (txmgr.Candidate, error){
		"zero deposit":   func() (txmgr.Candidate, error) { return c.Deposit(big.NewInt(0)) },
		"nil deposit":    func() (txmgr.Candidate, error) { return c.Deposit(nil) },
		"empty stream":   func() (txmgr.Candidate, error) { return c.CreateJob("", "aaaaaaaa", big.NewInt(1), 10) },
		"empty options":  func() (txmgr.Candidate, error) { return c.CreateJob("s", "", big.NewInt(1), 10) },
		"zero max price": func() (txmgr.Candidate, error) { return c.CreateJob("s", "aaaaaaaa", big.NewInt(0), 10) },
	} {
		if _, err := build(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	live := *c
	live.jobs = nil
	if _, err := live.Deposit(big.NewInt(1)); !errors.Is(err, ErrNoJobsManager) {
		t.Errorf("Deposit without a JobsManager: %v", err)
	}
	if _, err := live.CreateJob("s", "aaaaaaaa", big.NewInt(1), 10); !errors.Is(err, ErrNoJobsManager) {
		t.Errorf("CreateJob without a JobsManager: %v", err)
	}
}
