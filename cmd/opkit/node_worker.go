package main

import (
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/opkit-dev/opkit/transcoder/node"
)

// `opkit transcoder`: a remote worker of an `opkit node` orchestrator.

// workerConfig is what `opkit transcoder`'s flags fill.
type workerConfig struct {
	orchestrator, secretFile, name string
	tlsCA                          string
	capacity                       int
	sessionIdle, backoff           time.Duration
	engine                         engineConfig
}

func defaultWorkerConfig() workerConfig {
	host, _ := os.Hostname()
	return workerConfig{name: sanitizeName(host), capacity: 4, sessionIdle: time.Minute, backoff: 5 * time.Second, engine: defaultEngineConfig()}
}

// sanitizeName turns a host name into a valid worker name.
func sanitizeName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			return r
		}
		return '-'
	}, s)
	s = strings.TrimLeft(s, "-_.")
	if len(s) > 64 {
		s = s[:64]
	}
	if s == "" {
		s = "transcoder"
	}
	return s
}

// Validate checks the flag values without touching files or the network.
func (c workerConfig) Validate() error {
	u, err := url.Parse(c.orchestrator)
	switch {
	case c.orchestrator == "":
		return fmt.Errorf("--%s is required: the orchestrator node's URL, e.g. http://10.0.0.1:8935", flagWorkerOrch)
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return fmt.Errorf("--%s %q: want an http:// or https:// URL", flagWorkerOrch, c.orchestrator)
	case c.secretFile == "":
		return fmt.Errorf("--%s is required: the orchestrator's worker secret", flagNodeSecretFile)
	case c.capacity < 1:
		return fmt.Errorf("--%s %d: want >= 1", flagWorkerCapacity, c.capacity)
	case c.sessionIdle <= 0 || c.backoff <= 0:
		return fmt.Errorf("--%s and --%s must be positive", flagNodeSessionIdle, flagWorkerBackoff)
	case c.tlsCA != "" && u.Scheme != "https":
		return fmt.Errorf("--%s needs an https:// --%s, not %q", flagWorkerTLSCA, flagWorkerOrch, c.orchestrator)
	}
	return c.engine.validate()
}

func workerFlags(d workerConfig) []cli.Flag {
	env := envFor("OPKIT_TRANSCODER_")
	return append([]cli.Flag{
		&cli.StringFlag{Name: flagWorkerOrch, Usage: "orchestrator node URL, e.g. https://10.0.0.1:8935 (required)", EnvVars: env(flagWorkerOrch)},
		&cli.StringFlag{Name: flagNodeSecretFile, Usage: "file holding the orchestrator's worker secret, its --worker-secret-file (required)", EnvVars: env(flagNodeSecretFile)},
		&cli.StringFlag{Name: flagWorkerTLSCA, Usage: "PEM file of the CA(s) trusted for an https:// --orchestrator instead of the system's", EnvVars: env(flagWorkerTLSCA)},
		&cli.StringFlag{Name: flagWorkerName, Value: d.name, Usage: "worker name the orchestrator logs and reports", EnvVars: env(flagWorkerName)},
		&cli.IntFlag{Name: flagWorkerCapacity, Value: d.capacity, Usage: "streams this worker takes at once, one warm session each", EnvVars: env(flagWorkerCapacity)},
		&cli.DurationFlag{Name: flagNodeSessionIdle, Value: d.sessionIdle, Usage: "close a stream's session after this long without a segment", EnvVars: env(flagNodeSessionIdle)},
		&cli.DurationFlag{Name: flagWorkerBackoff, Value: d.backoff, Usage: "wait before registering again after the orchestrator connection is lost", EnvVars: env(flagWorkerBackoff)},
	}, engineFlags(d.engine, env)...)
}

func transcoderCommand() *cli.Command {
	return &cli.Command{
		Name:      "transcoder",
		Usage:     "remote transcoder: register with an `opkit node` orchestrator and take its segments",
		UsageText: "opkit transcoder --orchestrator http://HOST:8935 --secret-file F [--capacity 4] [--nvidia 0]",
		Description: `Holds one long-lived registration request to the orchestrator, takes the
segments of the streams it is given (one warm session per stream), posts the
renditions back and sends heartbeats. A lost connection registers again after
--backoff. The first SIGINT or SIGTERM stops; the orchestrator answers the
segments this worker had in flight with 503 and moves their streams.`,
		Flags:  workerFlags(defaultWorkerConfig()),
		Action: runWorker,
	}
}

func runWorker(c *cli.Context) error {
	log := loggerFrom(c)
	cfg := workerConfig{
		orchestrator: c.String(flagWorkerOrch), secretFile: c.String(flagNodeSecretFile), name: c.String(flagWorkerName), tlsCA: c.String(flagWorkerTLSCA),
		capacity: c.Int(flagWorkerCapacity), sessionIdle: c.Duration(flagNodeSessionIdle), backoff: c.Duration(flagWorkerBackoff),
		engine: engineConfigFrom(c),
	}
	if err := cfg.Validate(); err != nil {
		return withExitCode(2, err)
	}
	secret, err := readSecretFile(cfg.secretFile, log)
	if err != nil {
		return withExitCode(2, err)
	}
	roots, err := loadTLSRoots(flagWorkerTLSCA, cfg.tlsCA)
	if err != nil {
		return withExitCode(2, err)
	}
	ctx, cancel := signalContext(c.Context, log)
	defer cancel()
	gpu, gpus, err := nodeGPUs(ctx, cfg.engine.nvidia, log)
	if err != nil {
		return err
	}
	w, err := node.NewWorker(node.WorkerConfig{
		Orchestrator: cfg.orchestrator, Secret: secret, TLSRoots: roots, Name: cfg.name, Capacity: cfg.capacity,
		Engine: cfg.engine.options(gpu), GPUs: gpus, SessionIdle: cfg.sessionIdle, Backoff: cfg.backoff, Log: log,
	})
	if err != nil {
		return withExitCode(2, err)
	}
	return w.Run(ctx)
}
