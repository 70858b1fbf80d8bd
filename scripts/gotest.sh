#!/usr/bin/env bash
# Runs `go test -v` with the given arguments, keeps the whole log in
# $TEST_LOG (default test.log), and prints what a reviewer needs: each
# package's result, every failed test with its output, every skipped test with
# its reason, and a closing count. The exit status is go test's.
set -uo pipefail
log=${TEST_LOG:-test.log}
go test -v "$@" 2>&1 | tee "$log" | awk '
	# go test -v streams the log lines of a test before its --- result line,
	# and a parent reports after its subtests ran: keep the last lines logged
	# under each test name, print them for a failure, and print the last one
	# (the reason) for a skip.
	function keep(line) { if (cur == "") return; k = cnt[cur]++ % 40; logs[cur, k] = line }
	function dump(name,   i, c) { c = cnt[name]; for (i = (c > 40 ? c - 40 : 0); i < c; i++) print logs[name, i % 40] }
	/^=== (RUN|CONT|NAME)/ { cur = $3; next }
	/^=== PAUSE/ { next }
	/^ *--- PASS/ { passed++; next }
	/^ *--- FAIL/ { failed++; dump($3); print; next }
	/^ *--- SKIP/ { skipped++; print; c = cnt[$3]; if (c > 0) print logs[$3, (c - 1) % 40]; next }
	/^(ok|FAIL|PASS)[ \t]/ || /^FAIL$/ || /^# / { print; cur = ""; next }
	/^panic:/ { print; if (cur != "") dump(cur); next }
	{ keep($0) }
	END { printf "\n(full log: '"$log"')\n%d passed, %d failed, %d skipped\n", passed, failed, skipped }
'
exit "${PIPESTATUS[0]}"
