package keys

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// A published test vector: the first of the well-known development accounts
// (Hardhat, Anvil) derived from the "test test ... junk" mnemonic.
const (
	vectorKey  = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
	vectorAddr = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
)

var testPassword = []byte("correct horse")

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportFindUnlockSign(t *testing.T) {
	dir := t.TempDir()
	keyFile := writeFile(t, t.TempDir(), "key.hex", "0x"+vectorKey+"\n")
	kf, err := ImportHexFile(dir, keyFile, testPassword, LightScrypt)
	if err != nil {
		t.Fatal(err)
	}
	if kf.Address != common.HexToAddress(vectorAddr) {
		t.Fatalf("imported %s, want %s", kf.Address, vectorAddr)
	}
	if st, err := os.Stat(kf.Path); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v; want 0600", st.Mode(), err)
	}
	if _, err := ImportHexFile(dir, keyFile, testPassword, LightScrypt); !errors.Is(err, ErrExists) {
		t.Fatalf("second import: %v, want ErrExists", err)
	}

	for _, sel := range []string{"", "0", vectorAddr, strings.ToLower(vectorAddr)} {
		got, err := Find(dir, sel)
		if err != nil || got != kf {
			t.Fatalf("Find(dir, %q) = %v, %v", sel, got, err)
		}
	}
	if got, err := Find(kf.Path, ""); err != nil || got != kf {
		t.Fatalf("Find(file) = %v, %v", got, err)
	}

	if _, err := Unlock(kf, []byte("wrong")); !errors.Is(err, ErrBadPassword) {
		t.Fatalf("wrong password: %v, want ErrBadPassword", err)
	}
	acct, err := Unlock(kf, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{fmt.Sprint(acct), fmt.Sprintf("%+v", acct), fmt.Sprintf("%#v", acct)} {
		if strings.Contains(strings.ToLower(s), vectorKey[:16]) {
			t.Fatalf("formatting the account leaks the key: %s", s)
		}
	}

	chainID := big.NewInt(1337)
	tx := types.NewTx(&types.DynamicFeeTx{ChainID: chainID, Nonce: 7, Gas: 21000, GasFeeCap: big.NewInt(1), To: &common.Address{}})
	signed, err := acct.SignTx(context.Background(), acct.Address(), tx)
	if err != nil {
		t.Fatal(err)
	}
	sender, err := types.Sender(types.LatestSignerForChainID(chainID), signed)
	if err != nil || sender != acct.Address() {
		t.Fatalf("recovered %s, %v; want %s", sender, err, acct.Address())
	}
	if _, err := acct.SignTx(context.Background(), common.HexToAddress("0x01"), tx); !errors.Is(err, ErrWrongAccount) {
		t.Fatalf("signing for another address: %v", err)
	}
	opts, err := acct.TransactOpts(context.Background(), chainID)
	if err != nil || opts.From != acct.Address() {
		t.Fatalf("TransactOpts: %v, %v", opts, err)
	}
}

// TestGethKeystoreInterop reads files written by go-ethereum's own keystore
// and selects among several by index and address.
func TestGethKeystoreInterop(t *testing.T) {
	dir := t.TempDir()
	var want []common.Address
	for range 3 {
		a, err := keystore.StoreKey(dir, string(testPassword), keystore.LightScryptN, keystore.LightScryptP)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, a.Address)
	}
	writeFile(t, dir, "README", "not a key")
	files, err := List(dir)
	if err != nil || len(files) != 3 {
		t.Fatalf("List: %d files, %v; want 3", len(files), err)
	}
	for i, f := range files {
		byIndex, err := Find(dir, fmt.Sprint(i))
		if err != nil || byIndex != f {
			t.Fatalf("index %d: %v, %v", i, byIndex, err)
		}
		if _, err := Unlock(f, testPassword); err != nil {
			t.Fatalf("unlock geth key %s: %v", f.Address, err)
		}
	}
	for _, a := range want {
		if _, err := Find(dir, a.Hex()); err != nil {
			t.Fatalf("Find(%s): %v", a, err)
		}
	}
	if _, err := Find(dir, "3"); !errors.Is(err, ErrNoKey) {
		t.Fatalf("index out of range: %v", err)
	}
	if _, err := Find(dir, "0x0000000000000000000000000000000000000001"); !errors.Is(err, ErrNoKey) {
		t.Fatalf("unknown address: %v", err)
	}
	if _, err := Find(dir, "first"); !errors.Is(err, ErrNoKey) {
		t.Fatalf("bad selector: %v", err)
	}
	if _, err := Find(t.TempDir(), ""); !errors.Is(err, ErrNoKey) {
		t.Fatalf("empty keystore: %v", err)
	}
}

func TestNewKeyRoundTrip(t *testing.T) {
	dir := t.TempDir()
	kf, err := New(dir, testPassword, LightScrypt)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(filepath.Base(kf.Path), "UTC--") ||
		!strings.HasSuffix(kf.Path, strings.ToLower(kf.Address.Hex()[2:])) {
		t.Fatalf("file name %s is not geth's UTC--<time>--<address>", kf.Path)
	}
	// go-ethereum's keystore decrypts what we wrote.
	raw, _ := os.ReadFile(kf.Path)
	k, err := keystore.DecryptKey(raw, string(testPassword))
	if err != nil || k.Address != kf.Address {
		t.Fatalf("geth cannot read the new key: %v", err)
	}
}

func TestImportRejectsBadKeys(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"short":   "abcd",
		"not hex": strings.Repeat("zz", 32),
		"zero":    strings.Repeat("00", 32),
		"empty":   "",
	} {
		t.Run(name, func(t *testing.T) {
			p := writeFile(t, t.TempDir(), "k", content)
			if _, err := ImportHexFile(dir, p, testPassword, LightScrypt); !errors.Is(err, ErrInvalidKey) {
				t.Fatalf("got %v, want ErrInvalidKey", err)
			}
		})
	}
}

func TestReadPasswordFile(t *testing.T) {
	cases := []struct{ name, content, want string }{
		{"newline trimmed", "secret\n", "secret"},
		{"crlf trimmed", "secret\r\n", "secret"},
		{"only one newline trimmed", "secret\n\n", "secret\n"},
		{"spaces kept", " secret ", " secret "},
		{"no newline", "secret", "secret"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, t.TempDir(), "pw", tc.content)
			got, err := ReadPasswordFile(p)
			if err != nil || string(got) != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
	big := writeFile(t, t.TempDir(), "pw", strings.Repeat("x", maxPasswordFileSize+1))
	if _, err := ReadPasswordFile(big); err == nil {
		t.Fatal("oversized password file accepted")
	}
}

type scripted []string

func (s *scripted) Password(string) ([]byte, error) {
	if len(*s) == 0 {
		return nil, errors.New("no more answers")
	}
	a := (*s)[0]
	*s = (*s)[1:]
	return []byte(a), nil
}

func TestPasswordSources(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close(); _ = w.Close() })
	if _, err := (TerminalPrompter{In: r, Out: w}).Password("pw: "); !errors.Is(err, ErrNoPassword) {
		t.Fatalf("prompt on a pipe: %v, want ErrNoPassword", err)
	}
	if _, err := Password("", nil, "pw: "); !errors.Is(err, ErrNoPassword) {
		t.Fatalf("no source: %v", err)
	}
	if pw, err := NewPassword("", &scripted{"a", "a"}); err != nil || string(pw) != "a" {
		t.Fatalf("matching new password: %q, %v", pw, err)
	}
	if _, err := NewPassword("", &scripted{"a", "b"}); err == nil {
		t.Fatal("mismatched passwords accepted")
	}
	if _, err := NewPassword(writeFile(t, t.TempDir(), "pw", "\n"), nil); err == nil {
		t.Fatal("empty password file accepted for a new key")
	}
}

// TestAccountSignTextIsEIP191: an unlocked account signs text exactly as
// SignText does with the raw key (the published web3.js vector's key), so a
// broadcaster's segment signatures come from the keystore without a second
// decrypt.
func TestAccountSignTextIsEIP191(t *testing.T) {
	const hexKey = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key.hex")
	if err := os.WriteFile(keyFile, []byte(hexKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	kf, err := ImportHexFile(filepath.Join(dir, "ks"), keyFile, testPassword, LightScrypt)
	if err != nil {
		t.Fatal(err)
	}
	acct, err := Unlock(kf, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := crypto.HexToECDSA(hexKey)
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte("Some data")
	got, err := acct.SignText(msg)
	if err != nil {
		t.Fatal(err)
	}
	want, err := SignText(raw, msg)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) || len(got) != 65 || (got[64] != 27 && got[64] != 28) {
		t.Fatalf("account signature %x, want %x (65 bytes, v 27/28)", got, want)
	}
}
