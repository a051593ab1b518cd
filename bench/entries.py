"""What each rule and template removes on the development pages: gold lines against others.

For every page of the chosen half, the cached inputs of bench/generalization.py (trafilatura's
text with its best settings, and the whole-page dump) are cleaned (the dump with the page
stage), and every removal is put against the page's gold: a removed line that the gold holds
is a loss, any other a gain. Per rule or template id: lines and sites gained, lines and sites
lost, with examples of each, so that an entry that takes article text shows itself, and an
entry that removes nothing on real pages too.

    python bench/entries.py [--half tune] [--input trafilatura_best|dump|both] [--id PREFIX]
                            [--examples 3] [--rules extra.toml]

Develop on the tune half only (see bench/devsplit.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import devsplit  # noqa: E402
import generalization as gen  # noqa: E402

from cleaner import Cleaner  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--half", choices=("tune", "check", "all"), default="tune")
    ap.add_argument("--input", choices=("trafilatura_best", "dump", "both"), default="both")
    ap.add_argument("--id", default="", help="only ids starting with this")
    ap.add_argument("--examples", type=int, default=3)
    ap.add_argument("--rules", action="append", default=[], type=Path,
                    help="an extra pack to load beside the shipped ones")
    args = ap.parse_args()
    cache = gen.OUT / "cache" / gen.cache_key()
    if not cache.exists():
        sys.exit(f"no cached inputs in {cache}: run bench/generalization.py first")
    inputs = ("trafilatura_best", "dump") if args.input == "both" else (args.input,)
    plain = Cleaner(rules=args.rules)
    page_stage = Cleaner(rules=args.rules, enable={"boilerplate"})
    gained: dict[str, list[tuple[str, str]]] = defaultdict(list)
    lost: dict[str, list[tuple[str, str]]] = defaultdict(list)
    halves = (None,) if args.half == "all" else (args.half,)
    pages = 0
    for source in devsplit.SOURCES:
        for half in halves:
            for page in devsplit.load(source, half):  # type: ignore[arg-type]
                path = cache / page.source / (page.id.replace("/", "__") + ".json")
                if not path.exists():
                    continue
                texts = json.loads(path.read_text(encoding="utf-8"))["texts"]
                gold = gen.Reference(page.gold)
                pages += 1
                for kind in inputs:
                    text = texts.get(kind) or ""
                    cleaner = page_stage if kind == "dump" else plain
                    for edit in cleaner.clean(text, title=page.title or None).removals:
                        if not edit.rule.startswith(args.id):
                            continue
                        for line in edit.text.split("\n"):
                            toks = gen.tokens(line)
                            if not toks:
                                continue
                            where = (page.site, line.strip()[:140])
                            (lost if gold.holds(toks) else gained)[edit.rule].append(where)
    print(f"{pages} pages ({args.half} half), inputs: {', '.join(inputs)}\n")
    print("| id | lines gained | sites | lines lost | sites |")
    print("|---|---:|---:|---:|---:|")
    ids = sorted(set(gained) | set(lost), key=lambda k: (-len(lost[k]), -len(gained[k]), k))
    for rid in ids:
        print(f"| {rid} | {len(gained[rid])} | {len({s for s, _ in gained[rid]})} | "
              f"{len(lost[rid])} | {len({s for s, _ in lost[rid]})} |")
    if args.examples:
        for rid in ids:
            print(f"\n{rid}")
            for label, rows in (("lost", lost[rid]), ("gained", gained[rid])):
                for site, line in rows[:args.examples]:
                    print(f"  {label}: {site}: {line!r}")


if __name__ == "__main__":
    main()
