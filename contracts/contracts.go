// Package contracts is the home of the opkit protocol contracts: the Solidity sources in src/
// (LivepeerToken, Controller, RoundsManager, BondingManager, Minter, JobsManager, Verifier),
// the compiled ABI and bytecode in build/, the generated go-ethereum bindings in package
// bindings and the deploy code in package deploy. scripts/build-contracts.sh regenerates
// build/ and bindings/ from src/ with the npm solc pinned in package-lock.json; the
// artifacts are committed so that building opkit needs no Node.js.
package contracts
