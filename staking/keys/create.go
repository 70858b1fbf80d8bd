package keys

import (
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/google/uuid"
)

// Scrypt cost of new key files.
type Scrypt struct{ N, P int }

var (
	// StandardScrypt is geth's default: about a second and 256 MiB to unlock.
	StandardScrypt = Scrypt{N: keystore.StandardScryptN, P: keystore.StandardScryptP}
	// LightScrypt is for dev and test keys only.
	LightScrypt = Scrypt{N: keystore.LightScryptN, P: keystore.LightScryptP}
)

// New creates a random key, encrypts it with password and stores it in dir.
func New(dir string, password []byte, s Scrypt) (KeyFile, error) {
	key, err := ecdsa.GenerateKey(crypto.S256(), rand.Reader)
	if err != nil {
		return KeyFile{}, fmt.Errorf("keys: generate: %w", err)
	}
	return store(dir, key, password, s)
}

// ImportHexFile reads a hex private key (with or without 0x, surrounding
// whitespace ignored) from path and stores it in dir encrypted with password.
// The key is read from a file, never from the command line, where other
// users and shell history would see it.
func ImportHexFile(dir, path string, password []byte, s Scrypt) (KeyFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return KeyFile{}, fmt.Errorf("keys: key file: %w", err)
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, 1024))
	if err != nil {
		return KeyFile{}, fmt.Errorf("keys: key file: %w", err)
	}
	text := strings.TrimPrefix(strings.TrimSpace(string(raw)), "0x")
	b, err := hex.DecodeString(text)
	if err != nil || len(b) != 32 {
		return KeyFile{}, fmt.Errorf("%w: %s does not hold a 32-byte hex private key", ErrInvalidKey, path)
	}
	key, err := crypto.ToECDSA(b)
	if err != nil {
		return KeyFile{}, fmt.Errorf("%w: %s: %v", ErrInvalidKey, path, err)
	}
	return store(dir, key, password, s)
}

// store writes key to dir as a V3 file named as geth names them. It refuses
// to store an address the keystore already holds.
func store(dir string, key *ecdsa.PrivateKey, password []byte, s Scrypt) (KeyFile, error) {
	addr := crypto.PubkeyToAddress(key.PublicKey)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return KeyFile{}, fmt.Errorf("keys: keystore dir: %w", err)
	}
	existing, err := List(dir)
	if err != nil {
		return KeyFile{}, err
	}
	for _, f := range existing {
		if f.Address == addr {
			return KeyFile{}, fmt.Errorf("%w: %s in %s", ErrExists, addr, f.Path)
		}
	}
	id, err := uuid.NewRandom()
	if err != nil {
		return KeyFile{}, fmt.Errorf("keys: key id: %w", err)
	}
	k := &keystore.Key{Id: id, Address: addr, PrivateKey: key}
	blob, err := keystore.EncryptKey(k, string(password), s.N, s.P)
	if err != nil {
		return KeyFile{}, fmt.Errorf("keys: encrypt: %w", err)
	}
	path := filepath.Join(dir, keyFileName(addr.Hex(), time.Now().UTC()))
	if err := writeNew(path, blob); err != nil {
		return KeyFile{}, err
	}
	return KeyFile{Address: addr, Path: path}, nil
}

// keyFileName is geth's UTC--<ISO8601>--<address without 0x> naming.
func keyFileName(addrHex string, t time.Time) string {
	ts := fmt.Sprintf("%04d-%02d-%02dT%02d-%02d-%02d.%09dZ",
		t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond())
	return "UTC--" + ts + "--" + strings.ToLower(strings.TrimPrefix(addrHex, "0x"))
}

// writeNew writes a file readable only by its owner, atomically, and never
// over an existing file.
func writeNew(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-key-*")
	if err != nil {
		return fmt.Errorf("keys: write key: %w", err)
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("keys: write key: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("keys: write key: %w", err)
	}
	return os.Remove(tmp.Name())
}
