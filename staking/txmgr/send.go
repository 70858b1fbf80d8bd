package txmgr

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/core/types"
	"go.uber.org/zap"
)

// consumedGracePolls is how many polls in a row the account's nonce must be
// past ours, with no receipt for any of our hashes, before the manager decides
// another transaction took the nonce. Receipts can lag the nonce briefly.
const consumedGracePolls = 3

// attempt is the state of one Send.
type attempt struct {
	c        Candidate
	key      string // journal key: c.Key, or one made up at the first record
	label    string
	gas      uint64
	maxPrice *big.Int // the Send's own cap
	onSigned func(*types.Transaction) error

	current *types.Transaction   // latest signed transaction; nil before the first
	fees    fees                 // prices of current
	nonce   uint64               // nonce of current
	sent    []*types.Transaction // every transaction that may have reached the node
	inPool  bool                 // a node accepted one of them
	reprice bool                 // current was refused as underpriced: bump before resending
	floor   *fees                // refused prices a renumbered transaction must beat
	bumpNow bool                 // taken over after a restart: replace at the first chance

	signed      [][]byte // every transaction signed at signedNonce, as journaled
	signedNonce uint64

	holdsQueue          bool
	firstSent, lastSent time.Time
	capped              bool // held back by the cap now
	needWei             *big.Int
	mined               bool // a receipt was seen; waiting for confirmations
	consumedPolls       int
	gapPolls            int
}

func newAttempt(c Candidate, defaultCap *big.Int) *attempt {
	capWei := defaultCap
	if c.MaxGasPrice != nil && c.MaxGasPrice.Sign() > 0 {
		capWei = c.MaxGasPrice
	}
	return &attempt{c: c, key: c.Key, label: metricLabel(c.Label), gas: c.GasLimit, maxPrice: capWei, onSigned: c.OnSigned}
}

func (a *attempt) remember(tx *types.Transaction) {
	for _, t := range a.sent {
		if t.Hash() == tx.Hash() {
			return
		}
	}
	a.sent = append(a.sent, tx)
}

// run drives a until it is mined, fails, or ctx ends.
func (m *Manager) run(ctx context.Context, a *attempt) (*types.Receipt, error) {
	defer m.dropNonce(a)
	defer m.releaseQueue(a)
	log := m.log.With(zap.String("label", a.label))
	if a.gas == 0 {
		gas, err := m.gasLimit(ctx, a.c)
		if err != nil {
			return nil, err
		}
		a.gas = gas
	}
	for {
		if ctx.Err() != nil {
			return m.settle(a, nil, m.abandon(a, ctx.Err(), log), log)
		}
		rcpt, err := m.step(ctx, a, log)
		if rcpt != nil || err != nil {
			return m.settle(a, rcpt, err, log)
		}
		if a.inPool || a.capped {
			m.releaseQueue(a) // hold only the nonce: the next Send may be numbered
		}
		select {
		case <-ctx.Done():
			return m.settle(a, nil, m.abandon(a, ctx.Err(), log), log)
		case <-m.cfg.Clock.After(m.cfg.PollInterval):
		}
	}
}

// gasLimit returns the candidate's gas limit, estimating it if unset.
func (m *Manager) gasLimit(ctx context.Context, c Candidate) (uint64, error) {
	if c.GasLimit != 0 {
		return c.GasLimit, nil
	}
	gas, err := m.cfg.Backend.EstimateGas(ctx, ethereum.CallMsg{
		From: m.cfg.From, To: c.To, Value: c.Value, Data: c.Data,
	})
	if err != nil {
		return 0, fmt.Errorf("%w: %s: %w", ErrEstimateGas, metricLabel(c.Label), err)
	}
	return gas + gas*gasLimitHeadroomPercent/100, nil
}

// step does one round of work: look for a receipt, then send, resend or
// replace as the state asks. It returns a receipt or an error to end Send.
func (m *Manager) step(ctx context.Context, a *attempt, log *zap.Logger) (*types.Receipt, error) {
	if err := m.checkDeadline(ctx, a); err != nil {
		return nil, m.abandon(a, err, log)
	}
	if len(a.sent) > 0 {
		rcpt, err := m.findReceipt(ctx, a, log)
		if rcpt != nil || err != nil {
			return rcpt, err
		}
		if a.mined {
			return nil, nil
		}
	}
	switch {
	case a.current == nil:
		return nil, m.sendNew(ctx, a, log)
	case !a.inPool && a.reprice:
		return nil, m.replace(ctx, a, log)
	case !a.inPool:
		return nil, m.publish(ctx, a, a.current, log)
	case a.bumpNow || m.cfg.Clock.Now().Sub(a.lastSent) >= m.cfg.ResubmitTimeout:
		a.bumpNow = false
		return nil, m.replace(ctx, a, log)
	}
	return nil, nil
}

// checkDeadline returns an error wrapping ErrDeadline once the head has
// reached the candidate's DeadlineBlock.
func (m *Manager) checkDeadline(ctx context.Context, a *attempt) error {
	if a.c.DeadlineBlock == 0 {
		return nil
	}
	head, err := m.cfg.Backend.HeaderByNumber(ctx, nil)
	if err != nil || head.Number.Uint64() < a.c.DeadlineBlock {
		return nil
	}
	return fmt.Errorf("%w: head %d reached deadline block %d", ErrDeadline, head.Number, a.c.DeadlineBlock)
}

// prices reads the suggested tip and the latest base fee.
func (m *Manager) prices(ctx context.Context) (tip, baseFee *big.Int, err error) {
	tip, err = m.cfg.Backend.SuggestGasTipCap(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("suggest tip: %w", err)
	}
	head, err := m.cfg.Backend.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("read head: %w", err)
	}
	baseFee = head.BaseFee
	if baseFee == nil {
		baseFee = new(big.Int) // pre-London chain
	}
	m.cfg.Metrics.SetGasPrice(new(big.Int).Add(tip, baseFee))
	return tip, baseFee, nil
}

// hold records that the cap holds the transaction back.
func (m *Manager) hold(a *attempt, need, capWei *big.Int, log *zap.Logger) {
	a.needWei = need
	if !a.capped {
		a.capped = true
		m.cfg.Metrics.TxGasCapped()
		log.Warn("gas price above cap; holding transaction",
			zap.Stringer("need_wei", need), zap.Stringer("max_gas_price_wei", capWei))
	}
}

// firstFees prices a transaction not yet numbered: from the chain's prices,
// and above the prices a node refused as underpriced, if any.
func (m *Manager) firstFees(a *attempt, tip, baseFee *big.Int) (fees, *big.Int, bool) {
	if a.floor != nil {
		f, ok := bumpedFees(*a.floor, tip, baseFee, m.cfg.FeeBumpPercent, a.maxPrice)
		return f, bumpPercent(a.floor.feeCap, m.cfg.FeeBumpPercent), ok
	}
	f, ok := initialFees(tip, baseFee, a.maxPrice)
	return f, new(big.Int).Add(tip, baseFee), ok
}

// sendNew prices, numbers, signs and publishes the first transaction. It
// waits for the numbering queue only once the price is under the cap.
// Transient RPC failures are logged and retried on the next poll.
func (m *Manager) sendNew(ctx context.Context, a *attempt, log *zap.Logger) error {
	tip, baseFee, err := m.prices(ctx)
	if err != nil {
		log.Warn("cannot price transaction; retrying", zap.Error(err))
		return nil
	}
	f, need, ok := m.firstFees(a, tip, baseFee)
	if !ok {
		m.hold(a, need, a.maxPrice, log)
		return nil
	}
	a.capped = false
	if err := m.acquireQueue(ctx, a); err != nil {
		return err
	}
	nonce, err := m.takeNonce(ctx, a.c.Nonce)
	if err != nil {
		m.releaseQueue(a)
		if a.c.Nonce != nil && isNonceConsumed(err) {
			return err
		}
		log.Warn("cannot read nonce; retrying", zap.Error(err))
		return nil
	}
	tx, err := m.sign(ctx, a, nonce, f)
	if err == nil {
		a.current, a.fees, a.nonce, a.floor = tx, f, nonce, nil
		m.holdNonce(a, nonce)
		err = m.record(a, tx, log)
	}
	if err != nil {
		m.rollbackNonce(nonce)
		a.current = nil
		m.dropNonce(a)
		return err
	}
	return m.publish(ctx, a, tx, log)
}

// replace sends a fee-bumped transaction with the same nonce, unless the bump
// would go above the cap; then the transaction already sent is left to be
// mined as it is.
func (m *Manager) replace(ctx context.Context, a *attempt, log *zap.Logger) error {
	tip, baseFee, err := m.prices(ctx)
	if err != nil {
		log.Warn("cannot price replacement; retrying", zap.Error(err))
		return nil
	}
	capWei := m.capFor(a)
	f, ok := bumpedFees(a.fees, tip, baseFee, m.cfg.FeeBumpPercent, capWei)
	if !ok {
		m.hold(a, bumpPercent(a.fees.feeCap, m.cfg.FeeBumpPercent), capWei, log)
		a.lastSent = m.cfg.Clock.Now() // look again after another timeout
		m.unnumberRefused(a, log)
		return nil
	}
	a.capped = false
	tx, err := m.sign(ctx, a, a.nonce, f)
	if err == nil {
		err = m.record(a, tx, log)
	}
	if err != nil {
		if a.inPool {
			log.Error("cannot sign replacement; waiting for the original", zap.Error(err))
			a.lastSent = m.cfg.Clock.Now()
			return nil
		}
		return err
	}
	old := a.current
	a.current, a.fees, a.reprice = tx, f, false
	if old != nil && a.inPool {
		log.Info("replacing transaction", zap.Stringer("old_tx", old.Hash()), zap.Stringer("tx", tx.Hash()),
			zap.Stringer("tip_wei", f.tip), zap.Stringer("fee_cap_wei", f.feeCap))
	}
	return m.publish(ctx, a, tx, log)
}

// unnumberRefused gives back the nonce of a transaction every node refused
// as underpriced while the bump it needs is above the cap: nothing of it
// is anywhere, so it waits for prices unnumbered and blocks no later Send.
func (m *Manager) unnumberRefused(a *attempt, log *zap.Logger) {
	if a.inPool || len(a.sent) > 0 || !a.holdsQueue {
		return
	}
	log.Info("giving the nonce back while the cap holds the transaction", zap.Uint64("nonce", a.nonce))
	floor := a.fees
	m.rollbackNonce(a.nonce)
	m.dropNonce(a)
	a.current, a.reprice, a.floor = nil, false, &floor
	m.releaseQueue(a)
}

func (m *Manager) sign(ctx context.Context, a *attempt, nonce uint64, f fees) (*types.Transaction, error) {
	chainID, err := m.getChainID(ctx)
	if err != nil {
		return nil, err
	}
	value := a.c.Value
	if value == nil {
		value = new(big.Int)
	}
	unsigned := types.NewTx(&types.DynamicFeeTx{
		ChainID: chainID, Nonce: nonce, GasTipCap: f.tip, GasFeeCap: f.feeCap,
		Gas: a.gas, To: a.c.To, Value: value, Data: a.c.Data,
	})
	tx, err := m.cfg.Sign(ctx, m.cfg.From, unsigned)
	if err != nil {
		return nil, fmt.Errorf("txmgr: sign %s: %w", a.label, err)
	}
	return tx, nil
}
