package claims

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

// Backend is what the service reads from a node: the head, headers, contract calls and the
// account's nonces. *ethclient.Client and go-ethereum's simulated client satisfy it.
type Backend interface {
	bind.ContractCaller
	BlockNumber(ctx context.Context) (uint64, error)
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
	NonceAt(ctx context.Context, account common.Address, blockNumber *big.Int) (uint64, error)
	PendingNonceAt(ctx context.Context, account common.Address) (uint64, error)
}

// Sender sends a transaction and waits until it is mined: *txmgr.Manager.
type Sender interface {
	Send(ctx context.Context, c txmgr.Candidate) (*types.Receipt, error)
}

// Defaults of the optional Config fields.
const (
	DefaultMaxSegments  = 100
	DefaultClaimIdle    = time.Minute
	DefaultEndMargin    = 20
	DefaultPollInterval = 2 * time.Second
)

// Config of a Service. Store, Backend, Sender, Account, JobsManager and ChainID are required.
type Config struct {
	Store       *Store
	Backend     Backend
	Sender      Sender
	Account     common.Address // the transcoder; Sender sends from it
	JobsManager common.Address
	ChainID     uint64
	// MaxSegments caps the segments of one claim (the Merkle proofs grow with its log).
	MaxSegments int
	// ClaimIdle: a run shorter than MaxSegments is claimed once its newest receipt is this old.
	ClaimIdle time.Duration
	// EndMargin: any run is claimed once the job ends within this many blocks.
	EndMargin uint64
	// VerifyMaxGasPrice caps verify() transactions, in wei: a missed verification is slashed,
	// so it is usually above the account's cap for other sends. nil: the sender's cap.
	VerifyMaxGasPrice *big.Int
	// PollInterval between head polls in Run; Ticks replaces the ticker (tests).
	PollInterval time.Duration
	Ticks        <-chan time.Time
	Now          func() time.Time
	Metrics      Metrics
	Logger       *zap.Logger
	// AfterStep, when set, is called after every step of Run.
	AfterStep func(head uint64, err error)
}

func (c Config) withDefaults() Config {
	if c.MaxSegments == 0 {
		c.MaxSegments = DefaultMaxSegments
	}
	if c.ClaimIdle == 0 {
		c.ClaimIdle = DefaultClaimIdle
	}
	if c.EndMargin == 0 {
		c.EndMargin = DefaultEndMargin
	}
	if c.PollInterval == 0 {
		c.PollInterval = DefaultPollInterval
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Metrics == nil {
		c.Metrics = NoopMetrics{}
	}
	if c.Logger == nil {
		c.Logger = zap.NewNop()
	}
	return c
}

// Validate reports the first missing or invalid field.
func (c Config) Validate() error {
	switch {
	case c.Store == nil:
		return errors.New("claims: config needs a Store")
	case c.Backend == nil:
		return errors.New("claims: config needs a Backend")
	case c.Sender == nil:
		return errors.New("claims: config needs a Sender")
	case c.Account == (common.Address{}):
		return errors.New("claims: config needs the transcoder Account")
	case c.JobsManager == (common.Address{}):
		return errors.New("claims: config needs the JobsManager address")
	case c.MaxSegments < 0:
		return fmt.Errorf("claims: MaxSegments %d is negative", c.MaxSegments)
	case c.ClaimIdle < 0 || c.PollInterval < 0:
		return errors.New("claims: ClaimIdle and PollInterval must not be negative")
	}
	return nil
}

// Service claims, verifies and collects the fees of one transcoder's work, one step per block:
// contiguous receipts of a job become a claimWork, the segments the challenge rule picks are
// verified before endVerificationBlock, and distributeFees follows the slashing window. Every
// step is recorded in the Store before and after its transaction, so a restarted Service
// continues where the last one stopped and never claims a segment twice.
type Service struct {
	cfg Config
	log *zap.Logger
	jm  *bindings.JobsManagerCaller
	ev  *bindings.JobsManagerFilterer // parses event logs only
	abi *abi.ABI
}

// New checks cfg and binds the store to the deployment and account (ErrWrongDeployment if it
// belongs to another).
func New(cfg Config) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	jm, err := bindings.NewJobsManagerCaller(cfg.JobsManager, cfg.Backend)
	if err != nil {
		return nil, fmt.Errorf("claims: bind JobsManager: %w", err)
	}
	ev, err := bindings.NewJobsManagerFilterer(cfg.JobsManager, nil)
	if err != nil {
		return nil, fmt.Errorf("claims: bind JobsManager events: %w", err)
	}
	a, err := bindings.JobsManagerMetaData.GetAbi()
	if err != nil {
		return nil, fmt.Errorf("claims: JobsManager abi: %w", err)
	}
	if err := cfg.Store.Bind(Binding{ChainID: cfg.ChainID, JobsManager: cfg.JobsManager, Account: cfg.Account}); err != nil {
		return nil, err
	}
	return &Service{cfg: cfg, log: cfg.Logger.With(zap.Stringer("account", cfg.Account)), jm: jm, ev: ev, abi: a}, nil
}

// Run works until ctx ends, in two loops on every PollInterval: one
// verifies challenged segments, the other resolves claim intents,
// distributes fees and claims ready receipts. A send of the second kind can
// wait for hours (held above the gas cap, or underpriced in the pool) and
// costs nothing while it waits; a verify() that waits past its window is a
// slash, so it never waits behind one. A failed step is logged and retried
// on the next tick.
//
// With Config.Ticks (tests stepping the service by hand) one loop does both,
// one Step per tick.
func (s *Service) Run(ctx context.Context) error {
	s.log.Info("claims service started", zap.Int("max_segments", s.cfg.MaxSegments), zap.Duration("claim_idle", s.cfg.ClaimIdle))
	defer s.log.Info("claims service stopped")
	if s.cfg.Ticks != nil {
		s.loop(ctx, "claims", s.cfg.Ticks, s.Step)
		return nil
	}
	vctx, stopVerify := context.WithCancel(ctx)
	verified := make(chan struct{})
	go func() {
		defer close(verified)
		t := time.NewTicker(s.cfg.PollInterval)
		defer t.Stop()
		s.loop(vctx, "verify", t.C, s.verifyStep)
	}()
	t := time.NewTicker(s.cfg.PollInterval)
	defer t.Stop()
	s.loop(ctx, "claims", t.C, s.mainStep)
	stopVerify()
	<-verified
	return nil
}

// loop runs step at once and on every tick until ctx ends.
func (s *Service) loop(ctx context.Context, name string, ticks <-chan time.Time, step func(context.Context) (uint64, error)) {
	for {
		head, err := step(ctx)
		if err != nil && ctx.Err() == nil {
			s.log.Warn(name+" step failed; retrying on the next block", zap.Uint64("block", head), zap.Error(err))
		}
		if s.cfg.AfterStep != nil {
			s.cfg.AfterStep(head, err)
		}
		select {
		case <-ctx.Done():
			return
		case <-ticks:
		}
	}
}

// Step does everything the current head allows: it verifies challenged segments, resolves
// claims whose transaction was sent but not recorded, distributes fees after the slashing
// window and claims runs of receipts that are ready. It returns the head it worked on.
func (s *Service) Step(ctx context.Context) (uint64, error) {
	head, err := s.verifyStep(ctx)
	if errors.Is(err, ErrStore) {
		return head, err
	}
	head2, err2 := s.mainStep(ctx)
	return max(head, head2), errors.Join(err, err2)
}

// verifyStep verifies the challenged segments of every claim still in its
// verification window.
func (s *Service) verifyStep(ctx context.Context) (uint64, error) {
	return s.pass(ctx, func(head uint64, rec ClaimRecord) error {
		if rec.State == ClaimClaimed || (rec.State == ClaimVerified && head+1 < rec.EndVerify) {
			// A reorganisation may still change what is challenged.
			return s.verifyClaim(ctx, head, rec)
		}
		return nil
	}, nil)
}

// mainStep resolves claim intents, distributes fees after the slashing
// window and claims runs of receipts that are ready.
func (s *Service) mainStep(ctx context.Context) (uint64, error) {
	return s.pass(ctx, func(head uint64, rec ClaimRecord) error {
		switch {
		case rec.State == ClaimIntent:
			return s.resolveIntent(ctx, rec)
		case rec.State == ClaimVerified && head+1 >= rec.EndVerify:
			return s.distribute(ctx, head, rec)
		}
		return nil
	}, func(head uint64) error {
		err := s.claimReady(ctx, head)
		n, perr := s.cfg.Store.Pending()
		if perr == nil {
			s.cfg.Metrics.SetPendingReceipts(n)
		}
		return errors.Join(err, perr)
	})
}

// pass reads the head and the claims, calls each on every claim not final
// and then after, if set.
func (s *Service) pass(ctx context.Context, each func(uint64, ClaimRecord) error, after func(uint64) error) (uint64, error) {
	head, err := s.cfg.Backend.BlockNumber(ctx)
	if err != nil {
		return 0, fmt.Errorf("read head: %w", err)
	}
	recs, err := s.cfg.Store.Claims()
	if err != nil {
		return head, err
	}
	var errs []error
	for _, rec := range recs {
		if rec.State.Final() {
			continue
		}
		if err := each(head, rec); err != nil {
			if errors.Is(err, ErrStore) {
				return head, err // refuse to act without the record
			}
			errs = append(errs, fmt.Errorf("job %d claim from segment %d: %w", rec.Job, rec.Start, err))
		}
	}
	if after != nil {
		errs = append(errs, after(head))
	}
	return head, errors.Join(errs...)
}

func (s *Service) call(ctx context.Context) *bind.CallOpts { return &bind.CallOpts{Context: ctx} }

func (s *Service) candidate(label, method string, args ...any) (txmgr.Candidate, error) {
	data, err := s.abi.Pack(method, args...)
	if err != nil {
		return txmgr.Candidate{}, fmt.Errorf("encode %s: %w", method, err)
	}
	to := s.cfg.JobsManager
	return txmgr.Candidate{To: &to, Data: data, Label: label}, nil
}

func u256(n uint64) *big.Int { return new(big.Int).SetUint64(n) }
