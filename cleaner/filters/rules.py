"""The filter that runs pattern rules from the packs: inline spans and whole lines."""

from __future__ import annotations

from bisect import bisect_right

import regex

from ..model import Proposal
from ..packs import Rule
from .actions import edit_for
from .base import CodeRule, DocContext, remove_line

#: Lines from the top (after the title) where an edge-positioned rule may fire: the byline and
#: credit block sits between the title, the standfirst and the body.
EDGE_HEAD_LINES = 6
#: Lines from the end where an edge-positioned rule may fire (closing credits).
EDGE_TAIL_LINES = 2

_NONEMPTY_LINE = regex.compile(r"^[^\S\n]*+\S", regex.MULTILINE)


class _LineIndex:
    """Which non-empty line an offset is on, computed once per document and only if asked."""

    def __init__(self, text: str) -> None:
        self.starts = [m.start() for m in _NONEMPTY_LINE.finditer(text)]

    def is_edge(self, pos: int) -> bool:
        idx = bisect_right(self.starts, pos) - 1
        total = len(self.starts)
        return 1 <= idx <= EDGE_HEAD_LINES or idx >= total - EDGE_TAIL_LINES


class RuleFilter:
    """Runs the packs' rules of one stage, in pack order; overlaps go to the earlier start."""

    code_rules: tuple[CodeRule, ...] = ()

    def __init__(self, name: str, rules: tuple[Rule, ...], *, repeat: int = 1) -> None:
        self.name = name
        self.rules = rules
        # Entity repairs can uncover another entity (&#38;quot;): such stages run to a fixpoint.
        self.repeat = repeat

    def propose(self, text: str, ctx: DocContext) -> list[Proposal]:
        out: list[Proposal] = []
        lines: _LineIndex | None = None
        for rule in self.rules:
            if not ctx.is_enabled(rule.id, rule.category):
                continue
            found: list[Proposal] = []
            try:
                for m in rule.matcher.finditer(text, timeout=ctx.rule_timeout):
                    if rule.scope == "inline":
                        edit = edit_for(rule, m, text)
                        if edit is not None:
                            found.append(Proposal(*edit, rule.id, rule.category, rule.note))
                        continue
                    start, end = m.span("span")
                    if start == end:
                        continue
                    if rule.position == "edge":
                        lines = lines or _LineIndex(text)
                        if not lines.is_edge(start):
                            continue
                    meta = None
                    if rule.metadata:
                        value = m.group("value") if "value" in rule.matcher.groupindex else None
                        meta = (rule.metadata, (value or m.group("span")).strip())
                    found.extend(remove_line(text, start, end, rule.id, rule.category,
                                             rule.note, meta))
            except TimeoutError:
                ctx.note("timeout", self.name, rule.id,
                         f"rule gave up after {ctx.rule_timeout:g} s; skipped for this document")
                continue
            out.extend(found)
        return out
