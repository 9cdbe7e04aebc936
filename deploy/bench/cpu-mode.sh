#!/usr/bin/env bash
# Samples the given server processes with perf's cpu-clock and prints the share of their CPU time spent in the
# kernel (0..1), for the user/system split of a benchmark run.
#
#   deploy/bench/cpu-mode.sh DELAY SECONDS PID[,PID...]
#
# Why not /proc/PID/stat: this kernel accounts user against system time by tick (CONFIG_TICK_CPU_ACCOUNTING,
# 250 Hz) and reports the precise total split by the process's lifetime tick ratio, kept monotonic. The user and
# system deltas over one window then carry part of the whole history's reweighting: a JVM whose ratio still
# drifts minutes after its JIT warm-up showed 0.87, 5.60 and 4.27 µs user per delivery in three rounds of equal
# total (docs/benchmarks.md, 2026-12-03). Samples of a time-based event are taken in the mode the thread is in.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
DELAY="$1"; SECONDS_="$2"; PIDS="$3"
command -v perf >/dev/null || apt_install linux-perf
data=$(mktemp /tmp/sb-cpu-mode.XXXXXX)
trap 'rm -f "$data"' EXIT
sleep "$DELAY"
# A failed recording leaves no samples, which the summary below reports; it must not end a benchmark run.
perf record -q -e cpu-clock -F 499 -p "$PIDS" -o "$data" -- sleep "$SECONDS_" >/dev/null 2>&1 || true
# One line per sample: its address and dso, which is [kernel.kallsyms] for a sample taken in the kernel.
{ perf script -i "$data" -F ip,dso 2>/dev/null || true; } | awk '
  { n++; if ($0 ~ /kernel\.kallsyms|\[kernel/) k++ }
  END { if (n == 0) { print "cpu-mode: no samples (an idle server, or perf could not sample it)" > "/dev/stderr"
                      print "0"; exit }
        printf "%.4f\n", k / n }'
