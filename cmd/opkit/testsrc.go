package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/ffmpeg"
	"github.com/opkit-dev/opkit/transcoder"
)

const (
	flagTestsrcOut    = "out"
	flagTestsrcSegs   = "segs"
	flagTestsrcSize   = "size"
	flagTestsrcFPS    = "fps"
	flagTestsrcSegDur = "seg-duration"
	flagTestsrcAudio  = "audio"
	flagTestsrcNoise  = "noise"
	flagTestsrcSeed   = "seed"
)

// testsrcConfig is what the testsrc command's flags fill.
type testsrcConfig struct {
	out    string
	segs   int
	size   string
	fps    string
	segDur time.Duration
	audio  bool
	noise  bool
	seed   int64
}

func defaultTestsrcConfig() testsrcConfig {
	return testsrcConfig{segs: 5, size: "1280x720", fps: "30", segDur: 2 * time.Second, audio: true, noise: true, seed: 1}
}

// spec validates the flags and returns the generator's spec.
func (c testsrcConfig) spec() (ffmpeg.SyntheticSpec, error) {
	if c.out == "" {
		return ffmpeg.SyntheticSpec{}, fmt.Errorf("--%s is required: the directory for the segments and index.m3u8", flagTestsrcOut)
	}
	w, h, err := parseSize(c.size)
	if err != nil {
		return ffmpeg.SyntheticSpec{}, err
	}
	fps, err := transcoder.ParseFPS(c.fps)
	if err != nil || fps.IsZero() {
		return ffmpeg.SyntheticSpec{}, fmt.Errorf("--%s %q: want a positive frame rate such as 30 or 30000/1001", flagTestsrcFPS, c.fps)
	}
	s := ffmpeg.SyntheticSpec{Width: w, Height: h, FPS: fps, SegmentDuration: c.segDur, Segments: c.segs,
		Noise: c.noise, Audio: c.audio, Seed: c.seed}
	if err := s.Validate(); err != nil {
		return s, err
	}
	return s, nil
}

// Validate checks the flag values.
func (c testsrcConfig) Validate() error {
	_, err := c.spec()
	return err
}

func parseSize(s string) (w, h int, err error) {
	ws, hs, ok := strings.Cut(s, "x")
	w, werr := strconv.Atoi(ws)
	h, herr := strconv.Atoi(hs)
	if !ok || werr != nil || herr != nil {
		return 0, 0, fmt.Errorf("--%s %q: want WIDTHxHEIGHT, e.g. 1280x720", flagTestsrcSize, s)
	}
	return w, h, nil
}

func testsrcFlags(d testsrcConfig) []cli.Flag {
	env := func(name string) []string {
		return []string{"OPKIT_TESTSRC_" + strings.ReplaceAll(strings.ToUpper(name), "-", "_")}
	}
	return []cli.Flag{
		&cli.StringFlag{Name: flagTestsrcOut, Usage: "directory for <n>.ts and index.m3u8 (created if needed)", EnvVars: env(flagTestsrcOut)},
		&cli.IntFlag{Name: flagTestsrcSegs, Value: d.segs, Usage: "number of segments", EnvVars: env(flagTestsrcSegs)},
		&cli.StringFlag{Name: flagTestsrcSize, Value: d.size, Usage: "picture size WIDTHxHEIGHT (even; 720x1280 for portrait)", EnvVars: env(flagTestsrcSize)},
		&cli.StringFlag{Name: flagTestsrcFPS, Value: d.fps, Usage: `frame rate: 30, 60 or "30000/1001"`, EnvVars: env(flagTestsrcFPS)},
		&cli.DurationFlag{Name: flagTestsrcSegDur, Value: d.segDur, Usage: "segment length (rounded to whole frames)", EnvVars: env(flagTestsrcSegDur)},
		&cli.BoolFlag{Name: flagTestsrcAudio, Value: d.audio, Usage: "add a 440 Hz stereo AAC tone", EnvVars: env(flagTestsrcAudio)},
		&cli.BoolFlag{Name: flagTestsrcNoise, Value: d.noise, Usage: "add temporal noise, for a realistic bitrate", EnvVars: env(flagTestsrcNoise)},
		&cli.Int64Flag{Name: flagTestsrcSeed, Value: d.seed, Usage: "noise seed; the same flags give the same pictures", EnvVars: env(flagTestsrcSeed)},
	}
}

func testsrcCommand() *cli.Command {
	return &cli.Command{
		Name:      "testsrc",
		Usage:     "generate a test stream: H.264 MPEG-TS segments and an HLS playlist",
		UsageText: "opkit testsrc --out DIR [--segs 5] [--size 1280x720] [--fps 30]",
		Description: `Generates libavfilter's testsrc2 moving pattern (with noise, so it does not
compress to nothing, and a 440 Hz AAC tone), encodes it with libx264 with an IDR
frame at the start of every segment and nowhere else, as a live encoder feeding
an HLS packager does, and writes DIR/0.ts, DIR/1.ts, ... and DIR/index.m3u8.
Timestamps run on across segments. The output is input for opkit transcode and
opkit bench without outside media.`,
		Flags:  testsrcFlags(defaultTestsrcConfig()),
		Action: runTestsrc,
	}
}

func runTestsrc(c *cli.Context) error {
	log := loggerFrom(c)
	cfg := testsrcConfig{
		out: c.String(flagTestsrcOut), segs: c.Int(flagTestsrcSegs), size: c.String(flagTestsrcSize),
		fps: c.String(flagTestsrcFPS), segDur: c.Duration(flagTestsrcSegDur),
		audio: c.Bool(flagTestsrcAudio), noise: c.Bool(flagTestsrcNoise), seed: c.Int64(flagTestsrcSeed),
	}
	spec, err := cfg.spec()
	if err != nil {
		return withExitCode(2, err)
	}
	ctx, cancel := signalContext(c.Context, log)
	defer cancel()
	dir, err := transcoder.NewSegmentDir(cfg.out)
	if err != nil {
		return err
	}
	segDur := spec.FrameTime(spec.SegmentFrames()) - spec.FrameTime(0)
	err = ffmpeg.GenerateSegments(ctx, spec, func(i int, seg []byte) error {
		log.Debug("segment generated", zap.Int("seg", i), zap.Int("bytes", len(seg)))
		return dir.Add(seg, segDur)
	})
	if err != nil {
		return err
	}
	path, err := dir.Finish()
	if err != nil {
		return err
	}
	log.Info("test stream written", zap.String("playlist", path), zap.Int("segments", spec.Segments),
		zap.String("size", cfg.size), zap.String("fps", cfg.fps))
	fmt.Fprintln(c.App.Writer, path)
	return nil
}
