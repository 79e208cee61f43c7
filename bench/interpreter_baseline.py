#!/usr/bin/env python3
# The Python side of the interpreter benchmarks: the same programs as interpreter.plab,
# timed the same way (whole runs, one warm-up, the median). Prints one JSON line per result.
import json
import statistics
import time


def report(name, value):
    print(json.dumps({"name": name, "value": value, "unit": "s"}), flush=True)


def median_seconds(name, program, rounds):
    program()
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        program()
        times.append(time.perf_counter() - t0)
    report(name, statistics.median(times))


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def fib_program():
    fib(27)


def numeric_program():
    # On globals, as in proclab's twin and at a script's top level.
    global s
    s = 0
    for i in range(3000000):
        s += i * i % 7


def strings_program():
    s = ""
    for i in range(200000):
        s += f"{i}:{i % 10},"
    return len(s)


def lists_program():
    xs = []
    for i in range(300000):
        xs.append(i * 2)
    total = 0
    for i in range(len(xs)):
        total += xs[i]
    return total


def dicts_program():
    d = {}
    for i in range(200000):
        key = i % 1000
        d[key] = d.get(key, 0) + i
    names = {}
    for i in range(100000):
        names[f"k{i % 100}"] = i
    return len(d) + len(names)


def methods_program():
    words = ["alpha", "Beta", " gamma ", "delta"]
    n = 0
    for i in range(100000):
        w = words[i % 4]
        n += len(w.upper()) + len(w.strip())
        if w.startswith("a"):
            n += 1
    return n


if __name__ == "__main__":
    median_seconds("interp_fib27", fib_program, 5)
    median_seconds("interp_numeric_loop", numeric_program, 5)
    median_seconds("interp_strings", strings_program, 5)
    median_seconds("interp_lists", lists_program, 5)
    median_seconds("interp_dicts", dicts_program, 5)
    median_seconds("interp_methods", methods_program, 5)
