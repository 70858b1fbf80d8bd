package main

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/staking/amount"
	"github.com/opkit-dev/opkit/staking/daemon"
	"github.com/opkit-dev/opkit/staking/keys"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

// Flags of the reward duty, shared by `opkit daemon` and `opkit reward`.
const (
	flagDutyDB           = "db"
	flagDutyInitialize   = "initialize-round"
	flagDutyInitDelayMax = "initialize-delay-max"
	flagDutyPoll         = "poll-interval"
	flagDutyMinBalance   = "min-eth-balance"
	flagDutyWebhook      = "alert-webhook"
	flagDutyTelegramFile = "alert-telegram-token-file"
	flagDutyTelegramChat = "alert-telegram-chat"
	flagDutyDiscord      = "alert-discord-webhook"
	flagDutyDeadMan      = "deadman-url"
	flagDaemonMetrics    = "metrics-addr"
	flagDaemonBlockTime  = "block-time"
	flagRewardOnce       = "once"
	flagRewardTimeout    = "timeout"
)

// dutyConfig is what the duty flags fill.
type dutyConfig struct {
	DB              string
	InitializeRound bool
	InitDelayMax    time.Duration
	PollInterval    time.Duration
	MinBalance      string // ETH, decimals allowed; "" or "0": no alert
	AlertWebhook    string
	// Telegram: the bot token's file and the chat; Discord: the channel
	// webhook URL; DeadManURL: a healthchecks-style check pinged after
	// every round duty.
	TelegramTokenFile, TelegramChat string
	DiscordWebhook, DeadManURL      string
	MetricsAddr                     string
	BlockTime                       time.Duration
}

// defaultDutyConfig holds the defaults. The 2-minute initialize delay spreads
// operators over the first minutes of a round; rounds last hours to a day.
var defaultDutyConfig = dutyConfig{
	InitDelayMax: 2 * time.Minute,
	PollInterval: 5 * time.Second,
	MinBalance:   "0.05",
	MetricsAddr:  "127.0.0.1:7935",
}

func dutyFlags(withDaemon bool) []cli.Flag {
	return dutyFlagsEnv(withDaemon, func(name string) []string { return []string{envVar(name)} })
}

// dutyFlagsEnv is dutyFlags with each flag's environment variable named by
// env: `opkit node --reward` takes the same flags as OPKIT_NODE_*.
func dutyFlagsEnv(withDaemon bool, env func(string) []string) []cli.Flag {
	d := defaultDutyConfig
	fs := []cli.Flag{
		&cli.StringFlag{Name: flagDutyDB, Usage: "protection database `FILE` (default: $HOME/.opkit/protection.db); one process per file", EnvVars: env(flagDutyDB)},
		&cli.BoolFlag{Name: flagDutyInitialize, Usage: "initialize a round nobody has initialized (after a random delay)", EnvVars: env(flagDutyInitialize)},
		&cli.DurationFlag{Name: flagDutyInitDelayMax, Value: d.InitDelayMax, Usage: "upper bound of the random delay before initializing a round", EnvVars: env(flagDutyInitDelayMax)},
		&cli.DurationFlag{Name: flagDutyPoll, Value: d.PollInterval, Usage: "how often to poll the chain head and retry a failed attempt", EnvVars: env(flagDutyPoll)},
		&cli.StringFlag{Name: flagDutyMinBalance, Value: d.MinBalance, Usage: "alert when the account holds less than this many `ETH` (0: never)", EnvVars: env(flagDutyMinBalance)},
		&cli.StringFlag{Name: flagDutyWebhook, Usage: "POST JSON alerts (missed round, low balance, failed tx) to this `URL`", EnvVars: env(flagDutyWebhook)},
		&cli.StringFlag{Name: flagDutyTelegramFile, Usage: "send alerts through the Telegram bot whose token is in `FILE` (with --" + flagDutyTelegramChat + ")", EnvVars: env(flagDutyTelegramFile)},
		&cli.StringFlag{Name: flagDutyTelegramChat, Usage: "Telegram chat `ID` (or @channel) the bot sends alerts to", EnvVars: env(flagDutyTelegramChat)},
		&cli.StringFlag{Name: flagDutyDiscord, Usage: "post alerts to this Discord channel webhook `URL`", EnvVars: env(flagDutyDiscord)},
		&cli.StringFlag{Name: flagDutyDeadMan, Usage: "ping this healthchecks-style `URL` after every round duty (URL/fail on failure)", EnvVars: env(flagDutyDeadMan)},
	}
	if withDaemon {
		fs = append(fs,
			&cli.StringFlag{Name: flagDaemonMetrics, Value: d.MetricsAddr, Usage: "serve Prometheus /metrics on this `HOST:PORT` (empty: off)", EnvVars: env(flagDaemonMetrics)},
			&cli.DurationFlag{Name: flagDaemonBlockTime, Usage: "the chain's block time, if fixed: also ends a round's work at its estimated end (0: unknown)", EnvVars: env(flagDaemonBlockTime)},
		)
	}
	return fs
}

func dutyConfigFrom(c *cli.Context) dutyConfig {
	return dutyConfig{
		DB:                c.String(flagDutyDB),
		InitializeRound:   c.Bool(flagDutyInitialize),
		InitDelayMax:      c.Duration(flagDutyInitDelayMax),
		PollInterval:      c.Duration(flagDutyPoll),
		MinBalance:        c.String(flagDutyMinBalance),
		AlertWebhook:      c.String(flagDutyWebhook),
		TelegramTokenFile: c.String(flagDutyTelegramFile),
		TelegramChat:      c.String(flagDutyTelegramChat),
		DiscordWebhook:    c.String(flagDutyDiscord),
		DeadManURL:        c.String(flagDutyDeadMan),
		MetricsAddr:       c.String(flagDaemonMetrics),
		BlockTime:         c.Duration(flagDaemonBlockTime),
	}
}

var errDutyConfig = errors.New("invalid reward flags")

// Validate checks the values and fills the default database path.
func (d *dutyConfig) Validate() error {
	switch {
	case d.InitDelayMax < 0:
		return fmt.Errorf("%w: --%s must not be negative", errDutyConfig, flagDutyInitDelayMax)
	case d.PollInterval <= 0:
		return fmt.Errorf("%w: --%s must be positive", errDutyConfig, flagDutyPoll)
	case d.BlockTime < 0:
		return fmt.Errorf("%w: --%s must not be negative", errDutyConfig, flagDaemonBlockTime)
	case (d.TelegramTokenFile == "") != (d.TelegramChat == ""):
		return fmt.Errorf("%w: Telegram alerts need both --%s and --%s", errDutyConfig, flagDutyTelegramFile, flagDutyTelegramChat)
	}
	if _, err := d.minBalanceWei(); err != nil {
		return fmt.Errorf("%w: --%s %q: want a number of ETH", errDutyConfig, flagDutyMinBalance, d.MinBalance)
	}
	if d.DB == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return fmt.Errorf("%w: no --%s and no home directory: %v", errDutyConfig, flagDutyDB, err)
		}
		d.DB = filepath.Join(home, ".opkit", "protection.db")
	}
	return nil
}

func (d *dutyConfig) minBalanceWei() (*big.Int, error) {
	if d.MinBalance == "" {
		return nil, nil
	}
	v, err := amount.ParseDecimal(d.MinBalance, 18)
	if err != nil || v.Sign() == 0 {
		return nil, err
	}
	return v, nil
}

func daemonCommand() *cli.Command {
	return &cli.Command{
		Name:  "daemon",
		Usage: "run the staking daemon: round watcher, round initializer and reward service",
		Description: `Watches the chain head, and in every round: initializes the round if it is not
and --initialize-round is set (after a random delay, unless someone else does
first), then calls reward() exactly once while the transcoder is active.
Failed attempts are retried until the round ends. Every duty transaction is
recorded in the protection database (--db) before it is sent, so a restart
never sends a second one for the same round; a second process on the same
database is refused. Metrics are served on --metrics-addr; alerts go to
--alert-webhook. SIGINT or SIGTERM stops it cleanly.`,
		Flags:  daemonFlags(),
		Action: runDaemon,
	}
}

func runDaemon(c *cli.Context) error {
	duty := dutyConfigFrom(c)
	if err := duty.Validate(); err != nil {
		return err
	}
	log := loggerFrom(c)
	ctx, cancel := signalContext(c.Context, log)
	defer cancel()
	if cc := chainConfigFrom(c); len(splitAccounts(cc.Account)) > 1 {
		return runDaemonAccounts(ctx, cc, duty, splitAccounts(cc.Account), log)
	}
	reg := prometheus.NewRegistry()
	env, d, err := buildDaemon(ctx, c, duty, reg, log)
	if err != nil {
		return err
	}
	defer env.Close()
	return d.Run(ctx)
}

// buildDaemon connects to the chain and builds the daemon with its metrics
// in reg.
func buildDaemon(ctx context.Context, c *cli.Context, duty dutyConfig, reg *prometheus.Registry, log *zap.Logger) (*chainEnv, *daemon.Daemon, error) {
	cc := chainConfigFrom(c)
	cc.registry = reg
	env, err := connectChainWith(ctx, cc, keys.StdPrompter(), txmgr.NewPromMetrics(reg), log)
	if err != nil {
		return nil, nil, err
	}
	d, err := newDutyDaemon(ctx, env, duty, reg, log)
	if err != nil {
		env.Close()
		return nil, nil, err
	}
	return env, d, nil
}

// newDutyDaemon builds the staking daemon on an existing connection, sending
// through its transaction manager and registering its metrics (not the
// transaction manager's: whoever built env did) in reg. The caller closes
// env after the daemon's Run returns.
func newDutyDaemon(ctx context.Context, env *chainEnv, duty dutyConfig, reg *prometheus.Registry, log *zap.Logger) (*daemon.Daemon, error) {
	if env.Txm == nil {
		return nil, errReadOnly
	}
	if err := os.MkdirAll(filepath.Dir(duty.DB), 0o700); err != nil {
		return nil, fmt.Errorf("create directory for --%s: %w", flagDutyDB, err)
	}
	minBal, _ := duty.minBalanceWei()
	token, err := duty.telegramToken()
	if err != nil {
		return nil, err
	}
	// The chat webhooks and the check's URL are secrets like the RPC key.
	rpcSecrets.add(token)
	rpcSecrets.addURL(duty.DiscordWebhook)
	rpcSecrets.addURL(duty.DeadManURL)
	return daemon.New(ctx, daemon.Config{
		AlertTelegramToken: token, AlertTelegramChat: duty.TelegramChat,
		AlertDiscordURL: duty.DiscordWebhook, DeadManURL: duty.DeadManURL,
		Node: env.RPC, Chain: env.Client, Txm: env.Txm, Account: env.From,
		DBPath: duty.DB, InitializeRound: duty.InitializeRound, InitDelayMax: duty.InitDelayMax,
		PollInterval: duty.PollInterval, BlockTime: duty.BlockTime, MinBalance: minBal,
		MetricsAddr: duty.MetricsAddr, AlertWebhook: duty.AlertWebhook, AlertRedact: rpcSecrets.redact, Registry: reg, Logger: log,
	})
}

// telegramToken reads the bot token from its file (one trailing newline
// ignored); "" without Telegram alerts. The token is never logged.
func (d *dutyConfig) telegramToken() (string, error) {
	if d.TelegramTokenFile == "" {
		return "", nil
	}
	b, err := os.ReadFile(d.TelegramTokenFile)
	if err != nil {
		return "", fmt.Errorf("read --%s: %w", flagDutyTelegramFile, err)
	}
	return strings.TrimSpace(string(b)), nil
}
