#!/usr/bin/env bash
# Rebuilds the protocol contracts: compiles every contracts/src/*.sol with the npm solc pinned in
# contracts/package-lock.json (standard JSON, optimizer and via-IR on, fixed settings), writes
# contracts/build/<Name>.abi|.bin, and generates go-ethereum (abigen v1) bindings into
# contracts/bindings/<name>.go (package bindings, one file and type per contract).
#
#   scripts/build-contracts.sh          regenerate the committed artifacts and bindings
#   scripts/build-contracts.sh --check  build into a temp dir and fail if the committed ones differ
#
# Needs node + npm (for solc and @openzeppelin/contracts, installed into the git-ignored
# contracts/node_modules) and Go (abigen comes from the go-ethereum module in go.mod).
set -euo pipefail

check=0
case "${1:-}" in
  "") ;;
  --check) check=1 ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
contracts="$repo/contracts"
cd "$repo"

for tool in node npm go; do
  command -v "$tool" >/dev/null || { echo "build-contracts: $tool not found in PATH" >&2; exit 1; }
done

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Install solc and OpenZeppelin exactly as locked, unless already installed at the locked versions.
stamp="$contracts/node_modules/.opkit-lock-sha256"
want="$(sha256sum "$contracts/package-lock.json" | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  echo "build-contracts: npm ci in contracts/"
  (cd "$contracts" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
else
  echo "build-contracts: contracts/node_modules matches package-lock.json"
fi

echo "build-contracts: compiling contracts/src with solc"
node "$contracts/compile.js" "$tmp/build"

echo "build-contracts: building abigen"
go build -o "$tmp/abigen" github.com/ethereum/go-ethereum/cmd/abigen

mkdir -p "$tmp/bindings"
for abi in "$tmp"/build/*.abi; do
  name="$(basename "$abi" .abi)"
  out="$tmp/bindings/$(echo "$name" | sed -E 's/([a-z0-9])([A-Z])/\1_\2/g' | tr '[:upper:]' '[:lower:]').go"
  args=(--abi "$abi" --pkg bindings --type "$name" --out "$out")
  bin="$tmp/build/$name.bin"
  # Abstract contracts and interfaces have no bytecode: bind them without a Deploy function.
  if [[ -s "$bin" && "$(tr -d '[:space:]' <"$bin")" != "" ]]; then
    args+=(--bin "$bin")
  fi
  echo "build-contracts: abigen $name -> contracts/bindings/$(basename "$out")"
  "$tmp/abigen" "${args[@]}"
done
gofmt -l "$tmp/bindings" | { ! grep . ; } || { echo "build-contracts: abigen output is not gofmt-clean" >&2; exit 1; }

if [[ $check == 1 ]]; then
  status=0
  for dir in build bindings; do
    # Compare everything but the bindings' hand-written doc file.
    if ! diff -r -q -x doc.go "$contracts/$dir" "$tmp/$dir" >"$tmp/diff.txt" 2>&1; then
      echo "build-contracts: contracts/$dir is out of date with contracts/src:" >&2
      sed 's/^/  /' "$tmp/diff.txt" >&2
      status=1
    fi
  done
  if [[ $status != 0 ]]; then
    echo "build-contracts: run 'make contracts' and commit the result" >&2
    exit 1
  fi
  echo "build-contracts: committed artifacts and bindings match contracts/src"
  exit 0
fi

mkdir -p "$contracts/build" "$contracts/bindings"
find "$contracts/build" -maxdepth 1 \( -name '*.abi' -o -name '*.bin' \) -delete
find "$contracts/bindings" -maxdepth 1 -name '*.go' ! -name doc.go ! -name '*_test.go' -delete
cp "$tmp"/build/* "$contracts/build/"
cp "$tmp"/bindings/*.go "$contracts/bindings/"
echo "build-contracts: wrote contracts/build and contracts/bindings"
