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
from ..textstats import CLAUSE_ENDS, ODD_SPACE, ends_with
from .base import CodeRule, DocContext, Line, remove_line

REPEATED = CodeRule("duplicate.repeated-paragraph", "duplicate", "duplicates",
                    "A paragraph identical to an earlier one; the later copy goes.")
REPEATED_TITLE = CodeRule("duplicate.repeated-title", "duplicate", "duplicates",
                          "A first line that repeats the document's title, when the title is "
                          "known apart (a page's <title>, a title field).")
CONTAINED = CodeRule("duplicate.contained-paragraph", "duplicate", "duplicates",
                     "A paragraph whose whole text a longer paragraph repeats; the standalone "
                     "copy goes.")

#: An exact repeat must be at least this long to count (shorter lines repeat on purpose),
#: and must follow its first copy directly (a lead printed twice, a headline repeated as the
#: first line). Articles repeat lines apart on purpose: an interview series asks each guest
#: the same question, a meal plan lists the same snack each day, a table repeats its header.
MIN_REPEAT_WORDS = 6
MIN_REPEAT_CHARS = 30
#: A contained paragraph must be a real sentence or more.
MIN_CONTAINED_WORDS = 8
#: Beyond this much work (candidates x characters), containment is looked for only among
#: nearby paragraphs, where printed-twice leads sit, to keep huge documents linear.
MAX_GLOBAL_WORK = 50_000_000
NEARBY = 10

_ODD_SPACE = regex.compile(r"[^\S ]| {2}")
_WORD = regex.compile(r"\w+")
_TITLE_SEPARATORS = regex.compile(r"\s[|\-–—:·•»]\s")
#: A first line longer than this is a paragraph, not a repeated title.
MAX_TITLE_WORDS = 30
#: A title part (the title without its site name) must be this long to count.
MIN_TITLE_PART_WORDS = 3


class DuplicatesFilter:
    name = "duplicates"
    code_rules: tuple[CodeRule, ...] = (REPEATED_TITLE, REPEATED, CONTAINED)

    def propose(self, text: str, ctx: DocContext) -> list[Proposal]:
        units = _units(text, ctx.lines(text))
        if len(units) < 2:
            return []
        gone: set[int] = set()
        out: list[Proposal] = []
        if ctx.title and ctx.is_enabled(REPEATED_TITLE.id, REPEATED_TITLE.category):
            start, end, norm, n_words = units[0]
            if n_words <= MAX_TITLE_WORDS and _repeats_title(norm, ctx.title):
                gone.add(0)
                out += remove_line(text, start, end, REPEATED_TITLE.id, REPEATED_TITLE.category,
                                   "repeats the title")
        if ctx.is_enabled(REPEATED.id, REPEATED.category):
            first_seen: dict[str, int] = {}
            for k, (start, end, norm, n_words) in enumerate(units):
                if n_words < MIN_REPEAT_WORDS or len(norm) < MIN_REPEAT_CHARS:
                    continue
                if norm.startswith("|"):
                    continue  # a table row
                if first_seen.get(norm) == k - 1:
                    gone.add(k)
                    out += remove_line(text, start, end, REPEATED.id, REPEATED.category,
                                       f"repeats paragraph {first_seen[norm] + 1}")
                first_seen[norm] = k  # the latest copy: the next one must follow it
        if not ctx.is_enabled(CONTAINED.id, CONTAINED.category):
            return out
        candidates = [k for k, u in enumerate(units)
                      if k not in gone and u[3] >= MIN_CONTAINED_WORDS
                      and ends_with(u[2], CLAUSE_ENDS)]
        if not candidates:
            return out
        joined = "\n".join(u[2] for u in units)
        total = len(joined)
        # Only a paragraph whose text occurs twice in the document (in the paragraphs near
        # it, on a huge document) can be contained in another; counting in C spares most
        # documents the pairwise look.
        if len(candidates) * total <= MAX_GLOBAL_WORK:
            candidates = [k for k in candidates if joined.count(units[k][2]) >= 2]
            nearby_only = len(candidates) * total > MAX_GLOBAL_WORK
        else:
            candidates = [k for k in candidates if "\n".join(
                u[2] for u in units[max(0, k - NEARBY):k + NEARBY + 1]).count(units[k][2]) >= 2]
            nearby_only = True
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


def _fold(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def _repeats_title(line: str, title: str) -> bool:
    """The line is the title, or the title less its site name (``Talks resume | Example``)."""
    folded, whole = _fold(line), _fold(title)
    if not folded or not whole:
        return False
    if folded == whole:
        return True
    # Titles carry the site's name after a separator: "Headline - Site", "Site | Headline".
    parts = [_fold(p) for p in _TITLE_SEPARATORS.split(title)]
    return folded in parts and len(folded.split()) >= MIN_TITLE_PART_WORDS


def _units(text: str, lines: list[Line]) -> list[tuple[int, int, str, int]]:
    """Non-empty lines: (start, end, text with spaces folded, word count)."""
    if ODD_SPACE.search(text) is None and "  " not in text:
        # The usual case once the spacing stage has run: every line is folded already.
        return [(start, end, stripped, stripped.count(" ") + 1) for start, end, stripped in lines]
    out = []
    for start, end, stripped in lines:
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
