package transcoder

import (
	"encoding/hex"
	"encoding/json"
	"io"
	"math"
	"time"

	"github.com/opkit-dev/opkit/ffmpeg"
)

// StreamReport is the machine-readable account of a stream run that
// `opkit transcode --json` prints: one entry per segment, without the
// output bytes (their SHA-256 in hex instead).
type StreamReport struct {
	Input    string          `json:"input"`
	Output   string          `json:"output"`
	Master   string          `json:"master_playlist,omitempty"`
	Complete bool            `json:"complete"`
	Segments []SegmentReport `json:"segments"`
}

// SegmentReport is one segment of a StreamReport.
type SegmentReport struct {
	Seq            int     `json:"seq"`
	Name           string  `json:"name"`
	SourceWidth    int     `json:"source_width"`
	SourceHeight   int     `json:"source_height"`
	SourceDuration float64 `json:"source_duration_s"`
	DecodedFrames  int64   `json:"decoded_frames"`
	DecodedPixels  int64   `json:"decoded_pixels"`
	// Decoder is the libavcodec decoder ("h264"); DecoderHW "cuda" when
	// NVDEC decoded the segment; HWFallback, on a GPU session, why the
	// segment was decoded on the CPU instead (ffmpeg.HWFallbackReason).
	Decoder    string                  `json:"decoder"`
	DecoderHW  string                  `json:"decoder_hw,omitempty"`
	HWFallback ffmpeg.HWFallbackReason `json:"hw_fallback,omitempty"`
	Wall       float64                 `json:"wall_s"`
	Renditions []RenditionReport       `json:"renditions"`
}

// RenditionReport is one rendition of one segment.
type RenditionReport struct {
	Name     string  `json:"name"`
	Path     string  `json:"path,omitempty"`
	Width    int     `json:"width"`
	Height   int     `json:"height"`
	Frames   int64   `json:"frames"`
	Pixels   int64   `json:"pixels"`
	Bytes    int64   `json:"bytes"`
	SHA256   string  `json:"sha256"`
	Duration float64 `json:"duration_s"`
	Wall     float64 `json:"wall_s"`
	// Filters is the rendition's filter graph (scale_cuda on the GPU,
	// scale on the CPU); Encoder the libavcodec encoder ("libx264",
	// "h264_nvenc").
	Filters string `json:"filters,omitempty"`
	Encoder string `json:"encoder"`
	// WarmGraph and WarmEncoder: the filter graph and the encoder came
	// warm from the stream's previous segment.
	WarmGraph   bool `json:"warm_graph"`
	WarmEncoder bool `json:"warm_encoder"`
}

// NewSegmentReport converts one engine result; path, when set, gives the
// file each rendition was written to.
func NewSegmentReport(seg StreamSegment, res *ffmpeg.SegmentResult, path func(rendition string) string) SegmentReport {
	r := SegmentReport{
		Seq: seg.Index, Name: seg.Name,
		SourceWidth: res.SourceWidth, SourceHeight: res.SourceHeight,
		SourceDuration: seconds(res.SourceDuration),
		DecodedFrames:  res.DecodedFrames, DecodedPixels: res.DecodedPixels,
		Decoder: res.Decoder, DecoderHW: res.DecoderHW, HWFallback: res.HWFallback,
		Wall:       seconds(res.Wall),
		Renditions: make([]RenditionReport, len(res.Renditions)),
	}
	for i, rr := range res.Renditions {
		r.Renditions[i] = RenditionReport{
			Name: rr.Name, Width: rr.Width, Height: rr.Height, Frames: rr.Frames, Pixels: rr.Pixels,
			Bytes: rr.Bytes, SHA256: hex.EncodeToString(rr.SHA256[:]),
			Duration: seconds(rr.Duration), Wall: seconds(rr.Wall),
			Filters: rr.Filters, Encoder: rr.Encoder, WarmGraph: rr.WarmGraph, WarmEncoder: rr.WarmEncoder,
		}
		if path != nil {
			r.Renditions[i].Path = path(rr.Name)
		}
	}
	return r
}

// WriteJSON writes the report as indented JSON.
func (r StreamReport) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// seconds is d in seconds, to the microsecond.
func seconds(d time.Duration) float64 { return math.Round(d.Seconds()*1e6) / 1e6 }
