package main

import (
	"context"
	"encoding/json"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/contracts/devnet"
	"github.com/opkit-dev/opkit/staking/amount"
)

// earnFees gives dev account 1 fees the real way: a job at price for two
// profiles, a claim of one segment, the slashing window waited out and the
// claim's fees distributed. It returns the account's pending fees.
func earnFees(t *testing.T, net *devnet.Devnet, price *big.Int) *big.Int {
	t.Helper()
	info := net.Info()
	job := claimsJob(t, net, price)
	jm, err := bindings.NewJobsManager(info.Contracts.JobsManager, net.Client())
	if err != nil {
		t.Fatal(err)
	}
	devnetSend(t, net, net.Key(1), func(o *bind.TransactOpts) (*types.Transaction, error) {
		return jm.ClaimWork(o, new(big.Int).SetUint64(job), [2]*big.Int{big.NewInt(0), big.NewInt(0)}, common.HexToHash("0x01"))
	})
	net.Mine(201) // verification and slashing periods (100 + 100 blocks)
	initializeRound(t, net)
	devnetSend(t, net, net.Key(2), func(o *bind.TransactOpts) (*types.Transaction, error) {
		return jm.DistributeFees(o, new(big.Int).SetUint64(job), big.NewInt(0))
	})
	return pendingFees(t, net, info.Accounts[1].Address)
}

func pendingFees(t *testing.T, net *devnet.Devnet, addr common.Address) *big.Int {
	t.Helper()
	ctx := context.Background()
	cl := devnetChain(t, net)
	r, err := cl.Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fees, err := cl.PendingFees(ctx, addr, r.Current)
	if err != nil {
		t.Fatal(err)
	}
	return fees
}

func balance(t *testing.T, net *devnet.Devnet, addr common.Address) *big.Int {
	t.Helper()
	b, err := net.Client().BalanceAt(context.Background(), addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// gasCost is what the transactions of a --json write cost their sender.
func gasCost(t *testing.T, net *devnet.Devnet, out string) *big.Int {
	t.Helper()
	var res struct {
		Txs []sentTx `json:"txs"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Txs) != 1 || res.Txs[0].Label != "withdraw_fees" {
		t.Fatalf("withdraw-fees output %q: %v", out, err)
	}
	r, err := net.Client().TransactionReceipt(context.Background(), res.Txs[0].Hash)
	if err != nil {
		t.Fatal(err)
	}
	return new(big.Int).Mul(new(big.Int).SetUint64(r.GasUsed), r.EffectiveGasPrice)
}

// TestStakeWithdrawFees: a transcoder with distributed fees withdraws part
// of them to another address and the rest to itself; each balance moves by
// exactly the fees (less the gas of the receipts for the sender). More than
// it has is refused with the contract's revert reason.
func TestStakeWithdrawFees(t *testing.T) {
	net, info := testDevnet(t)
	chainArgs := []string{"--devnet", info, "--account", "1", "--tx-poll-interval", "10ms"}
	acct, other := net.Info().Accounts[1].Address, net.Info().Accounts[0].Address
	price := big.NewInt(1e12)
	fees := earnFees(t, net, price)
	if want := new(big.Int).Mul(price, big.NewInt(2)); fees.Cmp(want) != 0 { // one segment, two profiles, fee share 0
		t.Fatalf("pending fees %v, want %v", fees, want)
	}

	half := new(big.Int).Div(fees, big.NewInt(2))
	acct0, other0 := balance(t, net, acct), balance(t, net, other)
	out := mustOpkit(t, append([]string{"stake", "withdraw-fees", "--json", "--amount", amount.FormatDecimal(half, 18), "--recipient", other.Hex()}, chainArgs...)...)
	t.Logf("withdraw-fees --amount %s --recipient %s:\n%s", amount.FormatDecimal(half, 18), other, out)
	cost := gasCost(t, net, out)
	if got, want := balance(t, net, other), new(big.Int).Add(other0, half); got.Cmp(want) != 0 {
		t.Fatalf("recipient balance %v, want %v", got, want)
	}
	if got, want := balance(t, net, acct), new(big.Int).Sub(acct0, cost); got.Cmp(want) != 0 {
		t.Fatalf("sender balance %v, want %v (gas %v)", got, want, cost)
	}

	rest := new(big.Int).Sub(fees, half)
	acct0 = balance(t, net, acct)
	out = mustOpkit(t, append([]string{"stake", "withdraw-fees", "--json"}, chainArgs...)...)
	cost = gasCost(t, net, out)
	if got, want := balance(t, net, acct), new(big.Int).Sub(new(big.Int).Add(acct0, rest), cost); got.Cmp(want) != 0 {
		t.Fatalf("balance after withdrawing all %v, want %v + %v fees - %v gas", got, acct0, rest, cost)
	}
	if left := pendingFees(t, net, acct); left.Sign() != 0 {
		t.Fatalf("fees left %v", left)
	}

	_, err := opkit(t, append([]string{"stake", "withdraw-fees", "--amount", "1"}, chainArgs...)...)
	if err == nil || !strings.Contains(err.Error(), `stake withdraw-fees: withdraw_fees: `) ||
		!strings.Contains(err.Error(), `reverted: "insufficient fees to withdraw"`) {
		t.Fatalf("withdraw more than the fees: %v", err)
	}
	t.Logf("withdraw more than the fees: %v", err)
	if _, err := opkit(t, append([]string{"stake", "withdraw-fees"}, chainArgs...)...); err == nil || !strings.Contains(err.Error(), "no fees to withdraw") {
		t.Fatalf("withdraw all with none: %v", err)
	}
}
