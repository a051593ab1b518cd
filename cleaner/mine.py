"""Furniture shared across sites: line forms that many distinct sites print, mined from a corpus
into a template pack for a person to review (``cleaner learn --across-sites``).

``cleaner learn`` finds what one site repeats on its own pages. What many sites print alike
(a theme's "Leave a comment", a plugin's "Share this:", a CMS's "Posted in {list}") is
furniture too, and wherever a site prints it, a template can take it. Each short line of
each record is brought to its template skeleton (cleaner.templates.skeleton: lower-case
words, slots for dates, numbers, networks, addresses), and the distinct sites that print
each skeleton are counted. A skeleton printed by ``min_sites`` sites or more becomes a
candidate entry, unless:

- it reads as prose: ``PROSE_WORDS`` words or more ending like a sentence;
- a gold text holds it (records with a gold field: a line of the article is not furniture
  however many sites print it, "Conclusion" or "Summary" say);
- the shipped entries already take it.

The pack is written for review, never to be used as it is: every entry has category
``learned`` (the reviewer gives it its family), its forms in the language of the documents it
was seen in, the lines seen as examples, and the sites as its evidence.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .language import detect
from .sites import record_site
from .templates import skeleton
from .textstats import TERMINALS, ends_with

#: Lines longer than this are not furniture candidates.
MAX_LINE = 120
#: A line of this many words ending like a sentence is prose, never a candidate.
PROSE_WORDS = 8
#: Sites kept per candidate as evidence (counting stops there).
MAX_SITES_KEPT = 50
EXAMPLES = 3


@dataclass
class Shared:
    """What is known of one skeleton: the sites that print it, examples, languages."""

    sites: set[str] = field(default_factory=set)
    examples: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)


@dataclass
class Mined:
    """The outcome: candidate skeletons with their evidence, and what was left out why."""

    candidates: list[tuple[tuple[str, ...], Shared]]
    rejected: Counter[str]
    records: int
    sites: int


def _form(line: str) -> str:
    """A line as a template form: its closed slots' text replaced by the slots, and braces
    of its own escaped away (a form's braces name slots)."""
    sk = skeleton(line)
    out, pos = [], 0
    for token, (a, b) in zip(sk.tokens, sk.spans, strict=True):
        if token.startswith("{"):
            out.append(line[pos:a].replace("{", "(").replace("}", ")"))
            out.append(token)
            pos = b
    out.append(line[pos:].replace("{", "(").replace("}", ")"))
    return "".join(out).strip()


def mine(records: Iterable[dict[str, Any]], *, text_field: str = "text",
         gold_field: str | None = None, site_field: str | None = None,
         min_sites: int = 3, shipped: Any = None) -> Mined:
    """Candidate templates printed by ``min_sites`` distinct sites or more.

    >>> recs = [{"site": f"s{k}.example", "text": f"The council met on day {k} and voted on "
    ...          "the plan.\\nTeile diesen Artikel"} for k in range(4)]
    >>> [" ".join(k) for k, _ in mine(recs, min_sites=3).candidates]
    ['teile diesen artikel']
    """
    shared: dict[tuple[str, ...], Shared] = {}
    gold_keys: set[tuple[str, ...]] = set()
    all_sites: set[str] = set()
    n = 0
    for record in records:
        n += 1
        text = record.get(text_field)
        site = record_site(record, site_field)
        if not isinstance(text, str) or site is None:
            continue
        all_sites.add(site)
        if gold_field and isinstance(record.get(gold_field), str):
            for line in record[gold_field].split("\n"):
                line = line.strip()
                if line and len(line) <= MAX_LINE:
                    gold_keys.add(skeleton(line).tokens)
        language = detect(text)
        seen: set[tuple[str, ...]] = set()
        for line in text.split("\n"):
            line = line.strip()
            if not line or len(line) > MAX_LINE:
                continue
            key = skeleton(line).tokens
            if not key or key in seen or all(t.startswith("{") for t in key):
                continue
            seen.add(key)
            entry = shared.get(key)
            if entry is None:
                entry = shared[key] = Shared()
            if len(entry.sites) < MAX_SITES_KEPT:
                entry.sites.add(site)
            if len(entry.examples) < 20:
                entry.examples[line] += 1
            entry.languages[language] += 1
    rejected: Counter[str] = Counter()
    candidates = []
    for key, entry in shared.items():
        if len(entry.sites) < min_sites:
            continue
        example = entry.examples.most_common(1)[0][0]
        if len(key) >= PROSE_WORDS and ends_with(example, TERMINALS):
            rejected["prose"] += 1
        elif key in gold_keys:
            rejected["in a gold text"] += 1
        elif shipped is not None and shipped.match(example) is not None:
            rejected["covered by a shipped entry"] += 1
        else:
            candidates.append((key, entry))
    candidates.sort(key=lambda kv: (-len(kv[1].sites), kv[0]))
    return Mined(candidates, rejected, n, len(all_sites))


def write_candidates(mined: Mined, path: str | Path | None = None) -> str:
    """The candidates as a template pack for review (written to ``path`` when given)."""
    from .files import write_atomic
    from .learn import _toml_str

    out = [
        "# Line forms that many distinct sites print, mined by `cleaner learn --across-sites`.",
        "# For review: give each entry its family (category and id), keep its forms or drop",
        "# it; a form of one or two words applies only to documents of its language.",
        "",
        "[pack]",
        'name = "mined"',
        'stage = "lines"',
        f'description = "{len(mined.candidates)} forms printed by several sites each."',
    ]
    for k, (key, entry) in enumerate(mined.candidates):
        examples = [e for e, _ in entry.examples.most_common(EXAMPLES)]
        language = next((lang for lang, _ in entry.languages.most_common() if lang), "any")
        forms = sorted({_form(e) for e in examples}, key=lambda f: (len(f), f))
        sites = sorted(entry.sites)
        shown = ", ".join(sites[:8]) + (f", ... ({len(sites)} sites)" if len(sites) > 8 else
                                         f" ({len(sites)} sites)")
        out += [
            "",
            "[[template]]",
            f'id = "learned.shared-{k + 1:04d}"',
            'category = "learned"',
            f"description = {_toml_str('Printed alike by ' + str(len(sites)) + ' sites.')}",
            f"evidence = {_toml_str('sites: ' + shown)}",
            "must_match = [" + ", ".join(_toml_str(e) for e in examples) + "]",
            f"text = {{{language} = [" + ", ".join(_toml_str(f) for f in forms) + "]}",
        ]
    text = "\n".join(out) + "\n"
    if path is not None:
        write_atomic(path, text)
    return text


def read_records(paths: Iterable[str | Path]) -> Iterator[dict[str, Any]]:
    """The JSON object records of JSON Lines files (plain, .gz, .zst)."""
    from .batch import _lines, shards

    for shard in shards(paths):
        if shard.kind != "jsonl":
            raise ValueError(f"{shard.name}: --across-sites reads JSON Lines records")
        for raw in _lines(shard.paths[0]):
            if raw.strip():
                try:
                    record = json.loads(raw)
                except ValueError:
                    continue
                if isinstance(record, dict):
                    yield record


__all__ = ["Mined", "mine", "read_records", "write_candidates"]
