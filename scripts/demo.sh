#!/usr/bin/env bash
# What `make demo` runs after building bin/opkit: the main job on the embedded
# dev chain, end to end, all on loopback.
#
#   1. opkit devnet: a simulated EVM with the protocol deployed and funded dev
#      accounts (devnet.json describes it).
#   2. The operator (dev account 1) bonds LPT to itself and registers as a
#      transcoder with a reward cut, fee share and price per segment; a
#      delegator (dev account 0) bonds to it.
#   3. opkit node for the operator: the segment API as a pure orchestrator with
#      one remote opkit transcoder worker, the reward duty (initialize rounds,
#      reward() once per round) and the claims loop (claim, verify, distribute
#      fees), all from one account and one transaction manager.
#   4. A broadcaster (dev account 2) deposits, creates a job and streams a
#      generated 720p30 stream to the node, segment by segment, signed; the
#      renditions land in DEMO_OUT/broadcast with an HLS master playlist.
#   5. Once the node has rewarded DEMO_ROUNDS rounds, claimed the segments and
#      distributed the fees (after the verification and slashing windows),
#      the stake, fees and metrics are shown and everything is stopped
#      (DEMO_KEEP=1 keeps the chain, node and worker running until Ctrl-C).
#
# Idempotent: every run starts from an empty DEMO_OUT. Knobs: OPKIT, DEMO_OUT,
# DEMO_SEGS, DEMO_LADDER, DEMO_ROUNDS, DEMO_NODE_ADDR, DEMO_KEEP.
set -euo pipefail

OPKIT=${OPKIT:-bin/opkit}
OUT=${DEMO_OUT:-demo-out}
SEGS=${DEMO_SEGS:-4}
LADDER=${DEMO_LADDER:-P360p30fps16x9,P240p30fps16x9}
ROUNDS=${DEMO_ROUNDS:-2}
NODE=${DEMO_NODE_ADDR:-127.0.0.1:18935}
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

echo "== 2b. dev account 0 delegates 500 LPT to the operator"
operator=$(grep -o '"address": *"0x[0-9a-fA-F]*"' "$OUT/devnet.json" | sed -n 2p | grep -o '0x[0-9a-fA-F]*')
op stake bond --amount 500 --to "$operator" --initialize-round --wait --devnet "$OUT/devnet.json" --account 0 --tx-poll-interval 250ms

echo "== 3. starting opkit node for dev account 1 (reward and claims loops) and one remote transcoder (logs: $OUT/node.log, $OUT/worker.log)"
head -c 32 /dev/urandom | base64 >"$OUT/node.secret"
head -c 32 /dev/urandom | base64 >"$OUT/worker.secret"
chmod 600 "$OUT/node.secret" "$OUT/worker.secret"
"$OPKIT" node "${chain[@]}" --listen "$NODE" --secret-file "$OUT/node.secret" --worker-secret-file "$OUT/worker.secret" \
	--max-sessions 0 --ladder "$LADDER" --preset veryfast \
	--claims-db "$OUT/claims.db" --claims-idle 2s --claims-poll-interval 250ms \
	--reward --initialize-round --initialize-delay-max 1s --db "$OUT/protection.db" --poll-interval 250ms >"$OUT/node.log" 2>&1 &
pids+=($!)
node_pid=$!
for _ in $(seq 1 60); do
	curl -fsS "http://$NODE/healthz" >/dev/null 2>&1 && break
	kill -0 "$node_pid" 2>/dev/null || { cat "$OUT/node.log" >&2; exit 1; }
	sleep 0.5
done
"$OPKIT" --log-level warn transcoder --orchestrator "http://$NODE" --secret-file "$OUT/worker.secret" --name demo-worker \
	--capacity 2 --preset veryfast >"$OUT/worker.log" 2>&1 &
pids+=($!)
metric() { curl -fsS "http://$NODE/metrics" 2>/dev/null | awk -v m="$1" '$1==m {print $2}'; }
for _ in $(seq 1 60); do
	w=$(metric opkit_node_workers)
	[[ -n "$w" && "${w%.*}" -ge 1 ]] && break
	sleep 0.5
done

# A transcoder registered this round is active (and electable for a job) from
# the next one: the node's first reward says it is.
echo "   waiting for the operator to become active (its first reward)"
for _ in $(seq 1 120); do
	kill -0 "$node_pid" 2>/dev/null || { cat "$OUT/node.log" >&2; exit 1; }
	r=$(metric 'opkit_reward_calls_total{result="success"}')
	[[ -n "$r" && "${r%.*}" -ge 1 ]] && break
	sleep 0.5
done

echo "== 4. dev account 2 broadcasts a generated ${SEGS}-segment 720p30 stream to the node (ladder $LADDER) into $OUT/broadcast"
op broadcast --devnet "$OUT/devnet.json" --account 2 --tx-poll-interval 250ms --deposit 1 --stream demo \
	--ladder "$LADDER" --max-price 1000 --testsrc 1280x720@30 --segments "$SEGS" \
	--node "http://$NODE" --secret-file "$OUT/node.secret" --out "$OUT/broadcast" >"$OUT/broadcast.txt"
cat "$OUT/broadcast.txt"
cat "$OUT/broadcast/master.m3u8"

echo "== 5. waiting for $ROUNDS rewarded rounds, the claim of the segments and their fees (the verification and slashing windows are 200 blocks)"
done_all() {
	local r c f
	r=$(metric 'opkit_reward_calls_total{result="success"}')
	c=$(metric 'opkit_claims_submitted_total{result="claimed"}')
	f=$(metric opkit_fees_distributed_wei_total)
	[[ -n "$r" && "${r%.*}" -ge "$ROUNDS" && -n "$c" && "${c%.*}" -ge 1 && -n "$f" && "$f" != 0 ]]
}
for _ in $(seq 1 360); do
	kill -0 "$node_pid" 2>/dev/null || { cat "$OUT/node.log" >&2; exit 1; }
	done_all && break
	sleep 0.5
done
done_all || { echo "demo: rewards, claim or fees missing after 3 minutes" >&2; tail -20 "$OUT/node.log" >&2; exit 1; }
op stake status --devnet "$OUT/devnet.json" --account 0 --address "$operator"
curl -fsS "http://$NODE/metrics" | grep -E '^opkit_(current_round|last_reward_round|reward_calls_total\{result="success"\}|missed_rounds_total|claims_submitted_total\{result="claimed"\}|verifications_total\{result="submitted"\}|fees_distributed_wei_total|node_segments_total\{result="ok"\}) '
echo
echo "demo: broadcast $SEGS segments through the node and its worker into $OUT/broadcast/master.m3u8;" \
	"node rewarded $(metric 'opkit_reward_calls_total{result="success"}') rounds, claimed the segments and distributed $(metric opkit_fees_distributed_wei_total) wei of fees"
if [[ "$KEEP" == 1 ]]; then
	echo "demo: the chain, node and worker keep running (RPC in $OUT/devnet.json, node on http://$NODE); Ctrl-C stops them"
	wait "${pids[0]}"
fi
