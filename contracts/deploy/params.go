package deploy

import (
	"errors"
	"fmt"
	"math/big"
)

// PPM is 100% in the contracts' parts-per-million percentages.
const PPM = 1_000_000

// Params are the protocol parameters Deploy sets. Percentages are parts per million (PPM is
// 100%), periods are in blocks or rounds as named, and InitialSupply is in LPT wei (1e-18 LPT).
type Params struct {
	RoundLength     uint64 // blocks per round
	RoundLockAmount uint64 // ppm of a round at its end in which transcoders can't change rates
	UnbondingPeriod uint64 // rounds between unbond and withdrawStake

	NumTranscoders       uint64 // transcoder pool max size
	NumActiveTranscoders uint64 // top of the pool that becomes active at round initialization

	Inflation         uint64 // ppm of the total supply minted per round, starting value
	InflationChange   uint64 // ppm that inflation moves per round
	TargetBondingRate uint64 // ppm of the supply the protocol wants bonded

	VerificationRate              uint64 // 1 in VerificationRate segments is challenged
	VerificationPeriod            uint64 // blocks after a claim in which verify is accepted
	VerificationSlashingPeriod    uint64 // blocks after that in which missed verifications are slashed
	FailedVerificationSlashAmount uint64 // ppm of the transcoder's self-bond
	MissedVerificationSlashAmount uint64 // ppm
	DoubleClaimSegmentSlashAmount uint64 // ppm
	FinderFee                     uint64 // ppm of a penalty paid to whoever proved the fault

	InitialSupply *big.Int // LPT wei minted to the deployer
}

// oneLPT is 1 LPT in wei.
var oneLPT = new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)

// LPT returns n LPT in wei.
func LPT(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), oneLPT) }

// MainnetParams are the mainnet-like defaults of DESIGN.md: 5760-block rounds, 7-round
// unbonding, 20/10 transcoders, 137 ppm inflation moving 3 ppm toward a 50% bonding rate,
// 1-in-1000 verification and a 10,000,000 LPT genesis supply.
func MainnetParams() Params {
	return Params{
		RoundLength:                   5760,
		RoundLockAmount:               100_000,
		UnbondingPeriod:               7,
		NumTranscoders:                20,
		NumActiveTranscoders:          10,
		Inflation:                     137,
		InflationChange:               3,
		TargetBondingRate:             500_000,
		VerificationRate:              1000,
		VerificationPeriod:            100,
		VerificationSlashingPeriod:    100,
		FailedVerificationSlashAmount: 1,
		MissedVerificationSlashAmount: 5_000,
		DoubleClaimSegmentSlashAmount: 30_000,
		FinderFee:                     50_000,
		InitialSupply:                 LPT(10_000_000),
	}
}

// DevnetParams are the devnet defaults of DESIGN.md: rounds of roundLength blocks, 2-round
// unbonding and 1-in-4 verification; everything else as MainnetParams.
func DevnetParams(roundLength uint64) Params {
	p := MainnetParams()
	p.RoundLength = roundLength
	p.UnbondingPeriod = 2
	p.VerificationRate = 4
	return p
}

// ErrInvalidParams is wrapped by Params.Validate errors.
var ErrInvalidParams = errors.New("invalid protocol parameters")

// Validate reports every parameter the contracts would reject.
func (p Params) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalidParams}, args...)...))
	}
	if p.RoundLength == 0 {
		bad("round length must be at least 1 block")
	}
	if p.NumActiveTranscoders == 0 || p.NumActiveTranscoders > p.NumTranscoders {
		bad("need 0 < active transcoders (%d) <= pool size (%d)", p.NumActiveTranscoders, p.NumTranscoders)
	}
	if p.VerificationRate == 0 {
		bad("verification rate must be at least 1")
	}
	for _, f := range []struct {
		name string
		v    uint64
	}{
		{"round lock amount", p.RoundLockAmount},
		{"inflation", p.Inflation},
		{"inflation change", p.InflationChange},
		{"target bonding rate", p.TargetBondingRate},
		{"failed verification slash amount", p.FailedVerificationSlashAmount},
		{"missed verification slash amount", p.MissedVerificationSlashAmount},
		{"double claim slash amount", p.DoubleClaimSegmentSlashAmount},
		{"finder fee", p.FinderFee},
	} {
		if f.v > PPM {
			bad("%s %d ppm is above 100%%", f.name, f.v)
		}
	}
	if p.InitialSupply == nil || p.InitialSupply.Sign() < 0 {
		bad("initial supply must be set and not negative")
	}
	return errors.Join(errs...)
}

func u(v uint64) *big.Int { return new(big.Int).SetUint64(v) }
