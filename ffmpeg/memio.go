package ffmpeg

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"

	"github.com/asticode/go-astiav"
)

// In-memory AVIO for libavformat, shared by Probe, PSNR, the synthetic
// generator and the Session: openInput demuxes an Input from a path or from
// bytes, and memOutput collects a muxer's output in memory.

// avseekSize and avseekForce are libavformat's AVSEEK_SIZE and AVSEEK_FORCE
// whence flags (avio.h); go-astiav does not export them.
const (
	avseekSize  = 0x10000
	avseekForce = 0x20000
)

// errEinval is AVERROR(EINVAL), which go-astiav does not export.
var errEinval = astiav.Error(-int(syscall.EINVAL))

// ioBufferSize is the AVIO buffer libavformat reads and writes through.
const ioBufferSize = 64 << 10

// memReader is the read/seek side of an AVIO context over a byte slice. It
// returns AVERROR_EOF at the end and AVERROR_EXIT once ctx is done, so a
// cancelled context stops a demuxer that is reading.
//
// go-astiav v0.16.0 never removes an IO context's callbacks from its handler
// table, so the reader stays reachable after IOContext.Free: release drops
// what it refers to (the segment's bytes, the caller's context).
type memReader struct {
	ctx  context.Context
	data []byte
	pos  int64
}

func (r *memReader) read(b []byte) (int, error) {
	if r.ctx == nil || r.ctx.Err() != nil {
		return 0, astiav.ErrExit
	}
	if r.pos >= int64(len(r.data)) {
		return 0, astiav.ErrEof
	}
	n := copy(b, r.data[r.pos:])
	r.pos += int64(n)
	return n, nil
}

// release drops the reader's data and context; it reads nothing after.
func (r *memReader) release() {
	r.data, r.ctx, r.pos = nil, nil, 0
}

func (r *memReader) seek(offset int64, whence int) (int64, error) {
	if whence&avseekSize != 0 {
		return int64(len(r.data)), nil
	}
	var abs int64
	switch whence &^ avseekForce {
	case io.SeekStart:
		abs = offset
	case io.SeekCurrent:
		abs = r.pos + offset
	case io.SeekEnd:
		abs = int64(len(r.data)) + offset
	default:
		return 0, errEinval
	}
	if abs < 0 {
		return 0, errEinval
	}
	r.pos = abs
	return abs, nil
}

// demuxer is an opened input. close releases everything, including the
// custom AVIO context, and is safe to call once.
type demuxer struct {
	fc *astiav.FormatContext
	pb *astiav.IOContext // nil for paths
	r  *memReader        // pb's reader; nil for paths
	// intr aborts blocking file I/O once ctx is done (stop unregisters
	// it); the field keeps it alive while the C side points to it.
	intr astiav.IOInterrupter
	stop func() bool
}

// openInput opens in for demuxing and reads its stream info. A cancelled ctx
// interrupts libavformat's I/O. Errors from libavformat are wrapped in
// ErrCorrupt with the libav error text; an empty Input is ErrBadOptions.
func openInput(ctx context.Context, in Input) (*demuxer, error) {
	d, err := openInputUnprobed(ctx, in)
	if err != nil {
		return nil, err
	}
	if err := d.probe(ctx); err != nil {
		d.close()
		return nil, err
	}
	return d, nil
}

// probe reads the stream info (avformat_find_stream_info): codec
// parameters, frame rates and durations, found by reading and decoding the
// first packets.
func (d *demuxer) probe(ctx context.Context) error {
	if err := d.fc.FindStreamInfo(nil); err != nil {
		return d.wrap(ctx, "find stream info", err)
	}
	return nil
}

// openInputUnprobed opens in and reads its header only: the streams are
// known, their parameters only as far as the container header gives them.
func openInputUnprobed(ctx context.Context, in Input) (*demuxer, error) {
	if in.Path == "" && len(in.Data) == 0 {
		return nil, fmt.Errorf("open input: %w: neither path nor data given", ErrBadOptions)
	}
	if in.Path != "" {
		// libavformat would report a missing file as an I/O error of the
		// input; say plainly that it is not there.
		if _, err := os.Stat(in.Path); err != nil {
			return nil, fmt.Errorf("open input: %w", err)
		}
	}
	var ifmt *astiav.InputFormat
	if in.FormatHint != "" {
		if ifmt = astiav.FindInputFormat(in.FormatHint); ifmt == nil {
			return nil, fmt.Errorf("open input: %w: unknown format %q", ErrBadOptions, in.FormatHint)
		}
	}
	fc := astiav.AllocFormatContext()
	if fc == nil {
		return nil, errors.New("open input: allocating format context failed")
	}
	d := &demuxer{fc: fc}
	d.intr = fc.SetInterruptCallback()
	d.stop = context.AfterFunc(ctx, d.intr.Interrupt)
	url := in.Path
	if in.Path == "" {
		r := &memReader{ctx: ctx, data: in.Data}
		pb, err := astiav.AllocIOContext(ioBufferSize, false, r.read, r.seek, nil)
		if err != nil {
			d.close()
			return nil, fmt.Errorf("open input: allocating io context: %w", err)
		}
		d.pb, d.r = pb, r
		fc.SetPb(pb)
		url = ""
	}
	if err := fc.OpenInput(url, ifmt, nil); err != nil {
		// avformat_open_input freed the format context on failure and
		// go-astiav's CloseInput would dereference it: only Free (of NULL).
		d.fc.Free()
		d.fc = nil
		d.close()
		return nil, d.wrap(ctx, "open input", err)
	}
	return d, nil
}

// wrap turns a libav error into ErrCorrupt, or into ctx's error when the
// context was cancelled.
func (d *demuxer) wrap(ctx context.Context, op string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", op, ctx.Err())
	}
	return fmt.Errorf("%s: %w: %w", op, ErrCorrupt, err)
}

func (d *demuxer) close() {
	if d.stop != nil {
		d.stop()
	}
	if d.fc != nil {
		d.fc.CloseInput()
		d.fc.Free()
		d.fc = nil
	}
	if d.pb != nil {
		d.pb.Free()
		d.pb = nil
	}
	if d.r != nil {
		d.r.release()
		d.r = nil
	}
}

// memOutput collects what a muxer writes. It supports seeking (the MP4 muxer
// seeks back to write its moov size) and AVSEEK_SIZE.
//
// Use newMemOutput, set the returned IOContext as the output format
// context's Pb, and call Free on it after WriteTrailer; Bytes is the muxed
// output.
type memOutput struct {
	buf []byte
	pos int64
	// budget, when set, bounds how far buf may grow; over is set (and
	// the write fails) once it would pass.
	budget *outputBudget
	over   bool
}

// newMemOutput allocates a writable AVIO context whose output lands in the
// returned memOutput.
func newMemOutput() (*memOutput, *astiav.IOContext, error) {
	m := &memOutput{}
	pb, err := astiav.AllocIOContext(ioBufferSize, true, nil, m.seek, m.write)
	if err != nil {
		return nil, nil, fmt.Errorf("allocating output io context: %w", err)
	}
	return m, pb, nil
}

// Bytes returns the output written so far (after the AVIO context is
// flushed, which WriteTrailer does).
func (m *memOutput) Bytes() []byte { return m.buf }

func (m *memOutput) write(b []byte) (int, error) {
	end := m.pos + int64(len(b))
	if end > int64(len(m.buf)) {
		if !m.budget.take(end - int64(len(m.buf))) {
			m.over = true
			return 0, errOutputFull
		}
		if end > int64(cap(m.buf)) {
			nb := make([]byte, end, max(end, 2*int64(cap(m.buf))))
			copy(nb, m.buf)
			m.buf = nb
		}
		m.buf = m.buf[:end]
	}
	copy(m.buf[m.pos:], b)
	m.pos = end
	return len(b), nil
}

func (m *memOutput) seek(offset int64, whence int) (int64, error) {
	if whence&avseekSize != 0 {
		return int64(len(m.buf)), nil
	}
	var abs int64
	switch whence &^ avseekForce {
	case io.SeekStart:
		abs = offset
	case io.SeekCurrent:
		abs = m.pos + offset
	case io.SeekEnd:
		abs = int64(len(m.buf)) + offset
	default:
		return 0, errEinval
	}
	if abs < 0 {
		return 0, errEinval
	}
	m.pos = abs
	return abs, nil
}
