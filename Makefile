# opkit build, test and demo. Every install step lives here: a fresh Debian 12
# machine with Go, gcc and apt needs nothing else.
SHELL := /bin/bash
GO    ?= go
BIN   ?= bin/opkit

# Debian 12 (bookworm) FFmpeg 5.1 development packages used through go-astiav v0.16.0.
APT_PKGS := libavcodec-dev libavformat-dev libavfilter-dev libswscale-dev \
            libswresample-dev libavdevice-dev libavutil-dev pkg-config
# Test-only packages: the ffmpeg/ffprobe CLIs cross-check Probe and PSNR (and run
# scripts/bench-vs-ffmpeg.sh); Mesa's software Vulkan device lets the hardware-frames
# C shim run end to end on machines without a GPU.
APT_TEST_PKGS := ffmpeg mesa-vulkan-drivers

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

define apt_ensure
	@missing=""; for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "make: installing missing packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
endef

.PHONY: node-deps all deps test-deps bench-deps build test vet unit demo contracts contracts-check soak faults faults-short demo-check fuzz bench profile profile-deps asan clean

all: build

deps:
	$(call apt_ensure,$(APT_PKGS))

test-deps: deps
	$(call apt_ensure,$(APT_TEST_PKGS))

bench-deps: test-deps

# perf samples both tools in scripts/profile-vs-ffmpeg.sh.
profile-deps: bench-deps
	$(call apt_ensure,linux-perf)

build: deps
	$(GO) build -o $(BIN) ./cmd/opkit

# go vet, and every tracked Go file gofmt-clean.
vet: deps
	$(GO) vet ./...
	@files=$$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './contracts/node_modules/*'); \
	unformatted=$$(gofmt -l $$files </dev/null); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:" $$unformatted; exit 1; fi

# Prints package results, failures, skipped tests with their reasons and a
# closing count; the whole -v log is kept in test.log.
# The fault suite and the demo run on their own after the rest (see faults
# and demo-check), so that neither shares the cores with the encoder tests.
unit: test-deps
	bash scripts/gotest.sh -timeout 40m -skip '^(TestFaultSuite|TestDemo)$$' ./...

test: deps vet contracts-check unit faults-short demo-check

# `opkit demo --duration 60s --json` end to end, its summary checked.
demo-check: test-deps
	TEST_LOG=test-demo.log bash scripts/gotest.sh -timeout 15m -run '^TestDemo$$' ./cmd/opkit

faults-short:
	@$(MAKE) --no-print-directory faults FAULT_ROUNDS=10

clean:
	rm -rf bin demo-out

# Contracts: compiled with npm solc + OpenZeppelin into a git-ignored node_modules,
# then abigen. Artifacts and bindings are committed; contracts-check proves they
# match a fresh compile.
contracts: node-deps
	bash scripts/build-contracts.sh

contracts-check: node-deps
	bash scripts/build-contracts.sh --check

# solc and OpenZeppelin come from npm; Debian's nodejs/npm only where the machine has none.
node-deps:
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm; }

# opkit against the ffmpeg CLI on the same segments and ladder (SEGS, SESSIONS,
# PRESETS as in the script); run it on a quiet machine.
bench: build bench-deps
	OPKIT=$(abspath $(BIN)) bash scripts/bench-vs-ffmpeg.sh

profile: build profile-deps
	OPKIT=$(abspath $(BIN)) bash scripts/profile-vs-ffmpeg.sh

# The engine's tests under AddressSanitizer and LeakSanitizer (go test -asan,
# gcc's libasan): use-after-free, overflows and C leaks in ffmpeg/, the only
# cgo package. Leaks inside system libraries that are not opkit's to free
# are listed, with the reason, in scripts/lsan-suppressions.txt.
asan: test-deps
	LSAN_OPTIONS=suppressions=$(abspath scripts/lsan-suppressions.txt) $(GO) test -asan -count=1 ./ffmpeg

# The whole mission on the embedded dev chain (see `opkit demo --help`);
# DEMO_DURATION sets the stream's length, DEMO_OUT where everything goes.
DEMO_DURATION ?= 60s
DEMO_OUT ?= demo-out
demo: build
	$(BIN) demo --duration $(DEMO_DURATION) --out $(DEMO_OUT)

# Long fault soak of the reward daemon: 100 rounds through a fault-injecting
# JSON-RPC proxy with restarts (the short form runs in `make test`).
# OPKIT_SOAK_STALL and OPKIT_SOAK_SEED override the stall length and seed.
SOAK_ROUNDS ?= 100
soak: deps
	OPKIT_SOAK_ROUNDS=$(SOAK_ROUNDS) $(GO) test ./staking/daemon -run TestSoakFaults -count=1 -v -timeout 60m

# The operator's fault suite end to end on the devnet: a node process running the reward and
# claims loops on one account, two remote transcoder processes, a broadcaster, and a fault
# each round (gas above the cap, RPC down and slow, a kill between send and record, a stuck
# underpriced transaction across a restart, a reorg, a hung and a killed worker, a client
# that disconnects, every segment sent twice). Prints one summary line and fails on any
# loss; the whole log is kept in faults.log, each process's in faults-logs/. `make test`
# runs the short form (10 rounds: each fault once).
FAULT_ROUNDS ?= 20
faults: test-deps
	@set -o pipefail; OPKIT_FAULT_LOGS=$(abspath faults-logs) OPKIT_FAULT_ROUNDS=$(FAULT_ROUNDS) $(GO) test ./cmd/opkit -run '^TestFaultSuite$$' -count=1 -v -timeout 30m 2>&1 \
	  | tee faults.log | grep -E '^faults:|^\s+faults_.*_test\.go|^(--- |FAIL|ok )'

# Coverage-guided fuzzing of every parser and the segment path, FUZZTIME each.
FUZZTIME ?= 1m
FUZZ_TARGETS := ./ffmpeg:FuzzSessionTS ./ffmpeg:FuzzProbe ./transcoder:FuzzParseLadder \
                ./transcoder/hls:FuzzParsePlaylist ./transcoder/hls:FuzzTSCodecs ./claims:FuzzMerkleProof \
                ./transcoder/node:FuzzReadResponse
fuzz: deps
	@set -e; for t in $(FUZZ_TARGETS); do pkg=$${t%%:*}; fn=$${t##*:}; \
	  echo "== $$fn ($$pkg, $(FUZZTIME))"; \
	  $(GO) test $$pkg -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 5s; done
