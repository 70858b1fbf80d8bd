package main

import (
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/staking/amount"
	"github.com/opkit-dev/opkit/staking/txmgr"
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

// journalPath names the journal of one account on one deployment.
func journalPath(dir string, chainID *big.Int, controller, account common.Address) string {
	name := fmt.Sprintf("txjournal-%s-%s-%s.db", chainID, strings.ToLower(controller.Hex()), strings.ToLower(account.Hex()))
	return filepath.Join(dir, "tx", name)
}

// openJournal opens the account's journal; the caller closes it after the
// transaction manager.
func openJournal(cfg ChainConfig, chainID *big.Int, controller, account common.Address) (*txmgr.BoltJournal, error) {
	dir, err := cfg.stateDir()
	if err != nil {
		return nil, err
	}
	j, err := txmgr.OpenJournal(journalPath(dir, chainID, controller, account))
	if err != nil {
		return nil, fmt.Errorf("open the transaction journal: %w", err)
	}
	return j, nil
}

// recoverPending takes over the transactions an earlier run left pending.
func recoverPending(m *txmgr.Manager, j *txmgr.BoltJournal, log *zap.Logger) error {
	n, err := m.Recover()
	if err != nil {
		return fmt.Errorf("take over pending transactions from %s: %w", j.Path(), err)
	}
	if n > 0 {
		log.Warn("taking over transactions left pending by an earlier run", zap.Int("count", n), zap.String("journal", j.Path()))
	}
	return nil
}

// maxGasPriceVerifyWei is the validated verify() cap in wei.
func (c ChainConfig) maxGasPriceVerifyWei() *big.Int {
	v, _ := amount.ParseGwei(c.MaxGasPriceVerify)
	return v
}
