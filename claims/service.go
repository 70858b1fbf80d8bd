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

// Run steps on every tick until ctx ends. A failed step is logged and retried on the next tick.
func (s *Service) Run(ctx context.Context) error {
	ticks := s.cfg.Ticks
	if ticks == nil {
		t := time.NewTicker(s.cfg.PollInterval)
		defer t.Stop()
		ticks = t.C
	}
	s.log.Info("claims service started", zap.Int("max_segments", s.cfg.MaxSegments), zap.Duration("claim_idle", s.cfg.ClaimIdle))
	for {
		head, err := s.Step(ctx)
		if err != nil && ctx.Err() == nil {
			s.log.Warn("claims step failed; retrying on the next block", zap.Uint64("block", head), zap.Error(err))
		}
		if s.cfg.AfterStep != nil {
			s.cfg.AfterStep(head, err)
		}
		select {
		case <-ctx.Done():
			s.log.Info("claims service stopped")
			return nil
		case <-ticks:
		}
	}
}

// Step does everything the current head allows: it resolves claims whose transaction was
// sent but not recorded, verifies challenged segments, distributes fees after the slashing
// window and claims runs of receipts that are ready. It returns the head it worked on.
func (s *Service) Step(ctx context.Context) (uint64, error) {
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
		if err := s.advance(ctx, head, rec); err != nil {
			if errors.Is(err, ErrStore) {
				return head, err // refuse to act without the record
			}
			errs = append(errs, fmt.Errorf("job %d claim from segment %d: %w", rec.Job, rec.Start, err))
		}
	}
	if err := s.claimReady(ctx, head); err != nil {
		errs = append(errs, err)
	}
	n, err := s.cfg.Store.Pending()
	if err != nil {
		return head, errors.Join(append(errs, err)...)
	}
	s.cfg.Metrics.SetPendingReceipts(n)
	return head, errors.Join(errs...)
}

func (s *Service) advance(ctx context.Context, head uint64, rec ClaimRecord) error {
	switch rec.State {
	case ClaimIntent:
		return s.resolveIntent(ctx, rec)
	case ClaimClaimed:
		return s.verifyClaim(ctx, head, rec)
	case ClaimVerified:
		if head+1 < rec.EndVerify { // a reorganisation may still change what is challenged
			return s.verifyClaim(ctx, head, rec)
		}
		return s.distribute(ctx, head, rec)
	}
	return nil
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
