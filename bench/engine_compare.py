"""The RE2 engine against the gated path on a large comparison set: the same report?

The two paths must give the same text, edits, notices and metadata (cleaner.engine: RE2 only
names the rules and lines to try; the rules' own patterns decide). tests/test_engine.py
checks it on about 1,200 texts on every run; this checks it on real texts at scale: the
public benchmark's pages as trafilatura extracts them, as whole-page dumps and their gold
texts; the development pages' cached texts and dumps (bench/generalization.py's cache, both
halves: only reports are compared, nothing is scored) and gold texts; and random stacks of
their headline-length and prose lines. Each text is cleaned by the default chain, and the
first 2,000 also with the page stage.

    python bench/engine_compare.py [--stacks 3000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import devsplit  # noqa: E402
import generalization as gen  # noqa: E402
import text_quality as tq  # noqa: E402


def corpus(stacks: int) -> list[str]:
    import trafilatura

    texts: list[str] = []
    gold = json.loads((tq.DATA / "ground-truth.json").read_text(encoding="utf-8"))
    for i in sorted(gold):
        html = gzip.decompress((tq.DATA / "html" / f"{i}.html.gz").read_bytes()).decode("utf-8")
        texts += [trafilatura.extract(html, favor_precision=True, include_comments=False) or "",
                  tq.full_page_dump(html), gold[i].get("articleBody", "")]
    cache = gen.OUT / "cache" / gen.cache_key()
    for source in devsplit.SOURCES:
        for page in devsplit.load(source, None):
            path = cache / page.source / (page.id.replace("/", "__") + ".json")
            if path.exists():
                cached = json.loads(path.read_text(encoding="utf-8"))["texts"]
                texts += [cached.get("trafilatura_best") or "", cached.get("dump") or ""]
            texts.append(page.gold or "")
    rng = random.Random(stacks)
    lines = [line for t in texts[:300] for line in t.splitlines()]
    heads = [line for line in lines if 3 <= len(line.split()) <= 12][:5000]
    prose = [line for line in lines if len(line.split()) > 15][:5000]
    for _ in range(stacks):
        texts.append("\n\n".join(rng.choice(heads if rng.random() < 0.5 else prose)
                                 for _ in range(rng.randint(2, 30))))
    return texts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stacks", type=int, default=3000)
    args = ap.parse_args()

    import cleaner.engine as engine
    from cleaner import Cleaner

    re2 = engine._module()
    if re2 is None:
        sys.exit("google-re2 is not installed: no engine to compare")
    texts = corpus(args.stacks)

    def report(c: Cleaner, module: object, text: str) -> str:
        engine._re2 = module  # the gated cleaner never sees RE2, so never builds a filter
        return c.clean(text).to_json(with_text=True)

    rows = []
    for label, enable, subset in (("default chain", frozenset(), texts),
                                  ("with the page stage", frozenset({"boilerplate"}),
                                   texts[:2000])):
        with_re2, gated = Cleaner(enable=enable), Cleaner(enable=enable)
        differ = [k for k, t in enumerate(subset)
                  if report(with_re2, re2, t) != report(gated, None, t)]
        rows.append((label, len(subset), len(differ), differ[:5]))
    engine._re2 = re2
    print("| chain | texts | reports that differ | first differing |")
    print("|---|---:|---:|---|")
    for label, n, d, first in rows:
        print(f"| {label} | {n:,} | {d} | {first or '-'} |")
    if any(d for _, _, d, _ in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
