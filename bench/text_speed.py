"""Throughput of the default text chain on one core, next to ftfy.fix_text, in one run.

The corpus is the five seed documents repeated until it holds at least --mb megabytes; each
document is cleaned on its own, as a batch job would. A second corpus of the same size holds
their expected (already clean) outputs, the common case in a corpus pass. A third is the
first pasted into one text (blank lines between the documents): one huge document, which
must cost in step with its size. Prints a table of medians over --runs.

    python bench/text_speed.py [--mb 10] [--runs 3] [--scale 10] [--engine]

With ``--engine`` the RE2 engine (cleaner.engine) is set against the gated path that runs
where google-re2 is missing, on the same code and corpora, interleaved run by run.

With ``--scale N`` the knowledge is also measured at N times its size: the shipped template
entries and line rules are copied N - 1 times with synthetic words of their own (each copy
a distinct form, which no seed line matches), loaded beside the shipped packs, and the seeds
are cleaned again: what a knowledge base grown N-fold costs a document.
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


SPACE = "\\s"
FLAGS = {"ignorecase": 2}


def synthetic_packs(scale: int, folder: Path) -> list[Path]:
    """The shipped templates and line rules copied ``scale - 1`` times, each copy's forms
    and literals made its own by a synthetic word (``zq3k``...), as TOML packs."""
    import json
    import tomllib

    from cleaner.packs import _inline_defines, load_rules

    rules = load_rules()
    defines: dict[str, dict[str, str]] = {}
    for r in rules.rules:
        if r.source not in defines:
            defines[r.source] = tomllib.loads(Path(r.source).read_text(encoding="utf-8")).get(
                "defines", {})
    out: list[Path] = []
    for k in range(1, scale):
        tag = f"zq{k}x"
        lines = ["[pack]", f'name = "synthetic-{k}"', 'stage = "lines"', ""]
        for t in rules.templates:
            forms: dict[str, list[str]] = {}
            for f in t.forms:
                forms.setdefault(f.language or "any", []).append(f"{tag} {f.text}")
            lines += ["[[template]]", f'id = "{t.category}.synthetic-{k}-{t.id.split(".", 1)[1]}"',
                      f'category = "{t.category}"', 'description = "A synthetic copy."',
                      'evidence = "synthetic"', f"must_match = [{json.dumps(tag + ' ' + t.forms[0].text)}]",
                      'must_not_match = ["A synthetic near-miss that no form takes."]',
                      "[template.text]"]
            lines += [f"{json.dumps(lang)} = {json.dumps(fs, ensure_ascii=False)}"
                      for lang, fs in forms.items()]
            lines.append("")
        for r in rules.rules:
            if r.scope != "line" or r.stage != "lines" or not r.default:
                continue
            lines += ["[[rule]]", f'id = "{r.category}.synthetic-{k}-{r.id.split(".", 1)[1]}"',
                      f'category = "{r.category}"', 'scope = "line"',
                      "pattern = " + json.dumps(tag + SPACE + "(?:" + _inline_defines(
                          r.pattern, defines[r.source], r.id, r.source) + ")"),
                      f"flags = {json.dumps([f for f, bit in FLAGS.items() if r.flags & bit])}",
                      'description = "A synthetic copy."',
                      f"must_match = [{json.dumps(tag + ' ' + r.must_match[0])}]",
                      f"must_not_match = {json.dumps(list(r.must_not_match))}",
                      f"max_length = {r.max_length}"]
            if r.position != "anywhere":
                lines.append(f'position = "{r.position}"')
            lines.append("")
        path = folder / f"synthetic-{k}.toml"
        path.write_text("\n".join(lines), encoding="utf-8")
        out.append(path)
    return out


def timed(fn, docs: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        for d in docs:
            fn(d)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def engine_against_gated(mb: float, runs: int) -> None:
    """The default chain with RE2 and on the gated path (as where google-re2 is missing)."""
    import cleaner.engine as engine
    from cleaner import Cleaner

    re2 = engine._module()
    if re2 is None:
        print("\ngoogle-re2 is not installed: no engine to compare")
        return
    with_re2, gated = Cleaner(), Cleaner()

    def use(module):  # the gated cleaner runs with the module absent, so never builds a filter
        def run(doc: str):
            engine._re2 = module
            return (with_re2 if module is not None else gated).clean(doc)
        return run
    print("\nthe RE2 engine against the gated path (interleaved, median of runs)")
    print("| corpus | RE2 ms per document | gated ms per document | gated / RE2 |")
    print("|---|---:|---:|---:|")
    for label, folder in (("seeds as scraped", "input"), ("seeds already clean", "expected")):
        docs = corpus(mb, folder)
        for module in (re2, None):
            for d in docs[:50]:  # the RE2 filter is built after a plan's third document
                use(module)(d)
        a, b = [], []
        for _ in range(runs):
            a.append(timed(use(re2), docs, 1))
            b.append(timed(use(None), docs, 1))
        engine._re2 = re2
        ma, mb_ = statistics.median(a), statistics.median(b)
        print(f"| {label} | {1e3 * ma / len(docs):.3f} | {1e3 * mb_ / len(docs):.3f} "
              f"| {mb_ / ma:.2f}x |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--scale", type=int, default=0,
                    help="also measure the knowledge at this many times its size")
    ap.add_argument("--engine", action="store_true",
                    help="also set the RE2 engine against the gated path")
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
    if args.engine:
        engine_against_gated(args.mb, args.runs)
    if args.scale > 1:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            packs = synthetic_packs(args.scale, Path(tmp))
            big = Cleaner(rules=packs)
            n_big = len(big.rules)
            docs = corpus(args.mb, "input")
            big.clean(docs[0])
            chars = sum(len(d) for d in docs)
            # Interleaved, so that a busy moment falls on both alike.
            full, scaled = [], []
            for _ in range(args.runs):
                full.append(timed(cleaner.clean, docs, 1))
                scaled.append(timed(big.clean, docs, 1))
            f, g = statistics.median(full), statistics.median(scaled)
        print(f"\nknowledge at {args.scale}x: {len(cleaner.rules)} -> {n_big} rules and "
              f"templates ({sum(len(t.forms) for t in cleaner.rules.templates)} -> "
              f"{sum(len(t.forms) for t in big.rules.templates)} forms)")
        print("| knowledge | seconds | ms per document | vs full size |")
        print("|---|---:|---:|---:|")
        for label, secs in (("full size", f), (f"{args.scale}x (synthetic)", g)):
            print(f"| {label} | {secs:.2f} | {1e3 * secs / len(docs):.3f} | {secs / f:.2f}x |")


if __name__ == "__main__":
    main()
