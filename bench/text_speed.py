"""Throughput of the default text chain on one core, next to ftfy.fix_text, in one run.

The corpus is the five seed documents repeated until it holds at least --mb megabytes; each
document is cleaned on its own, as a batch job would. Prints a table of medians over --runs.

    python bench/text_speed.py [--mb 10] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def corpus(mb: float) -> list[str]:
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds" / "input").glob("*.txt"))]
    docs: list[str] = []
    size = 0
    while size < mb * 1_000_000:
        for s in seeds:
            docs.append(s)
            size += len(s)
    return docs


def timed(fn, docs: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        for d in docs:
            fn(d)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()

    import ftfy

    from cleaner import Cleaner

    docs = corpus(args.mb)
    chars = sum(len(d) for d in docs)
    cleaner = Cleaner()
    cleaner.clean(docs[0])  # compile and import once, outside the timing
    ftfy.fix_text(docs[0])
    rows = [
        ("cleaner default chain", timed(cleaner.clean, docs, args.runs)),
        ("ftfy.fix_text", timed(ftfy.fix_text, docs, args.runs)),
    ]
    base = rows[1][1]
    print(f"{len(docs)} documents, {chars / 1e6:.1f} M characters, median of {args.runs} runs, one core")
    print(f"| {'pipeline':<24} | {'seconds':>8} | {'M chars/s':>9} | {'vs ftfy':>7} |")
    print(f"|{'-' * 26}|{'-' * 9}:|{'-' * 10}:|{'-' * 8}:|")
    for name, secs in rows:
        print(f"| {name:<24} | {secs:8.2f} | {chars / secs / 1e6:9.2f} | {base / secs:6.2f}x |")


if __name__ == "__main__":
    main()
