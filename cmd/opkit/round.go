package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"

	"github.com/urfave/cli/v2"

	"github.com/opkit-dev/opkit/staking/chain"
)

func roundCommand() *cli.Command {
	return &cli.Command{
		Name:  "round",
		Usage: "show or initialize the current round",
		Subcommands: []*cli.Command{
			{
				Name:   "status",
				Usage:  "print the current round: number, start block, length, initialized, locked",
				Flags:  chainFlags(),
				Action: stakeAction(noArgs, runRoundStatus),
			},
			{
				Name:   "init",
				Usage:  "initialize the current round if nobody has (one transaction, capped by --max-gas-price)",
				Flags:  chainFlags(),
				Action: stakeAction(noArgs, runRoundInit),
			},
		},
	}
}

func noArgs(*cli.Context) (struct{}, error) { return struct{}{}, nil }

// roundStatus is what `opkit round status` prints.
type roundStatus struct {
	Block uint64          `json:"block"`
	Round chain.RoundInfo `json:"round"`
}

func readRoundStatus(ctx context.Context, env *chainEnv) (roundStatus, error) {
	n, err := env.RPC.BlockNumber(ctx)
	if err != nil {
		return roundStatus{}, fmt.Errorf("read block number: %w", err)
	}
	ri, err := env.Client.AtBlock(new(big.Int).SetUint64(n)).Round(ctx)
	if err != nil {
		return roundStatus{}, err
	}
	return roundStatus{Block: n, Round: ri}, nil
}

func runRoundStatus(ctx context.Context, env *chainEnv, _ struct{}, w io.Writer) error {
	st, err := readRoundStatus(ctx, env)
	if err != nil {
		return err
	}
	if env.cfg.JSON {
		return json.NewEncoder(w).Encode(st)
	}
	r := st.Round
	_, err = fmt.Fprintf(w, "block %d: round %d (blocks %d-%d), initialized %t, locked %t, last initialized round %d\n",
		st.Block, r.Current, r.StartBlock, r.EndBlock()-1, r.Initialized, r.Locked, r.LastInitialized)
	return err
}

// roundInitResult is what `opkit round init` prints.
type roundInitResult struct {
	Round       uint64  `json:"round"`
	Initialized bool    `json:"initialized"`
	Tx          *sentTx `json:"tx,omitempty"` // nil when the round already was
}

func runRoundInit(ctx context.Context, env *chainEnv, _ struct{}, w io.Writer) error {
	st, err := readRoundStatus(ctx, env)
	if err != nil {
		return err
	}
	res := roundInitResult{Round: st.Round.Current, Initialized: true}
	if !st.Round.Initialized {
		cand, err := env.Client.InitializeRound()
		if err != nil {
			return err
		}
		if res.Tx, err = env.send(ctx, cand); err != nil {
			return fmt.Errorf("initialize round %d: %w", st.Round.Current, err)
		}
	}
	if env.cfg.JSON {
		return json.NewEncoder(w).Encode(res)
	}
	if res.Tx == nil {
		_, err = fmt.Fprintf(w, "round %d: already initialized\n", res.Round)
		return err
	}
	_, err = fmt.Fprintf(w, "round %d: initialized in tx %s (block %d)\n", res.Round, res.Tx.Hash.Hex(), res.Tx.Block)
	return err
}
