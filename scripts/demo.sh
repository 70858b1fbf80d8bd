#!/usr/bin/env bash
# What `make demo` runs after building bin/opkit: generate a test stream,
# transcode it into an adaptive-bitrate ladder in ./demo-out, and show the
# master playlist and the per-segment JSON summary. Idempotent: every run
# starts from an empty demo-out.
set -euo pipefail

OPKIT=${OPKIT:-bin/opkit}
OUT=${DEMO_OUT:-demo-out}
SEGS=${DEMO_SEGS:-3}
LADDER=${DEMO_LADDER:-bench}

if [[ ! -x "$OPKIT" ]]; then
	echo "demo: $OPKIT not found; run make build first" >&2
	exit 1
fi

rm -rf "$OUT"
mkdir -p "$OUT"

echo "== generating a ${SEGS}-segment 1280x720 30 fps test stream into $OUT/source"
"$OPKIT" --log-level warn testsrc --out "$OUT/source" --segs "$SEGS" --size 1280x720 --fps 30 >/dev/null

echo "== transcoding $OUT/source/index.m3u8 with ladder $LADDER into $OUT/hls"
"$OPKIT" --log-level warn transcode --in "$OUT/source/index.m3u8" --out "$OUT/hls" \
	--ladder "$LADDER" --json >"$OUT/summary.json"

echo "== $OUT/hls/index.m3u8 (master playlist)"
cat "$OUT/hls/index.m3u8"
echo
echo "== $OUT/summary.json (per-segment results)"
cat "$OUT/summary.json"
