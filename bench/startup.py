"""Start-up: what one ``cleaner FILE`` call costs as a per-file step in a shell loop.

Times, as whole processes, each command on the same seed file, interleaved run by run so that
a busy moment of a shared machine falls on all of them alike, and prints the median, min and
max of ``--runs`` runs:

- ``cleaner FILE``, cold: an empty compiled-rules cache (a first run on a machine);
- ``cleaner FILE``, warm: the cache present (every later run);
- ``ftfy FILE``: ftfy's command line, the reference the target is set against;
- ``python -c pass``: the interpreter alone, the floor every Python command pays.

    python bench/startup.py [--runs 10] [--file seeds/input/003_f1cc23f9fc5eda1c.txt]

Run it with the Python of an environment where the package is installed as users install it
(``python3 -m venv /tmp/v && /tmp/v/bin/pip install . && /tmp/v/bin/python bench/startup.py``):
an editable install adds an import hook of its own, about 8 ms a start.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _time(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                   check=True)
    return time.perf_counter() - started


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--file", type=Path,
                   default=ROOT / "seeds" / "input" / "003_f1cc23f9fc5eda1c.txt")
    args = p.parse_args()
    bindir = Path(sys.executable).parent
    cleaner = str(bindir / "cleaner") if (bindir / "cleaner").exists() else "cleaner"
    ftfy = str(bindir / "ftfy") if (bindir / "ftfy").exists() else shutil.which("ftfy")
    if ftfy is None:
        sys.exit("ftfy's command is not installed (pip install ftfy)")
    scratch = Path(tempfile.mkdtemp(prefix="cleaner-startup-"))
    warm_env = {**os.environ, "CLEANER_CACHE_DIR": str(scratch / "warm")}
    subprocess.run([cleaner, str(args.file)], env=warm_env, stdout=subprocess.DEVNULL,
                   check=True)  # fills the warm cache
    rows: dict[str, list[float]] = {"cleaner FILE, cold (no cache)": [],
                                    "cleaner FILE, warm (cache present)": [],
                                    "ftfy FILE": [], "python -c pass": []}
    for k in range(args.runs):
        cold_env = {**os.environ, "CLEANER_CACHE_DIR": str(scratch / f"cold-{k}")}
        rows["cleaner FILE, cold (no cache)"].append(_time([cleaner, str(args.file)], cold_env))
        rows["cleaner FILE, warm (cache present)"].append(
            _time([cleaner, str(args.file)], warm_env))
        rows["ftfy FILE"].append(_time([ftfy, str(args.file)], dict(os.environ)))
        rows["python -c pass"].append(_time([sys.executable, "-c", "pass"], dict(os.environ)))
    shutil.rmtree(scratch, ignore_errors=True)
    ftfy_median = statistics.median(rows["ftfy FILE"])
    print(f"{args.runs} runs each, interleaved; {args.file.name} ({args.file.stat().st_size} bytes)\n")
    print("| command | median s | min s | max s | vs ftfy |")
    print("|---|---:|---:|---:|---:|")
    for name, times in rows.items():
        median = statistics.median(times)
        print(f"| {name} | {median:.3f} | {min(times):.3f} | {max(times):.3f} | "
              f"{median / ftfy_median:.2f}x |")


if __name__ == "__main__":
    main()
