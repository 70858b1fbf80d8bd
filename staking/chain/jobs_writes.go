package chain

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

// Labels of the broadcaster's writes. The transaction manager's metrics
// count them as txmgr.LabelOther; logs and errors name them.
const (
	LabelDeposit   = "deposit"
	LabelCreateJob = "job"
)

// ErrNoNewJob is returned by NewJobOf when a receipt holds no NewJob event
// of this chain's JobsManager.
var ErrNoNewJob = errors.New("chain: no NewJob event in the receipt")

// Deposit is JobsManager.deposit() with value wei: it adds to the caller's
// broadcaster deposit, which pays for its jobs' claims.
// Extension: fails with ErrNoJobsManager on the live network.
func (c *Client) Deposit(value *big.Int) (txmgr.Candidate, error) {
	if c.jobs == nil {
		return txmgr.Candidate{}, ErrNoJobsManager
	}
	if err := positive("deposit", value); err != nil {
		return txmgr.Candidate{}, err
	}
	cand, err := pack(bindings.JobsManagerMetaData, c.addrs.JobsManager, LabelDeposit, "deposit")
	if err != nil {
		return txmgr.Candidate{}, err
	}
	cand.Value = new(big.Int).Set(value)
	return cand, nil
}

// CreateJob is JobsManager.job(stream, options, maxPrice, endBlock): a job
// for stream with the transcoding options (claims.TranscodingOptions), paying
// at most maxPrice wei per segment and profile, until endBlock. The contract
// elects the transcoder; read it with NewJobOf from the receipt.
// Extension: fails with ErrNoJobsManager on the live network.
func (c *Client) CreateJob(stream, options string, maxPrice *big.Int, endBlock uint64) (txmgr.Candidate, error) {
	if c.jobs == nil {
		return txmgr.Candidate{}, ErrNoJobsManager
	}
	if stream == "" {
		return txmgr.Candidate{}, fmt.Errorf("chain: job stream id is empty")
	}
	if options == "" {
		return txmgr.Candidate{}, fmt.Errorf("chain: job transcoding options are empty")
	}
	if err := positive("max price per segment", maxPrice); err != nil {
		return txmgr.Candidate{}, err
	}
	return pack(bindings.JobsManagerMetaData, c.addrs.JobsManager, LabelCreateJob, "job",
		stream, options, maxPrice, new(big.Int).SetUint64(endBlock))
}

// NewJob is the JobsManager's NewJob event: the job's id and its elected
// transcoder and price.
type NewJob struct {
	ID                 uint64         `json:"id"`
	Transcoder         common.Address `json:"transcoder"`
	Broadcaster        common.Address `json:"broadcaster"`
	Stream             string         `json:"stream"`
	TranscodingOptions string         `json:"transcoding_options"`
	MaxPricePerSegment *big.Int       `json:"max_price_per_segment"`
	PricePerSegment    *big.Int       `json:"price_per_segment"`
	CreationRound      uint64         `json:"creation_round"`
	EndBlock           uint64         `json:"end_block"`
}

// NewJobOf reads the NewJob event of this chain's JobsManager from the
// receipt of a CreateJob transaction; ErrNoNewJob when there is none.
func (c *Client) NewJobOf(r *types.Receipt) (NewJob, error) {
	if c.jobs == nil {
		return NewJob{}, ErrNoJobsManager
	}
	f, err := bindings.NewJobsManagerFilterer(c.addrs.JobsManager, nil)
	if err != nil {
		return NewJob{}, fmt.Errorf("chain: bind JobsManager events: %w", err)
	}
	for _, l := range r.Logs {
		if l == nil || l.Address != c.addrs.JobsManager {
			continue
		}
		ev, err := f.ParseNewJob(*l)
		if err != nil {
			continue // another event of the JobsManager
		}
		return NewJob{
			ID: ev.JobId.Uint64(), Transcoder: ev.Transcoder, Broadcaster: ev.Broadcaster, Stream: ev.StreamId,
			TranscodingOptions: ev.TranscodingOptions, MaxPricePerSegment: ev.MaxPricePerSegment,
			PricePerSegment: ev.PricePerSegment, CreationRound: ev.CreationRound.Uint64(), EndBlock: ev.EndBlock.Uint64(),
		}, nil
	}
	return NewJob{}, fmt.Errorf("%w (transaction %s)", ErrNoNewJob, r.TxHash)
}

// JobInfo is a job as JobsManager.getJob returns it.
type JobInfo struct {
	ID                 uint64         `json:"id"`
	Stream             string         `json:"stream"`
	TranscodingOptions string         `json:"transcoding_options"`
	Broadcaster        common.Address `json:"broadcaster"`
	Transcoder         common.Address `json:"transcoder"`
	CreationBlock      uint64         `json:"creation_block"`
	EndBlock           uint64         `json:"end_block"`
	MaxPricePerSegment *big.Int       `json:"max_price_per_segment"`
	PricePerSegment    *big.Int       `json:"price_per_segment"`
	Profiles           uint64         `json:"profiles"`
}

// Job reads job id. Extension: fails with ErrNoJobsManager on the live
// network.
func (c *Client) Job(ctx context.Context, id uint64) (JobInfo, error) {
	if c.jobs == nil {
		return JobInfo{}, ErrNoJobsManager
	}
	j, err := c.jobs.GetJob(c.opts(ctx), new(big.Int).SetUint64(id))
	if err != nil {
		return JobInfo{}, fmt.Errorf("chain: getJob(%d): %w", id, err)
	}
	return JobInfo{
		ID: id, Stream: j.StreamId, TranscodingOptions: j.TranscodingOptions, Broadcaster: j.Broadcaster,
		Transcoder: j.Transcoder, CreationBlock: j.CreationBlock, EndBlock: j.EndBlock,
		MaxPricePerSegment: j.MaxPricePerSegment, PricePerSegment: j.PricePerSegment, Profiles: j.Profiles,
	}, nil
}

// BroadcasterDeposit is the broadcaster's deposit in wei
// (JobsManager.broadcasters(addr).deposit). Extension.
func (c *Client) BroadcasterDeposit(ctx context.Context, addr common.Address) (*big.Int, error) {
	if c.jobs == nil {
		return nil, ErrNoJobsManager
	}
	b, err := c.jobs.Broadcasters(c.opts(ctx), addr)
	if err != nil {
		return nil, fmt.Errorf("chain: broadcasters(%s): %w", addr, err)
	}
	return b.Deposit, nil
}

// JobCost is the most a job can cost: segments × profiles × price per
// segment and profile, in wei.
func JobCost(segments, profiles uint64, price *big.Int) *big.Int {
	v := new(big.Int).SetUint64(segments)
	v.Mul(v, new(big.Int).SetUint64(profiles))
	return v.Mul(v, price)
}
