package devnet

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ethereum/go-ethereum/common"
)

// Contracts are the deployed protocol addresses.
type Contracts struct {
	Controller     common.Address `json:"controller"`
	Token          common.Address `json:"token"`
	Minter         common.Address `json:"minter"`
	RoundsManager  common.Address `json:"rounds_manager"`
	BondingManager common.Address `json:"bonding_manager"`
	JobsManager    common.Address `json:"jobs_manager"`
	Verifier       common.Address `json:"verifier"`
}

// Account is a funded dev account with its V3 keystore file and the file that
// holds its password. Paths are absolute.
type Account struct {
	Address      common.Address `json:"address"`
	KeystoreFile string         `json:"keystore_file"`
	PasswordFile string         `json:"password_file"`
}

// Info is what `opkit devnet --out devnet.json` writes, so that every other
// command can take `--devnet devnet.json` instead of --eth-url and --controller.
type Info struct {
	RPCURL      string    `json:"rpc_url"`
	ChainID     uint64    `json:"chain_id"`
	BlockTime   string    `json:"block_time"`
	RoundLength uint64    `json:"round_length"`
	Contracts   Contracts `json:"contracts"`
	Accounts    []Account `json:"accounts"`
	// Solver is the dev account the Verifier trusts to answer verification
	// requests: the last one.
	Solver common.Address `json:"solver"`
}

// ErrInvalidInfo is returned for a devnet.json that cannot be used.
var ErrInvalidInfo = errors.New("invalid devnet info")

// LoadInfo reads and checks a devnet.json file.
func LoadInfo(path string) (*Info, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read devnet info: %w", err)
	}
	var info Info
	if err := json.Unmarshal(raw, &info); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalidInfo, path, err)
	}
	if err := info.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &info, nil
}

// Validate checks that the info names an endpoint, a controller and accounts.
func (i *Info) Validate() error {
	switch {
	case i.RPCURL == "":
		return fmt.Errorf("%w: rpc_url is empty", ErrInvalidInfo)
	case i.ChainID == 0:
		return fmt.Errorf("%w: chain_id is zero", ErrInvalidInfo)
	case i.Contracts.Controller == (common.Address{}):
		return fmt.Errorf("%w: contracts.controller is empty", ErrInvalidInfo)
	case len(i.Accounts) == 0:
		return fmt.Errorf("%w: no accounts", ErrInvalidInfo)
	}
	return nil
}

// Write stores the info as indented JSON, readable only by the owner.
func (i *Info) Write(path string) error {
	raw, err := json.MarshalIndent(i, "", "  ")
	if err != nil {
		return fmt.Errorf("encode devnet info: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("write devnet info: %w", err)
	}
	if err := os.WriteFile(path, append(raw, '\n'), 0o600); err != nil {
		return fmt.Errorf("write devnet info: %w", err)
	}
	return nil
}
