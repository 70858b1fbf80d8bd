package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/contracts/devnet"
)

const (
	flagDevnetRPCAddr     = "rpc-addr"
	flagDevnetBlockTime   = "block-time"
	flagDevnetRoundLength = "round-length"
	flagDevnetAccounts    = "accounts"
	flagDevnetOut         = "out"
	flagDevnetDir         = "data-dir"
)

// devnetConfig is what the devnet command's flags fill.
type devnetConfig struct {
	chain devnet.Config
	out   string
}

func (c *devnetConfig) Validate() error {
	if c.out == "" {
		return fmt.Errorf("--%s must name a file", flagDevnetOut)
	}
	return c.chain.Validate()
}

func devnetCommand() *cli.Command {
	return &cli.Command{
		Name:  "devnet",
		Usage: "run the embedded dev chain: simulated EVM, contracts deployed, funded dev accounts",
		Description: `Runs go-ethereum's simulated backend in-process with JSON-RPC (eth, net, web3)
on a loopback address, seals a block every --block-time, deploys and wires the
protocol contracts, and funds --accounts dev accounts with ETH and LPT. Their V3
keystore files and password files go under --data-dir, and everything another
command needs is written to --out, so that every chain command can take
--devnet devnet.json. Stop it with Ctrl-C (SIGINT) or SIGTERM.`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: flagDevnetRPCAddr, Value: devnet.DefaultRPCAddr, Usage: "loopback host:port for JSON-RPC (port 0 picks a free one)", EnvVars: []string{"OPKIT_DEVNET_RPC_ADDR"}},
			&cli.DurationFlag{Name: flagDevnetBlockTime, Value: devnet.DefaultBlockTime, Usage: "interval between blocks", EnvVars: []string{"OPKIT_DEVNET_BLOCK_TIME"}},
			&cli.Uint64Flag{Name: flagDevnetRoundLength, Value: devnet.DefaultRoundLength, Usage: "round length in blocks", EnvVars: []string{"OPKIT_DEVNET_ROUND_LENGTH"}},
			&cli.IntFlag{Name: flagDevnetAccounts, Value: devnet.DefaultAccounts, Usage: "number of funded dev accounts", EnvVars: []string{"OPKIT_DEVNET_ACCOUNTS"}},
			&cli.StringFlag{Name: flagDevnetOut, Value: "devnet.json", Usage: "where to write the devnet description", EnvVars: []string{"OPKIT_DEVNET_OUT"}},
			&cli.StringFlag{Name: flagDevnetDir, Value: "devnet-data", Usage: "directory for dev keystores and password files (emptied of old keys on start)", EnvVars: []string{"OPKIT_DEVNET_DATA_DIR"}},
		},
		Action: runDevnet,
	}
}

func runDevnet(c *cli.Context) error {
	log := loggerFrom(c)
	cfg := devnetConfig{
		chain: devnet.Config{
			RPCAddr:     c.String(flagDevnetRPCAddr),
			BlockTime:   c.Duration(flagDevnetBlockTime),
			RoundLength: c.Uint64(flagDevnetRoundLength),
			Accounts:    c.Int(flagDevnetAccounts),
			Dir:         c.String(flagDevnetDir),
			Logger:      log,
		},
		out: c.String(flagDevnetOut),
	}
	if cfg.chain.BlockTime == 0 {
		return errors.New("--block-time must be positive for the devnet command")
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	// Old dev keys are throwaway; a fresh chain gets fresh keys.
	if err := os.RemoveAll(filepath.Join(cfg.chain.Dir, "keystore")); err != nil {
		return fmt.Errorf("clear old dev keystore: %w", err)
	}
	ctx, cancel := signalContext(c.Context, log)
	defer cancel()
	start := time.Now()
	net, err := devnet.Start(ctx, cfg.chain)
	if err != nil {
		return err
	}
	info := net.Info()
	if err := info.Write(cfg.out); err != nil {
		return errors.Join(err, net.Close())
	}
	log.Info("devnet ready", zap.String("rpc", info.RPCURL), zap.String("out", cfg.out),
		zap.Stringer("controller", info.Contracts.Controller), zap.Int("accounts", len(info.Accounts)),
		zap.Duration("startup", time.Since(start)))
	<-ctx.Done()
	log.Info("devnet stopping")
	return net.Close()
}
