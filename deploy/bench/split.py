#!/usr/bin/env python3
"""Splits each target's server CPU into what it spends idle, per event and per delivery (core-fanout.sh with
SB_BENCH_SPLIT=1), as a Markdown table of medians over the runs.

usage: split.py RESULTS TARGETS RUNS

Each run has three rows per target, measured one after the other: "<target> idle <n>" (one subscriber per channel,
nothing published), "<target> light <n>" (one subscriber per channel at the full rate: one delivery per event) and
"<target> run <n>" (the full load). With C the server CPU per second of a row and D its deliveries per second:

  per delivery (marginal)  m = (C_full - C_light) / (D_full - D_light)
  per event (fixed)        e = (C_light - C_idle - m * D_light) / rate
  idle                     C_idle

so the full run's CPU per delivery is C_idle / D_full + e * rate / D_full + m, each part of which the table shows.
Further tables split the user time alone the same way: from /proc (serverUserMsPerSec) and, for runs with
SB_BENCH_PERF=1, as perf sampled it (perfUserMsPerSec); rounds whose rows lack the field are skipped.
The /proc table is kept for comparison only: this kernel's tick-based user/system accounting makes one window's
user time unreliable for a JVM (see cpu-mode.sh); the perf-sampled table is the one to read.
"""
import json
import statistics
import sys

results, targets, runs = sys.argv[1], sys.argv[2].split(), int(sys.argv[3])
rows = [json.loads(line) for line in open(results) if line.strip()]


def latest(target, kind):
    """The latest RUNS rows of one target and kind ("idle", "light", "run"), oldest first. A round writes its
    three rows in that order, so the i-th rows of the three kinds belong to one round; run numbers repeat across
    invocations that append to the same file, and must not pair rows of different invocations."""
    picked = [r for r in rows if r["label"].split()[:2] == [target, kind] and len(r["label"].split()) == 3]
    return picked[-runs:]


def table(field, what):
    print(f"| target | {what}: idle ms/s | per event µs | per delivery µs (marginal) | full load µs/delivery: idle + "
          "events + deliveries |")
    print("|---|---|---|---|---|")
    for t in targets:
        row(t, field)
    print()


def row(t, field):
    rounds = [r for r in zip(latest(t, "idle"), latest(t, "light"), latest(t, "run")) if all(field in x for x in r)]
    if not rounds:
        return
    parts = []
    for idle, light, full in rounds:
        ci, cl, cf = (x[field] * 1000 for x in (idle, light, full))  # µs per second
        dl, df = light["deliveredPerSec"], full["deliveredPerSec"]
        rate = full["rate"]
        m = (cf - cl) / (df - dl)
        e = (cl - ci - m * dl) / rate
        parts.append((ci / 1000, e, m, ci / df, e * rate / df, cf / df))
    med = [statistics.median(p[i] for p in parts) for i in range(6)]
    print(f"| {t} | {med[0]:.1f} | {med[1]:.0f} | {med[2]:.2f} | {med[5]:.2f}: {med[3]:.2f} + {med[4]:.2f} + "
          f"{med[2]:.2f} |")


table("serverCpuMsPerSec", "CPU")
table("serverUserMsPerSec", "user (/proc)")
table("perfUserMsPerSec", "user (perf-sampled)")
