// Package archive owns the transcoder's on-disk copy of its paid work: for
// every segment it keeps a receipt for, the source bytes and the renditions
// whose hashes the receipt commits to, so that a verifier challenged with
// the segment can fetch exactly what was claimed.
//
// Layout under the root, one directory per job and segment:
//
//	job-<job>/seg-<seg>/source-<dataHash>                  the source segment
//	job-<job>/seg-<seg>/out-<transcodedDataHash>/<i>-<name> rendition i of the ladder
//
// Renditions are keyed by their transcodedDataHash: a re-run of a segment
// (a retry, another worker) makes other bytes, and whichever receipt the
// claims store keeps, the renditions it commits to are found by its hash.
// Every set is written to a temporary directory and renamed into place, so
// a reader never sees half of one. Readers check every hash before they
// answer.
package archive

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/opkit-dev/opkit/claims"
)

// Errors a reader acts on.
var (
	// ErrNotFound: the archive holds nothing for the segment and hash.
	ErrNotFound = errors.New("archive: not found")
	// ErrCorrupt: what the archive holds does not hash to what was asked for.
	ErrCorrupt = errors.New("archive: content does not match its hash")
	// ErrBadRendition: a rendition name that cannot be a file name.
	ErrBadRendition = errors.New("archive: bad rendition name")
	// ErrTooLarge: a reader's size limit is below what is kept.
	ErrTooLarge = errors.New("archive: larger than the reader takes")
)

// Rendition is one output of a segment, in ladder order.
type Rendition struct {
	Name string // the ladder's rendition name
	Data []byte
}

// Archive is a directory of kept segments.
type Archive struct{ root string }

// Open uses (and creates) dir as the archive's root.
func Open(dir string) (*Archive, error) {
	if dir == "" {
		return nil, errors.New("archive: no directory")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	return &Archive{root: dir}, nil
}

// Root is the archive's directory.
func (a *Archive) Root() string { return a.root }

func (a *Archive) segDir(job, seg uint64) string {
	return filepath.Join(a.root, "job-"+strconv.FormatUint(job, 10), "seg-"+strconv.FormatUint(seg, 10))
}

// Keep stores source and renditions of segment seg of job, unless the
// archive already holds them (same hashes). It returns the renditions'
// transcodedDataHash, as claims.TranscodedDataHash computes it from their
// SHA-256s.
func (a *Archive) Keep(job, seg uint64, source []byte, rends []Rendition) (common.Hash, error) {
	return a.KeepHashed(job, seg, source, crypto.Keccak256Hash(source), rends)
}

// KeepHashed is Keep for a caller that has already hashed the source:
// dataHash must be keccak256(source), which it names the source by (the
// node hashed it to check the broadcaster's signature; keccak256 costs
// about 5 ms per 2 MiB). Readers check every hash again (CheckSource), so a
// wrong dataHash leaves a source no reader will find, never a wrong one.
func (a *Archive) KeepHashed(job, seg uint64, source []byte, dataHash common.Hash, rends []Rendition) (common.Hash, error) {
	for _, r := range rends {
		if !validName(r.Name) {
			return common.Hash{}, fmt.Errorf("%w: %q", ErrBadRendition, r.Name)
		}
	}
	dir := a.segDir(job, seg)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return common.Hash{}, fmt.Errorf("archive: %w", err)
	}
	src := filepath.Join(dir, "source-"+dataHash.Hex())
	if err := writeOnce(src, func(tmp string) error { return writeFile(tmp, source) }); err != nil {
		return common.Hash{}, err
	}
	h := RenditionsHash(rends)
	out := filepath.Join(dir, "out-"+h.Hex())
	err := writeOnce(out, func(tmp string) error {
		if err := os.Mkdir(tmp, 0o700); err != nil {
			return err
		}
		for i, r := range rends {
			if err := writeFile(filepath.Join(tmp, renditionFile(i, r.Name)), r.Data); err != nil {
				return err
			}
		}
		return nil
	})
	return h, err
}

// writeOnce makes path with fill(tmp) and a rename, unless path exists.
func writeOnce(path string, fill func(tmp string) error) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	tmp := fmt.Sprintf("%s.tmp-%d-%d", path, os.Getpid(), time.Now().UnixNano())
	if err := fill(tmp); err != nil {
		_ = os.RemoveAll(tmp)
		return fmt.Errorf("archive: write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.RemoveAll(tmp)
		if _, serr := os.Stat(path); serr == nil {
			return nil // another writer put the same content first
		}
		return fmt.Errorf("archive: %w", err)
	}
	return syncDir(filepath.Dir(path))
}

func writeFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	serr := f.Sync()
	return errors.Join(werr, serr, f.Close())
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	return errors.Join(d.Sync(), d.Close())
}

func renditionFile(i int, name string) string { return fmt.Sprintf("%02d-%s", i, name) }

// validName: a rendition name that is one plain path element.
func validName(name string) bool {
	return name != "" && name != "." && name != ".." && len(name) <= 128 &&
		!strings.ContainsAny(name, "/\\\x00") && !strings.HasPrefix(name, ".")
}

// Source returns the source bytes of segment seg of job that hash
// (keccak256) to dataHash.
func (a *Archive) Source(job, seg uint64, dataHash common.Hash) ([]byte, error) {
	path := filepath.Join(a.segDir(job, seg), "source-"+dataHash.Hex())
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: job %d segment %d source %s", ErrNotFound, job, seg, dataHash)
	}
	if err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	if err := CheckSource(job, seg, b, dataHash); err != nil {
		return nil, err
	}
	return b, nil
}

// RenditionsHash is the transcodedDataHash of rends: claims.TranscodedDataHash
// of their SHA-256s, in order.
func RenditionsHash(rends []Rendition) common.Hash {
	sums := make([][]byte, len(rends))
	for i, r := range rends {
		s := sha256.Sum256(r.Data)
		sums[i] = s[:]
	}
	return claims.TranscodedDataHash(sums...)
}

// CheckSource is nil when source hashes (keccak256) to dataHash, and an
// error wrapping ErrCorrupt otherwise: what every reader of a kept segment,
// local or remote, must check before using it.
func CheckSource(job, seg uint64, source []byte, dataHash common.Hash) error {
	if got := crypto.Keccak256Hash(source); got != dataHash {
		return fmt.Errorf("%w: job %d segment %d source hashes to %s, not %s", ErrCorrupt, job, seg, got, dataHash)
	}
	return nil
}

// CheckRenditions is nil when rends hash to transcodedDataHash h, and an
// error wrapping ErrCorrupt otherwise.
func CheckRenditions(job, seg uint64, rends []Rendition, h common.Hash) error {
	if got := RenditionsHash(rends); got != h {
		return fmt.Errorf("%w: job %d segment %d renditions hash to %s, not %s", ErrCorrupt, job, seg, got, h)
	}
	return nil
}

// Renditions returns, in ladder order, the renditions of segment seg of job
// whose transcodedDataHash is h.
func (a *Archive) Renditions(job, seg uint64, h common.Hash) ([]Rendition, error) {
	dir := filepath.Join(a.segDir(job, seg), "out-"+h.Hex())
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: job %d segment %d renditions %s", ErrNotFound, job, seg, h)
	}
	if err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	sort.Slice(ents, func(i, j int) bool { return ents[i].Name() < ents[j].Name() })
	rends := make([]Rendition, 0, len(ents))
	for i, e := range ents {
		idx, name, ok := strings.Cut(e.Name(), "-")
		if n, err := strconv.Atoi(idx); !ok || err != nil || n != i {
			return nil, fmt.Errorf("%w: job %d segment %d: unexpected file %s", ErrCorrupt, job, seg, e.Name())
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("archive: %w", err)
		}
		rends = append(rends, Rendition{Name: name, Data: b})
	}
	if err := CheckRenditions(job, seg, rends, h); err != nil {
		return nil, err
	}
	return rends, nil
}

// Prune removes the segments kept before cutoff (by the time their
// directory last changed) and the job directories left empty. It returns
// how many segments it removed.
func (a *Archive) Prune(cutoff time.Time) (int, error) {
	jobs, err := os.ReadDir(a.root)
	if err != nil {
		return 0, fmt.Errorf("archive: %w", err)
	}
	var n int
	var errs []error
	for _, j := range jobs {
		if !j.IsDir() || !strings.HasPrefix(j.Name(), "job-") {
			continue
		}
		jd := filepath.Join(a.root, j.Name())
		segs, err := os.ReadDir(jd)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		left := len(segs)
		for _, s := range segs {
			info, err := s.Info()
			if err != nil || !info.ModTime().Before(cutoff) {
				continue
			}
			if err := os.RemoveAll(filepath.Join(jd, s.Name())); err != nil {
				errs = append(errs, err)
				continue
			}
			n++
			left--
		}
		if left == 0 {
			_ = os.Remove(jd) // fails harmlessly if a writer just added one
		}
	}
	if len(errs) > 0 {
		return n, fmt.Errorf("archive: prune: %w", errors.Join(errs...))
	}
	return n, nil
}
