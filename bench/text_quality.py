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

    python bench/text_quality.py
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


def main() -> None:
    import trafilatura

    from cleaner import Cleaner

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
    sentences = [gold_sentences(g) for g in golds]
    total = sum(len(s) for s in sentences)
    print(f"{len(ids)} pages, {total} gold sentences of five words or more")
    print("| input | text | token precision | token recall | token F1 | gold sentences held "
          "| of those the input held |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, texts in inputs.items():
        in_input = [held(s, t) for s, t in zip(sentences, texts, strict=True)]
        runs = [("as it is", texts), ("cleaner", [cleaner.clean(t).text for t in texts])]
        if name == "full-page dump":
            runs.append(("cleaner + page stage",
                         [page_cleaner.clean(t).text for t in texts]))
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
