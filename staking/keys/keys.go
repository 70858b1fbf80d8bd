// Package keys owns the operator's account keys: go-ethereum V3 keystore
// files found by address or index, passwords read from a file or a terminal
// prompt (never logged), new and imported keys, and the unlocked signer that
// the transaction manager and contract bindings use.
package keys

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// Errors callers act on.
var (
	// ErrNoKey is returned when no key file matches the selector.
	ErrNoKey = errors.New("keys: no matching key")
	// ErrBadPassword is returned when a key file does not decrypt.
	ErrBadPassword = errors.New("keys: could not decrypt key (wrong password?)")
	// ErrInvalidKey is returned for a malformed key file or private key.
	ErrInvalidKey = errors.New("keys: invalid key")
	// ErrExists is returned when importing a key the keystore already holds.
	ErrExists = errors.New("keys: account already in keystore")
	// ErrWrongAccount is returned when asked to sign for another address.
	ErrWrongAccount = errors.New("keys: signer cannot sign for this account")
)

// Account is an unlocked key. Its String and GoString print only the address,
// so it is safe to log by accident.
type Account struct {
	address common.Address
	key     *ecdsa.PrivateKey
}

// Unlock decrypts the key file f with password.
func Unlock(f KeyFile, password []byte) (*Account, error) {
	raw, err := readKeyFile(f.Path)
	if err != nil {
		return nil, err
	}
	k, err := keystore.DecryptKey(raw, string(password))
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrBadPassword, f.Path)
	}
	if k.Address != f.Address {
		return nil, fmt.Errorf("%w: %s decrypts to %s, not %s", ErrInvalidKey, f.Path, k.Address, f.Address)
	}
	return &Account{address: k.Address, key: k.PrivateKey}, nil
}

// Address returns the account's address.
func (a *Account) Address() common.Address { return a.address }

func (a *Account) String() string   { return a.address.Hex() }
func (a *Account) GoString() string { return "keys.Account{" + a.address.Hex() + "}" }

// SignTx signs tx for the chain it names. Its method value has the shape of
// txmgr.SignFn.
func (a *Account) SignTx(_ context.Context, from common.Address, tx *types.Transaction) (*types.Transaction, error) {
	if from != a.address {
		return nil, fmt.Errorf("%w: %s (have %s)", ErrWrongAccount, from, a.address)
	}
	if tx.ChainId() == nil || tx.ChainId().Sign() == 0 {
		return nil, fmt.Errorf("keys: transaction has no chain id")
	}
	return types.SignTx(tx, types.LatestSignerForChainID(tx.ChainId()), a.key)
}

// SignText signs msg with the account's key as EIP-191 personal_sign does:
// a broadcaster's signature over a segment hash.
func (a *Account) SignText(msg []byte) ([]byte, error) { return SignText(a.key, msg) }

// SignText is EIP-191 personal_sign of msg (keccak256 of
// "\x19Ethereum Signed Message:\n" + len + msg): 65 bytes r||s||v with v in
// {27, 28}, as contracts and wallets check it.
func SignText(key *ecdsa.PrivateKey, msg []byte) ([]byte, error) {
	sig, err := crypto.Sign(accounts.TextHash(msg), key)
	if err != nil {
		return nil, fmt.Errorf("keys: sign text: %w", err)
	}
	sig[crypto.RecoveryIDOffset] += 27
	return sig, nil
}

// TransactOpts returns options for abigen bindings that sign with this key
// on chain chainID.
func (a *Account) TransactOpts(ctx context.Context, chainID *big.Int) (*bind.TransactOpts, error) {
	opts, err := bind.NewKeyedTransactorWithChainID(a.key, chainID)
	if err != nil {
		return nil, fmt.Errorf("keys: transactor: %w", err)
	}
	opts.Context = ctx
	return opts, nil
}
