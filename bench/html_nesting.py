"""The HTML path on deeply nested and unclosed markup: time and memory against depth.

Each page holds one paragraph of prose at the bottom of N nested elements (closed, and
unclosed), cleaned with clean_html in a fresh process so that peak memory is the page's own.
Time that grows linearly with N, and memory that stays bounded, is what we want to see.

    python bench/html_nesting.py [--depths 1000,4000,16000,64000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import resource, sys, time
sys.path.insert(0, {root!r})
from cleaner.html import clean_html
depth, closed = int(sys.argv[1]), sys.argv[2] == "closed"
prose = "<p>" + "Officials said the talks would resume in Geneva on Monday morning. " * 4 + "</p>"
page = "<html><body>" + "<div>" * depth + prose + ("</div>" * depth if closed else "") + "</body></html>"
clean_html(page[:200])  # imports, outside the timing
start = time.perf_counter()
result = clean_html(page)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(f"{{seconds:.3f}} {{peak}} {{len(result.text)}} {{result.extractor or '-'}} {{result.reason or '-'}}")
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--depths", default="1000,4000,16000,64000")
    args = ap.parse_args()
    code = CHILD.format(root=str(ROOT))
    print("| nesting depth | markup | seconds | peak memory (MB) | text kept (chars) | extractor |")
    print("|---:|---|---:|---:|---:|---|")
    for depth in (int(d) for d in args.depths.split(",")):
        for markup in ("closed", "unclosed"):
            out = subprocess.run([sys.executable, "-c", code, str(depth), markup],
                                 capture_output=True, text=True, timeout=600)
            if out.returncode != 0:
                print(f"| {depth:,} | {markup} | failed: {out.stderr.strip().splitlines()[-1]} | | | |")
                continue
            seconds, peak, kept, extractor, reason = out.stdout.split(maxsplit=4)
            label = extractor if extractor != "-" else f"none ({reason.strip()})"
            print(f"| {depth:,} | {markup} | {seconds} | {peak} | {kept} | {label} |", flush=True)


if __name__ == "__main__":
    main()
