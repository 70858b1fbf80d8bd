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
	c     Candidate
	label string
	gas   uint64

	current *types.Transaction   // latest signed transaction; nil before the first
	fees    fees                 // prices of current
	nonce   uint64               // nonce of current
	sent    []*types.Transaction // every transaction that may have reached the node
	inPool  bool                 // a node accepted one of them
	reprice bool                 // current was refused as underpriced: bump before resending

	firstSent, lastSent time.Time
	capped              bool // held back by MaxGasPrice now
	needWei             *big.Int
	mined               bool // a receipt was seen; waiting for confirmations
	consumedPolls       int
}

func (a *attempt) remember(tx *types.Transaction) {
	for _, t := range a.sent {
		if t.Hash() == tx.Hash() {
			return
		}
	}
	a.sent = append(a.sent, tx)
}

func (m *Manager) send(ctx context.Context, c Candidate) (*types.Receipt, error) {
	a := &attempt{c: c, label: metricLabel(c.Label)}
	log := m.log.With(zap.String("label", a.label))
	gas, err := m.gasLimit(ctx, c)
	if err != nil {
		return nil, err
	}
	a.gas = gas
	for {
		if ctx.Err() != nil {
			return nil, m.abandon(a, ctx.Err(), log)
		}
		rcpt, err := m.step(ctx, a, log)
		if rcpt != nil || err != nil {
			return rcpt, err
		}
		select {
		case <-ctx.Done():
			return nil, m.abandon(a, ctx.Err(), log)
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
	case m.cfg.Clock.Now().Sub(a.lastSent) >= m.cfg.ResubmitTimeout:
		return nil, m.replace(ctx, a, log)
	}
	return nil, nil
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
func (m *Manager) hold(a *attempt, need *big.Int, log *zap.Logger) {
	a.needWei = need
	if !a.capped {
		a.capped = true
		m.cfg.Metrics.TxGasCapped()
		log.Warn("gas price above cap; holding transaction",
			zap.Stringer("need_wei", need), zap.Stringer("max_gas_price_wei", m.cfg.MaxGasPrice))
	}
}

// sendNew prices, numbers, signs and publishes the first transaction.
// Transient RPC failures are logged and retried on the next poll.
func (m *Manager) sendNew(ctx context.Context, a *attempt, log *zap.Logger) error {
	tip, baseFee, err := m.prices(ctx)
	if err != nil {
		log.Warn("cannot price transaction; retrying", zap.Error(err))
		return nil
	}
	f, ok := initialFees(tip, baseFee, m.cfg.MaxGasPrice)
	if !ok {
		m.hold(a, new(big.Int).Add(tip, baseFee), log)
		return nil
	}
	a.capped = false
	nonce, err := m.takeNonce(ctx)
	if err != nil {
		log.Warn("cannot read nonce; retrying", zap.Error(err))
		return nil
	}
	tx, err := m.sign(ctx, a, nonce, f)
	if err != nil {
		m.rollbackNonce(nonce)
		return err
	}
	a.current, a.fees, a.nonce = tx, f, nonce
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
	f, ok := bumpedFees(a.fees, tip, baseFee, m.cfg.FeeBumpPercent, m.cfg.MaxGasPrice)
	if !ok {
		m.hold(a, bumpPercent(a.fees.feeCap, m.cfg.FeeBumpPercent), log)
		a.lastSent = m.cfg.Clock.Now() // look again after another timeout
		return nil
	}
	a.capped = false
	tx, err := m.sign(ctx, a, a.nonce, f)
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
