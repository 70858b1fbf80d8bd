package solver

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

// Backend is the chain as the solver reads it.
type Backend interface {
	bind.ContractCaller
	bind.ContractFilterer
	BlockNumber(ctx context.Context) (uint64, error)
}

// Sender sends a transaction and waits until it is mined: *txmgr.Manager.
type Sender interface {
	Send(ctx context.Context, c txmgr.Candidate) (*types.Receipt, error)
}

// Checker decides a request. Errors wrapping ErrUnavailable or
// ErrCannotJudge are acted on; others are temporary.
type Checker interface {
	Check(ctx context.Context, r Request) (Verdict, error)
}

// Defaults of the optional Config fields.
const (
	DefaultConfirmations = 1
	DefaultPollInterval  = 2 * time.Second
	DefaultGiveUpAfter   = 10 * time.Minute
	DefaultMaxScanBlocks = 5000
	DefaultCheckTimeout  = 2 * time.Minute
)

// Config configures a Service.
type Config struct {
	Backend  Backend
	Verifier common.Address // the Verifier contract
	Sender   Sender
	Checker  Checker
	Store    *Store
	// FromBlock is where the first scan starts when the DB has no cursor.
	FromBlock uint64
	// Confirmations: a request is read once this many blocks are on top of
	// its block, so that a shallow reorg does not hand it a stale event.
	Confirmations uint64
	PollInterval  time.Duration
	// GiveUpAfter is how long a request's data may stay unavailable before
	// it fails.
	GiveUpAfter time.Duration
	// CheckTimeout bounds one Check: a segment that cannot be judged in
	// that time (a rendition built to stall a decoder) is retried on the
	// next step and counts as unavailable, so it fails once GiveUpAfter
	// has passed; it never holds up the other requests.
	CheckTimeout  time.Duration
	MaxScanBlocks uint64
	Metrics       Metrics
	Logger        *zap.Logger
	Now           func() time.Time
}

// Service answers verification requests.
type Service struct {
	cfg      Config
	log      *zap.Logger
	caller   *bindings.VerifierCaller
	filterer *bindings.VerifierFilterer
	abi      *abi.ABI
}

// New checks cfg, fills the defaults and binds the Verifier.
func New(cfg Config) (*Service, error) {
	switch {
	case cfg.Backend == nil || cfg.Sender == nil || cfg.Checker == nil || cfg.Store == nil:
		return nil, errors.New("solver: Backend, Sender, Checker and Store are required")
	case cfg.Verifier == (common.Address{}):
		return nil, errors.New("solver: no Verifier address")
	}
	if cfg.Confirmations == 0 {
		cfg.Confirmations = DefaultConfirmations
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	if cfg.GiveUpAfter <= 0 {
		cfg.GiveUpAfter = DefaultGiveUpAfter
	}
	if cfg.CheckTimeout <= 0 {
		cfg.CheckTimeout = DefaultCheckTimeout
	}
	if cfg.MaxScanBlocks == 0 {
		cfg.MaxScanBlocks = DefaultMaxScanBlocks
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NopMetrics{}
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	caller, err1 := bindings.NewVerifierCaller(cfg.Verifier, cfg.Backend)
	filterer, err2 := bindings.NewVerifierFilterer(cfg.Verifier, cfg.Backend)
	if err := errors.Join(err1, err2); err != nil {
		return nil, fmt.Errorf("solver: bind Verifier: %w", err)
	}
	parsed, err := bindings.VerifierMetaData.GetAbi()
	if err != nil {
		return nil, fmt.Errorf("solver: Verifier ABI: %w", err)
	}
	return &Service{cfg: cfg, log: cfg.Logger, caller: caller, filterer: filterer, abi: parsed}, nil
}

// Run scans and answers every PollInterval until ctx ends. A failed step
// is logged and tried again; an answer already sent is seen through by the
// transaction manager.
func (s *Service) Run(ctx context.Context) error {
	t := time.NewTicker(s.cfg.PollInterval)
	defer t.Stop()
	for {
		if err := s.Step(ctx); err != nil && ctx.Err() == nil {
			s.cfg.Metrics.StepError()
			s.log.Warn("verifier step failed; retrying", zap.Error(err))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// Step scans the new blocks for requests and works on every open one.
func (s *Service) Step(ctx context.Context) error {
	scanErr := s.scan(ctx)
	recs, err := s.cfg.Store.Records(true)
	if err != nil {
		return errors.Join(scanErr, err)
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].ID < recs[j].ID })
	s.cfg.Metrics.Open(len(recs))
	errs := []error{scanErr}
	for _, r := range recs {
		if ctx.Err() != nil {
			break
		}
		if err := s.handle(ctx, r); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", r.Request, err))
		}
	}
	return errors.Join(errs...)
}

// scan reads VerificationRequested events from the cursor to the
// confirmed head, in chunks, recording each chunk with the cursor's move.
func (s *Service) scan(ctx context.Context) error {
	head, err := s.cfg.Backend.BlockNumber(ctx)
	if err != nil {
		return fmt.Errorf("read the head: %w", err)
	}
	if head < s.cfg.Confirmations {
		return nil
	}
	to := head - s.cfg.Confirmations
	from, ok, err := s.cfg.Store.Cursor()
	if err != nil {
		return err
	}
	if !ok {
		from = s.cfg.FromBlock
	}
	for from <= to {
		end := min(from+s.cfg.MaxScanBlocks-1, to)
		reqs, err := s.requests(ctx, from, end)
		if err != nil {
			return err
		}
		added, err := s.cfg.Store.AddScanned(reqs, end+1, s.cfg.Now())
		if err != nil {
			return err
		}
		for _, r := range added {
			s.log.Info("verification requested", zap.Uint64("request", r.ID), zap.Uint64("job", r.Job),
				zap.Uint64("claim", r.Claim), zap.Uint64("seg", r.Seg), zap.String("stream", r.StreamID), zap.Uint64("block", r.Block))
		}
		from = end + 1
	}
	return nil
}

func (s *Service) requests(ctx context.Context, from, to uint64) ([]Request, error) {
	it, err := s.filterer.FilterVerificationRequested(&bind.FilterOpts{Start: from, End: &to, Context: ctx}, nil, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("read requests in blocks %d-%d: %w", from, to, err)
	}
	defer it.Close()
	var out []Request
	for it.Next() {
		e := it.Event
		out = append(out, Request{
			ID: e.RequestId.Uint64(), Job: e.JobId.Uint64(), Claim: e.ClaimId.Uint64(), Seg: e.SegmentNumber.Uint64(),
			StreamID: e.StreamId, Options: e.TranscodingOptions, DataHash: e.DataHash,
			TranscodedDataHash: e.TranscodedDataHash, Block: e.Raw.BlockNumber,
		})
	}
	if err := it.Error(); err != nil {
		return nil, fmt.Errorf("read requests in blocks %d-%d: %w", from, to, err)
	}
	return out, nil
}

// handle moves one open request on: answered on chain, decided, or sent.
func (s *Service) handle(ctx context.Context, r Record) error {
	log := s.log.With(zap.Uint64("request", r.ID), zap.Uint64("job", r.Job), zap.Uint64("claim", r.Claim), zap.Uint64("seg", r.Seg))
	q, err := s.caller.GetRequest(&bind.CallOpts{Context: ctx}, new(big.Int).SetUint64(r.ID))
	if err != nil {
		return fmt.Errorf("read the request on chain: %w", err)
	}
	if q.JobId != r.Job || q.ClaimId != r.Claim || q.SegmentNumber != r.Seg {
		// A reorg deeper than Confirmations replaced the request: the
		// chain's request id now names another segment. Never answer it
		// from this record.
		return fmt.Errorf("the chain's request %d is job %d claim %d segment %d: reorged; not answering", r.ID, q.JobId, q.ClaimId, q.SegmentNumber)
	}
	if q.Answered {
		return s.answered(r, q.Pass, log)
	}
	if r.State == StatePending {
		var done bool
		if r, done, err = s.decide(ctx, r, log); done || err != nil {
			return err
		}
	}
	return s.submit(ctx, r, log)
}

// answered records the chain's answer.
func (s *Service) answered(r Record, pass bool, log *zap.Logger) error {
	ours := r.Verdict != nil && r.State == StateDecided && r.Verdict.Pass == pass
	r.State = StateAnswered
	if r.Verdict == nil || r.Verdict.Pass != pass {
		r.Verdict = &Verdict{Pass: pass, Reason: "answered on chain by another solver"}
	}
	if err := s.cfg.Store.Put(r); err != nil {
		return err
	}
	if !ours {
		log.Info("request already answered on chain", zap.Bool("pass", pass))
	}
	return nil
}

// decide runs the checker; done is true when there is nothing to send yet.
func (s *Service) decide(ctx context.Context, r Record, log *zap.Logger) (_ Record, done bool, _ error) {
	start := time.Now()
	cctx, cancel := context.WithTimeout(ctx, s.cfg.CheckTimeout)
	v, err := s.cfg.Checker.Check(cctx, r.Request)
	timedOut := cctx.Err() != nil && ctx.Err() == nil
	cancel()
	s.cfg.Metrics.CheckDuration(time.Since(start))
	if timedOut {
		err = fmt.Errorf("%w: the check took longer than %v: %w", ErrUnavailable, s.cfg.CheckTimeout, err)
	}
	switch {
	case errors.Is(err, ErrCannotJudge):
		r.State, r.LastError = StateUnjudgeable, err.Error()
		s.cfg.Metrics.Result(ResultUnjudgeable)
		log.Error("cannot judge this request: it stays unanswered", zap.Error(err))
		return r, true, s.cfg.Store.Put(r)
	case errors.Is(err, ErrUnavailable) && s.cfg.Now().Sub(r.FirstSeen) >= s.cfg.GiveUpAfter:
		v = Verdict{Pass: false, Reason: fmt.Sprintf("data unavailable for %v: %v", s.cfg.GiveUpAfter, err)}
	case err != nil:
		r.LastError = err.Error()
		if perr := s.cfg.Store.Put(r); perr != nil {
			return r, true, errors.Join(err, perr)
		}
		if errors.Is(err, ErrUnavailable) {
			log.Warn("segment data not available yet", zap.Error(err))
			return r, true, nil
		}
		return r, true, err
	}
	// The verdict is recorded before it is sent: a restart sends this one.
	r.State, r.Verdict, r.LastError = StateDecided, &v, ""
	if err := s.cfg.Store.Put(r); err != nil {
		return r, true, err
	}
	log.Info("request decided", zap.Bool("pass", v.Pass), zap.String("reason", v.Reason))
	return r, false, nil
}

// submit sends the recorded verdict, keyed by request and attempt.
func (s *Service) submit(ctx context.Context, r Record, log *zap.Logger) error {
	data, err := s.abi.Pack("submitResult", new(big.Int).SetUint64(r.ID), r.Verdict.Pass)
	if err != nil {
		return fmt.Errorf("pack submitResult: %w", err)
	}
	to := s.cfg.Verifier
	rcpt, err := s.cfg.Sender.Send(ctx, txmgr.Candidate{
		To: &to, Data: data, Label: txmgr.LabelSubmitResult,
		Key: fmt.Sprintf("submit-result/%s/%d/%d", s.cfg.Verifier.Hex(), r.ID, r.Attempt),
	})
	if errors.Is(err, txmgr.ErrReverted) {
		// Mined and reverted (another solver's answer came first, or the
		// system was paused): the next step reads the request again and,
		// if it is still open, sends under a new key.
		r.Attempt++
		r.LastError = err.Error()
		return errors.Join(fmt.Errorf("submitResult: %w", err), s.cfg.Store.Put(r))
	}
	if err != nil {
		return fmt.Errorf("submitResult: %w", err)
	}
	r.State, r.Tx, r.LastError = StateAnswered, rcpt.TxHash.Hex(), ""
	if err := s.cfg.Store.Put(r); err != nil {
		return err
	}
	res := ResultPassed
	if !r.Verdict.Pass {
		res = ResultFailed
	}
	s.cfg.Metrics.Result(res)
	log.Info("verification answered", zap.Bool("pass", r.Verdict.Pass), zap.Stringer("tx", rcpt.TxHash), zap.String("reason", r.Verdict.Reason))
	return nil
}
