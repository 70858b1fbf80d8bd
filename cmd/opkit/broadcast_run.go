package main

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strconv"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/staking/chain"
	"github.com/opkit-dev/opkit/staking/keys"
	"github.com/opkit-dev/opkit/staking/txmgr"
	"github.com/opkit-dev/opkit/transcoder/broadcast"
)

// Errors of the broadcast's job setup.
var (
	errJobNotYours = errors.New("the job is not this account's")
	errJobMismatch = errors.New("the job does not match the flags")
	errJobOver     = errors.New("the job has ended")
	// errSegmentsFailed: some segment was refused or given up (exit 1).
	errSegmentsFailed = errors.New("segments failed")
)

// broadcastReport is the one JSON object `opkit broadcast --json` prints.
type broadcastReport struct {
	*broadcast.Summary
	Chain broadcastChain `json:"chain"`
}

// broadcastChain is the on-chain side of a broadcast.
type broadcastChain struct {
	Broadcaster     common.Address `json:"broadcaster"`
	Transcoder      common.Address `json:"transcoder"`
	JobCreated      bool           `json:"job_created"`
	EndBlock        uint64         `json:"end_block"`
	PricePerSegment *big.Int       `json:"price_per_segment"`
	WorstCase       *big.Int       `json:"worst_case_wei"` // segments × profiles × max price
	Deposit         *big.Int       `json:"deposit_wei"`    // after any top-up
	DepositSkipped  bool           `json:"deposit_skipped,omitempty"`
	Txs             []sentTx       `json:"txs"`
}

func runBroadcast(c *cli.Context) error {
	cfg := broadcastConfigFrom(c)
	if err := cfg.Validate(); err != nil {
		return err
	}
	log := loggerFrom(c).Named("broadcast")
	src, err := cfg.source()
	if err != nil {
		return err
	}
	secret, err := readSecretFile(cfg.secretFile, log)
	if err != nil {
		return err
	}
	ctx, cancel := signalContext(c.Context, log)
	defer cancel()
	chainCfg := chainConfigFrom(c)
	env, err := connectChainWith(ctx, chainCfg, keys.StdPrompter(), txmgr.NoopMetrics{}, log)
	if err != nil {
		return err
	}
	defer env.Close()
	if env.Txm == nil {
		return errReadOnly
	}
	job, stream, bc, err := setupJob(ctx, env, cfg, src.Count(), log)
	if err != nil {
		return err
	}
	sum, runErr := broadcast.Run(ctx, broadcast.Config{
		Node: cfg.node, Secret: string(secret), Stream: stream, Ladder: cfg.ladder, Job: job,
		Sign:   func(h common.Hash) ([]byte, error) { return env.Account.SignText(h.Bytes()) },
		Source: src, OutDir: cfg.out, RetryTimeout: cfg.retryTimeout, Logger: log,
	})
	if sum == nil {
		return runErr
	}
	rep := &broadcastReport{Summary: sum, Chain: bc}
	if chainCfg.JSON {
		if err := writeJSON(c.App.Writer, rep); err != nil {
			return errors.Join(runErr, err)
		}
	} else {
		printBroadcast(c.App.Writer, rep)
	}
	switch {
	case runErr != nil:
		return runErr
	case sum.Segments.Failed > 0:
		return withExitCode(1, fmt.Errorf("%w: %d of %d", errSegmentsFailed, sum.Segments.Failed, sum.Segments.Sent))
	case sum.Interrupted:
		return withExitCode(130, fmt.Errorf("interrupted after %d of %d segments", sum.Segments.Answered, sum.Segments.Total))
	}
	return nil
}

// setupJob tops up the deposit when it does not cover the job's worst case
// and creates the job, or checks the job --job names. It returns the job,
// its stream and what it did on chain.
func setupJob(ctx context.Context, env *chainEnv, cfg broadcastConfig, segments int, log *zap.Logger) (uint64, string, broadcastChain, error) {
	bc := broadcastChain{Broadcaster: env.From, Txs: []sentTx{}}
	opts, profiles := cfg.transcodingOptions()
	var (
		job    uint64
		stream = cfg.stream
		price  *big.Int
	)
	if cfg.job != "" {
		job, _ = strconv.ParseUint(cfg.job, 10, 64)
		j, err := env.Client.Job(ctx, job)
		if err != nil {
			return 0, "", bc, err
		}
		head, err := env.RPC.BlockNumber(ctx)
		if err != nil {
			return 0, "", bc, fmt.Errorf("read head: %w", err)
		}
		switch {
		case j.Broadcaster != env.From:
			return 0, "", bc, fmt.Errorf("job %d: %w: its broadcaster is %s", job, errJobNotYours, j.Broadcaster)
		case stream != "" && stream != j.Stream:
			return 0, "", bc, fmt.Errorf("job %d: %w: its stream is %q, not --%s %q", job, errJobMismatch, j.Stream, flagBcastStream, stream)
		case j.TranscodingOptions != opts:
			return 0, "", bc, fmt.Errorf("job %d: %w: its transcoding options are %s, --%s gives %s", job, errJobMismatch, j.TranscodingOptions, flagBcastLadder, opts)
		case head >= j.EndBlock:
			return 0, "", bc, fmt.Errorf("job %d: %w at block %d (head %d)", job, errJobOver, j.EndBlock, head)
		}
		stream, price = j.Stream, j.MaxPricePerSegment
		bc.Transcoder, bc.EndBlock, bc.PricePerSegment = j.Transcoder, j.EndBlock, j.PricePerSegment
	} else {
		price, _ = cfg.maxPriceWei()
	}
	if err := topUp(ctx, env, cfg, &bc, chain.JobCost(uint64(segments), profiles, price), log); err != nil {
		return 0, "", bc, err
	}
	if cfg.job != "" {
		return job, stream, bc, nil
	}
	head, err := env.RPC.BlockNumber(ctx)
	if err != nil {
		return 0, "", bc, fmt.Errorf("read head: %w", err)
	}
	cand, err := env.Client.CreateJob(stream, opts, price, head+cfg.jobBlocks)
	if err != nil {
		return 0, "", bc, err
	}
	r, err := env.Txm.Send(ctx, cand)
	if err != nil {
		return 0, "", bc, fmt.Errorf("%s: %w", cand.Label, err)
	}
	bc.Txs = append(bc.Txs, sentTx{Label: cand.Label, Hash: r.TxHash, Block: r.BlockNumber.Uint64(), GasUsed: r.GasUsed})
	ev, err := env.Client.NewJobOf(r)
	if err != nil {
		return 0, "", bc, err
	}
	bc.JobCreated, bc.Transcoder, bc.EndBlock, bc.PricePerSegment = true, ev.Transcoder, ev.EndBlock, ev.PricePerSegment
	log.Info("job created", zap.Uint64("job", ev.ID), zap.String("stream", stream), zap.Stringer("transcoder", ev.Transcoder),
		zap.Stringer("price_per_segment", ev.PricePerSegment), zap.Uint64("end_block", ev.EndBlock))
	return ev.ID, stream, bc, nil
}

// topUp deposits --deposit unless the deposit already covers worst.
func topUp(ctx context.Context, env *chainEnv, cfg broadcastConfig, bc *broadcastChain, worst *big.Int, log *zap.Logger) error {
	have, err := env.Client.BroadcasterDeposit(ctx, env.From)
	if err != nil {
		return err
	}
	bc.WorstCase, bc.Deposit = worst, have
	add, _ := cfg.depositWei()
	switch {
	case have.Cmp(worst) >= 0:
		bc.DepositSkipped = add.Sign() > 0
		log.Info("the deposit already covers the job's worst case; not depositing",
			zap.Stringer("deposit_wei", have), zap.Stringer("worst_case_wei", worst))
		return nil
	case add.Sign() == 0:
		log.Warn("the deposit does not cover the job's worst case and no --deposit was given; claims may fail",
			zap.Stringer("deposit_wei", have), zap.Stringer("worst_case_wei", worst))
		return nil
	}
	cand, err := env.Client.Deposit(add)
	if err != nil {
		return err
	}
	tx, err := env.send(ctx, cand)
	if err != nil {
		return err
	}
	bc.Txs = append(bc.Txs, *tx)
	bc.Deposit = new(big.Int).Add(have, add)
	return nil
}
