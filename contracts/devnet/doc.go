// Package devnet runs opkit's embedded development chain: go-ethereum's
// simulated backend in-process, JSON-RPC on loopback, a block every block
// time, the protocol contracts deployed and wired, and funded dev accounts
// with V3 keystore files. Every test of the chain side runs against a real
// EVM like this one.
package devnet
