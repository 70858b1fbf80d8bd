package main

import (
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/opkit-dev/opkit/claims"
	"github.com/opkit-dev/opkit/ffmpeg"
	"github.com/opkit-dev/opkit/staking/amount"
	"github.com/opkit-dev/opkit/transcoder"
	"github.com/opkit-dev/opkit/transcoder/broadcast"
)

const (
	flagBcastDeposit   = "deposit"
	flagBcastStream    = "stream"
	flagBcastLadder    = "ladder"
	flagBcastMaxPrice  = "max-price"
	flagBcastJobBlocks = "job-blocks"
	flagBcastJob       = "job"
	flagBcastIn        = "in"
	flagBcastTestsrc   = "testsrc"
	flagBcastSegments  = "segments"
	flagBcastSegDur    = "segment-duration"
	flagBcastNode      = "node"
	flagBcastSecret    = "secret-file"
	flagBcastRetry     = "retry-timeout"
	flagBcastOut       = "out"
)

// errBroadcastConfig is wrapped by every broadcastConfig.Validate failure.
var errBroadcastConfig = errors.New("invalid broadcast flags")

// broadcastConfig is what the broadcast command's own flags fill.
type broadcastConfig struct {
	deposit      string // ETH; "" or 0: add nothing
	stream       string
	ladder       string
	maxPrice     string // wei per segment and profile
	jobBlocks    uint64
	job          string // "" creates a job
	in           string
	testsrc      string // WxH@FPS
	segments     int
	segDur       time.Duration
	node         string
	secretFile   string
	retryTimeout time.Duration
	out          string
}

func defaultBroadcastConfig() broadcastConfig {
	return broadcastConfig{ladder: transcoder.P720p30fps16x9 + "," + transcoder.P360p30fps16x9, jobBlocks: 1000,
		segments: 10, segDur: 2 * time.Second, retryTimeout: 2 * time.Minute}
}

func bcastErr(format string, a ...any) error {
	return fmt.Errorf("%w: %s", errBroadcastConfig, fmt.Sprintf(format, a...))
}

// Validate checks the flags without touching the chain, the node or files.
func (c broadcastConfig) Validate() error {
	if c.stream == "" && c.job == "" {
		return bcastErr("--%s is required (or --%s to reuse a job and its stream)", flagBcastStream, flagBcastJob)
	}
	if _, err := transcoder.ParseLadderSpec(c.ladder); err != nil {
		return bcastErr("--%s: %v", flagBcastLadder, err)
	}
	if c.job != "" {
		if _, err := strconv.ParseUint(c.job, 10, 64); err != nil {
			return bcastErr("--%s %q: want a job id", flagBcastJob, c.job)
		}
	} else {
		if p, err := c.maxPriceWei(); err != nil || p.Sign() <= 0 {
			return bcastErr("--%s %q: want a price above zero in wei per segment and profile", flagBcastMaxPrice, c.maxPrice)
		}
		if c.jobBlocks == 0 {
			return bcastErr("--%s must be above zero", flagBcastJobBlocks)
		}
	}
	if _, err := c.depositWei(); err != nil {
		return bcastErr("--%s %q: want an amount of ETH, e.g. 0.5", flagBcastDeposit, c.deposit)
	}
	if (c.in == "") == (c.testsrc == "") {
		return bcastErr("give one source: --%s FILE.ts|PLAYLIST.m3u8 or --%s WxH@FPS", flagBcastIn, flagBcastTestsrc)
	}
	if c.testsrc != "" {
		if _, err := c.syntheticSpec(); err != nil {
			return err
		}
	}
	if u, err := url.Parse(c.node); c.node == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return bcastErr("--%s %q: want the node's http(s)://HOST:PORT", flagBcastNode, c.node)
	}
	switch {
	case c.secretFile == "":
		return bcastErr("--%s is required: the file holding the node's client secret", flagBcastSecret)
	case c.out == "":
		return bcastErr("--%s is required: the directory for the renditions and playlists", flagBcastOut)
	case c.retryTimeout <= 0:
		return bcastErr("--%s must be above zero", flagBcastRetry)
	}
	return nil
}

func (c broadcastConfig) maxPriceWei() (*big.Int, error) {
	return amount.ParseDecimal(c.maxPrice, 0)
}

func (c broadcastConfig) depositWei() (*big.Int, error) {
	if c.deposit == "" {
		return new(big.Int), nil
	}
	return amount.ParseDecimal(c.deposit, 18)
}

// syntheticSpec parses --testsrc WxH@FPS, --segments and --segment-duration.
func (c broadcastConfig) syntheticSpec() (ffmpeg.SyntheticSpec, error) {
	size, fpsStr, ok := strings.Cut(c.testsrc, "@")
	ws, hs, ok2 := strings.Cut(size, "x")
	w, werr := strconv.Atoi(ws)
	h, herr := strconv.Atoi(hs)
	fps, ferr := transcoder.ParseFPS(fpsStr)
	if !ok || !ok2 || werr != nil || herr != nil || ferr != nil || fps.IsZero() {
		return ffmpeg.SyntheticSpec{}, bcastErr("--%s %q: want WIDTHxHEIGHT@FPS, e.g. 1280x720@30", flagBcastTestsrc, c.testsrc)
	}
	s := ffmpeg.SyntheticSpec{Width: w, Height: h, FPS: fps, SegmentDuration: c.segDur, Segments: c.segments, Seed: 1}
	if err := s.Validate(); err != nil {
		return s, bcastErr("--%s/--%s/--%s: %v", flagBcastTestsrc, flagBcastSegments, flagBcastSegDur, err)
	}
	return s, nil
}

// source opens the segments to send.
func (c broadcastConfig) source() (broadcast.Source, error) {
	if c.testsrc != "" {
		spec, err := c.syntheticSpec()
		if err != nil {
			return nil, err
		}
		return broadcast.SyntheticSource{Spec: spec}, nil
	}
	return broadcast.OpenFiles(c.in)
}

// transcodingOptions is the job's options for --ladder.
func (c broadcastConfig) transcodingOptions() (string, uint64) {
	l, _ := transcoder.ParseLadderSpec(c.ladder)
	return claims.TranscodingOptions(l.Names()...), uint64(len(l))
}

func broadcastFlags(d broadcastConfig) []cli.Flag {
	env := func(name string) []string { return []string{envVar("broadcast-" + name)} }
	return []cli.Flag{
		&cli.StringFlag{Name: flagBcastStream, Usage: "stream `ID` of the job (with --job: must match the job's; default the job's)", EnvVars: env(flagBcastStream)},
		&cli.StringFlag{Name: flagBcastLadder, Value: d.ladder, Usage: "renditions: comma-separated presets (" + strings.Join(transcoder.PresetNames(), ", ") + "); the job's transcoding options", EnvVars: env(flagBcastLadder)},
		&cli.StringFlag{Name: flagBcastDeposit, Usage: "`ETH` to deposit before creating the job; skipped when the deposit already covers the job's worst case", EnvVars: env(flagBcastDeposit)},
		&cli.StringFlag{Name: flagBcastMaxPrice, Usage: "highest price the job pays, in `WEI` per segment and profile (required to create a job)", EnvVars: env(flagBcastMaxPrice)},
		&cli.Uint64Flag{Name: flagBcastJobBlocks, Value: d.jobBlocks, Usage: "the job ends this many `BLOCKS` after the head", EnvVars: env(flagBcastJobBlocks)},
		&cli.StringFlag{Name: flagBcastJob, Usage: "reuse job `ID` (yours, for this stream and ladder) instead of creating one", EnvVars: env(flagBcastJob)},
		&cli.StringFlag{Name: flagBcastIn, Usage: "source: an MPEG-TS `FILE` (one segment) or an HLS media playlist (its segments in order)", EnvVars: env(flagBcastIn)},
		&cli.StringFlag{Name: flagBcastTestsrc, Usage: "source: generate a test stream of `WxH@FPS`, e.g. 1280x720@30", EnvVars: env(flagBcastTestsrc)},
		&cli.IntFlag{Name: flagBcastSegments, Value: d.segments, Usage: "segments to generate with --testsrc", EnvVars: env(flagBcastSegments)},
		&cli.DurationFlag{Name: flagBcastSegDur, Value: d.segDur, Usage: "length of a generated segment", EnvVars: env(flagBcastSegDur)},
		&cli.StringFlag{Name: flagBcastNode, Usage: "the transcoder's `URL`, e.g. http://10.0.0.1:8935", EnvVars: env(flagBcastNode)},
		&cli.StringFlag{Name: flagBcastSecret, Usage: "`FILE` holding the node's client secret (its --secret-file)", EnvVars: env(flagBcastSecret)},
		&cli.DurationFlag{Name: flagBcastRetry, Value: d.retryTimeout, Usage: "how long one segment may be retried (busy, unavailable, lost answers) before it is given up", EnvVars: env(flagBcastRetry)},
		&cli.StringFlag{Name: flagBcastOut, Usage: "`DIR` for <rendition>/<seq>.ts, the media playlists and master.m3u8", EnvVars: env(flagBcastOut)},
	}
}

func broadcastConfigFrom(c *cli.Context) broadcastConfig {
	return broadcastConfig{
		deposit: c.String(flagBcastDeposit), stream: c.String(flagBcastStream), ladder: c.String(flagBcastLadder),
		maxPrice: c.String(flagBcastMaxPrice), jobBlocks: c.Uint64(flagBcastJobBlocks), job: c.String(flagBcastJob),
		in: c.String(flagBcastIn), testsrc: c.String(flagBcastTestsrc), segments: c.Int(flagBcastSegments),
		segDur: c.Duration(flagBcastSegDur), node: c.String(flagBcastNode), secretFile: c.String(flagBcastSecret),
		retryTimeout: c.Duration(flagBcastRetry), out: c.String(flagBcastOut),
	}
}

func broadcastCommand() *cli.Command {
	return &cli.Command{
		Name:  "broadcast",
		Usage: "pay a transcoder for a stream: deposit, create a job, send signed segments, collect the renditions",
		UsageText: "opkit broadcast --devnet devnet.json --account 2 --deposit 1 --stream s --max-price 1000000000 \\\n" +
			"  --testsrc 1280x720@30 --segments 10 --node http://127.0.0.1:8935 --secret-file F --out DIR [--json]",
		Description: `The broadcaster's side of a segment job. On chain, through the account's
transaction manager: deposit --deposit ETH (skipped when the deposit already
covers segments × profiles × --max-price) and create a job for --stream with
the --ladder's transcoding options, ending --job-blocks after the head; the
NewJob event names the job and its elected transcoder. --job reuses a job.
Then each segment of --in or --testsrc goes, signed for the job, to --node,
one after another; 429/503 wait out Retry-After and a lost answer sends the
same bytes and signature again, each segment for up to --retry-timeout.
Other 4xx answers are final for their segment. The renditions land in --out
with an HLS master playlist. Exits 1 when any segment failed.`,
		Flags:  withChainFlags(broadcastFlags(defaultBroadcastConfig())...),
		Action: runBroadcast,
	}
}

// printBroadcast writes the human summary.
func printBroadcast(w io.Writer, r *broadcastReport) {
	s := r.Summary
	fmt.Fprintf(w, "job %d, stream %q, transcoder %s\n", s.Job, s.Stream, r.Chain.Transcoder)
	if r.Chain.DepositSkipped {
		fmt.Fprintf(w, "deposit %s wei already covers the worst case %s wei: --%s skipped\n", r.Chain.Deposit, r.Chain.WorstCase, flagBcastDeposit)
	}
	for _, tx := range r.Chain.Txs {
		fmt.Fprintf(w, "%-8s %s (block %d)\n", tx.Label, tx.Hash, tx.Block)
	}
	fmt.Fprintf(w, "segments %d: %d answered, %d failed, %d abandoned; %d sends, %d retries\n",
		s.Segments.Sent, s.Segments.Answered, s.Segments.Failed, s.Segments.Abandoned, s.Sends, s.Retries)
	for _, f := range s.Failures {
		fmt.Fprintf(w, "  segment %d (%s): %s\n", f.Seq, f.Name, f.Error)
	}
	for _, rs := range s.Renditions {
		fmt.Fprintf(w, "  %-16s %dx%d  %d segments  %d bytes  %s\n", rs.Name, rs.Width, rs.Height, rs.Segments, rs.Bytes, rs.Playlist)
	}
	fmt.Fprintf(w, "%.1f s of media in %.1f s (%.2fx real time), %d receipts; master playlist %s\n",
		s.MediaSeconds, s.WallSeconds, s.RealTimeRatio, s.Receipts, s.MasterPlaylist)
	if s.Interrupted {
		fmt.Fprintln(w, "interrupted")
	}
}
