"""Language detection: how often ``cleaner.language.detect`` names a page's language, and
what it costs.

The pages are the development pages of ``bench/devsplit.py`` (fundus's news pages in two
dozen languages, WCXB's English articles), one half at a time: ``tune`` while developing,
``check`` to judge. Each page is read three ways, as the product meets text:

- ``gold``: the page's gold article text;
- ``trafilatura``: trafilatura's text of the page, with the settings cleaner uses;
- ``dump``: every visible block of the page a line (menus, footers and all).

trafilatura's texts and the dumps come from ``bench/generalization.py``'s cache (filled by
either script; ``--cache`` points at another one).

The truth is fundus's ``language`` field, which is langid's guess on the gold body (so a
langid-based detector scores its own labels on the gold column); WCXB's pages are all
English. langid calls every South African page ``xh``; those papers publish in isiXhosa and
isiZulu, so on an ``xh`` page ``zu`` counts as right too. ``""`` (no answer) counts as
wrong. The tables give right/pages per language and input, the tune half lists every
wrong page (true -> predicted); the check half gives only the count of each confusion, so
it is never read page by page.

Short texts: windows of 5 to 40 words of each fundus gold body (three a page, drawn
from a generator seeded by the page), right, unanswered and wrong.

Timing: the index build (each script's, in process, best of several builds), and detect()
per document, the median over documents of each one's best time: on the seed documents
(``seeds/input``) and on the fundus pages' dumps and gold texts.

``--py3langid`` runs py3langid (langid.py's model, when installed) on the same inputs for a
side-by-side row; it is not a dependency of cleaner.

    python bench/language.py [--half tune|check|all] [--source fundus|wcxb|all]
                             [--cache DIR] [--py3langid] [--no-timing]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

import devsplit  # noqa: E402
import generalization  # noqa: E402

from cleaner import language  # noqa: E402

INPUTS = ("gold", "trafilatura", "dump")
#: Window lengths (words) of the short-text table.
WINDOW_WORDS = (5, 10, 20, 40)
#: langid's label -> the answers that count as right for it.
ALSO_RIGHT = {"xh": {"xh", "zu"}}


def inputs_of(page: devsplit.Page, cache: Path) -> dict[str, str]:
    """The page's three texts: gold, trafilatura's (cleaner's settings), the whole dump."""
    html = page.html().decode("utf-8", errors="replace")
    extraction, _ = generalization.cached_extract(page, html, cache)
    texts = extraction["texts"]
    return {"gold": page.gold, "trafilatura": texts.get("trafilatura_best") or "",
            "dump": texts.get("dump") or ""}


def right(truth: str, guess: str) -> bool:
    return guess == truth or guess in ALSO_RIGHT.get(truth, ())


def table(rows: list[dict[str, Any]], system: str) -> list[str]:
    """Right/pages per language (most pages first) and input, and a total line."""
    by_language: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_language[row["truth"]].append(row)
    order = sorted(by_language, key=lambda lang: (-len(by_language[lang]), lang))
    out = ["| language | pages | " + " | ".join(INPUTS) + " |",
           "|---|---:|" + "---:|" * len(INPUTS)]
    for lang in [*order, "all"]:
        group = rows if lang == "all" else by_language[lang]
        cells = []
        for kind in INPUTS:
            ok = sum(right(r["truth"], r[system][kind]) for r in group)
            cells.append(f"{ok}/{len(group)}" + (f" ({ok / len(group):.1%})" if lang == "all"
                                                  else ""))
        label = "**all**" if lang == "all" else lang
        out.append(f"| {label} | {len(group)} | " + " | ".join(cells) + " |")
    empty = [sum(not r["chars"][kind] for r in rows) for kind in INPUTS]
    out.append("| (empty inputs) | | " + " | ".join(map(str, empty)) + " |")
    return out


def confusions(rows: list[dict[str, Any]], system: str, pages: bool) -> list[str]:
    """The wrong answers: each page (tune) or each true -> predicted pair with its count."""
    wrong = [(r["id"], kind, r["truth"], r[system][kind], r) for r in rows for kind in INPUTS
             if not right(r["truth"], r[system][kind])]
    if not wrong:
        return ["none"]
    if pages:
        return [f"- {page_id} ({kind}): {truth} -> {guess or '(none)'}"
                + (" (empty input)" if not r["chars"][kind] else "")
                for page_id, kind, truth, guess, r in wrong]
    pairs = Counter((kind, truth, guess or ("(empty input)" if not r["chars"][kind] else "(none)"))
                    for _, kind, truth, guess, r in wrong)
    return [f"- {kind}: {truth} -> {guess}: {n}"
            for (kind, truth, guess), n in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))]


def windows(rows: list[dict[str, Any]], texts: dict[str, dict[str, str]],
            fn: Callable[[str], str], per_page: int = 3) -> list[str]:
    """Short texts: ``per_page`` windows of k words of each fundus gold body (CJK pages
    left out: their words are not spaced), at positions drawn from a generator seeded by
    the page id and k; right, no answer and wrong per k."""
    out = ["| words | windows | right | no answer | wrong |", "|---:|---:|---:|---:|---:|"]
    for k in WINDOW_WORDS:
        counts: Counter[str] = Counter()
        for row in rows:
            if row["source"] != "fundus" or row["truth"] in ("ja", "zh", "ko"):
                continue
            words = texts[row["id"]]["gold"].split()
            if len(words) <= k:
                continue
            draw = random.Random(f"{row['id']}:{k}")
            for _ in range(per_page):
                at = draw.randrange(len(words) - k)
                guess = fn(" ".join(words[at:at + k]))
                counts["right" if right(row["truth"], guess) else "none" if not guess
                       else "wrong"] += 1
        n = sum(counts.values())
        out.append(f"| {k} | {n} | " + " | ".join(
            f"{counts[c]} ({counts[c] / n:.1%})" if n else "0" for c in ("right", "none", "wrong"))
            + " |")
    return out


def per_document_us(fn: Callable[[str], Any], docs: list[str], repeat: int = 5) -> float:
    """The median over documents of each document's best time per call, in microseconds:
    CPU time of this process, the best of several runs of about a millisecond each (other
    processes on the machine only ever add time)."""
    times = []
    for doc in docs:
        once = _run(fn, doc, 1)
        number = max(1, min(200, int(0.001 / max(once, 1e-7))))
        best = min(_run(fn, doc, number) for _ in range(repeat))
        times.append(best / number * 1e6)
    return statistics.median(times)


def _run(fn: Callable[[str], Any], doc: str, number: int) -> float:
    t = time.process_time()
    for _ in range(number):
        fn(doc)
    return time.process_time() - t


def build_ms(script: str, repeat: int = 5) -> float:
    """The best CPU time of building one script's stopword index, in milliseconds."""
    times = []
    for _ in range(repeat):
        language._model.cache_clear()
        t = time.process_time()
        language._model(script)
        times.append(time.process_time() - t)
    return min(times) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--half", choices=("tune", "check", "all"), default="tune")
    ap.add_argument("--source", choices=("fundus", "wcxb", "all"), default="all")
    ap.add_argument("--cache", type=Path, default=generalization.OUT / "cache",
                    help="where bench/generalization.py keeps trafilatura's texts and dumps")
    ap.add_argument("--py3langid", action="store_true",
                    help="also run py3langid (if installed), side by side")
    ap.add_argument("--no-timing", action="store_true")
    ap.add_argument("--out", type=Path, help="per-page answers as JSON")
    args = ap.parse_args()

    systems: dict[str, Callable[[str], str]] = {"detect": language.detect}
    if args.py3langid:
        import py3langid

        systems["py3langid"] = lambda text: py3langid.classify(text)[0] if text.strip() else ""

    sources = list(devsplit.SOURCES) if args.source == "all" else [args.source]
    half = None if args.half == "all" else args.half
    cache = args.cache / generalization.cache_key()
    rows: list[dict[str, Any]] = []
    texts: dict[str, dict[str, str]] = {}
    for source in sources:
        for page in devsplit.load(source, half):
            texts[page.id] = inputs_of(page, cache)
            row: dict[str, Any] = {"id": page.id, "source": source, "truth": page.language,
                                   "chars": {k: len(t) for k, t in texts[page.id].items()}}
            for name, fn in systems.items():
                row[name] = {kind: fn(texts[page.id][kind]) for kind in INPUTS}
            rows.append(row)

    print(f"half: {args.half}; truth: fundus's language field (langid on the gold body), "
          "WCXB English; on 'xh' pages 'zu' counts as right\n")
    for source in sources:
        src_rows = [r for r in rows if r["source"] == source]
        for name in systems:
            print(f"### {source}, {name} ({len(src_rows)} pages)\n")
            print("\n".join(table(src_rows, name)))
            tune = args.half == "tune"
            print(f"\n{'wrong pages' if tune else 'confusions (input: true -> predicted)'}:\n")
            print("\n".join(confusions(src_rows, name, pages=tune)) + "\n")

    if "fundus" in sources:
        for name, fn in systems.items():
            print(f"### short texts, {name}: windows of fundus gold bodies\n")
            print("\n".join(windows(rows, texts, fn)) + "\n")

    if not args.no_timing:
        seeds = [p.read_text(encoding="utf-8")
                 for p in sorted((ROOT / "seeds" / "input").glob("*.txt"))]
        fundus = [t for r in rows if r["source"] == "fundus" for t in (texts[r["id"]],)]
        print("### timing\n")
        print("index build, best of 5 (ms): " + ", ".join(
            f"{script} {build_ms(script):.1f}" for script in language._STOPLISTS))
        for script in language._STOPLISTS:  # every index built before the clock runs
            language._model(script)
        for name, fn in systems.items():
            cells = [f"seeds ({len(seeds)}) {per_document_us(fn, seeds):.1f}"]
            if fundus:
                for kind in ("gold", "dump"):
                    docs = [t[kind] for t in fundus]
                    chars = statistics.median(len(d) for d in docs)
                    cells.append(f"fundus {kind} ({len(docs)}, median {chars:.0f} chars) "
                                 f"{per_document_us(fn, docs):.1f}")
            print(f"{name}, median per document (µs): " + "; ".join(cells))

    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"half": args.half, "rows": rows}, ensure_ascii=False,
                                       indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
