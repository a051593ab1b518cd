"""The filter that runs pattern rules from the packs: inline spans and whole lines."""

from __future__ import annotations

import time
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

    News paragraphs are long and furniture is short: each line rule reads only the lines it
    may match (its max_length), and offsets map back to the text.
    """

    __slots__ = ("text", "lines", "_source", "_lower", "_lower_lines", "_starts")

    def __init__(self, lines: list[Line], limit: int) -> None:
        self._source = [line for line in lines if len(line.text) <= limit]
        self.lines = [line.text for line in self._source]
        self.text = "\n" + "\n".join(self.lines) + "\n" if self.lines else ""
        self._lower: str | None = None
        self._lower_lines: list[str] | None = None
        self._starts: list[int] | None = None  # made on first need: most views match nothing

    def lower(self) -> str:
        if self._lower is None:
            self._lower = self.text.lower()
        return self._lower

    def lower_lines(self) -> list[str]:
        if self._lower_lines is None:
            # One lower-casing in C, split where the lines were joined (lower-casing may
            # lengthen a line, never add or drop a newline).
            self._lower_lines = self.lower()[1:-1].split("\n") if self.lines else []
        return self._lower_lines

    def starts(self) -> list[int]:
        """Where each line starts in the view's text."""
        if self._starts is None:
            self._starts = starts = []
            pos = 1
            for line in self.lines:
                starts.append(pos)
                pos += len(line) + 1
        return self._starts

    def candidates(self, rule: Rule) -> list[int] | None:
        """The lines the rule's literal gate lets it try (indexes into ``lines``); None when
        it has no gate or where its gate strings fall cannot be told, so every line is tried.

        A match holds one of the gate strings (at the line's start, for an anchored gate):
        trying only those lines spares a scan of the view per rule."""
        gate = rule.gate
        if gate is None:
            return None
        if rule.gate_anchored:
            # Lines are stripped: a match starts at a line start, with one of the gate strings.
            lines = self.lower_lines() if rule.gate_ci else self.lines
            return [k for k, line in enumerate(lines) if line.startswith(gate)]
        hay = self.lower() if rule.gate_ci else self.text
        present = [g for g in gate if g in hay]
        if not present:
            return []
        if len(hay) != len(self.text):
            return None  # lower-casing changed lengths: positions would not map back
        hits: set[int] = set()
        starts = self.starts()
        for g in present:
            pos = hay.find(g)
            while pos >= 0:
                k = bisect_right(starts, pos) - 1
                hits.add(k)
                # On to the next line: one hit is all a line needs.
                nxt = starts[k + 1] if k + 1 < len(starts) else len(hay)
                pos = hay.find(g, max(pos + 1, nxt))
        return sorted(hits)

    def to_text(self, vpos: int) -> int:
        k = bisect_right(self.starts(), vpos) - 1
        return self._source[k].start + vpos - self._starts[k]  # type: ignore[index]


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
        if rule.scope == "inline":
            return self._run_inline(rule, text, ctx, lowered)
        found: list[Proposal] = []
        if views is None:
            return found
        view = views.get(rule.max_length)
        lines = view.candidates(rule)
        if lines is not None and not lines:
            return found
        try:
            # Matches first, under the timeout; then the actions, outside it.
            if lines is None:
                matches = list(rule.matcher.finditer(view.text, timeout=ctx.rule_timeout))
            else:
                matches = _match_lines(rule, view, lines, ctx.rule_timeout)
        except TimeoutError:
            ctx.note("timeout", self.name, rule.id,
                     f"rule gave up after {ctx.rule_timeout:g} s; skipped for this document")
            return []
        for m in matches:
            if m.end("span") > m.start("span"):
                if "\n" in m.group("span"):
                    # Patterns are rewritten to stay on one line; a construct the rewrite
                    # does not know (\P{..}, (?s).) must still not take the next line.
                    continue
                found += self._line_proposals(rule, m, view, text)
        return self._within_share(rule, found, text, ctx)

    def _run_inline(self, rule: Rule, text: str, ctx: DocContext,
                    lowered: list[str]) -> list[Proposal]:
        found: list[Proposal] = []
        if rule.gate is not None:
            if rule.gate_ci and not lowered:
                lowered.append(text.lower())
            hay = lowered[0] if rule.gate_ci else text
            if not any(g in hay for g in rule.gate):
                return found
        try:
            # Matches first, under the timeout; then the actions, outside it: the timeout
            # clock runs between iterations, and a repair (ftfy's first import) must not
            # spend a rule's budget.
            matches = list(rule.matcher.finditer(text, timeout=ctx.rule_timeout))
        except TimeoutError:
            ctx.note("timeout", self.name, rule.id,
                     f"rule gave up after {ctx.rule_timeout:g} s; skipped for this document")
            return []
        for m in matches:
            found += [Proposal(a, b, rep, rule.id, rule.category, rule.note)
                      for a, b, rep in edits_for(rule, m, text)]
        return self._within_share(rule, found, text, ctx)

    def _within_share(self, rule: Rule, found: list[Proposal], text: str,
                      ctx: DocContext) -> list[Proposal]:
        if rule.max_share is not None and found:
            removed = sum(p.end - p.start for p in found
                          if not p.replacement and p.category != "whitespace")
            if removed > rule.max_share * len(text):
                ctx.note("guard", self.name, rule.id,
                         f"would remove {removed} of {len(text)} characters, over the rule's "
                         f"max_share {rule.max_share:g}; skipped for this document")
                return []
        return found


def _match_lines(rule: Rule, view: _ShortLines, lines: list[int],
                 timeout: float) -> list[regex.Match[str]]:
    """The rule matched at the start of each given line of the view (each match starts at
    the newline before its line), all within one timeout as a scan of the view would be."""
    deadline = time.perf_counter() + timeout
    starts = view.starts()
    out = []
    for k in lines:
        left = deadline - time.perf_counter()
        if left <= 0:
            raise TimeoutError("regex timed out")
        m = rule.matcher.match(view.text, starts[k] - 1, timeout=left)
        if m is not None:
            out.append(m)
    return out
