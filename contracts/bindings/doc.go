// Package bindings holds the go-ethereum (abigen) bindings of the opkit protocol contracts,
// one file and one type per contract in contracts/src. Everything but this file is generated
// by scripts/build-contracts.sh from the committed artifacts in contracts/build; do not edit.
package bindings
