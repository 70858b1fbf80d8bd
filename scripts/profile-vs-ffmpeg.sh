#!/usr/bin/env bash
# profile-vs-ffmpeg.sh: where the CPU time goes, opkit against the ffmpeg CLI,
# on the same segments and the same ladder as scripts/bench-vs-ffmpeg.sh.
#
# Both sides run under `perf record` (sampling every CPU at 999 Hz, all
# threads and child processes), one after the other:
#   ffmpeg CLI: one process per segment, split filter graph, the reference
#               ladder's x264 options (the same command bench-vs-ffmpeg.sh
#               times);
#   opkit:      `opkit transcode` of the segment playlist, one warm session
#               (no pre-run probing, unlike `opkit bench`, so every sample
#               belongs to the transcode).
# It prints CPU seconds per segment for each shared library (libx264, the
# H.264 decoder and the rest of libavcodec, libswscale, the kernel, ...),
# both tools side by side, and the difference.
#
# Usage: scripts/profile-vs-ffmpeg.sh
#   env SEGS=10 PRESET=medium WORK=dir OPKIT=path/to/opkit
# Needs perf (Debian package linux-perf: `make profile` installs it) and
# permission to profile (root, or kernel.perf_event_paranoid <= 1).
set -euo pipefail

SEGS=${SEGS:-10}
PRESET=${PRESET:-medium}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$(mktemp -d -t opkit-profile.XXXXXX)}
FREQ=999

# LADDER and cli_segment, shared with bench-vs-ffmpeg.sh.
# shellcheck source=scripts/reference-ladder.sh
source "$(dirname "$0")/reference-ladder.sh"

# cli_loop: what bench-vs-ffmpeg.sh times for the CLI, one ffmpeg process
# per segment. The script runs itself in this mode under perf.
cli_loop() {
	local seg
	for seg in "$WORK"/src/seg-*.ts; do
		cli_segment "$seg" "$WORK/cli" "$PRESET"
	done
}
if [[ ${1:-} == --cli-loop ]]; then
	cli_loop
	exit 0
fi

log() { printf '%s\n' "$*" >&2; }
die() { log "profile-vs-ffmpeg: $*"; exit 1; }

[[ $SEGS =~ ^[1-9][0-9]*$ ]] || die "SEGS must be a positive integer"
command -v perf >/dev/null || die "perf not found: run make profile (installs linux-perf)"
command -v ffmpeg >/dev/null || die "ffmpeg CLI not found: run make bench-deps"
if [[ -z ${OPKIT:-} ]]; then
	OPKIT=$WORK/opkit
	(cd "$ROOT" && go build -o "$OPKIT" ./cmd/opkit)
fi

mkdir -p "$WORK"
log "work directory: $WORK"
"$OPKIT" --log-level warn bench --source synthetic:1920x1080@30 --segs "$SEGS" --dump "$WORK/src" >/dev/null 2>"$WORK/dump.log"

mkdir -p "$WORK/cli"
log "profiling the ffmpeg CLI ($SEGS segments, preset $PRESET)"
perf record -q -F "$FREQ" -o "$WORK/cli.perf" -- env PRESET="$PRESET" WORK="$WORK" "$0" --cli-loop 2>"$WORK/cli-perf.log"
log "profiling opkit transcode"
rm -rf "$WORK/opkit-out"
perf record -q -F "$FREQ" -o "$WORK/opkit.perf" -- "$OPKIT" --log-level warn transcode --in "$WORK/src/index.m3u8" \
	--out "$WORK/opkit-out" --ladder bench --preset "$PRESET" 2>"$WORK/opkit-perf.log" >/dev/null

# by_dso FILE: "dso samples" lines, libraries' version suffixes dropped.
by_dso() {
	perf report -i "$1" --no-children --sort dso --stdio -g none -F sample,dso 2>/dev/null |
		awk '!/^#/ && NF == 2 { d = $2; sub(/\.so.*/, "", d); s[d] += $1 } END { for (d in s) print d, s[d] }'
}
by_dso "$WORK/cli.perf" >"$WORK/cli.dso"
by_dso "$WORK/opkit.perf" >"$WORK/opkit.dso"

printf 'CPU seconds per segment by library (perf, %d Hz), preset %s, %s segments of 1080p30\n' "$FREQ" "$PRESET" "$SEGS"
awk -v n="$SEGS" -v f="$FREQ" '
	FNR == NR { cli[$1] = $2; names[$1] = 1; next }
	{ opk[$1] = $2; names[$1] = 1 }
	END {
		printf "%-26s %10s %10s %10s\n", "library", "ffmpeg", "opkit", "opkit-ffm"
		for (d in names) {
			c = cli[d] / f / n; o = opk[d] / f / n
			tc += c; to += o
			if (c >= 0.005 || o >= 0.005) printf "%-26s %10.3f %10.3f %+10.3f\n", d, c, o, o - c
		}
		printf "%-26s %10.3f %10.3f %+10.3f\n", "total", tc, to, to - tc
	}' "$WORK/cli.dso" "$WORK/opkit.dso" | (
	read -r header && echo "$header"
	sort -k2,2gr
)
