"""Repairs a rule can name as its ``action``: how the matched span becomes its replacement."""

from __future__ import annotations

import html
from collections.abc import Callable

import regex

from ..packs import Rule
from .controls import as_controls_leave

_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _unescape(span: str) -> str:
    """Decode an entity fully, through any number of &amp; layers; leave unknown names alone."""
    out = span
    for _ in range(8):
        nxt = html.unescape(out)
        if nxt == out and ";" not in out[-1:] and out.startswith("&"):
            # The legacy table decodes only some names without a semicolon; try with one.
            nxt = html.unescape(out + ";")
            if nxt == out + ";":
                nxt = out
        if nxt == out:
            break
        out = nxt
    if out == "\ufffd" or _CONTROL.search(out):
        # A reference to no character (&#0;, a surrogate) or to a control: it meant nothing.
        return ""
    # &shy; or &#x200b; decode to what the controls stage removes, &#13; to what it turns
    # into a newline: it ran before this stage, so the repair does its part.
    return as_controls_leave(out)


def _fix_mojibake(span: str) -> str:
    # ftfy is imported only when the gate pattern found something: most documents never pay.
    import ftfy

    return as_controls_leave(ftfy.fix_encoding(span))


#: How far a mojibake repair reaches around its tell-tale byte pair: the word it sits in.
_WORD_REACH = 64
# What a mojibake word is made of: letters, digits, apostrophes and the Latin-1 and
# Windows-1252 characters that mis-decoded UTF-8 bytes become. "<br>", "%" or any space end it
# (ftfy judges a word differently with a no-break space beside it, and the tidy removes those).
_MOJIBAKE_WORD = regex.compile(
    r"[\p{L}\p{N}'’\x80-\x84\x86-\x9f\xa1-\xff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    r"\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")


def _word_around(text: str, start: int, end: int) -> tuple[int, int]:
    lo = max(0, start - _WORD_REACH)
    while start > lo and _MOJIBAKE_WORD.match(text, start - 1):
        start -= 1
    hi = min(len(text), end + _WORD_REACH)
    while end < hi and _MOJIBAKE_WORD.match(text, end):
        end += 1
    return start, end


def edits_for(rule: Rule, match: regex.Match[str], text: str) -> list[tuple[int, int, str]]:
    """The edits (start, end, replacement) one match of ``rule`` makes; none leaves it be."""
    action = rule.action
    # A rule may name the part it edits (span), matching more around it as context.
    start, end = match.span("span") if "span" in match.re.groupindex else match.span()
    if action == "remove":
        return [(start, end, "")]
    if action == "replace":
        return [(start, end, match.expand(rule.replacement))]
    fixer: Callable[[str], str] = _unescape
    if action == "fix-mojibake":
        # The pattern finds the byte pair; ftfy needs the whole word to judge and repair it.
        start, end = _word_around(text, start, end)
        fixer = _fix_mojibake
    span = text[start:end]
    fixed = fixer(span)
    if fixed == span:
        return []
    if action != "fix-mojibake":
        return [(start, end, fixed)]  # an entity is one unit: report it whole
    # Report only what changed ("â€™" -> "’", not the whole word), so that a repair cannot
    # overlap a neighbour a later stage removes.
    import difflib  # only a mojibake repair needs it: most runs never do

    ops = difflib.SequenceMatcher(None, span, fixed, autojunk=False).get_opcodes()
    return [(start + i1, start + i2, fixed[j1:j2]) for tag, i1, i2, j1, j2 in ops
            if tag != "equal"]
