"""First stage: characters no article needs and that would hide noise from later rules.

A NUL inside "Adver\\x00tisement" must go before the ad rule looks, or a second run would find
what the first missed. C1 controls (\\x80-\\x9f) are left for the mojibake repair, which needs them.
"""

from __future__ import annotations

import regex

from ..model import Proposal
from .base import CodeRule, DocContext

LINE_ENDING = CodeRule("whitespace.line-ending", "whitespace", "controls",
                       "Windows and old Mac line endings and Unicode line separators become \\n.")
INVISIBLE = CodeRule("whitespace.invisible", "whitespace", "controls",
                     "Zero-width spaces, byte-order marks, soft hyphens and word joiners go.")
CONTROL = CodeRule("control.character", "control", "controls",
                   "C0 control characters (NUL and the like, not tab or newline), DEL, "
                   "lone surrogates and noncharacters go.")

_LINE_ENDING = regex.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_INVISIBLE = regex.compile(r"[\u200b\ufeff\u00ad\u2060]++")
_CONTROL = regex.compile(r"[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]++")


class ControlsFilter:
    name = "controls"
    code_rules = (LINE_ENDING, INVISIBLE, CONTROL)

    def propose(self, text: str, ctx: DocContext) -> list[Proposal]:
        out: list[Proposal] = []
        if ctx.is_enabled(LINE_ENDING.id, LINE_ENDING.category):
            out += [Proposal(m.start(), m.end(), "\n", LINE_ENDING.id, LINE_ENDING.category)
                    for m in _LINE_ENDING.finditer(text)]
        for rule, pattern in ((INVISIBLE, _INVISIBLE), (CONTROL, _CONTROL)):
            if ctx.is_enabled(rule.id, rule.category):
                out += [Proposal(m.start(), m.end(), "", rule.id, rule.category)
                        for m in pattern.finditer(text)]
        return out
