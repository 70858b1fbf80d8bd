package solver

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/opkit-dev/opkit/claims"
	"github.com/opkit-dev/opkit/claims/archive"
	"github.com/opkit-dev/opkit/ffmpeg"
)

// DefaultMinPSNR is the lowest luma PSNR, in dB, of a transcoder's
// rendition against the solver's own encode of the same profile that
// passes. Two honest x264 encodes of one segment that differ only in
// threads, preset or scaler path agree at 40 to 46 dB on the reference
// media; a rendition of another segment's content, or one encoded far below
// its profile's bitrate, is at 24 to 30 dB.
const DefaultMinPSNR = 35.0

// Segments is where the challenged segment and its renditions are fetched
// from: *archive.Archive, the transcoder's segment store.
type Segments interface {
	Source(job, seg uint64, dataHash common.Hash) ([]byte, error)
	Renditions(job, seg uint64, transcodedDataHash common.Hash) ([]archive.Rendition, error)
}

// TranscodeChecker decides a request by re-encoding the challenged segment
// with the job's profiles and comparing each rendition the transcoder
// committed to with its own:
//
//  1. the source must hash (keccak256) to the request's dataHash and the
//     renditions to its transcodedDataHash (keccak256 of their SHA-256s in
//     profile order): the bytes are exactly what the claim commits to;
//  2. there must be one rendition per profile, named as the profile;
//  3. a rendition byte-identical to the solver's encode passes; any other
//     must decode to the profile's size, with the same frame count as the
//     solver's encode (within PSNR's tolerance), at MinPSNR or more.
//
// x264's bytes are not reproducible across thread counts, CPUs or the GPU
// scaler, so (3) compares pictures, not bytes; (1) binds those pictures
// to the claim.
type TranscodeChecker struct {
	Segments Segments
	// Profiles resolves a profile id (claims.ProfileID of a rendition
	// name) to the rendition to encode.
	Profiles func(id string) (ffmpeg.RenditionSpec, bool)
	MinPSNR  float64 // 0: DefaultMinPSNR
	Preset   string  // x264 preset of the solver's encode; empty: the engine's
}

// Check implements Checker.
func (c *TranscodeChecker) Check(ctx context.Context, r Request) (Verdict, error) {
	specs, err := c.specs(r.Options)
	if err != nil {
		return Verdict{}, err
	}
	src, err := c.Segments.Source(r.Job, r.Seg, r.DataHash)
	if errors.Is(err, archive.ErrTooLarge) {
		return Verdict{}, fmt.Errorf("%w: %w", ErrCannotJudge, err)
	}
	if err != nil {
		return Verdict{}, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	theirs, err := c.Segments.Renditions(r.Job, r.Seg, r.TranscodedDataHash)
	if errors.Is(err, archive.ErrTooLarge) {
		return Verdict{}, fmt.Errorf("%w: %w", ErrCannotJudge, err)
	}
	if errors.Is(err, archive.ErrCorrupt) {
		return Verdict{Reason: "the stored renditions do not hash to the claimed transcodedDataHash: " + err.Error()}, nil
	}
	if err != nil {
		return Verdict{}, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	if len(theirs) != len(specs) {
		return Verdict{Reason: fmt.Sprintf("%d renditions for %d profiles", len(theirs), len(specs))}, nil
	}
	for i, s := range specs {
		if theirs[i].Name != s.Name {
			return Verdict{Reason: fmt.Sprintf("rendition %d is %q, the job's profile %q", i, theirs[i].Name, s.Name)}, nil
		}
	}
	ours, err := c.encode(ctx, src, specs)
	if err != nil {
		return Verdict{}, err
	}
	minPSNR := c.MinPSNR
	if minPSNR == 0 {
		minPSNR = DefaultMinPSNR
	}
	worst := ffmpeg.MaxPSNR
	for i := range specs {
		v, psnr, err := compare(ctx, ours.Renditions[i], theirs[i], minPSNR)
		if err != nil || !v.Pass {
			return v, err
		}
		worst = min(worst, psnr)
	}
	return Verdict{Pass: true, Reason: fmt.Sprintf("%d renditions match the re-encode (lowest luma PSNR %.1f dB)", len(specs), worst)}, nil
}

// specs resolves the job's profiles; an unknown one cannot be judged.
func (c *TranscodeChecker) specs(options string) ([]ffmpeg.RenditionSpec, error) {
	n, err := claims.ProfileCount(options)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCannotJudge, err)
	}
	specs := make([]ffmpeg.RenditionSpec, n)
	for i := range specs {
		id := options[i*claims.ProfileIDLength : (i+1)*claims.ProfileIDLength]
		s, ok := c.Profiles(id)
		if !ok {
			return nil, fmt.Errorf("%w: profile id %s is not a known rendition (give its ladder to the verifier)", ErrCannotJudge, id)
		}
		specs[i] = s
	}
	return specs, nil
}

// encode is the solver's own transcode of the source, in a fresh session.
func (c *TranscodeChecker) encode(ctx context.Context, src []byte, specs []ffmpeg.RenditionSpec) (*ffmpeg.SegmentResult, error) {
	sess, err := ffmpeg.NewSession(ffmpeg.Options{Renditions: specs, Preset: c.Preset, Audio: ffmpeg.AudioDrop})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCannotJudge, err)
	}
	defer sess.Close()
	res, err := sess.Transcode(ctx, ffmpeg.Input{Data: src})
	if err != nil {
		if ffmpeg.IsInputError(err) {
			return nil, fmt.Errorf("%w: the source does not transcode: %w", ErrCannotJudge, err)
		}
		return nil, fmt.Errorf("re-encode the segment: %w", err)
	}
	return res, nil
}

// compare judges one of the transcoder's renditions against the solver's.
func compare(ctx context.Context, ours ffmpeg.RenditionResult, theirs archive.Rendition, minPSNR float64) (Verdict, float64, error) {
	if sha256.Sum256(theirs.Data) == ours.SHA256 {
		return Verdict{Pass: true}, ffmpeg.MaxPSNR, nil
	}
	info, err := ffmpeg.ProbeContext(ctx, ffmpeg.Input{Data: theirs.Data})
	if err != nil {
		if ctx.Err() != nil {
			return Verdict{}, 0, ctx.Err()
		}
		return Verdict{Reason: fmt.Sprintf("%s does not decode: %v", theirs.Name, err)}, 0, nil
	}
	if info.Video.Width != ours.Width || info.Video.Height != ours.Height {
		return Verdict{Reason: fmt.Sprintf("%s is %dx%d, the profile %dx%d", theirs.Name, info.Video.Width, info.Video.Height, ours.Width, ours.Height)}, 0, nil
	}
	q, err := ffmpeg.PSNRContext(ctx, ffmpeg.Input{Data: ours.Data}, ffmpeg.Input{Data: theirs.Data})
	switch {
	case ctx.Err() != nil:
		return Verdict{}, 0, ctx.Err()
	case errors.Is(err, ffmpeg.ErrFrameMismatch):
		return Verdict{Reason: fmt.Sprintf("%s: %v", theirs.Name, err)}, 0, nil
	case err != nil:
		return Verdict{Reason: fmt.Sprintf("%s cannot be compared: %v", theirs.Name, err)}, 0, nil
	case q.Y < minPSNR:
		return Verdict{Reason: fmt.Sprintf("%s: luma PSNR %.1f dB against the re-encode, below %.1f", theirs.Name, q.Y, minPSNR)}, q.Y, nil
	}
	return Verdict{Pass: true}, q.Y, nil
}

var _ Segments = (*archive.Archive)(nil)
