package broadcast

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"go.uber.org/zap"

	"github.com/ethereum/go-ethereum/common"

	"github.com/opkit-dev/opkit/ffmpeg"
	"github.com/opkit-dev/opkit/transcoder"
	"github.com/opkit-dev/opkit/transcoder/node"
)

// MasterName is the master playlist's file name in the output directory.
const MasterName = "master.m3u8"

// ErrConfig is wrapped by every Config.Validate failure.
var ErrConfig = errors.New("invalid broadcast config")

// Config is one broadcast: where the segments come from, where they go, and
// the job that pays for them.
type Config struct {
	Node   string // the node's base URL, e.g. http://127.0.0.1:8935
	Secret string // the node's client secret (Authorization: Bearer)
	Stream string
	// Ladder is the comma-separated preset names, in the job's order; it
	// goes to the node as Opkit-Ladder.
	Ladder string
	Job    uint64
	// Sign signs a segment hash as the job's broadcaster (EIP-191,
	// keys.Account.SignText of its bytes).
	Sign   func(segmentHash common.Hash) ([]byte, error)
	Source Source
	OutDir string
	// RetryTimeout bounds the retries of one segment.
	RetryTimeout time.Duration

	Client *http.Client     // nil: a plain client (each try has its own deadline)
	Logger *zap.Logger      // nil: none
	Now    func() time.Time // nil: time.Now
}

// Validate checks the config.
func (c *Config) Validate() error {
	u, err := url.Parse(c.Node)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return fmt.Errorf("%w: node URL %q: want http(s)://HOST:PORT", ErrConfig, c.Node)
	case c.Secret == "":
		return fmt.Errorf("%w: no node secret", ErrConfig)
	case c.Stream == "":
		return fmt.Errorf("%w: no stream id", ErrConfig)
	case c.Sign == nil:
		return fmt.Errorf("%w: no broadcaster signer", ErrConfig)
	case c.Source == nil || c.Source.Count() <= 0:
		return fmt.Errorf("%w: no segments to send", ErrConfig)
	case c.OutDir == "":
		return fmt.Errorf("%w: no output directory", ErrConfig)
	case c.RetryTimeout <= 0:
		return fmt.Errorf("%w: retry timeout %v must be above zero", ErrConfig, c.RetryTimeout)
	}
	if _, err := transcoder.ParseLadderSpec(c.Ladder); err != nil {
		return fmt.Errorf("%w: ladder: %w", ErrConfig, err)
	}
	return nil
}

func (c *Config) now() time.Time { return c.Now() }

// Summary is what a broadcast did.
type Summary struct {
	Job      uint64   `json:"job"`
	Stream   string   `json:"stream"`
	Segments Segments `json:"segments"`
	// Sends counts HTTP requests, Retries the requests after a segment's
	// first, RetriesBy the retries by reason (Retry* constants).
	Sends          int                `json:"sends"`
	Retries        int                `json:"retries"`
	RetriesBy      map[string]int     `json:"retries_by"`
	Renditions     []RenditionSummary `json:"renditions"`
	SourceBytes    int64              `json:"source_bytes"`
	Bytes          int64              `json:"bytes"` // all renditions
	MediaSeconds   float64            `json:"media_s"`
	WallSeconds    float64            `json:"wall_s"`
	RealTimeRatio  float64            `json:"realtime_ratio"` // media seconds answered per wall second
	MasterPlaylist string             `json:"master_playlist,omitempty"`
	// Receipts counts the distinct receipt hashes the node named.
	Receipts    int       `json:"receipts"`
	Failures    []Failure `json:"failures,omitempty"`
	Interrupted bool      `json:"interrupted,omitempty"`
}

// Segments counts segments by outcome. Sent = Answered + Failed + Abandoned.
type Segments struct {
	Total     int `json:"total"` // in the source
	Sent      int `json:"sent"`
	Answered  int `json:"answered"`
	Failed    int `json:"failed"`
	Abandoned int `json:"abandoned"` // in flight at an interrupt
}

// RenditionSummary is one rendition of the output.
type RenditionSummary struct {
	Name     string `json:"name"`
	Width    int    `json:"width"`
	Height   int    `json:"height"`
	Segments int    `json:"segments"`
	Bytes    int64  `json:"bytes"`
	Playlist string `json:"playlist"`
}

// Failure is a segment the node refused or that was given up.
type Failure struct {
	Seq    int    `json:"seq"`
	Name   string `json:"name"`
	Status int    `json:"status,omitempty"` // the node's final status; 0 when given up
	Code   string `json:"code,omitempty"`
	Error  string `json:"error"`
}

// Run sends every segment of cfg.Source in order and writes the renditions
// under cfg.OutDir. A refused or given-up segment is recorded in the
// Summary and the next one is sent. When ctx ends, the segment in flight
// is abandoned, the playlists of what was done are written and the
// Summary has Interrupted set; the error is nil then. The error reports
// what stopped the broadcast itself: the source, or writing the output.
func Run(ctx context.Context, cfg Config) (*Summary, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{}
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	ladder, _ := transcoder.ParseLadderSpec(cfg.Ladder)
	out, err := transcoder.NewOutputWriter(cfg.OutDir, ffmpeg.FormatMPEGTS, ladder)
	if err != nil {
		return nil, err
	}
	s := &sender{cfg: &cfg, segBase: segmentsBase(cfg.Node, cfg.Stream), log: cfg.Logger, retries: map[string]int{}}
	sum := &Summary{Job: cfg.Job, Stream: cfg.Stream, Segments: Segments{Total: cfg.Source.Count()}}
	receipts := map[string]bool{}
	rends := map[string]*RenditionSummary{}
	start := cfg.now()

	srcErr := cfg.Source.Each(ctx, func(seg Segment) error {
		sseg, err := s.sign(seg)
		if err != nil {
			return err
		}
		sum.Segments.Sent++
		sum.SourceBytes += int64(len(seg.Data))
		resp, err := s.send(ctx, sseg)
		if err != nil {
			if ctx.Err() != nil {
				sum.Segments.Abandoned++
				return ctx.Err()
			}
			sum.Segments.Failed++
			f := Failure{Seq: seg.Seq, Name: seg.Name, Error: err.Error()}
			var re *RefusedError
			if errors.As(err, &re) {
				f.Status, f.Code = re.Status, re.Code
			}
			sum.Failures = append(sum.Failures, f)
			cfg.Logger.Warn("segment failed", zap.Int("seq", seg.Seq), zap.String("name", seg.Name), zap.Error(err))
			return nil
		}
		res, err := segmentResult(resp)
		if err != nil {
			return err
		}
		if err := out.WriteSegment(transcoder.StreamSegment{Index: seg.Seq, Name: seg.Name}, res); err != nil {
			return err
		}
		sum.Segments.Answered++
		sum.MediaSeconds += res.SourceDuration.Seconds()
		if resp.Result.Receipt != "" {
			receipts[resp.Result.Receipt] = true
		}
		for _, r := range res.Renditions {
			rs := rends[r.Name]
			if rs == nil {
				rs = &RenditionSummary{Name: r.Name, Playlist: filepath.Join(cfg.OutDir, r.Name, transcoder.PlaylistName)}
				rends[r.Name] = rs
			}
			rs.Width, rs.Height = max(rs.Width, r.Width), max(rs.Height, r.Height)
			rs.Segments++
			rs.Bytes += r.Bytes
			sum.Bytes += r.Bytes
		}
		return nil
	})
	interrupted := ctx.Err() != nil && (srcErr == nil || errors.Is(srcErr, ctx.Err()))
	if interrupted {
		sum.Interrupted, srcErr = true, nil
	}
	sum.Sends = s.sends
	sum.RetriesBy = s.retries
	for _, n := range s.retries {
		sum.Retries += n
	}
	sum.Receipts = len(receipts)
	for _, r := range ladder {
		if rs := rends[r.Name]; rs != nil {
			sum.Renditions = append(sum.Renditions, *rs)
		}
	}
	wall := cfg.now().Sub(start)
	sum.WallSeconds = round3(wall.Seconds())
	if wall > 0 {
		sum.RealTimeRatio = round3(sum.MediaSeconds / wall.Seconds())
	}
	sum.MediaSeconds = round3(sum.MediaSeconds)
	master, err := finish(out, cfg.OutDir, !interrupted && srcErr == nil)
	sum.MasterPlaylist = master
	return sum, errors.Join(srcErr, err)
}

// finish writes the media playlists and the master playlist of what was
// done (transcoder.OutputWriter) and moves the master to MasterName. It
// returns the master's path, "" when no segment was answered.
func finish(out *transcoder.OutputWriter, dir string, complete bool) (string, error) {
	if err := out.Finish(complete); err != nil {
		return "", err
	}
	if _, err := os.Stat(out.MasterPath()); errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	master := filepath.Join(dir, MasterName)
	if err := os.Rename(out.MasterPath(), master); err != nil {
		return "", fmt.Errorf("output: %w", err)
	}
	return master, nil
}

// segmentResult turns a node answer back into the engine's result, the
// form transcoder.OutputWriter writes.
func segmentResult(r *node.Response) (*ffmpeg.SegmentResult, error) {
	rep := r.Result.Segment
	res := &ffmpeg.SegmentResult{
		SourceWidth: rep.SourceWidth, SourceHeight: rep.SourceHeight,
		SourceDuration: seconds(rep.SourceDuration),
	}
	for i, rr := range r.Renditions {
		out := ffmpeg.RenditionResult{Name: rr.Name, Width: rr.Width, Height: rr.Height, Frames: rr.Frames,
			Bytes: int64(len(rr.Data)), Data: rr.Data}
		if sum, err := hex.DecodeString(rr.SHA256); err == nil && len(sum) == len(out.SHA256) {
			copy(out.SHA256[:], sum)
		}
		if i < len(rep.Renditions) && rep.Renditions[i].Name == rr.Name {
			out.Duration = seconds(rep.Renditions[i].Duration)
		}
		res.Renditions = append(res.Renditions, out)
	}
	if len(res.Renditions) == 0 {
		return nil, fmt.Errorf("%w: segment %d has no renditions", node.ErrBadResponse, r.Result.Seq)
	}
	return res, nil
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }
