// Package contracts is the home of the opkit protocol contracts: the Solidity sources in src/
// (LivepeerToken, Controller, RoundsManager, BondingManager, Minter, JobsManager, Verifier),
// the compiled ABI and bytecode in build/, the generated go-ethereum bindings in package
// bindings and the deploy code in package deploy. scripts/build-contracts.sh regenerates
// build/ and bindings/ from src/ with the npm solc pinned in package-lock.json; the
// artifacts are committed so that building opkit needs no Node.js.
package contracts

import "github.com/ethereum/go-ethereum/crypto"

// Names under which the protocol contracts are registered in the Controller.
// Their ids are keccak256(name), as on the live network.
const (
	NameBondingManager = "BondingManager"
	NameRoundsManager  = "RoundsManager"
	NameMinter         = "Minter"
	NameLivepeerToken  = "LivepeerToken"
	NameJobsManager    = "JobsManager"
	NameVerifier       = "Verifier"
)

// ContractID is the Controller id of a contract name: keccak256(name).
func ContractID(name string) [32]byte { return crypto.Keccak256Hash([]byte(name)) }
