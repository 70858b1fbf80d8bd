#!/usr/bin/env bash
# What `make demo` runs after building bin/opkit: the main job on the embedded
# dev chain, end to end.
#
#   1. opkit devnet: a simulated EVM on loopback with the protocol deployed and
#      funded dev accounts (devnet.json describes it).
#   2. The operator (dev account 1) bonds LPT to itself and registers as a
#      transcoder with a reward cut, fee share and price per segment.
#   3. opkit daemon for the operator: watches rounds, initializes them, calls
#      reward() once per round while active, and serves Prometheus metrics.
#   4. A generated test stream is transcoded into the reference ABR ladder.
#   5. Once the daemon has rewarded DEMO_ROUNDS rounds, the stake, the metrics
#      and the ladder are shown and everything is stopped (DEMO_KEEP=1 keeps the
#      devnet and daemon running until Ctrl-C).
#
# Idempotent: every run starts from an empty DEMO_OUT. Knobs: OPKIT, DEMO_OUT,
# DEMO_SEGS, DEMO_LADDER, DEMO_ROUNDS, DEMO_METRICS_ADDR, DEMO_KEEP.
set -euo pipefail

OPKIT=${OPKIT:-bin/opkit}
OUT=${DEMO_OUT:-demo-out}
SEGS=${DEMO_SEGS:-3}
LADDER=${DEMO_LADDER:-bench}
ROUNDS=${DEMO_ROUNDS:-2}
METRICS=${DEMO_METRICS_ADDR:-127.0.0.1:17935}
KEEP=${DEMO_KEEP:-0}

if [[ ! -x "$OPKIT" ]]; then
	echo "demo: $OPKIT not found; run make build first" >&2
	exit 1
fi
rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
# The dev chain's account locks live with it, not in the host's /run/opkit
# (which a non-root user may not create).
export OPKIT_LOCK_DIR=${OPKIT_LOCK_DIR:-$OUT/locks}
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

op() { "$OPKIT" --log-level warn "$@"; }
chain=(--devnet "$OUT/devnet.json" --account 1 --tx-poll-interval 250ms)

echo "== 1. starting the dev chain (logs: $OUT/devnet.log)"
"$OPKIT" devnet --rpc-addr 127.0.0.1:0 --block-time 250ms --round-length 40 --accounts 3 \
	--out "$OUT/devnet.json" --data-dir "$OUT/devnet" >"$OUT/devnet.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
	[[ -s "$OUT/devnet.json" ]] && break
	kill -0 "${pids[0]}" 2>/dev/null || { cat "$OUT/devnet.log" >&2; exit 1; }
	sleep 0.5
done
[[ -s "$OUT/devnet.json" ]] || { echo "demo: devnet did not start" >&2; exit 1; }
grep -E '"(rpc_url|controller)"' "$OUT/devnet.json"

# A write refuses (and sends nothing) while the current round is not yet
# initialized, and a registration cannot change rates in the round's lock
# period: --initialize-round initializes the round first (from account 1
# itself, before its daemon starts: only one opkit process may send for an
# account) and --wait waits out the lock period.
echo "== 2. bonding 1000 LPT and registering dev account 1 as a transcoder"
op stake bond --amount 1000 --initialize-round --wait "${chain[@]}"
op stake register --reward-cut 10 --fee-share 50 --price 1000 --initialize-round --wait "${chain[@]}"

echo "== 3. starting the staking daemon for dev account 1 (metrics on http://$METRICS/metrics, logs: $OUT/daemon.log)"
"$OPKIT" daemon "${chain[@]}" --initialize-round --initialize-delay-max 1s \
	--db "$OUT/protection.db" --metrics-addr "$METRICS" --poll-interval 250ms >"$OUT/daemon.log" 2>&1 &
pids+=($!)

echo "== 4. transcoding a generated ${SEGS}-segment 720p30 stream with ladder $LADDER into $OUT/hls"
op testsrc --out "$OUT/source" --segs "$SEGS" --size 1280x720 --fps 30 >/dev/null
op transcode --in "$OUT/source/index.m3u8" --out "$OUT/hls" --ladder "$LADDER" --json >"$OUT/summary.json"
cat "$OUT/hls/index.m3u8"

echo "== 5. waiting for the daemon to reward $ROUNDS rounds"
metric() { curl -fsS "http://$METRICS/metrics" 2>/dev/null | awk -v m="$1" '$1==m {print $2}'; }
rewarded=0
for _ in $(seq 1 240); do
	kill -0 "${pids[1]}" 2>/dev/null || { cat "$OUT/daemon.log" >&2; exit 1; }
	rewarded=$(metric 'opkit_reward_calls_total{result="success"}')
	[[ -n "$rewarded" && "${rewarded%.*}" -ge "$ROUNDS" ]] && break
	sleep 0.5
done
[[ -n "$rewarded" && "${rewarded%.*}" -ge "$ROUNDS" ]] || { echo "demo: no reward after 2 minutes" >&2; tail -20 "$OUT/daemon.log" >&2; exit 1; }
# The daemon is the only sender for account 1; read its stake through account 0.
operator=$(grep -o '"address": *"0x[0-9a-fA-F]*"' "$OUT/devnet.json" | sed -n 2p | grep -o '0x[0-9a-fA-F]*')
op stake status --devnet "$OUT/devnet.json" --account 0 --address "$operator"
curl -fsS "http://$METRICS/metrics" | grep -E '^opkit_(current_round|last_reward_round|reward_calls_total\{result="success"\}|missed_rounds_total|eth_balance_wei) '
echo
echo "demo: transcoded $SEGS segments into $OUT/hls; daemon rewarded $rewarded rounds; per-segment results in $OUT/summary.json"
if [[ "$KEEP" == 1 ]]; then
	echo "demo: devnet and daemon keep running (RPC in $OUT/devnet.json); Ctrl-C stops them"
	wait "${pids[0]}"
fi
