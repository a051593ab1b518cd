"""The review page of a large batch run: its size, the time and the peak memory to build it.

Cleans a generated corpus of ``--records`` seed documents with ``cleaner batch -j 2``, then
builds the review page from the run's reports twice: the default (every document counted,
a bounded sample shown) and ``--all`` (every document shown). Peak memory is the resident
memory of the command, sampled every 50 ms (see bench/batch.py).

    python bench/review.py [--records 20000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch import measure  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--records", type=int, default=20_000)
    args = p.parse_args()
    seeds = [s.read_text(encoding="utf-8") for s in sorted((ROOT / "seeds" / "input").glob("*.txt"))]
    work = Path(tempfile.mkdtemp(prefix="cleaner-review-"))
    corpus = work / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as f:
        for k in range(args.records):
            f.write(json.dumps({"id": f"r{k}", "text": seeds[k % len(seeds)]}) + "\n")
    out = work / "out"
    cleaner = [sys.executable, "-m", "cleaner"]
    subprocess.run([*cleaner, "batch", str(corpus), "-o", str(out), "-j", "2", "--no-progress"],
                   check=True, stderr=subprocess.DEVNULL)
    reports = sorted(str(r) for r in out.glob("*.report.jsonl"))
    print(f"{args.records:,} records cleaned; reports: "
          f"{sum(Path(r).stat().st_size for r in reports) / 1e6:.1f} MB\n")
    print("| page | documents shown | page size (MB) | seconds | peak memory (MB) |")
    print("|---|---:|---:|---:|---:|")
    for name, extra in (("default (sample)", []), ("--all", ["--all"])):
        page = work / f"review{len(extra)}.html"
        seconds, peak = measure([*cleaner, "review", *reports, "-o", str(page), *extra])
        html = page.read_text(encoding="utf-8")
        data = json.loads(html.split('<script type="application/json" id="data">', 1)[1]
                          .split("</script>", 1)[0])
        print(f"| {name} | {len(data['docs']):,} of {data['corpus']['documents']:,} | "
              f"{page.stat().st_size / 1e6:.1f} | {seconds:.1f} | {peak} |")


if __name__ == "__main__":
    main()
