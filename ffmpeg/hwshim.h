// Thin C wrappers over libav calls go-astiav v0.16.0 lacks, for the CUDA
// path (NVDEC -> scale_cuda -> NVENC), and a dlopen'd view of the CUDA
// driver for device names. Nothing here links against CUDA: FFmpeg loads
// libcuda itself, and so does opkit_cuda_load.
#ifndef OPKIT_HWSHIM_H
#define OPKIT_HWSHIM_H

#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavutil/buffer.h>
#include <libavutil/frame.h>
#include <stdint.h>

// opkit_hwframes_new allocates and initialises an AVHWFramesContext on
// device (av_hwframe_ctx_alloc + av_hwframe_ctx_init): hw_format frames
// (AV_PIX_FMT_CUDA) backed by sw_format (NV12, YUV420P...) of width x height,
// with a pool of pool_size frames (0: grow on demand). *out gets the new
// reference, which the caller unrefs. Returns 0 or an AVERROR.
int opkit_hwframes_new(AVBufferRef *device, int hw_format, int sw_format,
                       int width, int height, int pool_size, AVBufferRef **out);

// opkit_hwframe_get_buffer fills frame with a surface from the frames pool
// (av_hwframe_get_buffer), e.g. to upload a software frame into with
// av_hwframe_transfer_data.
int opkit_hwframe_get_buffer(AVBufferRef *frames, AVFrame *frame);

// opkit_buffersrc_set_hw_frames makes a "buffer" source accept hardware
// frames from frames (av_buffersrc_parameters_set with hw_frames_ctx and its
// format). Call before the graph is configured. The source takes its own
// reference.
int opkit_buffersrc_set_hw_frames(AVFilterContext *src, AVBufferRef *frames);

// opkit_graph_set_hw_device gives every filter of g a reference to device
// (what hwupload_cuda and friends need). Call after parsing, before
// configuring.
int opkit_graph_set_hw_device(AVFilterGraph *g, AVBufferRef *device);

// opkit_codec_set_hw_frames sets cc->hw_frames_ctx to a new reference to
// frames (an encoder fed hardware frames needs it before avcodec_open2).
int opkit_codec_set_hw_frames(AVCodecContext *cc, AVBufferRef *frames);

// Borrowed (not referenced) frames contexts: of a buffersink's input after
// configuration, and of a decoded hardware frame. NULL when there is none.
AVBufferRef *opkit_buffersink_hw_frames(AVFilterContext *sink);
AVBufferRef *opkit_frame_hw_frames(AVFrame *frame);

// opkit_frame_hw_frames_id identifies the frames pool (AVHWFramesContext) a
// hardware frame's surface comes from, 0 for a software frame: two frames
// of the same pool give the same value.
uintptr_t opkit_frame_hw_frames_id(const AVFrame *frame);

// opkit_log writes msg (and a line end) to libav's log at level, as an
// object of class "opkit", so that it reaches the log callback like
// libav's own messages.
void opkit_log(int level, const char *msg);

// opkit_cuda_load dlopens libcuda.so.1 and calls cuInit(0). Returns 0, or
// -1 with a message in err. Call once (the Go side does, under sync.Once).
int opkit_cuda_load(char *err, int errlen);

// After a successful opkit_cuda_load: the device count, and the name of
// device idx. Return 0 or the CUresult.
int opkit_cuda_device_count(int *count);
int opkit_cuda_device_name(int idx, char *buf, int len);

#endif
