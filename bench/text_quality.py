"""The text chain on text, measured against gold: a development set built from the public
benchmark's pages (../shared/bench/article-extraction-benchmark, MIT).

Two inputs per page, each paired with the page's gold article text:
- the text trafilatura extracts (best settings): what the chain gets behind an extractor;
- a naive full-page dump (script and style removed, one line per block element): the hard
  case, with menus, footers and link lists and no HTML left to tell them apart.

For each input, the identity (the text as it is) and cleaner's chain are scored: token
precision, recall and F1 (word tokens, multisets, averaged over pages as the extraction
benchmark does); the share of gold sentences (five words or more, over all pages) the text
holds whole; and, of the gold sentences the input held, the share the output still holds
(what cleaning lost: it cannot restore what extraction missed).

With ``--learn``, each input's site furniture is also learned from the pages themselves,
grouped by domain (`cleaner learn`), and cleaner runs again with the learned rules. The
benchmark has at most two pages per domain: the defaults need ten, so this run lowers the
thresholds to two pages (a line on both pages of a domain, beside two different articles,
never between article paragraphs).

    python bench/text_quality.py [--learn]
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "bench" / "article-extraction-benchmark"

_TOKEN = re.compile(r"\w+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_BLOCKS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "td", "tr", "th",
           "table", "article", "section", "header", "footer", "nav", "aside", "blockquote",
           "pre", "br", "figure", "figcaption", "main", "form", "dd", "dt", "dl", "title"}


def full_page_dump(html: str) -> str:
    """Every text node of the page, one line per block element; scripts and styles out."""
    import lxml.html

    tree = lxml.html.fromstring(html)
    for bad in tree.xpath("//script|//style|//noscript|//template|//svg"):
        bad.drop_tree()
    for el in tree.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCKS:
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
    lines = (" ".join(line.split()) for line in tree.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def token_scores(pairs: list[tuple[str, str]]) -> tuple[float, float, float]:
    precisions, recalls = [], []
    for gold, pred in pairs:
        g, p = Counter(_TOKEN.findall(gold)), Counter(_TOKEN.findall(pred))
        tp = sum((g & p).values())
        if p:
            precisions.append(tp / sum(p.values()))
        if g:
            recalls.append(tp / sum(g.values()))
    precision, recall = statistics.mean(precisions), statistics.mean(recalls)
    return precision, recall, 2 * precision * recall / (precision + recall)


def gold_sentences(gold: str) -> list[str]:
    """Gold sentences of five words or more, as space-joined tokens."""
    out = []
    for sentence in _SENTENCE.split(gold):
        tokens = _TOKEN.findall(sentence)
        if len(tokens) >= 5:
            out.append(" " + " ".join(tokens) + " ")
    return out


def held(sentences: list[str], text: str) -> list[bool]:
    flat = " " + " ".join(_TOKEN.findall(text)) + " "
    return [s in flat for s in sentences]


def _learn_rules(ids: list[str], urls: list[str], texts: list[str], tmp: Path) -> Path:
    """Learn site rules from the pages (two per domain at most) into a pack."""
    from cleaner.learn import LearnOptions, learn, write_pack

    corpus = tmp / "pages.jsonl"
    with corpus.open("w", encoding="utf-8") as f:
        for i, url, text in zip(ids, urls, texts, strict=True):
            f.write(json.dumps({"id": i, "url": url, "text": text}, ensure_ascii=False) + "\n")
    learned = learn([corpus], LearnOptions(min_site_pages=2, min_pages=2, min_articles=2))
    pack = tmp / "learned.toml"
    write_pack(learned, pack)
    s = learned.summary
    print(f"learned from {s.records} pages: {s.sites_learning} domains with two pages, "
          f"{s.candidates} candidate lines, {s.rules} rules; rejected "
          + ", ".join(f"{k} {v}" for k, v in sorted(s.rejected.items())))
    return pack


def main() -> None:
    import argparse
    import tempfile

    import trafilatura

    from cleaner import Cleaner, Config

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--learn", action="store_true",
                    help="also learn site rules per domain from the pages and clean with them")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())

    gold = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(gold)
    cleaner = Cleaner()
    # Whole-page text is what the opt-in page stage is for.
    page_cleaner = Cleaner(enable={"boilerplate"})
    inputs: dict[str, list[str]] = {"trafilatura output": [], "full-page dump": []}
    for i in ids:
        html = gzip.decompress((DATA / "html" / f"{i}.html.gz").read_bytes()).decode("utf-8")
        inputs["trafilatura output"].append(trafilatura.extract(
            html, favor_precision=True, include_comments=False) or "")
        inputs["full-page dump"].append(full_page_dump(html))
    golds = [gold[i].get("articleBody", "") for i in ids]
    urls = [gold[i].get("url", "") for i in ids]
    sentences = [gold_sentences(g) for g in golds]
    total = sum(len(s) for s in sentences)
    print(f"{len(ids)} pages, {total} gold sentences of five words or more")
    print("| input | text | token precision | token recall | token F1 | gold sentences held "
          "| of those the input held |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, texts in inputs.items():
        (tmp / name.split()[0]).mkdir()
        in_input = [held(s, t) for s, t in zip(sentences, texts, strict=True)]
        runs = [("as it is", texts), ("cleaner", [cleaner.clean(t).text for t in texts])]
        if name == "full-page dump":
            runs.append(("cleaner + page stage",
                         [page_cleaner.clean(t).text for t in texts]))
        if args.learn:
            pack = _learn_rules(ids, urls, texts, tmp / name.split()[0])
            enable = {"boilerplate"} if name == "full-page dump" else set()
            learned = Cleaner(Config(rules=(pack,), enable=frozenset(enable)))
            results = [learned.clean(t, site=u) for t, u in zip(texts, urls, strict=True)]
            chars = sum(r.stats().get("learned").chars_removed for r in results
                        if "learned" in r.stats())
            pages = sum(1 for r in results if "learned" in r.stats())
            print(f"learned rules removed {chars:,} characters from {pages} pages")
            runs.append(("cleaner" + (" + page stage" if enable else "") + " + learned rules",
                         [r.text for r in results]))
        for label, outputs in runs:
            p, r, f1 = token_scores(list(zip(golds, outputs, strict=True)))
            in_output = [held(s, o) for s, o in zip(sentences, outputs, strict=True)]
            kept = sum(sum(h) for h in in_output)
            before = sum(sum(h) for h in in_input)
            still = sum(1 for a, b in zip(in_input, in_output, strict=True)
                        for x, y in zip(a, b, strict=True) if x and y)
            print(f"| {name} | {label} | {p:.3f} | {r:.3f} | {f1:.3f} | {kept / total:.4f} "
                  f"| {still / before:.4f} ({still} of {before}) |", flush=True)


if __name__ == "__main__":
    main()
