#!/usr/bin/env bash
# gpu-check.sh: does the NVIDIA path work on this machine? Run it on a
# machine with an NVIDIA GPU, from anywhere in the repository.
#
# It builds opkit (make build; NO_BUILD=1 skips that), then runs the
# engine's acceptance test TestGPUCheck (ffmpeg/gpu_check_test.go) on CUDA
# device 0: 30 consecutive 1080p30 H.264 segments through the reference
# bench ladder (240p/360p/480p/720p), then a 10-bit HEVC source. Every
# segment must decode on NVDEC, scale with scale_cuda and encode with NVENC
# (libx264 where the card has none: A100, H100, H200), keep its frame
# counts, and stay within 3 dB luma PSNR of the CPU path. From the second
# segment on, every scale_cuda graph must come warm from the previous
# segment, and so must every NVENC encoder (flushed at each segment end);
# every output segment must start with an IDR, and each rendition's
# segments must concatenate into one continuous stream. The media are
# generated in the test; nothing is read from disk. It takes a few minutes
# at most (the test gives up after 4).
#
# Prints one line and exits 0 when the check passes or when there is no
# NVIDIA device to check:
#   gpu-check: ok: device 0 (NVIDIA ...): 30 segments x 4 renditions ..., warm graphs 116/120, warm encoders 116/120, ...
#   gpu-check: skipped: no NVIDIA device
# and exits 1 with the failure after "gpu-check: FAILED" otherwise. The
# whole log is kept in $GPU_CHECK_LOG (default $TMPDIR/opkit-gpu-check.log).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
log=${GPU_CHECK_LOG:-${TMPDIR:-/tmp}/opkit-gpu-check.log}
skip="gpu-check: skipped: no NVIDIA device"

if [ ! -e /dev/nvidia0 ] || ! command -v nvidia-smi >/dev/null 2>&1 || ! nvidia-smi -L >/dev/null 2>&1; then
	echo "$skip"
	exit 0
fi

if [ "${NO_BUILD:-}" != 1 ]; then
	if ! make build >"$log" 2>&1; then
		tail -20 "$log"
		echo "gpu-check: FAILED: make build (see $log)"
		exit 1
	fi
fi

OPKIT_GPU_CHECK=1 go test ./ffmpeg -run '^TestGPUCheck$' -count=1 -v -timeout 4m >>"$log" 2>&1
rc=$?
if grep -q "^$skip" "$log"; then
	# nvidia-smi sees a card, but FFmpeg cannot create a CUDA device on it.
	echo "$skip"
	exit 0
fi
line=$(grep '^gpu-check: ok' "$log" | tail -1)
if [ "$rc" -eq 0 ] && [ -n "$line" ]; then
	echo "$line"
	exit 0
fi
grep -E '^\s+(gpu_check_test|hw_nvidia_test)\.go:[0-9]+:|^--- FAIL|^panic' "$log" | tail -20
echo "gpu-check: FAILED (exit $rc; see $log)"
exit 1
