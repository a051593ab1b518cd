"""Last stage: one space between words, stripped lines, at most one blank line, no blank edges.

The input's paragraph structure is kept: a single newline stays single, two or more become two.
Only runs that differ from their canonical form are matched, so clean text costs one scan.
"""

from __future__ import annotations

import regex

from ..model import Proposal
from .base import CodeRule, DocContext

SPACES = CodeRule("whitespace.spaces", "whitespace", "whitespace",
                  "Runs of spaces, tabs and odd spaces (no-break, thin, ideographic) become "
                  "one plain space.")
LINE_EDGES = CodeRule("whitespace.line-edges", "whitespace", "whitespace",
                      "Spaces at the start or end of a line go.")
BLANK_LINES = CodeRule("whitespace.blank-lines", "whitespace", "whitespace",
                       "Runs of blank lines become one blank line.")
DOCUMENT_EDGES = CodeRule("whitespace.document-edges", "whitespace", "whitespace",
                          "Whitespace before the first and after the last character goes.")

# A whitespace run that is not already canonical: it holds an odd space, two spaces, a space
# next to a newline, or three newlines; or it touches either end of the document.
# Matched from the first character of the run (the lookbehind) to its last.
_NONCANONICAL = regex.compile(r"\A\s++|\s++\Z|(?<!\s)\s*?(?:[^\S \n]| {2}| \n|\n |\n\n\n)\s*+")


class WhitespaceFilter:
    name = "whitespace"
    code_rules = (SPACES, LINE_EDGES, BLANK_LINES, DOCUMENT_EDGES)

    def propose(self, text: str, ctx: DocContext) -> list[Proposal]:
        out: list[Proposal] = []
        n = len(text)
        for m in _NONCANONICAL.finditer(text):
            start, end = m.span()
            run = m.group()
            newlines = run.count("\n")
            if start == 0 or end == n:
                rule, rep = DOCUMENT_EDGES, ""
            elif newlines == 0:
                rule, rep = SPACES, " "
            elif newlines == 1:
                rule, rep = LINE_EDGES, "\n"
            else:
                rule = BLANK_LINES if newlines > 2 else LINE_EDGES
                rep = "\n\n"
            if rep != run and ctx.is_enabled(rule.id, rule.category):
                out.append(Proposal(start, end, rep, rule.id, rule.category))
        return out
