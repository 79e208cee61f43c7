#!/usr/bin/env python3
# The Python multiprocessing side of proclab's benchmarks: the reference numbers
# proclab's own measurements are divided by. Prints one JSON line per result.
"""Measure Python multiprocessing (fork start method) on this machine.

Each result is a JSON line {"name": ..., "value": ..., "unit": ...}, where the
value is the median of several timed rounds, after a warm-up that is not
timed. Units are "s" (seconds per operation) or "items/s". The whole run takes
about 20 s on 2 cores; `--only spawn_join,startup` runs a subset.
"""

import argparse
import json
import multiprocessing
import statistics
import subprocess
import sys
import time

ROUNDS = 9
CTX = multiprocessing.get_context("fork")


def noop():
    pass


def f(x):
    # As cheap as a task can be, so the numbers are the machinery's overhead.
    return x * x


def median_of_rounds(one_round, rounds=ROUNDS):
    return statistics.median(one_round() for _ in range(rounds))


def spawn_join():
    # Method: Process(target=noop).start() then .join(), 60 per round; the
    # value is seconds per start+join pair, fork included, exit and reap too.
    def one_round(count=60):
        start = time.perf_counter()
        for _ in range(count):
            p = CTX.Process(target=noop)
            p.start()
            p.join()
        return (time.perf_counter() - start) / count

    one_round(5)
    return median_of_rounds(one_round), "s"


def startup():
    # Method: subprocess.run of `python3 -c pass` 6 times per round, timed
    # from the call to its return (so fork/exec and wait are included). It runs
    # sys.executable: the pyenv `python3` shim is a bash script that adds ~50 ms.
    command = [sys.executable, "-c", "pass"]

    def one_round(count=6):
        start = time.perf_counter()
        for _ in range(count):
            subprocess.run(command, check=True)
        return (time.perf_counter() - start) / count

    one_round(2)
    return median_of_rounds(one_round), "s"


def pool_map_chunked():
    # Method: Pool(2).map(f, range(100000)) with the default chunksize (which
    # is len/(4*processes), so 8 big chunks); items/s over the whole map call.
    # The pool is started and warmed up before timing.
    items = range(100_000)
    with CTX.Pool(2) as pool:
        pool.map(f, range(1000))

        def one_round():
            start = time.perf_counter()
            pool.map(f, items)
            return len(items) / (time.perf_counter() - start)

        return median_of_rounds(one_round, rounds=15), "items/s"


def pool_map_chunksize1():
    # Method: as pool_map_chunked but chunksize=1, so one task message per
    # item; 6000 items per round instead of 100000 to keep the run short.
    items = range(6_000)
    with CTX.Pool(2) as pool:
        pool.map(f, range(1000), chunksize=1)

        def one_round():
            start = time.perf_counter()
            pool.map(f, items, chunksize=1)
            return len(items) / (time.perf_counter() - start)

        return median_of_rounds(one_round), "items/s"


def apply_async_get():
    # Method: pool.apply_async(f, (1,)).get() one at a time, 600 per round;
    # seconds per submit-and-wait round trip through the pool's task queue,
    # result queue and the parent's handler threads.
    with CTX.Pool(2) as pool:

        def one_round(count=600):
            start = time.perf_counter()
            for _ in range(count):
                pool.apply_async(f, (1,)).get()
            return (time.perf_counter() - start) / count

        one_round(100)
        return median_of_rounds(one_round), "s"


def produce(queue, count):
    for i in range(count):
        queue.put(i)


def queue_throughput():
    # Method: each round forks a producer Process that puts 30000 small ints
    # on a multiprocessing.Queue; the parent gets them all. The clock starts
    # at the first item received (so the fork is not counted) and stops at
    # the last: items/s for the remaining 29999.
    count = 30_000

    def one_round():
        queue = CTX.Queue()
        producer = CTX.Process(target=produce, args=(queue, count))
        producer.start()
        queue.get()
        start = time.perf_counter()
        for _ in range(count - 1):
            queue.get()
        elapsed = time.perf_counter() - start
        producer.join()
        queue.close()
        return (count - 1) / elapsed

    return median_of_rounds(one_round), "items/s"


def echo(conn):
    while True:
        message = conn.recv()
        if message is None:
            return
        conn.send(message)


def pipe_roundtrip():
    # Method: one child Process echoes whatever arrives on its end of a
    # multiprocessing.Pipe(); the parent does send(1) then recv(), 3000 per
    # round: seconds per round trip (two pickled messages, two wake-ups).
    parent, child = CTX.Pipe()
    echoer = CTX.Process(target=echo, args=(child,))
    echoer.start()
    child.close()

    def one_round(count=3000):
        start = time.perf_counter()
        for _ in range(count):
            parent.send(1)
            parent.recv()
        return (time.perf_counter() - start) / count

    try:
        one_round(200)
        return median_of_rounds(one_round), "s"
    finally:
        parent.send(None)
        echoer.join()
        parent.close()


def lock_acquire_release():
    # Method: lock.acquire(); lock.release() on a multiprocessing.Lock no other process
    # holds, 100000 per round in a for loop: seconds per pair, loop overhead included (as
    # proclab's loop includes its own).
    lock = CTX.Lock()

    def one_round(count=100000):
        start = time.perf_counter()
        for _ in range(count):
            lock.acquire()
            lock.release()
        return (time.perf_counter() - start) / count

    one_round(1000)
    return median_of_rounds(one_round), "s"


def bump_locked(value, count):
    for _ in range(count):
        with value.get_lock():
            value.value += 1


def locked_counter():
    # Method: 4 processes each add 1 to a shared Value("i") 20000 times, each add under the
    # Value's own lock; seconds for the whole run, forks and joins included (5 rounds).
    def one_round():
        value = CTX.Value("i", 0)
        start = time.perf_counter()
        workers = [CTX.Process(target=bump_locked, args=(value, 20000)) for _ in range(4)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        seconds = time.perf_counter() - start
        assert value.value == 80000
        return seconds

    one_round()
    return median_of_rounds(one_round, rounds=5), "s"


MEASUREMENTS = {
    "spawn_join": spawn_join,
    "startup": startup,
    "pool_map_chunked": pool_map_chunked,
    "pool_map_chunksize1": pool_map_chunksize1,
    "apply_async_get": apply_async_get,
    "queue_throughput": queue_throughput,
    "pipe_roundtrip": pipe_roundtrip,
    "lock_acquire_release": lock_acquire_release,
    "locked_counter": locked_counter,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only",
        help="comma-separated names to run: " + ",".join(MEASUREMENTS),
    )
    args = parser.parse_args()
    names = args.only.split(",") if args.only else list(MEASUREMENTS)
    unknown = [name for name in names if name not in MEASUREMENTS]
    if unknown:
        parser.error("unknown measurement: " + ", ".join(unknown))
    for name in names:
        value, unit = MEASUREMENTS[name]()
        print(json.dumps({"name": name, "value": value, "unit": unit}), flush=True)


if __name__ == "__main__":
    main()
