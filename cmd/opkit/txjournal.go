package main

import (
	"fmt"
	"math/big"
	"os"
	"path/filepath"

	"github.com/opkit-dev/opkit/staking/amount"
)

// Chain flags of the transaction journal and the slash-avoiding cap.
const (
	flagChainStateDir          = "state-dir"
	flagChainMaxGasPriceVerify = "max-gas-price-verify"
)

// defaultMaxGasPriceVerify caps verify(): a missed verification slashes
// 0.5% of the stake, so the cap is ten times the default --max-gas-price
// (a verify of about 150k gas then costs at most 0.03 ETH).
const defaultMaxGasPriceVerify = "200"

// stateDir is where the account's transaction journal lives: --state-dir,
// else the devnet's own directory (a fresh devnet reuses chain id and
// addresses, so its journal must not outlive it), else ~/.opkit.
func (c ChainConfig) stateDir() (string, error) {
	switch {
	case c.StateDir != "":
		return c.StateDir, nil
	case c.DevnetFile != "":
		return filepath.Dir(c.DevnetFile), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no --%s and no home directory for the transaction journal: %w", flagChainStateDir, err)
	}
	return filepath.Join(home, ".opkit"), nil
}

// maxGasPriceVerifyWei is the validated verify() cap in wei.
func (c ChainConfig) maxGasPriceVerifyWei() *big.Int {
	v, _ := amount.ParseGwei(c.MaxGasPriceVerify)
	return v
}
