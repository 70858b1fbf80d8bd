package protocoltest_test

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/opkit-dev/opkit/contracts/deploy"
	"github.com/opkit-dev/opkit/contracts/protocoltest"
)

func TestRoundsFollowBlocksAndLengthChanges(t *testing.T) {
	c := protocoltest.New(t, deploy.DevnetParams(20), 1, nil)
	r := c.InitRound()
	start := c.Big("currentRoundStartBlock", c.RoundsManager.CurrentRoundStartBlock).Uint64()
	if start != r*20 {
		t.Fatalf("round %d starts at block %d; want %d = round * roundLength", r, start, r*20)
	}
	hash, err := c.RoundsManager.BlockHashForRound(c.Call(), new(big.Int).SetUint64(r))
	if err != nil || hash == ([32]byte{}) {
		t.Errorf("blockHashForRound(%d) = %x, %v; want the hash of the block before initialization", r, hash, err)
	}
	if ok, err := c.RoundsManager.CurrentRoundInitialized(c.Call()); err != nil || !ok {
		t.Errorf("currentRoundInitialized = %v, %v", ok, err)
	}
	// The lock starts after roundLength - roundLockAmount ppm of the round: block 18 of 20.
	for offset := c.BlockNumber() - start; offset < 20; offset++ {
		locked, err := c.RoundsManager.CurrentRoundLocked(c.Call())
		if err != nil || locked != (offset >= 18) {
			t.Errorf("offset %d: currentRoundLocked = %v, %v; want %v", offset, locked, err, offset >= 18)
		}
		c.Mine(1)
	}
	r = c.InitRound()
	start = c.Big("currentRoundStartBlock", c.RoundsManager.CurrentRoundStartBlock).Uint64()
	c.Mine(3)

	// A length change keeps the current round and its start; later rounds use the new length.
	c.MustTx("setRoundLength", c.Deployer, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return c.RoundsManager.SetRoundLength(o, big.NewInt(7))
	})
	if got := c.Round(); got != r {
		t.Fatalf("round after length change = %d; want %d", got, r)
	}
	if got := c.Big("start", c.RoundsManager.CurrentRoundStartBlock).Uint64(); got != start {
		t.Fatalf("round start after length change = %d; want %d", got, start)
	}
	c.Mine(start + 7 - c.BlockNumber())
	if got := c.Round(); got != r+1 {
		t.Fatalf("round at block %d = %d; want %d", c.BlockNumber(), got, r+1)
	}
	if ok, _ := c.RoundsManager.CurrentRoundInitialized(c.Call()); ok {
		t.Errorf("new round reads as initialized before initializeRound")
	}
	_, err = c.Tx(c.Accounts[0], func(o *bind.TransactOpts) (*types.Transaction, error) {
		return c.RoundsManager.SetRoundLength(o, big.NewInt(5))
	})
	expectRevert(t, "setRoundLength by a non-owner", err, "caller must be Controller owner")
}
