package txmgr

import "math/big"

// fees are the EIP-1559 prices of one transaction, in wei per gas.
type fees struct {
	tip    *big.Int // max priority fee per gas
	feeCap *big.Int // max fee per gas
}

// initialFees prices a new transaction from the suggested tip and the latest
// base fee: a fee cap of tip + 2×base fee survives several full blocks of
// base-fee growth. The fee cap is clamped to maxPrice; if even tip + base fee
// (what inclusion in the next block needs) is above maxPrice, ok is false and
// the transaction must not be sent.
func initialFees(tip, baseFee, maxPrice *big.Int) (f fees, ok bool) {
	if new(big.Int).Add(tip, baseFee).Cmp(maxPrice) > 0 {
		return fees{}, false
	}
	feeCap := new(big.Int).Add(tip, new(big.Int).Lsh(baseFee, 1))
	return fees{tip: new(big.Int).Set(tip), feeCap: minBig(feeCap, maxPrice)}, true
}

// bumpedFees prices a replacement of old: both tip and fee cap go up by at
// least percent, and at least to what the current tip and base fee ask for.
// The fee cap is clamped to maxPrice, but never below the bump a node needs
// to accept the replacement: if that is above maxPrice, ok is false and the
// old transaction must be left to be mined as it is.
func bumpedFees(old fees, tip, baseFee *big.Int, percent int, maxPrice *big.Int) (f fees, ok bool) {
	minTip := bumpPercent(old.tip, percent)
	minCap := bumpPercent(old.feeCap, percent)
	newTip := maxBig(minTip, tip)
	included := new(big.Int).Add(newTip, baseFee)
	want := maxBig(minCap, new(big.Int).Add(newTip, new(big.Int).Lsh(baseFee, 1)))
	feeCap := minBig(want, maxPrice)
	if feeCap.Cmp(minCap) < 0 || feeCap.Cmp(included) < 0 {
		return fees{}, false
	}
	return fees{tip: newTip, feeCap: feeCap}, true
}

// bumpPercent returns ceil(x × (100+percent) / 100).
func bumpPercent(x *big.Int, percent int) *big.Int {
	n := new(big.Int).Mul(x, big.NewInt(int64(100+percent)))
	n.Add(n, big.NewInt(99))
	return n.Quo(n, big.NewInt(100))
}

func minBig(a, b *big.Int) *big.Int {
	if a.Cmp(b) <= 0 {
		return new(big.Int).Set(a)
	}
	return new(big.Int).Set(b)
}

func maxBig(a, b *big.Int) *big.Int {
	if a.Cmp(b) >= 0 {
		return new(big.Int).Set(a)
	}
	return new(big.Int).Set(b)
}
