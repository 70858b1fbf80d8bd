# opkit build, test and demo. Every install step lives here: a fresh Debian 12
# machine with Go, gcc and apt needs nothing else.
SHELL := /bin/bash
GO    ?= go
BIN   ?= bin/opkit

# Debian 12 (bookworm) FFmpeg 5.1 development packages used through go-astiav v0.16.0.
APT_PKGS := libavcodec-dev libavformat-dev libavfilter-dev libswscale-dev \
            libswresample-dev libavdevice-dev libavutil-dev pkg-config
# The ffmpeg CLI is only needed by scripts/bench-vs-ffmpeg.sh.
APT_BENCH_PKGS := ffmpeg

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

define apt_ensure
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "make: installing missing packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
endef

.PHONY: all deps bench-deps build test vet unit demo contracts contracts-check soak fuzz bench clean

all: build

deps:
	$(call apt_ensure,$(APT_PKGS))

bench-deps: deps
	$(call apt_ensure,$(APT_BENCH_PKGS))

build: deps
	$(GO) build -o $(BIN) ./cmd/opkit

vet: deps
	$(GO) vet ./...

unit: deps
	$(GO) test -timeout 40m ./...

test: deps vet contracts-check unit

clean:
	rm -rf bin demo-out

# Contracts: compiled with npm solc + OpenZeppelin into a git-ignored node_modules,
# then abigen. Artifacts and bindings are committed; contracts-check proves they
# match a fresh compile.
contracts:
	bash scripts/build-contracts.sh

contracts-check:
	bash scripts/build-contracts.sh --check

demo: build
	bash scripts/demo.sh
