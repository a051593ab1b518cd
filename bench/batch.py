"""Batch throughput and memory: `cleaner batch` on generated seed-like corpora.

Writes JSON Lines corpora of --sizes records (the five seed documents in turn, each record with
its own id), runs `cleaner batch` on each with -j 1 and -j 2 (and the Ray engine in local
mode with --ray), and prints records per second and peak memory, the sum of the resident
memory of the command and every process under it, sampled every 50 ms.

    python bench/batch.py [--sizes 50000,200000] [--ray]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _tree_rss_kb(root: int) -> int:
    """Resident memory (kB) of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ppid, pages = int(fields[1]), int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = pages * os.sysconf("SC_PAGE_SIZE") // 1024
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def measure(cmd: list[str]) -> tuple[float, int]:
    """(seconds, peak tree memory in MB) of a command."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err.decode()}")
    return time.perf_counter() - start, peak // 1024


def corpus(path: Path, n: int) -> None:
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds" / "input").glob("*.txt"))]
    with path.open("w", encoding="utf-8") as f:
        for k in range(n):
            f.write(json.dumps({"id": f"rec-{k}", "text": seeds[k % len(seeds)]},
                               ensure_ascii=False) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="50000,200000")
    ap.add_argument("--ray", action="store_true", help="also the Ray engine in local mode")
    args = ap.parse_args()
    cleaner = [sys.executable, "-m", "cleaner.cli", "batch"]
    print("| records | engine | seconds | records/s | vs -j 1 | peak memory (MB) |")
    print("|---:|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            path = Path(tmp) / f"corpus-{n}.jsonl"
            corpus(path, n)
            runs = [("-j 1", ["-j", "1"]), ("-j 2", ["-j", "2"])]
            if args.ray:
                runs.append(("ray (local, 2 CPUs)", ["--engine", "ray", "-j", "2"]))
            base = None
            for label, extra in runs:
                out = Path(tmp) / f"out-{n}-{label.split()[0]}{extra[-1]}"
                secs, peak = measure([*cleaner, str(path), "-o", str(out), "--no-progress", *extra])
                base = base or secs
                print(f"| {n:,} | {label} | {secs:.1f} | {n / secs:,.0f} | {base / secs:.2f}x "
                      f"| {peak} |", flush=True)


if __name__ == "__main__":
    main()
