"""The filter that runs pattern rules from the packs: inline spans and whole lines."""

from __future__ import annotations

import time
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any, NamedTuple

import ahocorasick
import regex

from ..model import Proposal
from ..packs import Rule
from ..engine import prefilter_for
from ..gates import fold
from ..templates import TemplateIndex
from .actions import edits_for
from .base import CodeRule, DocContext, Line, remove_line
from .sections import template_hits

#: Lines from the top (after the title) where an edge-positioned rule may fire: the byline and
#: credit block sits between the title, the standfirst and the body.
EDGE_HEAD_LINES = 6
#: Lines from the end where an edge-positioned rule may fire (closing credits).
EDGE_TAIL_LINES = 2
#: Rounds of edge rules at most: each round can bring another line to the edge.
EDGE_ROUNDS = 4
#: Documents a plan serves behind its gates before its RE2 filter is built (about 20 ms a
#: stage, which the filter repays within tens of documents): a run over one file stays
#: quick to start, a batch gets the filter at once. The output is the same either way.
PREFILTER_AFTER = 3


def _edge_lines(lines: list[Line], removed: set[int]) -> list[Line]:
    """The lines where an edge rule may fire, counting only lines that survive the stage: a
    credit below four ad lines is near the top once they are gone, and a second run must not
    find what the first missed. Not the title; then the head, and the last lines."""
    alive = [line for line in lines if line.start not in removed]
    head = alive[1:EDGE_HEAD_LINES + 1]
    tail = alive[max(EDGE_HEAD_LINES + 1, len(alive) - EDGE_TAIL_LINES):]
    return head + tail


#: A trie key that no character can be: "a gate string ends here".
_END = ""


class _LineGates:
    """Which lines each of a tuple of line rules may match, found in one walk over the lines.

    A rule's literal gate (see cleaner.gates) holds strings every match starts with: at the
    line's start for an anchored gate, anywhere in it otherwise. Asking each rule about each
    line costs a Python loop per rule; here the anchored strings of all rules sit in one trie
    (a line walks it for as many characters as it shares with some gate string, mostly one
    or two), and the other strings are found in the document's short lines in one pass.
    """

    __slots__ = ("_also", "_always", "_ci", "_cs", "_inner", "limit", "rules")

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        #: Lines longer than every rule's max_length need no look.
        self.limit = max((r.max_length for r in self.rules), default=0)
        self._ci: dict[str, Any] = {}  # anchored gates, lower-cased lines
        self._cs: dict[str, Any] = {}  # anchored gates, lines as they are
        inner: dict[bool, dict[str, list[int]]] = {True: {}, False: {}}
        always: list[int] = []
        for i, rule in enumerate(self.rules):
            if rule.gate is None:
                always.append(i)
            elif rule.gate_anchored:
                for g in rule.gate:
                    node = self._ci if rule.gate_ci else self._cs
                    for ch in g:
                        node = node.setdefault(ch, {})
                    node.setdefault(_END, set()).add(i)
            else:
                for g in rule.gate:
                    inner[rule.gate_ci].setdefault(g, []).append(i)
        # Unanchored gate strings (an outlet's name anywhere in a credit line: dozens of
        # them) are found by one Aho-Corasick pass over the joined short lines, all strings
        # at once, instead of one scan per string: one automaton for the lower-cased lines and
        # one for the lines as they are.
        self._inner: dict[bool, Any] = {}
        for ci, strings in inner.items():
            if strings:
                automaton = ahocorasick.Automaton()
                for g, found_by in strings.items():
                    automaton.add_word(g, (len(g), tuple(found_by)))
                automaton.make_automaton()
                self._inner[ci] = automaton
        self._always = tuple(always)
        #: Rules whose lines must also hold a string somewhere (Rule.also), by index.
        self._also = {i: rule for i, rule in enumerate(self.rules) if rule.also is not None}

    def candidates(self, lines: Sequence[Line]) -> list[list[Line]]:
        """For each rule, the lines (in document order) its gate lets it try."""
        hits: list[list[Line]] = [[] for _ in self.rules]
        short = [line for line in lines if len(line.text) <= self.limit]
        plain = [line.text for line in short]
        lowered = [fold(t) for t in plain] if self._ci or True in self._inner else []
        for k, line in enumerate(short):
            admitted = _starts_of(self._ci, lowered[k]) if self._ci else _NO_RULES
            if self._cs:
                admitted = admitted | _starts_of(self._cs, plain[k])
            for i in admitted:
                rule = self._also.get(i)
                if rule is None or rule.holds_also(plain[k], lowered[k] if lowered else None):
                    hits[i].append(line)
        if self._inner:
            self._inner_candidates(short, {True: lowered, False: plain}, hits)
        for i in self._always:
            hits[i] = short
        return hits

    def _inner_candidates(self, short: list[Line], texts: dict[bool, list[str]],
                          hits: list[list[Line]]) -> None:
        """The lines holding an unanchored gate string, for each rule that has one."""
        lines_of: dict[int, set[int]] = {}
        for ci, automaton in self._inner.items():
            starts, pos = [], 0
            for t in texts[ci]:
                starts.append(pos)
                pos += len(t) + 1
            for end, (length, found_by) in automaton.iter("\n".join(texts[ci])):
                k = bisect_right(starts, end - length + 1) - 1
                for i in found_by:
                    lines_of.setdefault(i, set()).add(k)
        for i, ks in lines_of.items():
            hits[i] += [short[k] for k in sorted(ks)]


_NO_RULES: frozenset[int] = frozenset()


def _starts_of(trie: dict[str, Any], text: str) -> frozenset[int] | set[int]:
    """The rules (indexes) with a gate string that ``text`` starts with: the trie is walked
    for as long as ``text`` follows one of its strings (for most lines, not past the first
    character, and no set is made)."""
    found: frozenset[int] | set[int] = _NO_RULES
    node: Any = trie
    for ch in text:
        node = node.get(ch)
        if node is None:
            break
        ends = node.get(_END)
        if ends is not None:
            found = found | ends
    return found


class _Plan(NamedTuple):
    """What a document of one site runs in one pass: the rules that may fire anywhere (in
    pack order), the gates of their line rules, and the edge rules with their gates; and the
    RE2 filter of all of them (cleaner.engine; None without RE2), with each rule's place in
    it and the gates of the rules it cannot take."""

    anywhere: tuple[Rule, ...]
    gates: _LineGates
    edge_gates: _LineGates
    prefilter: Any = None
    index: dict[str, int] | None = None
    unfiltered: _LineGates | None = None
    #: The longest line a line rule of the plan is tried on.
    limit: int = 0
    #: Places in ``anywhere`` of the rules RE2 cannot take (they run behind their gates).
    unfiltered_at: tuple[int, ...] = ()


class RuleFilter:
    """Runs the packs' rules of one stage, in pack order; overlaps go to the earlier start.

    Each inline rule scans the document on its own. Joining rules into one alternation was
    measured 10x slower: alone, each pattern keeps the engine's skip to its required literal.
    """

    code_rules: tuple[CodeRule, ...] = ()

    def __init__(self, name: str, rules: tuple[Rule, ...],
                 templates: TemplateIndex | None = None) -> None:
        self.name = name
        self.rules = rules
        #: Whole-line templates (see cleaner.templates), looked up line by line.
        self.templates = templates if templates is not None else TemplateIndex(())
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
        self._plans: dict[tuple[str | None, bool], _Plan] = {}
        #: Documents each plan has served (see PREFILTER_AFTER).
        self._seen: dict[tuple[str | None, bool], int] = {}

    def propose(self, text: str, ctx: DocContext) -> list[Proposal]:
        # The rules given are the ones to run: the Cleaner filters them by its configuration
        # once, not once per document.
        key = (ctx.site if ctx.site in self._by_site else None, ctx.positional_only)
        plan = self._plan(*key)
        if plan.prefilter is None and self._seen.get(key, 0) == PREFILTER_AFTER:
            plan = self._with_prefilter(key, plan)
        self._seen[key] = self._seen.get(key, 0) + 1
        templates = len(self.templates) and not ctx.positional_only
        # RE2 reads the document once and names the rules that may match (None: it could
        # not tell, and the gates decide).
        fired = plan.prefilter.fired(text) if plan.prefilter is not None else None
        line_rules = plan.gates.rules or plan.edge_gates.rules
        lines = ctx.lines(text) if line_rules or templates else []
        out: list[Proposal] = []
        lowered: list[str] = []  # the text in lower case, made once if a gate needs it
        if fired is None:
            # Line rules read the document's stripped lines, each on its own (as
            # Rule.match_line does), only the lines their gate lets them try.
            tried = iter(plan.gates.candidates(lines) if plan.gates.rules else ())
            for rule in plan.anywhere:
                if rule.scope == "inline":
                    out += self._run_inline(rule, text, ctx, lowered)
                else:
                    out += self._run_lines(rule, next(tried), text, ctx)
        else:
            candidates = self._filtered_lines(plan, fired, lines)
            index = plan.index
            assert index is not None
            # Only the rules RE2 named, and those it cannot take, in pack order: a document
            # pays for the rules that may fire, not for every rule there is.
            n = len(plan.anywhere)
            for k in sorted({k for k in fired if k < n} | set(plan.unfiltered_at)):
                rule = plan.anywhere[k]
                if rule.scope == "inline":
                    out += self._run_inline(rule, text, ctx, lowered, gated=index[rule.id] < 0)
                else:
                    out += self._run_lines(rule, candidates.get(index[rule.id], []), text, ctx)
        if templates:
            out += self._run_templates(lines, text, ctx)
        # Edge rules judge position among the lines that survive, so they run after the
        # others, and again while they find more (each pass can move a line to the edge).
        taken: set[int] = set()
        for _ in range(EDGE_ROUNDS if plan.edge_gates.rules else 0):
            removed = {p.start for p in out if p.category != "whitespace"}
            near = _edge_lines(lines, removed)
            if fired is None:
                edge_rules, edge = plan.edge_gates.rules, plan.edge_gates.candidates(near)
            else:
                at_edge = {line.start for line in near}
                edge_rules = tuple(r for r in plan.edge_gates.rules
                                   if plan.index[r.id] in candidates)
                edge = [[line for line in candidates[plan.index[rule.id]]
                         if line.start in at_edge] for rule in edge_rules]
            found = [p for rule, tries in zip(edge_rules, edge, strict=True)
                     for p in self._run_lines(rule, tries, text, ctx) if p.start not in taken]
            if not found:
                break
            taken |= {p.start for p in found}
            out += found
        return out

    def _filtered_lines(self, plan: _Plan, fired: frozenset[int],
                        lines: list[Line]) -> dict[int, list[Line]]:
        """For each line rule of the plan (by its place in the filter), the lines it may
        match: RE2's answer for the rules it takes, the gates' for the others (placed
        at negative indexes)."""
        assert plan.prefilter is not None and plan.index is not None
        wanted = frozenset(k for k in fired if plan.prefilter.rules[k].scope != "inline")
        out = plan.prefilter.lines(lines, wanted, plan.limit) if wanted else {}
        if plan.unfiltered is not None and plan.unfiltered.rules:
            for rule, tries in zip(plan.unfiltered.rules, plan.unfiltered.candidates(lines),
                                   strict=True):
                out[plan.index[rule.id]] = tries
        return out

    def _plan(self, site: str | None, positional_only: bool) -> _Plan:
        """The rules a document runs, with their line gates, made once per site and pass."""
        key = (site, positional_only)
        plan = self._plans.get(key)
        if plan is None:
            rules: tuple[Rule, ...] = self._edge_only if positional_only else self._general
            if site is not None:
                rules = (*rules, *(r for r in self._by_site[site]
                                   if r.position == "edge" or not positional_only))
            anywhere = tuple(r for r in rules if r.position == "anywhere")
            edge = [r for r in rules if r.position == "edge"]
            plan = _Plan(anywhere, _LineGates([r for r in anywhere if r.scope == "line"]),
                         _LineGates(edge))
            self._plans[key] = plan
        return plan

    def _with_prefilter(self, key: tuple[str | None, bool], plan: _Plan) -> _Plan:
        """The plan with its RE2 filter, built once the plan has served PREFILTER_AFTER
        documents (a one-document run never pays for building it; the output is the same
        with it or without it)."""
        prefilter = prefilter_for((*plan.anywhere, *plan.edge_gates.rules))
        if prefilter is None:
            self._seen[key] = PREFILTER_AFTER + 1  # no RE2 here: never ask again
            return plan
        # Each rule's place in the filter; a rule RE2 cannot take gets a place of its own
        # below zero and keeps its gate.
        left_out = set(prefilter.unfiltered)
        index = {r.id: (-1 - k if k in left_out else k) for k, r in enumerate(prefilter.rules)}
        unfiltered = _LineGates([prefilter.rules[k] for k in sorted(left_out)
                                 if prefilter.rules[k].scope != "inline"])
        plan = plan._replace(prefilter=prefilter, index=index, unfiltered=unfiltered,
                             limit=max((r.max_length for r in prefilter.rules
                                        if r.scope != "inline"), default=0),
                             unfiltered_at=tuple(k for k in sorted(left_out)
                                                 if k < len(plan.anywhere)))
        self._plans[key] = plan
        return plan

    def _run_templates(self, lines: list[Line], text: str, ctx: DocContext) -> list[Proposal]:
        """The lines a template takes whole: each line's skeleton looked up once (the hits
        are shared with the sections stage while the text is the same)."""
        out: list[Proposal] = []
        hits = ctx.per_text("template-hits", text,
                            lambda _: template_hits(self.templates, lines, ctx.languages))
        for line, (tid, category, _) in zip(lines, hits, strict=True):
            if tid:
                out += remove_line(text, line.start, line.end, tid, category,
                                   self.templates.note_of(tid))
        return out

    def _run_lines(self, rule: Rule, lines: list[Line], text: str,
                   ctx: DocContext) -> list[Proposal]:
        if not lines:
            return []
        try:
            # Matches first, under the timeout (shipped rules have none); then the actions.
            matches = _match_lines(rule, lines, _timeout(rule, ctx))
        except TimeoutError:
            ctx.note("timeout", self.name, rule.id,
                     f"rule gave up after {ctx.rule_timeout:g} s; skipped for this document")
            return []
        found: list[Proposal] = []
        for line, m in matches:
            a, b = m.span("span")
            if b > a:
                if "\n" in m.group("span"):
                    # Patterns are rewritten to stay on one line; a construct the rewrite
                    # does not know (\P{..}, (?s).) must still not take the next line.
                    continue
                start = line.start + a - 1  # the line was matched with a newline before it
                meta = None
                if rule.metadata:
                    value = m.group("value") if "value" in m.re.groupindex else None
                    meta = (rule.metadata, (value or m.group("span")).strip())
                found += remove_line(text, start, start + b - a, rule.id, rule.category,
                                     rule.note, meta)
        return self._within_share(rule, found, text, ctx)

    def _run_inline(self, rule: Rule, text: str, ctx: DocContext, lowered: list[str],
                    gated: bool = True) -> list[Proposal]:
        found: list[Proposal] = []
        if gated and rule.gate is not None:
            if rule.gate_ci and not lowered:
                lowered.append(fold(text))
            hay = lowered[0] if rule.gate_ci else text
            # A gate string's first character is looked for first: a one-character search
            # runs several times faster than one for a longer string, and "{" or "&" is absent
            # from most documents.
            if not any(g[0] in hay and g in hay for g in rule.gate):
                return found
        try:
            # Matches first, under the timeout; then the actions, outside it: the timeout
            # clock runs between iterations, and a repair (ftfy's first import) must not
            # spend a rule's budget.
            matches = list(rule.matcher.finditer(text, timeout=_timeout(rule, ctx)))
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


def _timeout(rule: Rule, ctx: DocContext) -> float | None:
    """The clock a rule runs under: none for a shipped rule (linted against nested unbounded
    repeats and run on hostile input by the tests), so that no document comes out otherwise
    on a busy machine; the configured one for a pack of the user's, which may hold patterns
    that backtrack without bound."""
    return None if rule.shipped else ctx.rule_timeout


def _match_lines(rule: Rule, lines: list[Line],
                 timeout: float | None) -> list[tuple[Line, regex.Match[str]]]:
    """The rule matched against each given line (as Rule.match_line reads a line: between
    two newlines), all within one timeout (if any), as one scan of the document would be."""
    limit = rule.max_length
    out = []
    if timeout is None:
        match = rule.matcher.match
        for line in lines:
            if len(line.text) <= limit and (m := match(f"\n{line.text}\n")) is not None:
                out.append((line, m))
        return out
    deadline = time.perf_counter() + timeout
    for line in lines:
        if len(line.text) > limit:
            continue
        left = deadline - time.perf_counter()
        if left <= 0:
            raise TimeoutError("regex timed out")
        m = rule.matcher.match(f"\n{line.text}\n", timeout=left)
        if m is not None:
            out.append((line, m))
    return out
