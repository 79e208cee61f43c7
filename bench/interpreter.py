"""The interpreter benchmarks of issue 13: interpreter.plab against the same programs in
interpreter_baseline.py, run by the system python3 and, when it is another interpreter, by
the python3 on PATH. compare.py prints this table after its own.

Each side prints JSON lines {"name", "value", "unit"}; the sides alternate (Python, proclab,
the other Python), so all see the same state of a noisy shared machine.
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# name: (what the program does, the ratio proclab / Python it must not pass)
PROGRAMS = {
    "interp_fib27": ("fib(27), naive recursion", 0.7),
    "interp_numeric_loop": ("s += i * i % 7, 3,000,000 times, globals", 0.7),
    "interp_strings": ("s += f\"...\", 200,000 times", 1.0),
    "interp_lists": ("append 300,000, then index each", 1.0),
    "interp_dicts": ("dict get/set, int and string keys", 1.0),
    "interp_methods": ("string methods in a loop", 1.0),
}

# Issue 13 raises the chunked pool map's target (compare.py's table) to twice Python's rate.
POOL_TARGET = ("items/s", "at least 2x Python's rate", lambda p, q: p >= 2 * q)


def pythons():
    """(label, executable): the system python3, then PATH's when it is another one."""
    found = []
    if os.path.exists("/usr/bin/python3"):
        found.append(("system python3", "/usr/bin/python3"))
    on_path = subprocess.run(
        ["python3", "-c", "import sys; print(sys.executable)"], capture_output=True, text=True, check=True
    ).stdout.strip()
    if not found or os.path.realpath(on_path) != os.path.realpath(found[0][1]):
        found.append(("python3 on PATH", on_path))
    return found


def results(command):
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return {item["name"]: item["value"] for item in map(json.loads, (l for l in out.splitlines() if l.startswith("{")))}


def version(executable):
    return subprocess.run([executable, "--version"], capture_output=True, text=True).stdout.strip()


def print_table(binary, only=None):
    names = [n for n in PROGRAMS if only is None or n in only]
    if not names:
        return
    interpreters = pythons()
    theirs = {}
    for i, (label, executable) in enumerate(interpreters):
        theirs[label] = results([executable, os.path.join(HERE, "interpreter_baseline.py")])
        if i == 0:
            ours = results([binary, os.path.join(HERE, "interpreter.plab")])
    print()
    print("interpreter (seconds per run, medians; ratio = proclab / Python)")
    header = f"{'program':<22}{'proclab':>10}"
    for label, executable in interpreters:
        header += f"{version(executable).replace('Python ', 'py '):>11}{'ratio':>7}"
    print(header + "  target")
    failed = 0
    for name in names:
        what, limit = PROGRAMS[name]
        row = f"{name:<22}{ours[name] * 1e3:>8.1f}ms"
        ok = True
        for label, _ in interpreters:
            ratio = ours[name] / theirs[label][name]
            ok = ok and ratio <= limit
            row += f"{theirs[label][name] * 1e3:>9.1f}ms{ratio:>6.2f}x"
        failed += 0 if ok else 1
        print(f"{row}  <= {limit}x: {'met' if ok else 'MISSED'}  ({what})")
    print(f"{len(names) - failed} interpreter targets met, {failed} missed")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: python3 bench/interpreter.py PROCLAB_BINARY")
    print_table(sys.argv[1])
