"""Paragraphs the article already holds in full: a lead printed twice, a standfirst repeated as
the first sentence of the body, a pull quote.

Two cases, both compared after folding whitespace:
- a paragraph equal to an earlier one: the later copy goes;
- a paragraph contained, at word boundaries, in a longer one: the standalone copy goes.

Short lines are never duplicates (recipes and tables repeat "1 cup sugar" on purpose), and a
contained paragraph must end like a sentence, so a title inside the lead stays.
"""

from __future__ import annotations

import regex

from ..model import Proposal
from .base import CodeRule, DocContext, nonempty_lines, remove_line

REPEATED = CodeRule("duplicate.repeated-paragraph", "duplicate", "duplicates",
                    "A paragraph identical to an earlier one; the later copy goes.")
CONTAINED = CodeRule("duplicate.contained-paragraph", "duplicate", "duplicates",
                     "A paragraph whose whole text a longer paragraph repeats; the standalone "
                     "copy goes.")

#: An exact repeat must be at least this long to count (shorter lines repeat on purpose)...
MIN_REPEAT_WORDS = 6
MIN_REPEAT_CHARS = 30
#: ... and either this long, or close behind its first copy (a lead printed twice, a headline
#: repeated as the first line). Recipes and meal plans repeat structured lines far apart
#: ("Portion Fix Containers: 1 Green, 1 Red"), and the article keeps them.
MIN_DISTANT_REPEAT_WORDS = 15
MAX_REPEAT_GAP = 2
#: A contained paragraph must be a real sentence or more.
MIN_CONTAINED_WORDS = 8
#: Beyond this much work (candidates x characters), containment is looked for only among
#: nearby paragraphs, where printed-twice leads sit, to keep huge documents linear.
MAX_GLOBAL_WORK = 50_000_000
NEARBY = 10

_ODD_SPACE = regex.compile(r"[^\S ]| {2}")
# A paragraph ends like a sentence: terminal punctuation, perhaps inside closing quotes.
_CLOSERS = "\"'”’)]"
_TERMINALS = ".!?…:;"


class DuplicatesFilter:
    name = "duplicates"
    code_rules: tuple[CodeRule, ...] = (REPEATED, CONTAINED)

    def propose(self, text: str, ctx: DocContext) -> list[Proposal]:
        units = _units(text)
        if len(units) < 2:
            return []
        gone: set[int] = set()
        out: list[Proposal] = []
        if ctx.is_enabled(REPEATED.id, REPEATED.category):
            first_seen: dict[str, int] = {}
            for k, (start, end, norm, n_words) in enumerate(units):
                if n_words < MIN_REPEAT_WORDS or len(norm) < MIN_REPEAT_CHARS:
                    continue
                if norm in first_seen and (n_words >= MIN_DISTANT_REPEAT_WORDS
                                           or k - first_seen[norm] <= MAX_REPEAT_GAP):
                    gone.add(k)
                    out += remove_line(text, start, end, REPEATED.id, REPEATED.category,
                                       f"repeats paragraph {first_seen[norm] + 1}")
                else:
                    first_seen[norm] = k  # the latest copy: the gap is counted from it
        if not ctx.is_enabled(CONTAINED.id, CONTAINED.category):
            return out
        candidates = [k for k, u in enumerate(units)
                      if k not in gone and u[3] >= MIN_CONTAINED_WORDS
                      and _ends_like_a_sentence(u[2])]
        if not candidates:
            return out
        joined = "\n".join(u[2] for u in units)
        # Only a paragraph whose text occurs twice in the document can be contained in
        # another; counting in C spares most documents the pairwise look.
        candidates = [k for k in candidates if joined.count(units[k][2]) >= 2]
        total = len(joined)
        nearby_only = len(candidates) * total > MAX_GLOBAL_WORK
        for k in candidates:
            norm = units[k][2]
            lo, hi = (max(0, k - NEARBY), min(len(units), k + NEARBY + 1)) if nearby_only \
                else (0, len(units))
            for j in range(lo, hi):
                if j == k or j in gone:
                    continue
                other = units[j][2]
                if len(other) <= len(norm) or not _contains_at_word_boundary(other, norm):
                    continue
                gone.add(k)
                start, end = units[k][0], units[k][1]
                out += remove_line(text, start, end, CONTAINED.id, CONTAINED.category,
                                   f"repeated in full by paragraph {j + 1}")
                break
        return out


def _ends_like_a_sentence(line: str) -> bool:
    last = line.rstrip(_CLOSERS)[-1:]
    return bool(last) and last in _TERMINALS


def _units(text: str) -> list[tuple[int, int, str, int]]:
    """Non-empty lines: (start, end, text with spaces folded, word count)."""
    out = []
    for start, end, stripped in nonempty_lines(text):
        norm = stripped if _ODD_SPACE.search(stripped) is None else " ".join(stripped.split())
        out.append((start, end, norm, norm.count(" ") + 1))
    return out


def _contains_at_word_boundary(haystack: str, needle: str) -> bool:
    pos = haystack.find(needle)
    while pos >= 0:
        before_ok = pos == 0 or not haystack[pos - 1].isalnum()
        after = pos + len(needle)
        after_ok = after == len(haystack) or not haystack[after].isalnum()
        if before_ok and after_ok:
            return True
        pos = haystack.find(needle, pos + 1)
    return False
