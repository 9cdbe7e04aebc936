#!/usr/bin/env python3
"""Medians per group of a loadgen results file (JSON lines), as a Markdown table.

usage: summary.py RESULTS KEY GROUPS RUNS
  KEY     the JSON field that names a group ("target" or "label")
  GROUPS  space-separated group values, in table order; a value may be "label=shown name"
  RUNS    how many of the latest rows per group to take
"""
import json
import statistics
import sys

results, key, groups, runs = sys.argv[1], sys.argv[2], sys.argv[3].split(), int(sys.argv[4])
rows = [json.loads(line) for line in open(results) if line.strip()]
# The latest RUNS rows of each group, under the name the tables show.
latest = []
for group in groups:
    value, _, shown = group.partition("=")
    # "_" stands for a space in a label; a target's name may hold one itself (node_socketio)
    picked = [r for r in rows if str(r[key]) in (value, value.replace("_", " "))][-runs:]
    if picked:
        latest.append((shown or value, picked))


def median_of(picked):
    return lambda field: statistics.median(r[field] for r in picked)


# Rows from before the per-event fields existed show only the per-delivery ones.
per_event = all("cpuTotalUsPerEvent" in r for _, picked in latest for r in picked)
# Stores are charged only when the run was given their processes (--store-pids).
stores = per_event and any(r["storeCpuUsPerEvent"] > 0 for _, picked in latest for r in picked)
extra = (" server µs/event |" if per_event else "") + (
    " PostgreSQL+Redis µs/event | PostgreSQL+Redis µs/delivery |" if stores else "")
print(f"| {key} | delivered | p50 ms | p99 ms | max ms | user µs/delivery | system µs/delivery | total µs/delivery |{extra}")
print("|---|---|---|---|---|---|---|---|" + ("---|" if per_event else "") + ("---|---|" if stores else ""))
for name, picked in latest:
    med = median_of(picked)
    cells = (f" {med('cpuTotalUsPerEvent'):.1f} |" if per_event else "") + (
        f" {med('storeCpuUsPerEvent'):.1f} | {med('storeCpuUsPerDelivery'):.2f} |" if stores else "")
    print(f"| {name} | {med('deliveredPct'):.2f}% | {med('p50ms'):.1f} | {med('p99ms'):.1f} | "
          f"{med('maxMs'):.1f} | {med('cpuUserUsPerDelivery'):.2f} | {med('cpuSysUsPerDelivery'):.2f} | "
          f"{med('cpuTotalUsPerDelivery'):.2f} |{cells}")

# Runs of core-fanout.sh with SB_BENCH_PERF=1 carry a perf-sampled user/system split as well (cpu-mode.sh), shown
# only when the latest rows themselves carry it: an older invocation's split must not pass for this one's.
sampled = [(name, picked) for name, picked in latest if all("perfKernelShare" in r for r in picked)]
if sampled:
    print()
    print(f"| {key} | perf-sampled kernel share | user µs/delivery | system µs/delivery |")
    print("|---|---|---|---|")
    for name, picked in sampled:
        med = median_of(picked)
        print(f"| {name} | {med('perfKernelShare'):.3f} | {med('perfUserUsPerDelivery'):.2f} | "
              f"{med('perfSysUsPerDelivery'):.2f} |")
