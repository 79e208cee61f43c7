#!/usr/bin/env python3
"""Runs proclab's benchmarks and Python's in one go and prints the ratios against the targets.

Each side prints JSON lines {"name", "value", "unit"}. Python and proclab alternate, one
measurement family at a time, so both see the same state of a noisy shared machine.
Usage: python3 bench/compare.py PROCLAB_BINARY [--only name,name]
"""
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# name: (unit, the target as the issues state it, and the test of proclab's value p against
# Python's q). The printed ratio is always proclab / Python.
TARGETS = {
    "spawn_join": ("s", "at most 1/4 of Python's time", lambda p, q: p <= q / 4),
    "startup": ("s", "at most 1/4 of Python's time", lambda p, q: p <= q / 4),
    "pool_map_chunked": ("items/s", "at least Python's rate", lambda p, q: p >= q),
    "pool_map_chunksize1": ("items/s", "at least 3x Python's rate", lambda p, q: p >= 3 * q),
    "apply_async_get": ("s", "at most 1/2 of Python's time", lambda p, q: p <= q / 2),
    "queue_throughput": ("items/s", "at least 3x Python's rate", lambda p, q: p >= 3 * q),
    "pipe_roundtrip": ("s", "no slower than Python's", lambda p, q: p <= q),
    "lock_acquire_release": ("s", "at most 2x Python's time", lambda p, q: p <= 2 * q),
    "locked_counter": ("s", "at most 2x Python's time", lambda p, q: p <= 2 * q),
}

# Issue 13: the interpreter's table (bench/interpreter.py), printed after this one, and the
# chunked pool map's target raised to twice Python's rate.
import interpreter  # noqa: E402

TARGETS["pool_map_chunked"] = interpreter.POOL_TARGET


def json_lines(command):
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    results = {}
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("{"):
            item = json.loads(line)
            results[item["name"]] = item["value"]
    return results


def python(names):
    return json_lines([sys.executable, os.path.join(HERE, "python_baseline.py"), "--only", ",".join(names)])


def proclab_script(binary, script):
    return json_lines([binary, os.path.join(HERE, script)])


def proclab_startup(binary, rounds=9, per_round=20):
    """The same method as Python's startup: wall time of a whole run that prints 1."""
    medians = []
    subprocess.run([binary, "-c", "print(1)"], stdout=subprocess.DEVNULL, check=True)
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(per_round):
            subprocess.run([binary, "-c", "print(1)"], stdout=subprocess.DEVNULL, check=True)
        medians.append((time.perf_counter() - t0) / per_round)
    return {"startup": statistics.median(medians)}


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary = sys.argv[1]
    only = None
    if "--only" in sys.argv:
        only = set(sys.argv[sys.argv.index("--only") + 1].split(","))
    families = [
        (["spawn_join"], lambda: proclab_script(binary, "spawn_join.plab")),
        (["startup"], lambda: proclab_startup(binary)),
        (["pool_map_chunked", "pool_map_chunksize1", "apply_async_get"], lambda: proclab_script(binary, "pool.plab")),
    ]
    if os.path.exists(os.path.join(HERE, "queue.plab")):
        families.append((["queue_throughput", "pipe_roundtrip"], lambda: proclab_script(binary, "queue.plab")))
    if os.path.exists(os.path.join(HERE, "sync.plab")):
        families.append((["lock_acquire_release", "locked_counter"], lambda: proclab_script(binary, "sync.plab")))
    rows = []
    for names, measure in families:
        names = [n for n in names if only is None or n in only]
        if not names:
            continue
        theirs = python(names)
        ours = measure()
        for name in names:
            if name in ours and name in theirs:
                rows.append((name, ours[name], theirs[name]))
    print(f"{'measure':<22}{'proclab':>14}{'python':>14}{'ratio':>9}  target")
    failed = 0
    for name, ours, theirs in rows:
        unit, text, passes = TARGETS[name]
        ratio = ours / theirs
        ok = passes(ours, theirs)
        failed += 0 if ok else 1
        shown = (lambda v: f"{v * 1e6:10.1f} µs") if unit == "s" else (lambda v: f"{v:10.0f} /s")
        print(f"{name:<22}{shown(ours):>14}{shown(theirs):>14}{ratio:>8.2f}x  {text}: {'met' if ok else 'MISSED'}")
    print(f"{len(rows) - failed} targets met, {failed} missed")
    interpreter.print_table(binary, only)


if __name__ == "__main__":
    main()
