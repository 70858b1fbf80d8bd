package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"strconv"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"

	"github.com/opkit-dev/opkit/staking/amount"
	"github.com/opkit-dev/opkit/staking/stake"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

const (
	flagStakeAmount    = "amount"
	flagStakeTo        = "to"
	flagStakeLock      = "lock"
	flagStakeEndRound  = "end-round"
	flagStakeRewardCut = "reward-cut"
	flagStakeFeeShare  = "fee-share"
	flagStakePrice     = "price"
	flagStakeAddress   = "address"
)

func stakeCommand() *cli.Command {
	return &cli.Command{
		Name:  "stake",
		Usage: "bond, unbond and register as a transcoder; show stake status",
		Description: `Each subcommand takes the chain flags (--devnet, or --eth-url, --controller
and --keystore), sends its transactions one at a time through the transaction
manager (capped by --max-gas-price) and waits until each is mined. Amounts
are in LPT with up to 18 decimals; percentages may have up to 4 decimals.`,
		Subcommands: []*cli.Command{
			stakeStatusCommand(),
			stakeBondCommand(),
			stakeUnbondCommand(),
			stakeRebondCommand(),
			stakeWithdrawCommand(),
			stakeClaimCommand(),
			stakeRegisterCommand(),
			stakeWithdrawFeesCommand(),
		},
	}
}

// stakeAction parses a subcommand's own flags first, so bad input fails
// before any password prompt, then connects and runs it.
func stakeAction[A any](parse func(*cli.Context) (A, error), run func(context.Context, *chainEnv, A, io.Writer) error) cli.ActionFunc {
	return func(c *cli.Context) error {
		args, err := parse(c)
		if err != nil {
			return err
		}
		log := loggerFrom(c)
		ctx, cancel := signalContext(c.Context, log)
		defer cancel()
		env, err := connectChain(ctx, c, log)
		if err != nil {
			return err
		}
		defer env.Close()
		return run(ctx, env, args, c.App.Writer)
	}
}

func withChainFlags(own ...cli.Flag) []cli.Flag { return append(own, chainFlags()...) }

// ---- status ----

func stakeStatusCommand() *cli.Command {
	return &cli.Command{
		Name:  "status",
		Usage: "show round, balances, bond, transcoder state and unbonding locks",
		Flags: withChainFlags(
			&cli.StringFlag{Name: flagStakeAddress, Usage: "show this `ADDRESS` instead of the account's", EnvVars: []string{envVar("stake-" + flagStakeAddress)}},
		),
		Action: stakeAction(parseStatusArgs, runStakeStatus),
	}
}

type statusArgs struct {
	address *common.Address
	json    bool
}

func parseStatusArgs(c *cli.Context) (statusArgs, error) {
	a := statusArgs{json: c.Bool(flagChainJSON)}
	if s := c.String(flagStakeAddress); s != "" {
		if !common.IsHexAddress(s) {
			return a, fmt.Errorf("--%s %q is not an address", flagStakeAddress, s)
		}
		addr := common.HexToAddress(s)
		a.address = &addr
	}
	return a, nil
}

func runStakeStatus(ctx context.Context, env *chainEnv, a statusArgs, w io.Writer) error {
	addr := env.From
	if a.address != nil {
		addr = *a.address
	}
	st, err := stake.ReadStatus(ctx, env.RPC, env.Client, addr)
	if err != nil {
		return err
	}
	if a.json {
		return writeJSON(w, st)
	}
	printStatus(w, st)
	return nil
}

func printStatus(w io.Writer, st *stake.Status) {
	r := st.Round
	fmt.Fprintf(w, "account     %s (block %d)\n", st.Account, st.Block)
	fmt.Fprintf(w, "round       %d: %s, %s; blocks %d-%d; last initialized %d\n", r.Current,
		yesNo(r.Initialized, "initialized", "NOT initialized"), yesNo(r.Locked, "locked", "not locked"),
		r.StartBlock, r.EndBlock()-1, r.LastInitialized)
	b := st.Balances
	fmt.Fprintf(w, "balances    %s ETH, %s LPT, bonding allowance %s LPT\n", amount.FormatLPT(b.ETH), amount.FormatLPT(b.LPT), amount.FormatLPT(b.Allowance))
	d := st.Delegator
	fmt.Fprintf(w, "delegator   %s: %s LPT bonded", d.Status, amount.FormatLPT(d.BondedAmount))
	if d.DelegateAddress != (common.Address{}) {
		self := ""
		if d.DelegateAddress == st.Account {
			self = " (self)"
		}
		fmt.Fprintf(w, " to %s%s, from round %d", d.DelegateAddress, self, d.StartRound)
	}
	fmt.Fprintf(w, "; pending stake %s LPT; last claim round %d\n", amount.FormatLPT(st.PendingStake), d.LastClaimRound)
	t := st.Transcoder
	fmt.Fprintf(w, "transcoder  %s, %s", yesNo(t.Registered, "registered", "not registered"), yesNo(t.Active, "active", "not active"))
	if t.Registered {
		fmt.Fprintf(w, "; reward cut %s%%, fee share %s%%, last reward round %d, total stake %s LPT",
			amount.FormatDecimal(new(big.Int).SetUint64(t.RewardCut), amount.PercentDecimals),
			amount.FormatDecimal(new(big.Int).SetUint64(t.FeeShare), amount.PercentDecimals), t.LastRewardRound, amount.FormatLPT(t.TotalStake))
		if t.PricePerSegment != nil {
			fmt.Fprintf(w, ", price %s wei/segment", t.PricePerSegment)
		}
	}
	fmt.Fprintln(w)
	for _, l := range st.UnbondingLocks {
		state := "withdrawable now"
		if l.WithdrawRound > r.Current {
			state = fmt.Sprintf("withdrawable from round %d", l.WithdrawRound)
		}
		fmt.Fprintf(w, "unbonding   lock %d: %s LPT, %s\n", l.ID, amount.FormatLPT(l.Amount), state)
	}
}

func yesNo(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// ---- writes ----

// stakeAccount is the account the stake writes are for.
func (e *chainEnv) stakeAccount() stake.Account { return stake.Account{Client: e.Client, From: e.From} }

func requiredLPT(c *cli.Context, flag string, allowZero bool) (*big.Int, error) {
	s := c.String(flag)
	if s == "" {
		return nil, fmt.Errorf("--%s is required", flag)
	}
	v, err := amount.ParseLPT(s)
	if err != nil {
		return nil, fmt.Errorf("--%s: %w", flag, err)
	}
	if v.Sign() == 0 && !allowZero {
		return nil, fmt.Errorf("--%s must be above zero", flag)
	}
	return v, nil
}

func lptFlag(usage string) cli.Flag {
	return &cli.StringFlag{Name: flagStakeAmount, Usage: usage, EnvVars: []string{envVar("stake-" + flagStakeAmount)}}
}

func lockFlag() cli.Flag {
	return &cli.StringFlag{Name: flagStakeLock, Usage: "unbonding lock `ID` (see stake status)", EnvVars: []string{envVar("stake-" + flagStakeLock)}}
}

func requiredLock(c *cli.Context) (uint64, error) {
	s := c.String(flagStakeLock)
	id, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("--%s %q: want a lock id (a whole number)", flagStakeLock, s)
	}
	return id, nil
}

// ---- bond ----

type bondArgs struct {
	amount *big.Int
	to     *common.Address
}

func stakeBondCommand() *cli.Command {
	return &cli.Command{
		Name:      "bond",
		Usage:     "bond LPT to a transcoder (yourself by default); approves the BondingManager first when needed",
		ArgsUsage: " ",
		Flags: withWriteFlags(
			lptFlag("`LPT` to bond (0 moves an existing bond to --to)"),
			&cli.StringFlag{Name: flagStakeTo, Usage: "transcoder `ADDRESS` to bond to (default: the account itself)", EnvVars: []string{envVar("stake-" + flagStakeTo)}},
		),
		Action: stakeWrite(parseBondArgs, planBond),
	}
}

func parseBondArgs(c *cli.Context) (bondArgs, error) {
	var a bondArgs
	var err error
	if a.amount, err = requiredLPT(c, flagStakeAmount, true); err != nil {
		return a, err
	}
	a.to, err = optionalAddress(c, flagStakeTo)
	return a, err
}

// optionalAddress reads an address flag; nil when it is not given.
func optionalAddress(c *cli.Context, flag string) (*common.Address, error) {
	s := c.String(flag)
	if s == "" {
		return nil, nil
	}
	if !common.IsHexAddress(s) {
		return nil, fmt.Errorf("--%s %q is not an address", flag, s)
	}
	addr := common.HexToAddress(s)
	return &addr, nil
}

func planBond(acct stake.Account, ctx context.Context, a bondArgs) (stake.Plan, error) {
	to := acct.From
	if a.to != nil {
		to = *a.to
	}
	return stake.Txs(acct.Bond(ctx, a.amount, to))
}

// ---- unbond, rebond, withdraw, claim ----

func stakeUnbondCommand() *cli.Command {
	return &cli.Command{
		Name:   "unbond",
		Usage:  "unbond LPT; it becomes an unbonding lock, withdrawable after the unbonding period",
		Flags:  withWriteFlags(lptFlag("`LPT` to unbond")),
		Action: stakeWrite(func(c *cli.Context) (*big.Int, error) { return requiredLPT(c, flagStakeAmount, false) }, planUnbond),
	}
}

func planUnbond(acct stake.Account, ctx context.Context, lpt *big.Int) (stake.Plan, error) {
	return stake.Txs(acct.Unbond(ctx, lpt))
}

func stakeRebondCommand() *cli.Command {
	return &cli.Command{
		Name:   "rebond",
		Usage:  "bond an unbonding lock's LPT again, to the current delegate",
		Flags:  withWriteFlags(lockFlag()),
		Action: stakeWrite(requiredLock, lockPlan(stake.Account.Rebond)),
	}
}

func stakeWithdrawCommand() *cli.Command {
	return &cli.Command{
		Name:   "withdraw",
		Usage:  "withdraw an unbonding lock's LPT once its withdraw round has come",
		Flags:  withWriteFlags(lockFlag()),
		Action: stakeWrite(requiredLock, lockPlan(stake.Account.Withdraw)),
	}
}

// lockPlan plans what write builds for the lock.
func lockPlan(write func(stake.Account, context.Context, uint64) ([]txmgr.Candidate, error)) func(stake.Account, context.Context, uint64) (stake.Plan, error) {
	return func(acct stake.Account, ctx context.Context, id uint64) (stake.Plan, error) {
		return stake.Txs(write(acct, ctx, id))
	}
}

func stakeClaimCommand() *cli.Command {
	return &cli.Command{
		Name:  "claim",
		Usage: "claim rewards and fees into your bond, up to a round (default: the current one)",
		Flags: withWriteFlags(
			&cli.Uint64Flag{Name: flagStakeEndRound, Usage: "claim up to this `ROUND` (0: the current round)", EnvVars: []string{envVar("stake-" + flagStakeEndRound)}},
		),
		Action: stakeWrite(func(c *cli.Context) (uint64, error) { return c.Uint64(flagStakeEndRound), nil }, planClaim),
	}
}

func planClaim(acct stake.Account, ctx context.Context, end uint64) (stake.Plan, error) {
	return stake.Txs(acct.Claim(ctx, end))
}

// ---- register ----

type registerArgs struct {
	rewardCut, feeShare uint64 // ppm
	price               *big.Int
}

func stakeRegisterCommand() *cli.Command {
	return &cli.Command{
		Name:  "register",
		Usage: "register as a transcoder, or update your rates (bond to yourself first); skips steps already done",
		Flags: withWriteFlags(
			&cli.StringFlag{Name: flagStakeRewardCut, Usage: "`PERCENT` of rewards you keep (e.g. 10 or 12.5)", EnvVars: []string{envVar("stake-" + flagStakeRewardCut)}},
			&cli.StringFlag{Name: flagStakeFeeShare, Usage: "`PERCENT` of fees passed to your delegators", EnvVars: []string{envVar("stake-" + flagStakeFeeShare)}},
			&cli.StringFlag{Name: flagStakePrice, Usage: "price per segment in `WEI` (JobsManager extension; not on the live network)", EnvVars: []string{envVar("stake-" + flagStakePrice)}},
		),
		Action: stakeWrite(parseRegisterArgs, planRegister),
	}
}

func parseRegisterArgs(c *cli.Context) (registerArgs, error) {
	var a registerArgs
	for _, f := range []struct {
		flag string
		dst  *uint64
	}{{flagStakeRewardCut, &a.rewardCut}, {flagStakeFeeShare, &a.feeShare}} {
		s := c.String(f.flag)
		if s == "" {
			return a, fmt.Errorf("--%s is required", f.flag)
		}
		v, err := amount.ParsePercent(s)
		if err != nil {
			return a, fmt.Errorf("--%s: %w", f.flag, err)
		}
		*f.dst = v
	}
	if s := c.String(flagStakePrice); s != "" {
		p, err := amount.ParseDecimal(s, 0)
		if err != nil || p.Sign() == 0 {
			return a, fmt.Errorf("--%s %q: want a positive whole number of wei", flagStakePrice, s)
		}
		a.price = p
	}
	return a, nil
}

func planRegister(acct stake.Account, ctx context.Context, a registerArgs) (stake.Plan, error) {
	return acct.Register(ctx, a.rewardCut, a.feeShare, a.price)
}
