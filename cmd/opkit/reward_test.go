package main

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/opkit-dev/opkit/contracts/devnet"
	"github.com/opkit-dev/opkit/staking/protection"
	"github.com/opkit-dev/opkit/staking/reward"
)

// mineToNextRound mines to the first block of the next round, leaving it
// uninitialized.
func mineToNextRound(t *testing.T, net *devnet.Devnet) {
	t.Helper()
	ctx := context.Background()
	cl := devnetChain(t, net)
	r, err := cl.Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	head, err := net.Client().BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	net.Mine(int(r.EndBlock() - head))
}

// TestRewardOnceExitCodes drives `opkit reward --once` through every state
// against the devnet and checks the documented exit status of each.
func TestRewardOnceExitCodes(t *testing.T) {
	net, info := testDevnet(t)
	db := filepath.Join(t.TempDir(), "protection.db")
	chainArgs := []string{"--devnet", info, "--account", "1", "--tx-poll-interval", "10ms",
		"--db", db, "--initialize-delay-max", "0", "--poll-interval", "50ms", "--json"}
	once := func(extra ...string) (rewardReport, int) {
		t.Helper()
		out, err := opkit(t, append(append([]string{"reward", "--once"}, extra...), chainArgs...)...)
		var rep rewardReport
		if jerr := json.Unmarshal([]byte(out), &rep); jerr != nil {
			t.Fatalf("reward --once output %q (err %v): %v", out, err, jerr)
		}
		if code := exitCode(err); err != nil && code != rep.Exit {
			t.Fatalf("exit %d, report says %d", code, rep.Exit)
		}
		return rep, rep.Exit
	}
	if rep, code := once(); code != exitNotActive || rep.Outcome != "not_active" {
		t.Fatalf("unregistered: %+v", rep)
	}
	stakeArgs := []string{"--devnet", info, "--account", "1", "--tx-poll-interval", "10ms"}
	mustOpkit(t, append([]string{"stake", "bond", "--amount", "1000"}, stakeArgs...)...)
	mustOpkit(t, append([]string{"stake", "register", "--reward-cut", "10", "--fee-share", "50"}, stakeArgs...)...)
	if rep, code := once(); code != exitNotActive {
		t.Fatalf("registered, not yet active: %+v", rep)
	}

	mineToNextRound(t, net)
	if rep, code := once(); code != exitNotInitialized || rep.Outcome != "not_initialized" {
		t.Fatalf("uninitialized round: %+v", rep)
	}
	var st roundStatus
	if err := json.Unmarshal([]byte(mustOpkit(t, append([]string{"round", "status"}, stakeArgs...)...)), &st); err == nil {
		t.Fatalf("round status without --json printed JSON")
	}
	if err := json.Unmarshal([]byte(mustOpkit(t, append([]string{"round", "status", "--json"}, stakeArgs...)...)), &st); err != nil {
		t.Fatal(err)
	}
	if st.Round.Initialized || st.Round.StartBlock != st.Block {
		t.Fatalf("round status %+v", st)
	}
	rep, code := once("--initialize-round")
	if code != exitOK || rep.Outcome != "rewarded" || rep.Round != st.Round.Current {
		t.Fatalf("initialize and reward: %+v", rep)
	}
	if rep, code := once("--initialize-round"); code != exitOK || rep.Outcome != "already_rewarded" {
		t.Fatalf("second run in the round: %+v", rep)
	}
	out := mustOpkit(t, append([]string{"round", "init"}, stakeArgs...)...)
	if !strings.Contains(out, "already initialized") {
		t.Fatalf("round init: %q", out)
	}

	// Another process holds the protection DB: refuse, exit 1.
	held, err := protection.Open(db, protection.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	mineToNextRound(t, net)
	_, err = opkit(t, append([]string{"reward", "--once", "--initialize-round"}, chainArgs...)...)
	if !errors.Is(err, protection.ErrLocked) || exitCode(err) != exitFailed {
		t.Fatalf("locked DB: exit %d, %v", exitCode(err), err)
	}
}

func TestOnceExitCodeMapping(t *testing.T) {
	// Every outcome maps to its documented status; any error is 1.
	cases := map[string]struct {
		out  string
		err  error
		want int
	}{
		"rewarded":         {"rewarded", nil, 0},
		"already rewarded": {"already_rewarded", nil, 0},
		"not active":       {"not_active", nil, 2},
		"not initialized":  {"not_initialized", nil, 3},
		"error":            {"rewarded", errors.New("x"), 1},
		"unknown":          {"unknown", nil, 1},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			for o := 0; o < 10; o++ {
				if oc := rewardOutcome(o); oc.String() == tc.out {
					if got := onceExitCode(oc, tc.err); got != tc.want {
						t.Fatalf("onceExitCode(%s, %v) = %d, want %d", oc, tc.err, got, tc.want)
					}
					return
				}
			}
			t.Fatalf("no outcome named %s", tc.out)
		})
	}
}

func rewardOutcome(i int) reward.Outcome { return reward.Outcome(i) }

func TestRewardDaemonRoundFlags(t *testing.T) {
	cmds := []*cli.Command{rewardCommand(), daemonCommand()}
	for _, sub := range roundCommand().Subcommands {
		cmds = append(cmds, sub)
	}
	for _, cmd := range cmds {
		t.Run(cmd.Name, func(t *testing.T) {
			seen := map[string]string{}
			for _, f := range cmd.Flags {
				name := f.Names()[0]
				envs := f.(interface{ GetEnvVars() []string }).GetEnvVars()
				if len(envs) != 1 || envs[0] != envVar(name) {
					t.Errorf("--%s: env vars %v, want [%s]", name, envs, envVar(name))
				}
				if other, dup := seen[envs[0]]; dup {
					t.Errorf("--%s and --%s share %s", name, other, envs[0])
				}
				seen[envs[0]] = name
			}
		})
	}
	d := defaultDutyConfig
	d.DB = filepath.Join(t.TempDir(), "p.db")
	if err := d.Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	for name, bad := range map[string]dutyConfig{
		"negative delay": {InitDelayMax: -1, PollInterval: 1},
		"zero poll":      {},
		"bad balance":    {PollInterval: 1, MinBalance: "lots"},
		"negative block": {PollInterval: 1, BlockTime: -1},
	} {
		if err := bad.Validate(); !errors.Is(err, errDutyConfig) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
