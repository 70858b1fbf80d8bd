#!/usr/bin/env bash
# bench-vs-ffmpeg.sh: opkit against the obvious alternative, a script that runs
# the ffmpeg CLI once per segment, on the very same segments in the same run.
#
# Source: synthetic 1920x1080 30 fps, 2 s MPEG-TS segments with AAC audio,
# generated once by `opkit bench --dump` and read from disk by both sides.
# Ladder: the reference bench ladder, 240p 250k, 360p 800k, 480p 1600k,
# 720p 3000k; libx264 high profile, no B-frames, 1 s GOP (30 frames, fixed),
# maxrate 1.1 x bitrate, bufsize 2 x bitrate, encoder threads auto, bicubic
# scaling to the sizes opkit fits (426x240 640x360 854x480 1280x720), audio
# copied: the options ffmpeg/encoder.go opens libx264 with.
#
# Parallelism policy (the same for both): SESSIONS concurrent streams; each
# stream transcodes the segments one after another, in order.
#   ffmpeg CLI: per stream, a loop that starts one ffmpeg process per segment
#               (decode once, split filter into the 4 scaled outputs).
#   opkit:      `opkit bench --sessions SESSIONS`, one engine session per stream,
#               keeping filter graphs (and the encoders that can be) warm
#               across a stream's segments, its default;
#   opkit-cold: the same with --cold: every graph and encoder rebuilt for
#               every segment. The two show what the warm state saves.
# After the presets, `opkit bench --compare-cold --zero-latency` shows the
# same for zero-latency x264, the one libx264 set-up whose encoders can stay
# warm in libavcodec 5.1 (COMPARE_ZERO_LATENCY=0 skips it).
#
# Reported per preset and tool:
#   rt ratio    real-time duration ratio = segment duration sum x SESSIONS /
#               wall time of all streams (seconds of video per second)
#   p50         median time of one segment (process start to exit for the CLI;
#               Transcode call for opkit), nearest rank
#   PSNR        luma PSNR (dB) of each rendition of stream 0 against the
#               source over all segments, by the ffmpeg CLI's psnr filter for
#               both tools, two ways: "down" at the rendition size (source
#               scaled down, bicubic: the reference is the direct scaling the
#               CLI does, so it penalises a cascaded scaler) and "up" at the
#               source size (rendition scaled up, bicubic: what a viewer on a
#               full-size screen sees; neutral to the scaling path)
#   cpu s/seg   user+sys CPU seconds per segment (CLI: getrusage of the
#               waited-for ffmpeg processes; opkit: its timed run)
#   cores       CPU seconds / wall seconds: how many cores the tool kept busy
#   load        1-minute load average at the end of the tool's run (it
#               counts the tool's own runnable threads too); with cores well
#               below the CPU count it shows other work competed, and the
#               wall-clock columns of that run are not comparable
#   speedup     opkit rt ratio / CLI rt ratio (opkit-cold: its own)
#   cpu ratio   CLI cpu s/seg / opkit cpu s/seg: the throughput ratio to
#               expect when both keep every core busy. On a shared machine
#               wall-clock ratios follow the scheduler (CFS shares CPU by
#               runnable thread), so read this column there.
#   acceptance  the issue's test, per preset: the median speedup against
#               1.25, and the worst rendition's PSNR difference (opkit - CLI)
#               against -0.2 dB, each way ("met" or "MISSED")
#
# Rounds: REPEAT runs both tools REPEAT times per preset, alternating, and
# adds the median and range of the speedup and of the CPU ratio: on a
# small shared machine one round can be off by a few percent.
#
# Usage: scripts/bench-vs-ffmpeg.sh
#   env SEGS=10 SESSIONS=1 REPEAT=1 PRESETS="veryfast medium" WORK=dir
#       OPKIT=path/to/opkit OPKIT_FLAGS="--direct-scale" (extra bench flags)
# Installs nothing itself; if the ffmpeg CLI is missing it runs `make bench-deps`.
set -euo pipefail

SEGS=${SEGS:-10}
REPEAT=${REPEAT:-1}
OPKIT_FLAGS=${OPKIT_FLAGS:-}
SESSIONS=${SESSIONS:-1}
PRESETS=${PRESETS:-"veryfast medium"}
TARGET_SPEEDUP=1.25 TARGET_PSNR_DB=0.2 # the acceptance test the verdict lines apply
SOURCE=synthetic:1920x1080@30 # the ladder sizes below are fitted to it
SRC_W=1920 SRC_H=1080
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$(mktemp -d -t opkit-bench-vs-ffmpeg.XXXXXX)}

# LADDER, FPS and cli_segment, shared with profile-vs-ffmpeg.sh.
# shellcheck source=scripts/reference-ladder.sh
source "$ROOT/scripts/reference-ladder.sh"

log() { printf '%s\n' "$*" >&2; }
die() { log "bench-vs-ffmpeg: $*"; exit 1; }

[[ $SEGS =~ ^[1-9][0-9]*$ ]] || die "SEGS must be a positive integer"
[[ $SESSIONS =~ ^[1-9][0-9]*$ ]] || die "SESSIONS must be a positive integer"
[[ $REPEAT =~ ^[1-9][0-9]*$ ]] || die "REPEAT must be a positive integer"

if ! command -v ffmpeg >/dev/null; then
	log "ffmpeg CLI not found: running make bench-deps"
	make -C "$ROOT" -s bench-deps
fi
if [[ -z ${OPKIT:-} ]]; then
	OPKIT=$WORK/opkit
	log "building opkit into $OPKIT"
	(cd "$ROOT" && go build -o "$OPKIT" ./cmd/opkit)
fi

now_ns() { date +%s%N; }

# cpu_of FILE: user+sys CPU seconds of the children line of bash's `times`
# output saved in FILE (`times` must run in the main shell, not in $(...),
# to see the children it has waited for).
cpu_of() {
	tail -n1 "$1" | awk '{
		s = 0
		for (i = 1; i <= 2; i++) { split($i, p, /[ms]/); s += p[1] * 60 + p[2] }
		printf "%.3f", s }'
}

# json_num KEY FILE: the first numeric value of "KEY" in an opkit --json report.
json_num() { sed -n "s/^ *\"$1\": \([-0-9.e+]*\),\{0,1\}\$/\1/p" "$2" | head -n1; }

# p50 FILE: nearest-rank median of one number per line.
p50() { sort -g "$1" | awk '{v[NR]=$1} END {r=int((NR+1)/2); printf "%.3f", v[r]}'; }

# run_cli PRESET: SESSIONS concurrent streams of one process per segment.
# Sets CLI_RATIO and CLI_P50.
run_cli() {
	local preset=$1 dir=$WORK/cli-$1 t0 t1 s c0 c1
	rm -rf "$dir" && mkdir -p "$dir"
	times >"$dir/cpu0"
	t0=$(now_ns)
	for ((s = 0; s < SESSIONS; s++)); do
		(
			for seg in "${SEGFILES[@]}"; do
				a=$(now_ns)
				cli_segment "$seg" "$dir/stream$s" "$preset"
				b=$(now_ns)
				echo "$(((b - a) / 1000))" >>"$dir/times-$s.us"
			done
		) &
	done
	wait
	t1=$(now_ns)
	times >"$dir/cpu1"
	c0=$(cpu_of "$dir/cpu0") c1=$(cpu_of "$dir/cpu1")
	CLI_CPUSEG=$(awk -v a="$c0" -v b="$c1" -v n="$((${#SEGFILES[@]} * SESSIONS))" 'BEGIN{printf "%.3f", (b-a)/n}')
	cat "$dir"/times-*.us | awk '{printf "%.6f\n", $1/1e6}' >"$dir/times.s"
	CLI_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", (b-a)/1e9}')
	CLI_RATIO=$(awk -v d="$SRC_DUR" -v k="$SESSIONS" -v w="$CLI_WALL" 'BEGIN{printf "%.4f", d*k/w}')
	CLI_P50=$(p50 "$dir/times.s")
}

# run_opkit PRESET TOOL [FLAGS...]: sets OPK_RATIO, OPK_P50, OPK_CPU, OPK_WALL
# and OPK_CPUSEG; the outputs go to $WORK/TOOL-PRESET.
run_opkit() {
	local preset=$1 dir=$WORK/$2-$1
	shift 2
	rm -rf "$dir" && mkdir -p "$dir"
	# shellcheck disable=SC2086 # OPKIT_FLAGS is a list of flags
	"$OPKIT" --log-level warn bench --in "$WORK/src/index.m3u8" --sessions "$SESSIONS" --preset "$preset" $OPKIT_FLAGS "$@" \
		--json --csv "$dir/segments.csv" --out-dir "$dir/stream0" >"$dir/report.json" 2>"$dir/stderr.log"
	OPK_RATIO=$(printf '%.4f' "$(json_num realtime_duration_ratio "$dir/report.json")")
	OPK_P50=$(printf '%.3f' "$(json_num latency_p50_s "$dir/report.json")")
	OPK_CPU=$(printf '%.2f' "$(json_num cpu_use_cores "$dir/report.json")")
	OPK_WALL=$(printf '%.3f' "$(json_num wall_s "$dir/report.json")")
	OPK_CPUSEG=$(awk -v c="$OPK_CPU" -v w="$OPK_WALL" -v n="$((${#SEGFILES[@]} * SESSIONS))" 'BEGIN{printf "%.3f", c*w/n}')
}

# psnr MODE DIR NAME W H: luma PSNR of DIR/NAME/seg-*.ts against the source,
# over all segments, frames paired by index. MODE "down" compares at the
# rendition size (source scaled down to WxH, bicubic); MODE "up" compares at
# the source size (rendition scaled up, bicubic), which does not favour one
# downscaling path (direct or cascaded) over another.
psnr() {
	local mode=$1 dir=$2 name=$3 w=$4 h=$5 dist src graph
	dist="concat:$(printf '%s|' "$dir/$name"/seg-*.ts)"
	src="concat:$(printf '%s|' "${SEGFILES[@]}")"
	if [[ $mode == down ]]; then
		graph="[0:v]setpts=N/($FPS*TB)[d];[1:v]scale=w=$w:h=$h:flags=bicubic,format=pix_fmts=yuv420p,setpts=N/($FPS*TB)[r]"
	else
		graph="[0:v]scale=w=$SRC_W:h=$SRC_H:flags=bicubic,format=pix_fmts=yuv420p,setpts=N/($FPS*TB)[d];[1:v]setpts=N/($FPS*TB)[r]"
	fi
	ffmpeg -hide_banner -nostdin -nostats -i "${dist%|}" -i "${src%|}" -lavfi "$graph;[d][r]psnr" -f null - 2>&1 |
		sed -n 's/.*PSNR y:\([0-9.inf]*\) .*/\1/p' | tail -n1 | awk '{printf "%.2f", $1}'
}

# psnr_row PRESET TOOL MODE: one line of the PSNR table.
psnr_row() {
	local preset=$1 tool=$2 mode=$3 name w h v sum=0
	printf '%-9s %-7s %-9s' "$preset" "$tool" "$mode"
	for rung in "${LADDER[@]}"; do
		read -r name w h _ <<<"$rung"
		v=$(psnr "$mode" "$WORK/$tool-$preset/stream0" "$name" "$w" "$h")
		sum=$(awk -v s="$sum" -v v="$v" 'BEGIN{print s+v}')
		printf ' %7s' "$v"
		echo "$preset $mode $name $tool $v" >>"$WORK/psnr-values"
	done
	awk -v s="$sum" -v n="${#LADDER[@]}" 'BEGIN{printf " %7.2f\n", s/n}'
}

mkdir -p "$WORK"
: >"$WORK/psnr-values"
log "work directory: $WORK"
log "generating $SEGS segments of $SOURCE (opkit bench --dump; its own timing is a warm-up)"
"$OPKIT" --log-level warn bench --source "$SOURCE" --segs "$SEGS" --dump "$WORK/src" --json >"$WORK/warmup.json" 2>"$WORK/warmup.log"
mapfile -t SEGFILES < <(grep -v '^#' "$WORK/src/index.m3u8" | sed "s|^|$WORK/src/|")
SRC_DUR=$(sed -n 's/^#EXTINF:\([0-9.]*\),.*/\1/p' "$WORK/src/index.m3u8" | awk '{s+=$1} END {printf "%.6f", s}')
log "source: ${#SEGFILES[@]} segments, ${SRC_DUR}s per stream, $SESSIONS concurrent stream(s), $(nproc) CPUs"

RESULTS=$WORK/results.txt PSNRS=$WORK/psnr.txt SUMMARY=$WORK/summary.txt
{
	printf 'machine: %s CPUs, load average %s\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
	printf 'source: %s, %s segments of 2 s, %s concurrent stream(s), %s round(s)' "$SOURCE" "${#SEGFILES[@]}" "$SESSIONS" "$REPEAT"
	[[ -n $OPKIT_FLAGS ]] && printf ', opkit bench %s' "$OPKIT_FLAGS"
	printf '\n\n'
	printf '%-9s %3s %-10s %9s %8s %8s %9s %6s %6s %9s %9s\n' preset run tool "rt ratio" "p50 s" "wall s" "cpu s/seg" cores load speedup "cpu ratio"
} >"$RESULTS"
{
	printf '\nmedian of %s round(s) (min-max)\n' "$REPEAT"
	printf '%-9s %-22s %-22s %-13s %-13s %s\n' preset speedup "cpu ratio" "p50 ffmpeg s" "p50 opkit s" "warm saves cpu ms/seg"
} >"$SUMMARY"
{
	printf '\nY-PSNR (dB) of stream 0 against the source; down: at rendition size, up: at source size\n'
	printf '%-9s %-7s %-9s' preset tool compare
	for rung in "${LADDER[@]}"; do read -r name _ <<<"$rung"; printf ' %7s' "$name"; done
	printf ' %7s\n' mean
} >"$PSNRS"

# spread FILE: "median (min-max)" of one number per line; the median of an
# even count is the lower middle value (nearest rank).
spread() { sort -g "$1" | awk '{v[NR]=$1} END {r=int((NR+1)/2); printf "%.3f (%.3f-%.3f)", v[r], v[1], v[NR]}'; }

for preset in $PRESETS; do
	: >"$WORK/speedup-$preset" && : >"$WORK/cpuratio-$preset" && : >"$WORK/p50cli-$preset" && : >"$WORK/p50opk-$preset"
	: >"$WORK/warmsave-$preset"
	for ((rep = 1; rep <= REPEAT; rep++)); do
		# The tools alternate, so slow drift in the machine's speed hits both.
		log "preset $preset, round $rep/$REPEAT: ffmpeg CLI"
		run_cli "$preset"
		cli_load=$(cut -d' ' -f1 /proc/loadavg)
		log "preset $preset, round $rep/$REPEAT: opkit bench --cold"
		run_opkit "$preset" opkit-cold --cold
		cold_load=$(cut -d' ' -f1 /proc/loadavg)
		cold_row=$(printf '%-9s %3s %-10s %9s %8s %8s %9s %6s %6s %9s %9s' "$preset" "$rep" opkit-cold "$OPK_RATIO" "$OPK_P50" "$OPK_WALL" \
			"$OPK_CPUSEG" "$OPK_CPU" "$cold_load" "$(awk -v a="$OPK_RATIO" -v b="$CLI_RATIO" 'BEGIN{printf "%.3fx", a/b}')" \
			"$(awk -v a="$CLI_CPUSEG" -v b="$OPK_CPUSEG" 'BEGIN{printf "%.3fx", a/b}')")
		cold_cpuseg=$OPK_CPUSEG
		log "preset $preset, round $rep/$REPEAT: opkit bench"
		run_opkit "$preset" opkit
		opk_load=$(cut -d' ' -f1 /proc/loadavg)
		awk -v c="$cold_cpuseg" -v w="$OPK_CPUSEG" 'BEGIN{printf "%.1f\n", 1000*(c-w)}' >>"$WORK/warmsave-$preset"
		log "preset $preset, round $rep/$REPEAT: opkit CPU use ${OPK_CPU} cores"
		speedup=$(awk -v a="$OPK_RATIO" -v b="$CLI_RATIO" 'BEGIN{printf "%.3f", a/b}')
		cpuratio=$(awk -v a="$CLI_CPUSEG" -v b="$OPK_CPUSEG" 'BEGIN{printf "%.3f", a/b}')
		cli_cores=$(awk -v c="$CLI_CPUSEG" -v n="$((${#SEGFILES[@]} * SESSIONS))" -v w="$CLI_WALL" 'BEGIN{printf "%.2f", c*n/w}')
		echo "$speedup" >>"$WORK/speedup-$preset"
		echo "$cpuratio" >>"$WORK/cpuratio-$preset"
		echo "$CLI_P50" >>"$WORK/p50cli-$preset"
		echo "$OPK_P50" >>"$WORK/p50opk-$preset"
		{
			printf '%-9s %3s %-10s %9s %8s %8s %9s %6s %6s\n' "$preset" "$rep" ffmpeg "$CLI_RATIO" "$CLI_P50" "$CLI_WALL" "$CLI_CPUSEG" \
				"$cli_cores" "$cli_load"
			printf '%s\n' "$cold_row"
			printf '%-9s %3s %-10s %9s %8s %8s %9s %6s %6s %9s %9s\n' "$preset" "$rep" opkit "$OPK_RATIO" "$OPK_P50" "$OPK_WALL" "$OPK_CPUSEG" \
				"$OPK_CPU" "$opk_load" "${speedup}x" "${cpuratio}x"
		} >>"$RESULTS"
	done
	printf '%-9s %-22s %-22s %-13s %-13s %s\n' "$preset" "$(spread "$WORK/speedup-$preset")" "$(spread "$WORK/cpuratio-$preset")" \
		"$(p50 "$WORK/p50cli-$preset")" "$(p50 "$WORK/p50opk-$preset")" "$(spread "$WORK/warmsave-$preset")" >>"$SUMMARY"
	log "preset $preset: PSNR of the last round's outputs"
	for mode in down up; do
		psnr_row "$preset" cli "$mode" >>"$PSNRS"
		psnr_row "$preset" opkit "$mode" >>"$PSNRS"
	done
done

# verdict PRESET: the issue's acceptance test for one preset: median
# speedup at least TARGET_SPEEDUP, and every rendition's PSNR at most
# TARGET_PSNR_DB below the CLI's, each way.
verdict() {
	local preset=$1 sp mode worst
	sp=$(p50 "$WORK/speedup-$preset") # nearest-rank median, as in the summary
	printf '%-9s speedup %s (target %s): %s' "$preset" "$sp" "$TARGET_SPEEDUP" \
		"$(awk -v a="$sp" -v b="$TARGET_SPEEDUP" 'BEGIN{print (a >= b) ? "met" : "MISSED"}')"
	for mode in up down; do
		worst=$(awk -v p="$preset" -v m="$mode" '$1 == p && $2 == m { v[$3, $4] = $5; n[$3] = 1 }
			END { w = 1e9; for (r in n) { d = v[r, "opkit"] - v[r, "cli"]; if (d < w) { w = d; wr = r } }
				printf "%+.2f dB (%s)", w, wr }' "$WORK/psnr-values")
		printf '; PSNR %s worst %s: %s' "$mode" "$worst" \
			"$(awk -v w="${worst%% *}" -v t="$TARGET_PSNR_DB" 'BEGIN{print (w >= -t) ? "met" : "MISSED"}')"
	done
	printf '\n'
}

{
	printf '\nacceptance: speedup median >= %s, PSNR of every rendition within %s dB of the CLI\n' "$TARGET_SPEEDUP" "$TARGET_PSNR_DB"
	for preset in $PRESETS; do verdict "$preset"; done
} >"$WORK/verdict.txt"

# Zero-latency x264 stays warm: what that saves, cold against warm in
# alternating rounds of the same opkit run.
: >"$WORK/zerolatency.txt"
if [[ ${COMPARE_ZERO_LATENCY:-1} == 1 ]]; then
	log "zero latency: opkit bench --compare-cold --zero-latency"
	{
		printf '\nzero-latency x264 (tune zerolatency), cold against warm encoders, opkit bench --compare-cold:\n'
		# shellcheck disable=SC2086 # OPKIT_FLAGS is a list of flags
		"$OPKIT" --log-level warn bench --in "$WORK/src/index.m3u8" --sessions "$SESSIONS" --preset "${PRESETS%% *}" $OPKIT_FLAGS \
			--zero-latency --compare-cold --rounds "$((REPEAT > 3 ? REPEAT : 3))" 2>"$WORK/zerolatency.log"
	} >"$WORK/zerolatency.txt"
fi

cat "$RESULTS" "$SUMMARY" "$PSNRS" "$WORK/verdict.txt" "$WORK/zerolatency.txt"
