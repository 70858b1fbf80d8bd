package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

var envVarShape = regexp.MustCompile(`^OPKIT_[A-Z0-9_]+$`)

// TestEveryFlagHasOneEnvVar walks every command of the app and checks the
// configuration rule: each flag has exactly one well-formed OPKIT_* variable,
// named after the flag, and no two flags of one command share a variable.
func TestEveryFlagHasOneEnvVar(t *testing.T) {
	app := newApp()
	checkFlags(t, "opkit", app.Flags)
	var walk func(path string, cmds []*cli.Command)
	walk = func(path string, cmds []*cli.Command) {
		for _, c := range cmds {
			p := path + " " + c.Name
			checkFlags(t, p, c.Flags)
			walk(p, c.Subcommands)
		}
	}
	walk("opkit", app.Commands)
}

func checkFlags(t *testing.T, cmd string, flags []cli.Flag) {
	t.Helper()
	seen := map[string]string{}
	for _, f := range flags {
		name := f.Names()[0]
		ev, ok := f.(interface{ GetEnvVars() []string })
		if !ok {
			t.Errorf("%s --%s: flag type %T has no env vars", cmd, name, f)
			continue
		}
		envs := ev.GetEnvVars()
		suffix := "_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
		switch {
		case len(envs) != 1:
			t.Errorf("%s --%s: env vars %v, want exactly one", cmd, name, envs)
		case !envVarShape.MatchString(envs[0]) || !strings.HasSuffix(envs[0], suffix):
			t.Errorf("%s --%s: env var %s, want OPKIT_…%s", cmd, name, envs[0], suffix)
		case seen[envs[0]] != "":
			t.Errorf("%s: --%s and --%s share %s", cmd, seen[envs[0]], name, envs[0])
		default:
			seen[envs[0]] = name
		}
	}
}

// checkEnvPrefix holds a command's own flags to its prefix: --some-flag reads
// exactly PREFIX_SOME_FLAG and nothing else, and no variable serves two flags.
func checkEnvPrefix(t *testing.T, prefix string, flags []cli.Flag) {
	t.Helper()
	seen := map[string]bool{}
	for _, f := range flags {
		name := f.Names()[0]
		envs := f.(interface{ GetEnvVars() []string }).GetEnvVars()
		want := prefix + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
		if len(envs) != 1 || envs[0] != want || !envVarShape.MatchString(envs[0]) || seen[want] {
			t.Errorf("--%s: env vars %v, want exactly [%s] used once", name, envs, want)
		}
		seen[want] = true
	}
}
