package node

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/textproto"
	"strconv"

	"github.com/opkit-dev/opkit/ffmpeg"
	"github.com/opkit-dev/opkit/transcoder"
)

// The wire format of a segment answer, shared by `opkit node`'s clients and
// by remote transcoders posting results to their orchestrator: a
// multipart/mixed body with one part per rendition (the muxed bytes, named
// by the Rendition-* headers) and a last application/json part holding the
// Result.
const (
	HeaderRenditionName   = "Rendition-Name"
	HeaderRenditionWidth  = "Rendition-Width"
	HeaderRenditionHeight = "Rendition-Height"
	HeaderRenditionFrames = "Rendition-Frames"
	HeaderRenditionSHA256 = "Rendition-Sha256" // canonical form of Rendition-SHA256
)

// ErrBadResponse reports a segment answer that does not follow the wire
// format or whose bytes do not match their SHA-256.
var ErrBadResponse = errors.New("malformed segment response")

// Response is a transcoded segment as it travels over HTTP.
type Response struct {
	Result     Result
	Renditions []Rendition
}

// Result is the JSON part of a segment answer: the engine's result
// without the bytes.
type Result struct {
	Stream     string                   `json:"stream"`
	Seq        int                      `json:"seq"`
	SessionSeq int                      `json:"session_seq"` // segments the session had done before this one
	Worker     string                   `json:"worker,omitempty"`
	Segment    transcoder.SegmentReport `json:"segment"`
	// Receipt is the hash of the receipt the node keeps for a paid
	// segment: the first one stored, also when a repeat's re-run hashed
	// otherwise.
	Receipt string `json:"receipt,omitempty"`
}

// Rendition is one rendition of one segment.
type Rendition struct {
	Name          string
	Width, Height int
	Frames        int64
	SHA256        string // hex
	Data          []byte
}

func newResponse(stream string, seq int, res *ffmpeg.SegmentResult) *Response {
	r := &Response{Result: Result{
		Stream: stream, Seq: seq, SessionSeq: res.Seq,
		Segment: transcoder.NewSegmentReport(transcoder.StreamSegment{Index: seq, Name: stream}, res, nil),
	}}
	for _, rr := range res.Renditions {
		r.Renditions = append(r.Renditions, Rendition{
			Name: rr.Name, Width: rr.Width, Height: rr.Height, Frames: rr.Frames,
			SHA256: hex.EncodeToString(rr.SHA256[:]), Data: rr.Data,
		})
	}
	return r
}

// Encode writes r as multipart/mixed to w and returns the Content-Type to
// send with it.
func (r *Response) Encode(w io.Writer) (contentType string, err error) {
	mw := multipart.NewWriter(w)
	for _, rr := range r.Renditions {
		h := textproto.MIMEHeader{}
		h.Set("Content-Type", "application/octet-stream")
		h.Set(HeaderRenditionName, rr.Name)
		h.Set(HeaderRenditionWidth, strconv.Itoa(rr.Width))
		h.Set(HeaderRenditionHeight, strconv.Itoa(rr.Height))
		h.Set(HeaderRenditionFrames, strconv.FormatInt(rr.Frames, 10))
		h.Set(HeaderRenditionSHA256, rr.SHA256)
		pw, err := mw.CreatePart(h)
		if err != nil {
			return "", fmt.Errorf("write rendition %s: %w", rr.Name, err)
		}
		if _, err := pw.Write(rr.Data); err != nil {
			return "", fmt.Errorf("write rendition %s: %w", rr.Name, err)
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Type", "application/json")
	pw, err := mw.CreatePart(h)
	if err != nil {
		return "", fmt.Errorf("write result: %w", err)
	}
	if err := json.NewEncoder(pw).Encode(r.Result); err != nil {
		return "", fmt.Errorf("write result: %w", err)
	}
	if err := mw.Close(); err != nil {
		return "", fmt.Errorf("write result: %w", err)
	}
	return "multipart/mixed; boundary=" + mw.Boundary(), nil
}

// ReadResponse parses a segment answer and checks every rendition's
// bytes against its Rendition-SHA256 header. Errors wrap ErrBadResponse.
func ReadResponse(contentType string, body io.Reader) (*Response, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/mixed" || params["boundary"] == "" {
		return nil, fmt.Errorf("%w: content type %q", ErrBadResponse, contentType)
	}
	mr := multipart.NewReader(body, params["boundary"])
	r := &Response{}
	sawResult := false
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrBadResponse, err)
		}
		if p.Header.Get("Content-Type") == "application/json" {
			if err := json.NewDecoder(p).Decode(&r.Result); err != nil {
				return nil, fmt.Errorf("%w: result part: %w", ErrBadResponse, err)
			}
			sawResult = true
			continue
		}
		rr, err := readRenditionPart(p)
		if err != nil {
			return nil, err
		}
		r.Renditions = append(r.Renditions, rr)
	}
	if !sawResult {
		return nil, fmt.Errorf("%w: no result part", ErrBadResponse)
	}
	return r, nil
}

func readRenditionPart(p *multipart.Part) (Rendition, error) {
	h := p.Header
	rr := Rendition{Name: h.Get(HeaderRenditionName), SHA256: h.Get(HeaderRenditionSHA256)}
	var errs []error
	var err error
	rr.Width, err = strconv.Atoi(h.Get(HeaderRenditionWidth))
	errs = append(errs, err)
	rr.Height, err = strconv.Atoi(h.Get(HeaderRenditionHeight))
	errs = append(errs, err)
	rr.Frames, err = strconv.ParseInt(h.Get(HeaderRenditionFrames), 10, 64)
	errs = append(errs, err)
	if err := errors.Join(errs...); err != nil || rr.Name == "" {
		return rr, fmt.Errorf("%w: rendition part %q headers: %v", ErrBadResponse, rr.Name, err)
	}
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, p); err != nil {
		return rr, fmt.Errorf("%w: rendition %s: %w", ErrBadResponse, rr.Name, err)
	}
	rr.Data = buf.Bytes()
	if sum := sha256.Sum256(rr.Data); hex.EncodeToString(sum[:]) != rr.SHA256 {
		return rr, fmt.Errorf("%w: rendition %s: SHA-256 mismatch", ErrBadResponse, rr.Name)
	}
	return rr, nil
}

// errorBody is the JSON body of every error answer. Code is a stable,
// machine-readable name (see inputErrorCodes for 422).
type errorBody struct {
	Error string `json:"error"`
	Code  string `json:"code"`
}

// inputErrorCodes name the engine's typed input errors on the wire, so a
// 422 from a remote transcoder unwraps to the same sentinel at the
// orchestrator.
var inputErrorCodes = []struct {
	code string
	err  error
}{
	{"no_video", ffmpeg.ErrNoVideo}, {"no_keyframe", ffmpeg.ErrNoKeyframe},
	{"unsupported_codec", ffmpeg.ErrUnsupportedCodec}, {"unsupported_pixfmt", ffmpeg.ErrUnsupportedPixFmt},
	{"corrupt", ffmpeg.ErrCorrupt}, {"too_large", ffmpeg.ErrTooLarge}, {"too_long", ffmpeg.ErrTooLong},
	{"too_many_frames", ffmpeg.ErrTooManyFrames}, {"output_too_large", ffmpeg.ErrOutputTooLarge},
}

func inputErrorCode(err error) (string, bool) {
	for _, c := range inputErrorCodes {
		if errors.Is(err, c.err) {
			return c.code, true
		}
	}
	return "", false
}

// RemoteInputError is a typed input error reported by a remote
// transcoder; it unwraps to the engine's sentinel (ffmpeg.ErrCorrupt...).
type RemoteInputError struct {
	Msg string
	Err error
}

func (e *RemoteInputError) Error() string { return e.Msg }
func (e *RemoteInputError) Unwrap() error { return e.Err }

func remoteInputError(b errorBody) (error, bool) {
	for _, c := range inputErrorCodes {
		if c.code == b.Code {
			return &RemoteInputError{Msg: b.Error, Err: c.err}, true
		}
	}
	return nil, false
}
