"""Repairs a rule can name as its ``action``: how the matched span becomes its replacement."""

from __future__ import annotations

import html
from collections.abc import Callable

import regex

from ..packs import Rule

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
    return out


def _fix_mojibake(span: str) -> str:
    # ftfy is imported only when the gate pattern found something: most documents never pay.
    import ftfy

    return ftfy.fix_encoding(span)


#: How far a mojibake repair reaches around its tell-tale byte pair: the word it sits in.
_WORD_REACH = 64


def _word_around(text: str, start: int, end: int) -> tuple[int, int]:
    lo = max(0, start - _WORD_REACH)
    while start > lo and not text[start - 1].isspace():
        start -= 1
    hi = min(len(text), end + _WORD_REACH)
    while end < hi and not text[end].isspace():
        end += 1
    return start, end


def edit_for(rule: Rule, match: regex.Match[str], text: str) -> tuple[int, int, str] | None:
    """The span and replacement for one match of ``rule`` (None: leave the text as it is)."""
    action = rule.action
    start, end = match.span()
    if action == "remove":
        return start, end, ""
    if action == "replace":
        return start, end, match.expand(rule.replacement)
    fixer: Callable[[str], str] = _unescape
    if action == "fix-mojibake":
        # The pattern finds the byte pair; ftfy needs the whole word to judge and repair it.
        start, end = _word_around(text, start, end)
        fixer = _fix_mojibake
    span = text[start:end]
    fixed = fixer(span)
    return None if fixed == span else (start, end, fixed)
