"""First stage: characters no article needs and that would hide noise from later rules.

A NUL inside "Adver\\x00tisement" must go before the ad rule looks, or a second run would find
what the first missed. C1 controls (\\x80-\\x9f) are left for the mojibake repair, which needs them.
"""

from __future__ import annotations

import re

from ..model import Proposal
from .base import CodeRule, DocContext

LINE_ENDING = CodeRule("whitespace.line-ending", "whitespace", "controls",
                       "Windows and old Mac line endings and Unicode line separators become \\n.")
INVISIBLE = CodeRule("whitespace.invisible", "whitespace", "controls",
                     "Zero-width spaces, byte-order marks, soft hyphens and word joiners go.")
CONTROL = CodeRule("control.character", "control", "controls",
                   "C0 control characters (NUL and the like, not tab or newline), DEL, "
                   "lone surrogates and noncharacters go.")

# What each rule takes: line breaks other than \n (a \r\n pair is one break), invisible
# characters, and controls (a class body: it holds ranges).
_LINE_BREAKS = "\r\u2028\u2029\x0b\x0c\x85"
_INVISIBLE_CHARS = "\u200b\ufeff\u00ad\u2060"
_CONTROL_CLASS = "\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff"
# One scan for all three kinds (the stdlib engine scans a plain class faster than regex, and
# the class cannot backtrack); the character found says which rule it falls under.
_ANY = re.compile(f"\r\n?|[{_LINE_BREAKS}]|[{_INVISIBLE_CHARS}]+|[{_CONTROL_CLASS}]+")
# The same characters as one class: a class scan is 8x faster than the alternation's, and
# most documents hold none of them.
_ANY_CHAR = re.compile(f"[{_LINE_BREAKS}{_INVISIBLE_CHARS}{_CONTROL_CLASS}]")


def _ruling(char: str) -> tuple[CodeRule, str]:
    """The rule a character found by _ANY falls under, and what it becomes."""
    if char in _LINE_BREAKS:
        return LINE_ENDING, "\n"
    if char in _INVISIBLE_CHARS:
        return INVISIBLE, ""
    return CONTROL, ""


class ControlsFilter:
    name = "controls"
    code_rules: tuple[CodeRule, ...] = (LINE_ENDING, INVISIBLE, CONTROL)

    def propose(self, text: str, ctx: DocContext) -> list[Proposal]:
        out: list[Proposal] = []
        if _ANY_CHAR.search(text) is None:
            return out  # the common case: nothing here to remove
        for m in _ANY.finditer(text):
            rule, rep = _ruling(m.group()[0])
            if ctx.is_enabled(rule.id, rule.category):
                out.append(Proposal(m.start(), m.end(), rep, rule.id, rule.category))
        return out


def as_controls_leave(text: str) -> str:
    """``text`` as this stage would leave it: for repairs that run after it (an entity that
    decodes to a soft hyphen or a carriage return), so that a second run finds nothing.

    >>> as_controls_leave("co\\u00adop\\r\\nx\\x00")
    'coop\\nx'
    """
    if _ANY_CHAR.search(text) is None:
        return text
    return _ANY.sub(lambda m: _ruling(m.group()[0])[1], text)
