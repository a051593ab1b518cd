"""Fit the extraction model (cleaner/extraction_model.json) that weighs the extractors'
evidence block by block.

The pages: the ``tune`` half of the development pages (bench/devsplit.py: WCXB's English
articles, fundus's news pages in 24 languages) and the public article-extraction benchmark
(181 pages; ``--no-benchmark`` leaves it out, to score the benchmark as unseen). The ``check``
half is never read here.

For each page, the evidence is gathered exactly as ``clean_html`` gathers it
(``cleaner.html.evidence``): the page's blocks, trafilatura's and readability's coverage of
them, justext's classes, the features. A block's label is whether the gold text covers it
(the same alignment: half of its word trigrams or more, a paragraph the page repeats given to
the occurrence whose neighbourhood the gold covers best).

The model is a logistic regression (Newton's method, an L2 penalty ``--l2`` on the
standardised weights). Each block weighs its words over its page's words, so every page
counts alike, as the per-page mean word F1 counts them. The threshold is chosen by
site-grouped cross-validation on the same pages (5 folds by a hash of the site): the one
with the best mean word F1 of the kept blocks, averaged over the three sources. Then the
model is fitted on all of them and written with what it was fitted on and the
cross-validated scores.

    python bench/fit_extraction.py [-j N] [--l2 1.0] [--no-benchmark] [--out FILE]

Needs numpy (the test extras bring it).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

import devsplit  # noqa: E402

BENCHMARK = ROOT.parent / "shared" / "bench" / "article-extraction-benchmark"
MODEL_OUT = ROOT / "cleaner" / "extraction_model.json"
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
FOLDS = 5


def pages(benchmark: bool) -> list[tuple[str, str, str, str, str | None, str]]:
    """(source, id, site, path, url, gold) of every page fitted on."""
    out = []
    for source in devsplit.SOURCES:
        for page in devsplit.load(source, "tune"):
            out.append((source, page.id, page.site, str(page.path), page.url or None, page.gold))
    if benchmark:
        gold = json.loads((BENCHMARK / "ground-truth.json").read_text(encoding="utf-8"))
        for i in sorted(gold):
            # Its pages carry no URL: each is its own site.
            out.append(("benchmark", i, f"benchmark:{i}", str(BENCHMARK / "html" / f"{i}.html.gz"),
                        None, gold[i].get("articleBody") or ""))
    return out


def page_rows(item: tuple[str, str, str, str, str | None, str]) -> dict[str, Any] | None:
    """One page's features, labels, block words and texts (for scoring)."""
    from cleaner.ensemble import align
    from cleaner.html import evidence

    source, page_id, site, path, url, gold = item
    html = gzip.decompress(Path(path).read_bytes()).decode("utf-8", errors="replace")
    ev = evidence(html, url)
    if ev is None or not ev.blocks:
        return None
    labels = [1.0 if c >= 0.5 else 0.0 for c in align(ev.blocks, gold)]
    return {"source": source, "id": page_id, "site": site, "rows": ev.rows, "labels": labels,
            "words": [len(b.words) for b in ev.blocks], "texts": [b.text for b in ev.blocks],
            "gold": gold}


def fold_of(site: str) -> int:
    return hashlib.sha256(site.encode("utf-8")).digest()[1] % FOLDS


def fit(X: Any, y: Any, w: Any, l2: float) -> tuple[Any, Any, Any, float]:
    """Weighted L2 logistic regression on standardised features: (weights, means, scales,
    bias)."""
    import numpy as np

    means = X.mean(0)
    scales = X.std(0)
    scales[scales == 0] = 1.0
    Z = np.hstack([(X - means) / scales, np.ones((len(X), 1))])
    beta = np.zeros(Z.shape[1])
    penalty = np.r_[np.full(Z.shape[1] - 1, l2), 0.0]
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(Z @ beta, -700, 700)))
        grad = Z.T @ (w * (p - y)) + penalty * beta
        hess = (Z.T * (w * p * (1 - p))) @ Z + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta[:-1], means, scales, float(beta[-1])


def probabilities(beta: Any, means: Any, scales: Any, bias: float, X: Any) -> Any:
    import numpy as np

    return 1.0 / (1.0 + np.exp(-np.clip(((X - means) / scales) @ beta + bias, -700, 700)))


def stacked(data: list[dict[str, Any]]) -> tuple[Any, Any, Any]:
    """Features, labels and weights: a block weighs its share of its page's words, and each
    source weighs alike (fundus's 147 tune pages as much as WCXB's 377), so that no one
    corpus's idea of the article (fundus's gold drops captions and teasers) rules."""
    import numpy as np

    pages_of = Counter(d["source"] for d in data)
    X = np.vstack([np.asarray(d["rows"], float) for d in data])
    y = np.concatenate([np.asarray(d["labels"]) for d in data])
    w = np.concatenate([np.asarray(d["words"], float) / max(sum(d["words"]), 1)
                        / pages_of[d["source"]] for d in data])
    return X, y, w / w.mean()


def gathered(items: list[Any], jobs: int) -> list[dict[str, Any]]:
    """Every page's evidence, from bench/out when this code gathered it before."""
    import pickle

    basis = hashlib.sha256()
    for module in ("ensemble.py", "html.py"):
        basis.update((ROOT / "cleaner" / module).read_bytes())
    basis.update(repr(items and [i[:4] for i in items]).encode())
    cache = ROOT / "bench" / "out" / f"fit-evidence-{basis.hexdigest()[:12]}.pickle"
    if cache.exists():
        with cache.open("rb") as f:
            return pickle.load(f)  # noqa: S301 - written by this script
    if jobs > 1:
        from multiprocessing import get_context

        with get_context("spawn").Pool(jobs) as pool:
            data = [d for d in pool.map(page_rows, items, chunksize=4) if d]
    else:
        data = [d for d in map(page_rows, items) if d]
    cache.parent.mkdir(parents=True, exist_ok=True)
    with cache.open("wb") as f:
        pickle.dump(data, f)
    return data


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--no-benchmark", action="store_true",
                    help="fit on the tune half alone (the benchmark then scores unseen pages)")
    ap.add_argument("--out", type=Path, default=MODEL_OUT)
    args = ap.parse_args()

    import numpy as np

    from cleaner.ensemble import FEATURES, MODEL_FORMAT, parse_model
    from generalization import word_prf

    started = time.perf_counter()
    data = gathered(pages(not args.no_benchmark), args.jobs)
    print(f"{len(data)} pages, {sum(len(d['labels']) for d in data)} blocks, "
          f"{len(FEATURES)} features; evidence in {time.perf_counter() - started:.0f} s")

    # Site-grouped cross-validation: every page scored by a model that never saw its site.
    scores = {d["source"] + d["id"]: None for d in data}
    for fold in range(FOLDS):
        train = [d for d in data if fold_of(d["site"]) != fold]
        model = fit(*stacked(train), args.l2)
        for d in data:
            if fold_of(d["site"]) == fold:
                scores[d["source"] + d["id"]] = probabilities(*model, np.asarray(d["rows"], float))
    sources = sorted({d["source"] for d in data})
    table: dict[str, dict[str, float]] = {}
    print("\ncross-validated word F1 of the kept blocks (before the text chain):")
    print("| threshold | " + " | ".join(sources) + " | mean |")
    print("|---:|" + "---:|" * (len(sources) + 1))
    for threshold in THRESHOLDS:
        row = {}
        for source in sources:
            f1 = [word_prf(d["gold"], "\n".join(
                t for t, p in zip(d["texts"], scores[d["source"] + d["id"]], strict=True)
                if p >= threshold))[2] for d in data if d["source"] == source]
            row[source] = sum(f1) / len(f1)
        row["mean"] = sum(row.values()) / len(sources)
        table[str(threshold)] = row
        print(f"| {threshold} | " + " | ".join(f"{row[s]:.4f}" for s in sources)
              + f" | {row['mean']:.4f} |")
    best = max(THRESHOLDS, key=lambda t: (round(table[str(t)]["mean"], 6), -abs(t - 0.5)))
    print(f"threshold chosen: {best}")

    beta, means, scales, bias = fit(*stacked(data), args.l2)
    out = {
        "format": MODEL_FORMAT,
        "about": {
            "what": "logistic regression: is a block of the page the article's",
            "fitted_by": "bench/fit_extraction.py" + (" --no-benchmark" if args.no_benchmark
                                                      else ""),
            "l2": args.l2,
            "pages": {s: sum(d["source"] == s for d in data) for s in sources},
            "blocks": sum(len(d["labels"]) for d in data),
            "cross_validated_word_f1": {k: {s: round(v, 4) for s, v in row.items()}
                                        for k, row in table.items()},
        },
        "bias": round(bias, 6),
        "threshold": best,
        "features": [{"name": n, "weight": round(float(b), 6), "mean": round(float(m), 6),
                      "scale": round(float(s), 6)}
                     for n, b, m, s in zip(FEATURES, beta, means, scales, strict=True)],
    }
    parse_model(out)  # what is written must load
    args.out.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nstrongest weights (standardised):")
    for n, b in sorted(zip(FEATURES, beta, strict=True), key=lambda x: -abs(x[1]))[:15]:
        print(f"  {n:36s} {b:+.3f}")
    print(f"written: {args.out}")


if __name__ == "__main__":
    main()
