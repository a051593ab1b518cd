"""Article extraction on the public benchmark: cleaner's HTML path beside other extractors.

Reads the 181 pages and gold texts of ../shared/bench/article-extraction-benchmark (MIT) and
prints, in one run and one table, precision, recall, F1 and pages per second for each system.
The metric is the benchmark's own: word tokens (\\w+), the multiset of 4-word shingles per page,
true/false positives and negatives normalised per page; precision and recall are averaged over
the pages where they are defined (an empty output counts for recall only), F1 comes from the
two averages. Beside it, "word F1" is WCXB's metric (bench/generalization.py's ``word_prf``):
lower-cased ``\\w+`` tokens as multisets, per-page F1, averaged over pages.

cleaner's HTML path runs in its default mode (the ensemble: trafilatura, readability and
justext weighed block by block by the shipped model, fitted by bench/fit_extraction.py, whose
pages include these) and in ``mode="fast"`` (trafilatura alone with its checks).

    python bench/extraction.py [--runs 3] [--only "cleaner (HTML path),trafilatura best"]

Timing runs are interleaved across systems; pages/s is the median over runs, and the ratio of
cleaner's HTML path to trafilatura's best settings is printed per run.

Needs, beyond the project: readability-lxml and resiliparse (pip install readability-lxml
resiliparse); a system whose package is missing is reported as such.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "bench" / "article-extraction-benchmark"

_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1))
                   if tokens[i:i + n])


def tp_fp_fn(gold: str, pred: str) -> tuple[float, float, float]:
    g, p = shingles(gold), shingles(pred)
    tp = sum((g & p).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def scores(rows: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    def precision(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else 0.0 if tp == fp == 0 else tp / (tp + fp)

    def recall(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else 0.0 if tp == fn == 0 else tp / (tp + fn)

    p = statistics.mean(precision(*r) for r in rows if r[0] + r[1] > 0)
    r = statistics.mean(recall(*x) for x in rows if x[0] + x[2] > 0)
    return p, r, 2 * p * r / (p + r)


def word_f1(gold: str, pred: str) -> float:
    """WCXB's per-page word F1 (as bench/generalization.py's word_prf)."""
    g = Counter(_TOKEN.findall(gold.lower()))
    p = Counter(_TOKEN.findall(pred.lower()))
    if not g:
        return 1.0 if not p else 0.0
    overlap = sum((g & p).values())
    if not p or not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def systems() -> dict[str, Callable[[str], str]]:
    out: dict[str, Callable[[str], str]] = {}

    from cleaner.html import clean_html

    out["cleaner (HTML path)"] = lambda html: clean_html(html).text
    out["cleaner (fast mode)"] = lambda html: clean_html(html, mode="fast").text
    out["cleaner (full metadata)"] = lambda html: clean_html(html, page_metadata="full").text

    import trafilatura

    out["trafilatura defaults"] = lambda html: trafilatura.extract(html) or ""
    out["trafilatura best"] = lambda html: trafilatura.extract(
        html, favor_precision=True, include_comments=False) or ""

    import justext

    stoplist = justext.get_stoplist("English")
    out["justext"] = lambda html: "\n".join(
        p.text for p in justext.justext(html, stoplist) if not p.is_boilerplate)
    try:
        import lxml.html
        from readability import Document

        def readability(html: str) -> str:
            # A line break at each block element, so that two paragraphs' words never join.
            summary = re.sub(r"</?(?:p|div|h[1-6]|li|br|tr|td|th|table|ul|ol|blockquote|pre)\b",
                             lambda m: "\n" + m.group(), Document(html).summary(html_partial=True),
                             flags=re.IGNORECASE)
            return lxml.html.fromstring(summary).text_content()

        out["readability-lxml"] = readability
    except ImportError:
        print("readability-lxml is not installed; skipped", file=sys.stderr)
    try:
        from resiliparse.extract.html2text import extract_plain_text

        out["resiliparse"] = lambda html: extract_plain_text(html, main_content=True)
    except ImportError:
        print("resiliparse is not installed; skipped", file=sys.stderr)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=1, help="timing runs per system (median)")
    ap.add_argument("--only", default="", help="comma-separated system names")
    ap.add_argument("--dump", type=Path, help="write each system's outputs as JSON here")
    args = ap.parse_args()

    gold = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(gold)
    pages = {i: gzip.decompress((DATA / "html" / f"{i}.html.gz").read_bytes()).decode("utf-8")
             for i in ids}
    wanted = {s.strip() for s in args.only.split(",") if s.strip()}
    print(f"{len(ids)} pages; timing: median of {args.runs} run(s), one core")
    print(f"| {'system':<25} | precision | recall |    F1 | word F1 | pages/s |")
    print(f"|{'-' * 27}|----------:|-------:|------:|--------:|--------:|")
    chosen = {name: fn for name, fn in systems().items() if not wanted or name in wanted}
    outputs: dict[str, dict[str, str]] = {name: {} for name in chosen}
    times: dict[str, list[float]] = {name: [] for name in chosen}
    # Runs are interleaved (every system once, then every system again), so that a slow
    # spell of a shared machine falls on all systems alike rather than on whichever ran then.
    for _ in range(args.runs):
        for name, fn in chosen.items():
            t = time.perf_counter()
            for i in ids:
                try:
                    outputs[name][i] = fn(pages[i]) or ""
                except Exception as exc:  # noqa: BLE001 - a system's crash is its empty output
                    print(f"{name}: {i}: {type(exc).__name__}: {exc}", file=sys.stderr)
                    outputs[name][i] = ""
            times[name].append(time.perf_counter() - t)
    for name in chosen:
        p, r, f1 = scores([tp_fp_fn(gold[i].get("articleBody", ""), outputs[name][i])
                           for i in ids])
        rate = len(ids) / statistics.median(times[name])
        words = statistics.mean(word_f1(gold[i].get("articleBody", ""), outputs[name][i])
                                for i in ids)
        print(f"| {name:<25} | {p:9.3f} | {r:6.3f} | {f1:5.3f} | {words:7.3f} | {rate:7.1f} |",
              flush=True)
    for mine in ("cleaner (HTML path)", "cleaner (fast mode)"):
        for theirs in ("trafilatura best", "trafilatura defaults"):
            if mine in chosen and theirs in chosen:
                runs = [b / a for a, b in zip(times[mine], times[theirs], strict=True)]
                print(f"\n{mine} against {theirs}, pages/s ratio per run: "
                      f"{', '.join(f'{x:.2f}' for x in runs)}; median "
                      f"{statistics.median(runs):.2f}")
    if args.dump:
        args.dump.write_text(json.dumps(outputs, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
