"""The filter that runs pattern rules from the packs: inline spans and whole lines."""

from __future__ import annotations

from bisect import bisect_right

import regex

from ..model import Proposal
from ..packs import Rule
from .actions import edits_for
from .base import CodeRule, DocContext, Line, nonempty_lines, remove_line

#: Lines from the top (after the title) where an edge-positioned rule may fire: the byline and
#: credit block sits between the title, the standfirst and the body.
EDGE_HEAD_LINES = 6
#: Lines from the end where an edge-positioned rule may fire (closing credits).
EDGE_TAIL_LINES = 2
#: Rounds of edge rules at most: each round can bring another line to the edge.
EDGE_ROUNDS = 4


def _edge_lines(lines: list[Line], removed: set[int]) -> list[Line]:
    """The lines where an edge rule may fire, counting only lines that survive the stage: a
    credit below four ad lines is near the top once they are gone, and a second run must not
    find what the first missed. Not the title; then the head, and the last lines."""
    alive = [line for line in lines if line.start not in removed]
    head = alive[1:EDGE_HEAD_LINES + 1]
    tail = alive[max(EDGE_HEAD_LINES + 1, len(alive) - EDGE_TAIL_LINES):]
    return head + tail


class _ShortLines:
    """The document's lines no longer than a limit, joined between newlines, for line rules.

    News paragraphs are long and furniture is short: each line rule scans only the lines it
    may match (its max_length), and offsets map back to the text.
    """

    __slots__ = ("text", "lines", "_lower", "_lower_lines", "_view_starts", "_text_starts")

    def __init__(self, lines: list[Line], limit: int) -> None:
        parts: list[str] = []
        self._view_starts: list[int] = []
        self._text_starts: list[int] = []
        vpos = 1
        for start, _, stripped in lines:
            if len(stripped) <= limit:
                parts.append(stripped)
                self._view_starts.append(vpos)
                self._text_starts.append(start)
                vpos += len(stripped) + 1
        self.text = "\n" + "\n".join(parts) + "\n" if parts else ""
        self.lines = parts
        self._lower: str | None = None
        self._lower_lines: list[str] | None = None

    def lower(self) -> str:
        if self._lower is None:
            self._lower = self.text.lower()
        return self._lower

    def lower_lines(self) -> list[str]:
        if self._lower_lines is None:
            self._lower_lines = [line.lower() for line in self.lines]
        return self._lower_lines

    def admits(self, rule: Rule) -> bool:
        """Whether the rule's literal gate lets it run on this view."""
        gate = rule.gate
        if gate is None:
            return True
        if rule.gate_anchored:
            # Lines are stripped: a match starts at a line start, with one of the gate strings.
            lines = self.lower_lines() if rule.gate_ci else self.lines
            return any(line.startswith(gate) for line in lines)
        hay = self.lower() if rule.gate_ci else self.text
        return any(g in hay for g in gate)

    def to_text(self, vpos: int) -> int:
        k = bisect_right(self._view_starts, vpos) - 1
        return self._text_starts[k] + vpos - self._view_starts[k]


class _Views:
    """One :class:`_ShortLines` per length limit, made on first use from a single split."""

    def __init__(self, text: str | None = None) -> None:
        self.lines = nonempty_lines(text) if text is not None else []
        self._views: dict[int, _ShortLines] = {}

    @classmethod
    def of(cls, lines: list[Line]) -> _Views:
        views = cls()
        views.lines = lines
        return views

    def get(self, limit: int) -> _ShortLines:
        view = self._views.get(limit)
        if view is None:
            view = self._views[limit] = _ShortLines(self.lines, limit)
        return view


class RuleFilter:
    """Runs the packs' rules of one stage, in pack order; overlaps go to the earlier start.

    Each rule scans the document on its own. Joining the line rules into one alternation was
    measured 10x slower: alone, each pattern keeps the engine's skip to its required literal.
    """

    code_rules: tuple[CodeRule, ...] = ()

    def __init__(self, name: str, rules: tuple[Rule, ...]) -> None:
        self.name = name
        self.rules = rules
        # Site-scoped rules (learned ones can be thousands) are looked up by the document's
        # site, so a document pays only for its own site's rules.
        self._general = tuple(r for r in rules if r.site is None)
        by_site: dict[str, list[Rule]] = {}
        for r in rules:
            if r.site is not None:
                by_site.setdefault(r.site, []).append(r)
        self._by_site = {site: tuple(rs) for site, rs in by_site.items()}
        # Later passes re-read only what depends on position: the edge rules.
        self._edge_only = tuple(r for r in self._general if r.position == "edge")

    def propose(self, text: str, ctx: DocContext) -> list[Proposal]:
        # The rules given are the ones to run: the Cleaner filters them by its configuration
        # once, not once per document.
        rules: tuple[Rule, ...] = self._edge_only if ctx.positional_only else self._general
        if ctx.site is not None and ctx.site in self._by_site:
            rules = (*rules, *(r for r in self._by_site[ctx.site]
                               if r.position == "edge" or not ctx.positional_only))
        # Line rules read lines between two newlines (see packs._compile), short ones only.
        views = (ctx.per_text("views", text, lambda t: _Views.of(ctx.lines(t)))
                 if any(r.scope == "line" for r in rules) else None)
        out: list[Proposal] = []
        lowered: list[str] = []  # the text in lower case, made once if a gate needs it
        for rule in rules:
            if rule.position == "anywhere":
                out += self._run(rule, text, views, ctx, lowered)
        edge_rules = [r for r in rules if r.position == "edge"]
        # Edge rules judge position among the lines that survive, so they run after the
        # others, and again while they find more (each pass can move a line to the edge).
        taken: set[int] = set()
        all_lines = ctx.lines(text) if edge_rules else []
        for _ in range(EDGE_ROUNDS if edge_rules else 0):
            removed = {p.start for p in out if p.category != "whitespace"}
            edge = _Views.of(_edge_lines(all_lines, removed))
            found = [p for rule in edge_rules for p in self._run(rule, text, edge, ctx, lowered)
                     if p.start not in taken]
            if not found:
                break
            taken |= {p.start for p in found}
            out += found
        return out

    def _line_proposals(self, rule: Rule, m: regex.Match[str], view: _ShortLines,
                        text: str) -> list[Proposal]:
        start = view.to_text(m.start("span"))
        end = start + m.end("span") - m.start("span")
        meta = None
        if rule.metadata:
            value = m.group("value") if "value" in m.re.groupindex else None
            meta = (rule.metadata, (value or m.group("span")).strip())
        return remove_line(text, start, end, rule.id, rule.category, rule.note, meta)

    def _run(self, rule: Rule, text: str, views: _Views | None, ctx: DocContext,
             lowered: list[str]) -> list[Proposal]:
        found: list[Proposal] = []
        inline = rule.scope == "inline"
        view = views.get(rule.max_length) if views is not None and not inline else None
        haystack = text if inline else view.text if view is not None else ""
        if rule.gate is not None:
            if inline:
                if rule.gate_ci and not lowered:
                    lowered.append(text.lower())
                hay = lowered[0] if rule.gate_ci else text
                if not any(g in hay for g in rule.gate):
                    return found
            elif view is None or not view.admits(rule):
                return found
        try:
            # Matches first, under the timeout; then the actions, outside it: the timeout
            # clock runs between iterations, and a repair (ftfy's first import) must not
            # spend a rule's budget.
            matches = list(rule.matcher.finditer(haystack, timeout=ctx.rule_timeout))
        except TimeoutError:
            ctx.note("timeout", self.name, rule.id,
                     f"rule gave up after {ctx.rule_timeout:g} s; skipped for this document")
            return []
        for m in matches:
            if inline:
                found += [Proposal(a, b, rep, rule.id, rule.category, rule.note)
                          for a, b, rep in edits_for(rule, m, text)]
            elif m.end("span") > m.start("span"):
                assert view is not None
                if "\n" in m.group("span"):
                    # Patterns are rewritten to stay on one line; a construct the rewrite
                    # does not know (\P{..}, (?s).) must still not take the next line.
                    continue
                found += self._line_proposals(rule, m, view, text)
        if rule.max_share is not None and found:
            removed = sum(p.end - p.start for p in found
                          if not p.replacement and p.category != "whitespace")
            if removed > rule.max_share * len(text):
                ctx.note("guard", self.name, rule.id,
                         f"would remove {removed} of {len(text)} characters, over the rule's "
                         f"max_share {rule.max_share:g}; skipped for this document")
                return []
        return found
