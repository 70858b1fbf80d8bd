package ffmpeg

import (
	"fmt"

	"github.com/asticode/go-astiav"
)

// NVDEC decoder surfaces.
//
// FFmpeg 5.1 sizes the NVDEC surface pool when the decoder meets the first
// sequence header (get_format, then the hwaccel's init), as the sum of:
//
//   - the stream's DPB as the codec's nvdec glue reports it: for H.264
//     (libavcodec/nvdec_h264.c) the SPS's max_num_ref_frames plus its
//     num_reorder_frames; for HEVC (nvdec_hevc.c) sps_max_dec_pic_buffering
//     plus one;
//   - 2, which ff_nvdec_frame_params (libavcodec/nvdec.c) adds "to account
//     for deinterlacing filters holding onto their frames";
//   - extra_hw_frames, and thread_count when frame threading is on, which
//     avcodec_get_hw_frames_parameters (libavcodec/decode.c) adds;
//   - 3, which ff_decode_get_hw_frames_ctx (decode.c) adds ("We guarantee 4
//     base work surfaces").
//
// ff_nvdec_decode_init passes that sum to cuvidCreateDecoder as
// ulNumDecodeSurfaces (and ulNumOutputSurfaces); above 32 the driver may
// refuse, and nvdec.c then only warns "Using more than 32 (%d) decode
// surfaces might cause nvdec to fail". A failed hwaccel init is not an
// error for the caller: ff_get_format logs "retrying get_format() without
// it" and the decoder goes on in software. The decoder is opened with one
// thread on the GPU path, so thread_count adds nothing.
//
// A decoded NVDEC frame maps its decode surface until the last reference to
// it is dropped (nvdec_retrieve_data keeps the surface index in frame->buf[1]
// in 5.1). The engine hands every rendition a reference (av_frame_clone) to
// the same decoded frame, so one frame holds one surface however many
// renditions hold it: what counts is how many distinct decoded frames are
// alive, and that is bounded by the renditions' queue depth, not by their
// number. See heldFrames.
const (
	nvdecMaxSurfaces  = 32 // what FFmpeg's nvdec.c warns about above
	nvdecPoolPad      = 2  // ff_nvdec_frame_params: dpb_size + 2
	decodeWorkSurface = 3  // ff_decode_get_hw_frames_ctx: initial_pool_size += 3
	nvdecFixed        = nvdecPoolPad + decodeWorkSurface

	// defaultQueueDepth is how many frames a rendition worker's queue holds
	// (CPU path, and the GPU path when the surfaces allow).
	defaultQueueDepth = 4
	// fpsHeldFrames is how many input frames libavfilter's fps filter keeps
	// (vf_fps.c buffers two to pick from).
	fpsHeldFrames = 2
	// unknownDPB is assumed for a codec whose nvdec DPB is not worked out
	// here: the largest DPB of H.264 and HEVC.
	unknownDPB = 16
)

// heldFrames is the most distinct decoded frames the pipeline holds at once
// besides the decoder's own DPB, with rendition queues of depth frames:
// every root rendition gets the frames in the same order, and the decoder
// blocks on a full queue, so the frames alive are those of the slowest
// rendition: its full queue, the frame it is feeding its filter graph, the
// frames its fps filter keeps (when a rendition changes the frame rate), and
// the decoder's newest frame, which that rendition's queue has no room for
// yet.
func heldFrames(depth int, fps bool) int {
	n := depth + 1 + 1
	if fps {
		n += fpsHeldFrames
	}
	return n
}

// surfacePlan is how a GPU decoder is set up: extra_hw_frames for the
// frames the pipeline holds, and the rendition queue depth that keeps that
// number true.
type surfacePlan struct {
	Depth int // rendition queue depth, at least 1
	Extra int // extra_hw_frames
	Total int // surfaces FFmpeg asks NVDEC for: dpb + 5 + Extra
}

// planSurfaces picks the deepest rendition queue, up to want, for which the
// NVDEC pool of a stream whose nvdec DPB is dpb stays within 32 surfaces.
// It fails with ErrHWSurfaces when not even a queue of one frame fits.
func planSurfaces(dpb int, fps bool, want int) (surfacePlan, error) {
	if dpb < 0 {
		dpb = unknownDPB
	}
	for depth := max(want, 1); depth >= 1; depth-- {
		extra := heldFrames(depth, fps)
		if total := dpb + nvdecFixed + extra; total <= nvdecMaxSurfaces {
			return surfacePlan{Depth: depth, Extra: extra, Total: total}, nil
		}
	}
	return surfacePlan{}, fmt.Errorf("%w: a DPB of %d frames needs %d surfaces with one queued frame, NVDEC takes %d",
		ErrHWSurfaces, dpb, dpb+nvdecFixed+heldFrames(1, fps), nvdecMaxSurfaces)
}

// h264LevelMaxDPBMbs is MaxDpbMbs of H.264 Table A-1 by level_idc, the table
// libavcodec's h264_ps.c (level_max_dpb_mbs) uses to infer
// num_reorder_frames when the SPS does not carry it.
var h264LevelMaxDPBMbs = map[int]int{
	10: 396, 11: 900, 12: 2376, 13: 2376, 20: 2376, 21: 4752, 22: 8100,
	30: 8100, 31: 18000, 32: 20480, 40: 32768, 41: 32768, 42: 34816,
	50: 110400, 51: 184320, 52: 184320,
}

// h264MaxDPBFrames is MaxDpbFrames for a level and picture size:
// min(MaxDpbMbs / frame macroblocks, 16), or 16 for an unknown level.
func h264MaxDPBFrames(level, w, h int) int {
	mbs, ok := h264LevelMaxDPBMbs[level]
	frame := ((w + 15) / 16) * ((h + 15) / 16)
	if !ok || frame <= 0 {
		return 16
	}
	return min(mbs/frame, 16)
}

// h264Reorder is the num_reorder_frames libavcodec uses for an SPS without
// bitstream restrictions (h264_ps.c): min(MaxDpbMbs / frame macroblocks, 15),
// or 15 for a level it does not know.
func h264Reorder(level, w, h int) int {
	return min(h264MaxDPBFrames(level, w, h), 15)
}

// hevcMaxDPBSize is MaxDpbSize of HEVC A.4.2 for a level (level_idc is 30
// times the level) and picture size: 6 pictures at the level's largest
// picture, up to 16 at a quarter of it; 16 for an unknown level.
func hevcMaxDPBSize(level, w, h int) int {
	var maxLumaPs int
	switch {
	case level <= 0:
		return 16
	case level <= 30:
		maxLumaPs = 36864
	case level <= 60:
		maxLumaPs = 122880
	case level <= 63:
		maxLumaPs = 245760
	case level <= 90:
		maxLumaPs = 552960
	case level <= 93:
		maxLumaPs = 983040
	case level <= 123:
		maxLumaPs = 2228224
	case level <= 156:
		maxLumaPs = 8912896
	default:
		maxLumaPs = 35651584
	}
	ps := w * h
	switch {
	case ps <= 0:
		return 16
	case ps <= maxLumaPs>>2:
		return 16
	case ps <= maxLumaPs>>1:
		return 12
	case ps <= maxLumaPs*3/4:
		return 8
	}
	return 6
}

// streamShape is what a decoder knows of its stream when it plans its
// surfaces: before opening, from the codec parameters (refs unknown: 0);
// in get_format, from the sequence header libavcodec just parsed.
type streamShape struct {
	codec  astiav.CodecID
	level  int
	w, h   int // coded size
	refs   int // H.264 max_num_ref_frames; 0 when not known
	bDelay int // has_b_frames (the reorder delay libavcodec knows of)
}

// nvdecDPB is an upper bound of the DPB FFmpeg 5.1's nvdec glue reports for
// the stream. H.264: max_num_ref_frames (the level's MaxDpbFrames while it
// is not known) plus num_reorder_frames, which libavcodec infers from the
// level when the SPS does not carry it (has_b_frames then does not show
// it, so the larger of the two counts). HEVC: the level's MaxDpbSize plus
// one.
func nvdecDPB(s streamShape) int {
	switch s.codec {
	case astiav.CodecIDH264:
		refs := s.refs
		if refs <= 0 {
			refs = h264MaxDPBFrames(s.level, s.w, s.h)
		}
		return refs + max(s.bDelay, h264Reorder(s.level, s.w, s.h))
	case astiav.CodecIDHevc:
		return hevcMaxDPBSize(s.level, s.w, s.h) + 1
	}
	return unknownDPB
}
