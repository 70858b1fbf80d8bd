#include "hwshim.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/hwcontext.h>
#include <libavutil/log.h>

int opkit_hwframes_new(AVBufferRef *device, int hw_format, int sw_format,
                       int width, int height, int pool_size, AVBufferRef **out)
{
    AVBufferRef *ref;
    AVHWFramesContext *fc;
    int ret;

    *out = NULL;
    if (!device || width <= 0 || height <= 0 || pool_size < 0)
        return AVERROR(EINVAL);
    ref = av_hwframe_ctx_alloc(device);
    if (!ref)
        return AVERROR(ENOMEM);
    fc = (AVHWFramesContext *)ref->data;
    fc->format = hw_format;
    fc->sw_format = sw_format;
    fc->width = width;
    fc->height = height;
    fc->initial_pool_size = pool_size;
    ret = av_hwframe_ctx_init(ref);
    if (ret < 0) {
        av_buffer_unref(&ref);
        return ret;
    }
    *out = ref;
    return 0;
}

int opkit_hwframe_get_buffer(AVBufferRef *frames, AVFrame *frame)
{
    if (!frames || !frame)
        return AVERROR(EINVAL);
    return av_hwframe_get_buffer(frames, frame, 0);
}

int opkit_buffersrc_set_hw_frames(AVFilterContext *src, AVBufferRef *frames)
{
    AVBufferSrcParameters *par;
    int ret;

    if (!src || !frames)
        return AVERROR(EINVAL);
    par = av_buffersrc_parameters_alloc();
    if (!par)
        return AVERROR(ENOMEM);
    par->format = ((AVHWFramesContext *)frames->data)->format;
    par->hw_frames_ctx = frames; // av_buffersrc_parameters_set takes its own ref
    ret = av_buffersrc_parameters_set(src, par);
    av_free(par);
    return ret;
}

int opkit_graph_set_hw_device(AVFilterGraph *g, AVBufferRef *device)
{
    if (!g || !device)
        return AVERROR(EINVAL);
    for (unsigned i = 0; i < g->nb_filters; i++) {
        AVFilterContext *f = g->filters[i];
        av_buffer_unref(&f->hw_device_ctx);
        f->hw_device_ctx = av_buffer_ref(device);
        if (!f->hw_device_ctx)
            return AVERROR(ENOMEM);
    }
    return 0;
}

int opkit_codec_set_hw_frames(AVCodecContext *cc, AVBufferRef *frames)
{
    if (!cc || !frames)
        return AVERROR(EINVAL);
    av_buffer_unref(&cc->hw_frames_ctx);
    cc->hw_frames_ctx = av_buffer_ref(frames);
    return cc->hw_frames_ctx ? 0 : AVERROR(ENOMEM);
}

AVBufferRef *opkit_buffersink_hw_frames(AVFilterContext *sink)
{
    return sink ? av_buffersink_get_hw_frames_ctx(sink) : NULL;
}

AVBufferRef *opkit_frame_hw_frames(AVFrame *frame)
{
    return frame ? frame->hw_frames_ctx : NULL;
}

uintptr_t opkit_frame_hw_frames_id(const AVFrame *frame)
{
    return frame && frame->hw_frames_ctx ? (uintptr_t)frame->hw_frames_ctx->data : 0;
}

static const AVClass opkit_log_class = {
    .class_name = "opkit",
    .item_name  = av_default_item_name,
    .version    = LIBAVUTIL_VERSION_INT,
};

void opkit_log(int level, const char *msg)
{
    const AVClass *cls = &opkit_log_class;

    av_log(&cls, level, "%s\n", msg ? msg : "");
}

// The few CUDA driver API entry points used, declared here so that no CUDA
// header is needed (CUresult is an int, CUdevice an int).
static int (*cu_init)(unsigned int);
static int (*cu_device_get_count)(int *);
static int (*cu_device_get)(int *, int);
static int (*cu_device_get_name)(char *, int, int);

int opkit_cuda_load(char *err, int errlen)
{
    void *h = dlopen("libcuda.so.1", RTLD_LAZY | RTLD_LOCAL);
    int ret;

    if (!h) {
        snprintf(err, errlen, "%s", dlerror());
        return -1;
    }
    cu_init = (int (*)(unsigned int))dlsym(h, "cuInit");
    cu_device_get_count = (int (*)(int *))dlsym(h, "cuDeviceGetCount");
    cu_device_get = (int (*)(int *, int))dlsym(h, "cuDeviceGet");
    cu_device_get_name = (int (*)(char *, int, int))dlsym(h, "cuDeviceGetName");
    if (!cu_init || !cu_device_get_count || !cu_device_get || !cu_device_get_name) {
        snprintf(err, errlen, "libcuda.so.1 lacks the driver API");
        cu_init = NULL;
        return -1;
    }
    ret = cu_init(0);
    if (ret != 0) {
        snprintf(err, errlen, "cuInit failed: CUresult %d", ret);
        cu_init = NULL;
        return -1;
    }
    return 0; // the handle stays open for the life of the process
}

int opkit_cuda_device_count(int *count)
{
    *count = 0;
    if (!cu_init)
        return -1;
    return cu_device_get_count(count);
}

int opkit_cuda_device_name(int idx, char *buf, int len)
{
    int dev, ret;

    if (!cu_init)
        return -1;
    ret = cu_device_get(&dev, idx);
    if (ret != 0)
        return ret;
    return cu_device_get_name(buf, len, dev);
}
