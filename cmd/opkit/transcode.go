package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/ffmpeg"
	"github.com/opkit-dev/opkit/transcoder"
)

const (
	flagTranscodeIn         = "in"
	flagTranscodeOut        = "out"
	flagTranscodeLadder     = "ladder"
	flagTranscodeLadderFile = "ladder-file"
	flagTranscodePreset     = "preset"
	flagTranscodeNvidia     = "nvidia"
	flagTranscodeFormat     = "format"
	flagTranscodeAudio      = "audio"
	flagTranscodeJSON       = "json"
	flagZeroLatency         = "zero-latency" // transcode, node, transcoder
)

// Transcode defaults, stated in the help text.
const (
	defaultTranscodeLadder = transcoder.P720p30fps16x9 + "," + transcoder.P360p30fps16x9
	defaultTranscodePreset = "veryfast"
	transcodeMaxGPUs       = 64 // syntax check of --nvidia before devices are probed
)

// x264Presets are the speed presets --preset takes (libx264 and libx265).
var x264Presets = []string{"ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow", "placebo"}

// transcodeConfig is what the transcode command's flags fill.
type transcodeConfig struct {
	in, out    string
	ladder     string
	ladderFile string
	preset     string
	nvidia     string
	format     string
	audio      string
	json       bool
	// zeroLatency: x264/x265 zerolatency tune, encoders kept warm.
	zeroLatency bool
}

func defaultTranscodeConfig() transcodeConfig {
	return transcodeConfig{preset: defaultTranscodePreset, format: string(ffmpeg.FormatMPEGTS), audio: string(ffmpeg.AudioCopy)}
}

// Validate checks the flag values without touching files or devices.
func (c transcodeConfig) Validate() error {
	switch {
	case c.in == "":
		return fmt.Errorf("--%s is required: a media segment or a local HLS media playlist", flagTranscodeIn)
	case c.out == "":
		return fmt.Errorf("--%s is required: the output directory", flagTranscodeOut)
	case c.ladder != "" && c.ladderFile != "":
		return fmt.Errorf("give at most one of --%s and --%s", flagTranscodeLadder, flagTranscodeLadderFile)
	case !contains(x264Presets, c.preset):
		return fmt.Errorf("--%s %q: want one of %s", flagTranscodePreset, c.preset, strings.Join(x264Presets, ", "))
	case c.format != string(ffmpeg.FormatMPEGTS) && c.format != string(ffmpeg.FormatMP4):
		return fmt.Errorf("--%s %q: want mpegts or mp4", flagTranscodeFormat, c.format)
	}
	switch ffmpeg.AudioMode(c.audio) {
	case ffmpeg.AudioCopy, ffmpeg.AudioAAC, ffmpeg.AudioDrop:
	default:
		return fmt.Errorf("--%s %q: want copy, aac or drop", flagTranscodeAudio, c.audio)
	}
	if _, err := ffmpeg.ParseGPUList(c.nvidia, transcodeMaxGPUs); err != nil {
		return err
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// loadLadder builds the ladder the flags name.
func (c transcodeConfig) loadLadder() (transcoder.Ladder, error) {
	var l transcoder.Ladder
	var err error
	switch {
	case c.ladderFile != "":
		l, err = transcoder.ReadLadderFile(c.ladderFile)
	case c.ladder != "":
		l, err = transcoder.ParseLadderSpec(c.ladder)
	default:
		l, err = transcoder.ParseLadderSpec(defaultTranscodeLadder)
	}
	if err != nil {
		return nil, err
	}
	if l.NeedsMP4() && c.format != string(ffmpeg.FormatMP4) {
		return nil, fmt.Errorf("the ladder has VP9 or AV1 renditions, which need --%s mp4", flagTranscodeFormat)
	}
	return l, nil
}

func transcodeFlags(d transcodeConfig) []cli.Flag {
	env := func(name string) []string {
		return []string{"OPKIT_TRANSCODE_" + strings.ReplaceAll(strings.ToUpper(name), "-", "_")}
	}
	return []cli.Flag{
		&cli.StringFlag{Name: flagTranscodeIn, Usage: "input: a media segment (MPEG-TS, MP4, FLV) or a local HLS media playlist (.m3u8)", EnvVars: env(flagTranscodeIn)},
		&cli.StringFlag{Name: flagTranscodeOut, Usage: "output directory (created if needed)", EnvVars: env(flagTranscodeOut)},
		&cli.StringFlag{Name: flagTranscodeLadder, Usage: "comma-separated presets or ladders: " + strings.Join(transcoder.PresetNames(), ", ") + ", " + transcoder.BenchLadderName + " (default " + defaultTranscodeLadder + ")", EnvVars: env(flagTranscodeLadder)},
		&cli.StringFlag{Name: flagTranscodeLadderFile, Usage: "JSON ladder file (see README: ladder file format)", EnvVars: env(flagTranscodeLadderFile)},
		&cli.StringFlag{Name: flagTranscodePreset, Value: d.preset, Usage: "x264/x265 speed preset: " + strings.Join(x264Presets, ", "), EnvVars: env(flagTranscodePreset)},
		&cli.StringFlag{Name: flagTranscodeNvidia, Value: d.nvidia, Usage: `NVIDIA GPUs to use: "all" or indexes "0,1" (the stream runs on the first); empty: CPU only`, EnvVars: env(flagTranscodeNvidia)},
		&cli.StringFlag{Name: flagTranscodeFormat, Value: d.format, Usage: "output container: mpegts (HLS .ts segments and playlists) or mp4 (fragmented .mp4 files, no playlists)", EnvVars: env(flagTranscodeFormat)},
		&cli.StringFlag{Name: flagTranscodeAudio, Value: d.audio, Usage: "first audio stream: copy, aac (re-encode) or drop", EnvVars: env(flagTranscodeAudio)},
		&cli.BoolFlag{Name: flagTranscodeJSON, Value: d.json, Usage: "print per-segment results as JSON on stdout", EnvVars: env(flagTranscodeJSON)},
		zeroLatencyFlag(env),
	}
}

func transcodeCommand() *cli.Command {
	return &cli.Command{
		Name:      "transcode",
		Usage:     "transcode a segment or an HLS playlist into an adaptive-bitrate ladder",
		UsageText: "opkit transcode --in FILE|PLAYLIST.m3u8 --out DIR [--ladder P720p30fps16x9,P360p30fps16x9 | --ladder-file F] [--json]",
		Description: `Runs every segment of the input, in order, through one engine session (the
decoder and, with --nvidia, the GPU stay warm between segments) and writes:

  DIR/<rendition>/<n>.ts       segment n of each rendition
  DIR/<rendition>/index.m3u8   media playlist (EXTINF: the measured durations)
  DIR/index.m3u8               master playlist (BANDWIDTH, RESOLUTION, CODECS)

Renditions keep the source's aspect ratio: each ladder size is a bounding box,
and a portrait source gives portrait renditions. Playlist segment URIs must be
local files, relative to the playlist or absolute.

Every file is written under a temporary name and renamed into place. The first
Ctrl-C lets the segment in flight finish or fail, writes the playlists of the
finished segments (without EXT-X-ENDLIST) and exits with status 130. Bad input
exits with status 1 and one line naming the segment and the error; bad flags
exit with status 2.`,
		Flags:  transcodeFlags(defaultTranscodeConfig()),
		Action: runTranscode,
	}
}

func transcodeConfigFrom(c *cli.Context) transcodeConfig {
	return transcodeConfig{
		in: c.String(flagTranscodeIn), out: c.String(flagTranscodeOut),
		ladder: c.String(flagTranscodeLadder), ladderFile: c.String(flagTranscodeLadderFile),
		preset: c.String(flagTranscodePreset), nvidia: c.String(flagTranscodeNvidia),
		format: c.String(flagTranscodeFormat), audio: c.String(flagTranscodeAudio),
		json: c.Bool(flagTranscodeJSON), zeroLatency: c.Bool(flagZeroLatency),
	}
}

func runTranscode(c *cli.Context) error {
	log := loggerFrom(c)
	cfg := transcodeConfigFrom(c)
	if err := cfg.Validate(); err != nil {
		return withExitCode(2, err)
	}
	ladder, err := cfg.loadLadder()
	if err != nil {
		return withExitCode(2, err)
	}
	segs, err := transcoder.OpenInput(cfg.in)
	if err != nil {
		return err
	}
	ctx, cancel := signalContext(c.Context, log)
	defer cancel()
	gpu, err := pickGPU(ctx, cfg.nvidia, log)
	if err != nil {
		return err
	}
	t := &transcodeRun{cfg: cfg, ladder: ladder, segs: segs, gpu: gpu, log: log,
		stdout: c.App.Writer, stderr: c.App.ErrWriter}
	return t.run(ctx)
}

// pickGPU probes the devices --nvidia names and returns the first, or -1
// for the CPU. One stream runs on one device.
func pickGPU(ctx context.Context, nvidia string, log *zap.Logger) (int, error) {
	if nvidia == "" {
		return -1, nil
	}
	devs, err := ffmpeg.ProbeDevices(ctx)
	if err != nil {
		return -1, err
	}
	list, err := ffmpeg.ParseGPUList(nvidia, len(devs))
	if err != nil {
		return -1, withExitCode(2, err)
	}
	d := devs[list[0]]
	log.Info("using GPU", zap.Int("gpu", d.Index), zap.String("name", d.Name), zap.Bool("nvenc", d.NVENC))
	return d.Index, nil
}

// transcodeRun is one invocation of the transcode command.
type transcodeRun struct {
	cfg            transcodeConfig
	ladder         transcoder.Ladder
	segs           []transcoder.StreamSegment
	gpu            int
	log            *zap.Logger
	stdout, stderr io.Writer
}

func (t *transcodeRun) run(ctx context.Context) (err error) {
	sess, err := ffmpeg.NewSession(ffmpeg.Options{
		Renditions:  t.ladder.Specs(),
		Format:      ffmpeg.OutputFormat(t.cfg.format),
		Audio:       ffmpeg.AudioMode(t.cfg.audio),
		Preset:      t.cfg.preset,
		UseGPU:      t.gpu >= 0,
		GPUDevice:   max(t.gpu, 0),
		ZeroLatency: t.cfg.zeroLatency,
	})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, sess.Close()) }()
	out, err := transcoder.NewOutputWriter(t.cfg.out, ffmpeg.OutputFormat(t.cfg.format), t.ladder)
	if err != nil {
		return err
	}
	report := transcoder.StreamReport{Input: t.cfg.in, Output: t.cfg.out}
	prog := newProgress(t.stderr, t.log, len(t.segs))
	stream := &transcoder.Stream{Transcoder: sess, Sink: out, Log: t.log, Progress: func(p transcoder.Progress) {
		report.Segments = append(report.Segments, transcoder.NewSegmentReport(p.Segment, p.Result,
			func(r string) string { return out.SegmentPath(r, p.Segment.Index) }))
		prog.update(p)
	}}
	t.log.Info("transcoding", zap.String("input", t.cfg.in), zap.Int("segments", len(t.segs)),
		zap.Strings("ladder", t.ladder.Names()), zap.String("out", t.cfg.out))
	_, runErr := stream.Run(ctx, t.segs)
	prog.done()
	report.Complete = runErr == nil
	if err := out.Finish(report.Complete); err != nil {
		return errors.Join(runErr, err)
	}
	if t.cfg.format == string(ffmpeg.FormatMPEGTS) && len(report.Segments) > 0 {
		report.Master = out.MasterPath()
	}
	if t.cfg.json {
		if err := report.WriteJSON(t.stdout); err != nil {
			return errors.Join(runErr, fmt.Errorf("writing JSON: %w", err))
		}
	}
	return t.result(runErr, len(report.Segments))
}

// result turns the stream's error into the command's.
func (t *transcodeRun) result(err error, done int) error {
	switch {
	case err == nil:
		t.log.Info("done", zap.Int("segments", done), zap.String("out", t.cfg.out))
		return nil
	case transcoder.IsCancelled(err):
		return withExitCode(130, fmt.Errorf("interrupted after %d of %d segments; %s holds the finished ones", done, len(t.segs), t.cfg.out))
	}
	return err
}

// progress shows a bar on a terminal and log lines otherwise.
type progress struct {
	w     io.Writer // nil: log lines
	log   *zap.Logger
	total int
	start time.Time
	media time.Duration
}

// newProgress draws a bar on stderr when it is a terminal.
func newProgress(stderr io.Writer, log *zap.Logger, total int) *progress {
	f, ok := stderr.(*os.File)
	return newProgressTo(stderr, ok && isatty.IsTerminal(f.Fd()), log, total)
}

func newProgressTo(w io.Writer, bar bool, log *zap.Logger, total int) *progress {
	p := &progress{log: log, total: total, start: time.Now()}
	if bar {
		p.w = w
	}
	return p
}

func (p *progress) update(u transcoder.Progress) {
	p.media += u.Result.SourceDuration
	speed := 0.0
	if wall := time.Since(p.start); wall > 0 {
		speed = p.media.Seconds() / wall.Seconds()
	}
	if p.w == nil {
		p.log.Info("segment done", zap.Int("seg", u.Segment.Index), zap.String("name", u.Segment.Name),
			zap.Int("done", u.Done), zap.Int("total", u.Total), zap.Duration("wall", u.Result.Wall),
			zap.Float64("speed", math.Round(speed*100)/100))
		return
	}
	const width = 30
	filled := width * u.Done / max(u.Total, 1)
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d segments  %.2fx real time  %s\033[K",
		strings.Repeat("#", filled), strings.Repeat("-", width-filled), u.Done, u.Total, speed, u.Segment.Name)
}

func (p *progress) done() {
	if p.w != nil {
		fmt.Fprintln(p.w)
	}
}
