package keys

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"
)

// KeyFile is a V3 keystore file and the address it holds.
type KeyFile struct {
	Address common.Address `json:"address"`
	Path    string         `json:"path"`
}

// maxKeyFileSize bounds what is read as a key file; V3 files are under 1 KiB.
const maxKeyFileSize = 64 << 10

func readKeyFile(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("keys: %w", err)
	}
	if !st.Mode().IsRegular() || st.Size() > maxKeyFileSize {
		return nil, fmt.Errorf("%w: %s is not a key file", ErrInvalidKey, path)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("keys: %w", err)
	}
	return raw, nil
}

// keyFileAddress reads the address a V3 key file declares, without
// decrypting it.
func keyFileAddress(path string) (common.Address, error) {
	raw, err := readKeyFile(path)
	if err != nil {
		return common.Address{}, err
	}
	var v struct {
		Address string          `json:"address"`
		Crypto  json.RawMessage `json:"crypto"`
	}
	if err := json.Unmarshal(raw, &v); err != nil || len(v.Crypto) == 0 {
		return common.Address{}, fmt.Errorf("%w: %s is not a V3 key file", ErrInvalidKey, path)
	}
	if !common.IsHexAddress(v.Address) {
		return common.Address{}, fmt.Errorf("%w: %s has no valid address", ErrInvalidKey, path)
	}
	return common.HexToAddress(v.Address), nil
}

// List returns the key files in a keystore directory, sorted by file name
// (geth names them UTC--<time>--<address>, so oldest first). Files that are
// not key files are skipped, as geth does.
func List(dir string) ([]KeyFile, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("keys: read keystore: %w", err)
	}
	var out []KeyFile
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") {
			continue
		}
		path := filepath.Join(dir, name)
		addr, err := keyFileAddress(path)
		if err != nil {
			continue
		}
		out = append(out, KeyFile{Address: addr, Path: path})
	}
	slices.SortFunc(out, func(a, b KeyFile) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// Find locates a key. path is a keystore directory or a single key file.
// selector is empty (the first key), a decimal index into List, or an
// address.
func Find(path, selector string) (KeyFile, error) {
	st, err := os.Stat(path)
	if err != nil {
		return KeyFile{}, fmt.Errorf("keys: %w", err)
	}
	var files []KeyFile
	if st.IsDir() {
		if files, err = List(path); err != nil {
			return KeyFile{}, err
		}
	} else {
		addr, err := keyFileAddress(path)
		if err != nil {
			return KeyFile{}, err
		}
		files = []KeyFile{{Address: addr, Path: path}}
	}
	return selectKey(files, path, selector)
}

func selectKey(files []KeyFile, path, selector string) (KeyFile, error) {
	if len(files) == 0 {
		return KeyFile{}, fmt.Errorf("%w: no key files in %s", ErrNoKey, path)
	}
	switch {
	case selector == "":
		return files[0], nil
	case common.IsHexAddress(selector):
		want := common.HexToAddress(selector)
		for _, f := range files {
			if f.Address == want {
				return f, nil
			}
		}
		return KeyFile{}, fmt.Errorf("%w: %s not in %s", ErrNoKey, want, path)
	}
	i, err := strconv.Atoi(selector)
	if err != nil || i < 0 {
		return KeyFile{}, fmt.Errorf("%w: account %q is neither an index nor an address", ErrNoKey, selector)
	}
	if i >= len(files) {
		return KeyFile{}, fmt.Errorf("%w: account index %d, %s holds %d keys", ErrNoKey, i, path, len(files))
	}
	return files[i], nil
}
