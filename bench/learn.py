"""Learning site furniture at scale: time, memory and what is learned.

Generates a JSON Lines corpus of many sites (--sites, page counts drawn from a long-tailed
distribution like a web crawl's: many small sites, a few large ones), each with its own
furniture (credit line, navigation, subscribe and follow lines, a copyright footer, a dated
line whose digits change, a "most read" block whose headlines change every 50 pages) around
generated articles (tests/sitecorpus.py), and one syndicated story every site prints.

Runs, on each size in --sizes, each as its own process with peak memory sampled (the sum
over the process and its workers of proportional memory, PSS, every 100 ms):

- ``cleaner learn -j 2``: a count-min sketch of hashed line shapes, then exact evidence for
  the shapes that pass it;
- exact counts of every line string per site in one dictionary (what cc_net-style line
  deduplication keeps: every distinct line), one process, no guards;
- exact counts of 64-bit hashes of the same, one process, no guards.

and prints one table. Then, on the largest size, it checks the learned pack against the
generator's truth (rules whose examples are furniture / article lines) and cleans a sample
of records with and without it (characters removed by learned rules, article lines lost).

    python bench/learn.py [--sizes 100000,1000000] [--sites 3000] [--sample 5000]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from sitecorpus import MONTHS, WORDS, _headline, _story, _syndicated

NAMES = ["Herald", "Gazette", "Courier", "Tribune", "Post", "Observer", "Chronicle", "Times",
         "Express", "Ledger", "Sentinel", "Mirror", "Bulletin", "Star", "Monitor", "Voice"]
AGENCIES = ["Reuters", "AFP", "Anadolu Agency", "PTI", "AP", "dpa", "EFE", "ANSA"]
TOWNS = ["Harbour", "River", "North", "West", "Valley", "Lake", "Bay", "Hill"]
SYLLABLES = ["ka", "lo", "mi", "ran", "tes", "vu", "dor", "el", "sa", "bri", "no", "zan", "per",
             "gu", "il", "tho", "ma", "ven", "ci", "os"]


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def _own_lines(rng: random.Random) -> list[str]:
    """Short lines only this article has (a caption, a subheading, list items): what makes
    exact line counting grow with the corpus, as real pages do."""
    lines = [f"{_name(rng)} {_name(rng)} at the {_name(rng)} hearing in {rng.choice(TOWNS)}",
             f"The {_name(rng)} Question"]
    lines += [f"\u2022 {_name(rng)} and {_name(rng)} {rng.choice(WORDS['verb'])} the plan"
              for _ in range(rng.randint(0, 3))]
    return lines


def _site_furniture(rng: random.Random, k: int) -> tuple[list[str], list[str], list[str]]:
    """(head lines, tail lines, dated templates) of site k: each site its own words."""
    name = f"{rng.choice(TOWNS)} {rng.choice(NAMES)} {k}"
    head = rng.sample([f"{name} / {rng.choice(AGENCIES)}",
                       f"Home | News | Sport | Business | {name} TV",
                       f"{name} \u2013 news you can trust since {1900 + k % 120}"], 2)
    tail = rng.sample([f"Subscribe to {name} for unlimited access",
                       f"Follow {name} on X, Facebook and Instagram",
                       f"\u00a9 {name} Media Group. All rights reserved",
                       f"{name}, {k % 90 + 1} {rng.choice(TOWNS)} Road",
                       f"Got a tip? Write to desk{k}@example.com",
                       "Download our app"], 3)
    dated = [rng.choice(["Posted {d} {m} {y} {h}:{n}", "Updated: {h}:{n}, {d} {m} {y}",
                         "Edition {n}/{y} \u00b7 page {h}"])]
    return head, tail, dated


def _site_sizes(n_records: int, n_sites: int, rng: random.Random) -> list[int]:
    """Pages per site, long-tailed (Pareto), summing to n_records, at least 3 each."""
    weights = [rng.paretovariate(1.1) for _ in range(n_sites)]
    total = sum(weights)
    sizes = [max(3, int(n_records * w / total)) for w in weights]
    sizes[0] += n_records - sum(sizes)
    if sizes[0] < 3:
        raise SystemExit("too many sites for so few records")
    return sizes


def generate(path: Path, n_records: int, n_sites: int, seed: int = 11) -> dict[str, object]:
    """Write the corpus; return its truth: per site the furniture lines and dated templates."""
    rng = random.Random(seed)
    story = _syndicated(rng)
    truth: dict[str, object] = {}
    with path.open("w", encoding="utf-8") as f:
        for k, pages in enumerate(_site_sizes(n_records, n_sites, rng)):
            domain = f"site{k}.example"
            head, tail, dated = _site_furniture(rng, k)
            weeks = [[_headline(rng) for _ in range(5)] for _ in range(pages // 50 + 1)]
            truth[domain] = {"lines": head + tail + ["Most Read"], "dated": dated,
                             "most_read": sorted({h for w in weeks for h in w})}
            for i in range(pages):
                body = list(story) if i == 0 else _story(rng)
                body[2:2] = _own_lines(rng)
                lines = [body[0], *head]
                lines += [t.format(d=rng.randint(1, 28), m=rng.choice(MONTHS),
                                   y=rng.randint(2019, 2024), h=rng.randint(1, 12),
                                   n=rng.randint(10, 59)) for t in dated]
                lines += [*body[1:], "Most Read", *weeks[i // 50], *tail]
                f.write(json.dumps({"url": f"https://www.{domain}/a/{i}",
                                    "text": "\n\n".join(lines)}, ensure_ascii=False) + "\n")
    return truth


def baseline(mode: str, path: str, min_site_pages: int, min_pages: int,
             min_share: float) -> None:
    """Exact per-site counts of every line (normalized as the learner's shapes, prose
    lower-cased and whitespace collapsed) in one dictionary: keys are strings or hashes."""
    from cleaner.learn import _hash, shape
    from cleaner.sites import record_site

    counts: Counter[object] = Counter()
    pages: Counter[str] = Counter()
    with open(path, encoding="utf-8") as f:
        for raw in f:
            record = json.loads(raw)
            site = record_site(record) or ""
            pages[site] += 1
            keys = set()
            for line in record["text"].split("\n"):
                if not line.strip():
                    continue
                got = shape(line.strip())
                key = got[0] if got is not None else " ".join(line.lower().split())
                keys.add((site, key) if mode == "strings" else _hash(site, key))
            counts.update(keys)
    if mode == "strings":
        found = sum(1 for (site, _), n in counts.items()
                    if pages[site] >= min_site_pages
                    and n >= max(min_pages, math.ceil(min_share * pages[site])))
        print(json.dumps({"lines": found, "keys": len(counts)}))
    else:
        print(json.dumps({"keys": len(counts)}))


def _is_furniture(truth: dict, site: str, example: str) -> bool:
    import regex

    t = truth[site]
    if example in t["lines"] or example in t["most_read"]:
        return True
    for template in t["dated"]:
        rx = regex.escape(template)
        for name in "dymhn":
            rx = rx.replace(regex.escape("{" + name + "}"), r"\w+")
        if regex.fullmatch(rx, example):
            return True
    return False


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--sites", type=int, default=3000)
    ap.add_argument("--sample", type=int, default=5000,
                    help="records cleaned with and without the learned pack")
    ap.add_argument("--skip-baselines", action="store_true")
    ap.add_argument("--baseline", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    from cleaner.learn import LearnOptions

    d = LearnOptions()
    if args.baseline:
        baseline(args.baseline[0], args.baseline[1], d.min_site_pages, d.min_pages, d.min_share)
        return
    py = sys.executable
    print("| records | sites | method | seconds | records/s | peak memory (MB) | result |")
    print("|---:|---:|---|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            corpus = Path(tmp) / f"corpus-{n}.jsonl"
            truth = generate(corpus, n, min(args.sites, n // 20))
            sites = len(truth)
            pack = Path(tmp) / f"rules-{n}.toml"
            why = Path(tmp) / f"why-{n}.jsonl"
            secs, peak = measure([py, "-m", "cleaner.cli", "learn", str(corpus), "-o", str(pack),
                                  "-j", "2", "--no-progress", "--explain", str(why)])
            rules = pack.read_text(encoding="utf-8").count("[[rule]]")
            print(f"| {n:,} | {sites:,} | cleaner learn -j 2 (sketch {d.sketch_mb:g} MB) | "
                  f"{secs:.0f} | {n / secs:,.0f} | {peak:,} | {rules:,} rules |", flush=True)
            if not args.skip_baselines:
                for mode, label in (("strings", "exact counts of line strings, 1 process"),
                                    ("hashes", "exact counts of 64-bit hashes, 1 process")):
                    out = Path(tmp) / f"baseline-{mode}.json"
                    cmd = [py, __file__, "--baseline", mode, str(corpus)]
                    secs, peak = _measure_to(cmd, out)
                    res = json.loads(out.read_text())
                    note = (f"{res['keys']:,} keys" + (f", {res['lines']:,} lines over the "
                            "thresholds, unguarded" if "lines" in res else ""))
                    print(f"| {n:,} | {sites:,} | {label} | {secs:.0f} | {n / secs:,.0f} | "
                          f"{peak:,} | {note} |", flush=True)
            last = (corpus, truth, pack, why)
        _quality(*last, args.sample)


def _tree_pss_kb(root: int) -> int:
    """Proportional memory (kB) of a process and its descendants: pages shared between them
    (the sketch the workers map) are counted once, not once per process."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                total += next(int(ln.split()[1]) for ln in f if ln.startswith("Pss:"))
        except (OSError, StopIteration, ValueError):
            pass
        stack.extend(children.get(pid, []))
    return total


def measure(cmd: list[str]) -> tuple[float, int]:
    """(seconds, peak proportional memory in MB) of a command and its workers."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_pss_kb(proc.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err.decode()}")
    return time.perf_counter() - start, peak // 1024


def _measure_to(cmd: list[str], out: Path) -> tuple[float, int]:
    """measure() for a command whose stdout is its result."""
    script = ("import subprocess, sys; sys.exit(subprocess.run(sys.argv[2:], "
              "stdout=open(sys.argv[1], 'w')).returncode)")
    wrapper = [sys.executable, "-c", script, str(out), *cmd]
    return measure(wrapper)


def _quality(corpus: Path, truth: dict, pack: Path, why: Path, sample: int) -> None:
    from cleaner import Cleaner, Config
    from cleaner.packs import load_pack

    rules = load_pack(pack)
    good = sum(all(_is_furniture(truth, r.site, ex) for ex in r.must_match) for r in rules)
    by_site = Counter(r.site for r in rules)
    print(f"\nLearned rules: {len(rules):,} for {len(by_site):,} sites; {good:,} match only "
          f"furniture, {len(rules) - good:,} match something else.")
    rows = [json.loads(x) for x in why.open(encoding="utf-8")]
    reasons = Counter(r["reason"].split(":")[0] for r in rows if not r["learned"])
    print("Rejected candidates: " + ", ".join(f"{k} {v:,}" for k, v in reasons.most_common()))
    plain, learned = Cleaner(), Cleaner(Config(rules=(pack,)))
    chars = removed_learned = removed_plain = lost = furniture_left = 0
    started = time.perf_counter()
    with corpus.open(encoding="utf-8") as f:
        for k, raw in enumerate(f):
            if k >= sample:
                break
            record = json.loads(raw)
            site = record["url"].split("/")[2].removeprefix("www.")
            text = record["text"]
            a, b = plain.clean(text), learned.clean(text, site=record["url"])
            chars += len(text)
            removed_plain += len(text) - len(a.text)
            removed_learned += b.stats().get("learned", _Zero()).chars_removed
            kept = set(b.text.split("\n"))
            for line in text.split("\n\n"):
                furniture = _is_furniture(truth, site, line)
                if not furniture and line not in kept and line in a.text:
                    lost += 1  # an article line the shipped rules keep but learned ones took
                if furniture and line in kept:
                    furniture_left += 1
    secs = time.perf_counter() - started
    print(f"Cleaning the first {sample:,} records ({chars:,} characters; {secs:.0f} s for both "
          f"runs): shipped rules remove {removed_plain:,} characters; learned rules remove "
          f"{removed_learned:,} more; article lines lost to learned rules: {lost}; furniture "
          f"lines left: {furniture_left:,} (sites too small to learn from).")
    print("\nSample of learned rules:")
    rng = random.Random(1)
    for r in rng.sample(rules, min(6, len(rules))):
        print(f"  {r.id}  {r.description}  pattern {r.pattern!r}")


class _Zero:
    chars_removed = 0


if __name__ == "__main__":
    main()
