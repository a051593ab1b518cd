"""Throughput of the default text chain on one core, next to ftfy.fix_text, in one run.

The corpus is the five seed documents repeated until it holds at least --mb megabytes; each
document is cleaned on its own, as a batch job would. A second corpus of the same size holds
their expected (already clean) outputs, the common case in a corpus pass. A third is the
first pasted into one text (blank lines between the documents): one huge document, which
must cost in step with its size. Prints a table of medians over --runs.

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


def corpus(mb: float, folder: str = "input") -> list[str]:
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds" / folder).glob("*.txt"))]
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

    cleaner = Cleaner()
    print(f"median of {args.runs} runs, one core")
    print(f"| {'corpus':<44} | {'pipeline':<22} | {'seconds':>8} | {'M chars/s':>9} | {'vs ftfy':>7} |")
    print(f"|{'-' * 46}|{'-' * 24}|{'-' * 9}:|{'-' * 10}:|{'-' * 8}:|")
    for label, folder, pasted in (("seeds as scraped", "input", False),
                                  ("seeds already clean", "expected", False),
                                  ("as scraped, pasted into one text", "input", True)):
        docs = corpus(args.mb, folder)
        if pasted:
            docs = ["\n\n".join(docs)]
        chars = sum(len(d) for d in docs)
        if not pasted:  # compile and import once, outside the timing
            cleaner.clean(docs[0])
            ftfy.fix_text(docs[0])
        ours = timed(cleaner.clean, docs, args.runs)
        base = timed(ftfy.fix_text, docs, args.runs)
        name = f"{label}, {chars / 1e6:.0f} M chars"
        for pipeline, secs in (("cleaner default chain", ours), ("ftfy.fix_text", base)):
            print(f"| {name:<44} | {pipeline:<22} | {secs:8.2f} | {chars / secs / 1e6:9.2f} "
                  f"| {base / secs:6.2f}x |")


if __name__ == "__main__":
    main()
