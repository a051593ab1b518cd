"""Trailing headline lists: the other stories a site appends after the article.

Detected by signals that hold on any site, never by the headlines' words:

- position: a run of lines at the very end of the document, after the last line of prose;
- shape: each line is a headline, not a sentence: no period at its end, no second sentence,
  3 to 25 words; or one long line of glued headlines with no sentence punctuation at all;
- casing: headline lists are mostly Title Case, and glued headlines show lower-to-Upper joins;
- topic: little vocabulary shared with the article (unrelated clickbait), and a stopword
  density below running prose, as justext measures it;
- a heading (Trending, You May Also Like, More from X ...) from the tail pack, which lowers
  the evidence needed from the list itself.

Everything from the first line of the list (or its heading) to the end goes, as one edit.
"""

from __future__ import annotations

import re
from collections import Counter

import regex

from ..model import Proposal
from ..packs import Rule
from ..templates import Template, TemplateIndex
from ..textstats import (
    SENTENCE_END,
    STATEMENT_ENDS,
    WHITESPACE,
    LineStats,
    content_words,
    ends_with,
    line_stats,
    lowered_words_of,
    words_of,
)
from .base import CodeRule, DocContext, Line

HEADLINE_LIST = CodeRule(
    "trailing-headlines.headline-list", "trailing-headlines", "tail",
    "A list of unrelated headlines, one per line, after the last line of the article.")
HEADLINE_BLOCK = CodeRule(
    "related.headline-block", "related", "tail",
    "A list heading (Don't Miss, Related) and the headlines under it, inside the article, where "
    "prose resumes after it.")
RUN_ON = CodeRule(
    "trailing-headlines.run-on-headlines", "trailing-headlines", "tail",
    "Unrelated headlines run together on the last line with no sentence punctuation.")

#: Fewest headline lines that make a list with no heading above it; with a heading, fewer do.
MIN_ITEMS = 3
MIN_ITEMS_WITH_HEADING = 2
#: Title Case lists: share of items in Title Case, and the most article vocabulary they share.
MIN_TITLE_SHARE = 0.6
MAX_OVERLAP = 0.5
#: Sentence-case lists carry less evidence: more items, less shared vocabulary.
MIN_SENTENCE_CASE_ITEMS = 4
MAX_SENTENCE_CASE_OVERLAP = 0.3
#: ... and headline-length items: "3 large eggs" is an ingredient, not a headline.
MIN_SENTENCE_CASE_WORDS = 5
#: Running prose has more stopwords than headlines (English prose sits around 0.4-0.5).
MAX_STOPWORD_DENSITY = 0.45
#: A run-on line of glued headlines: at least this many words with no sentence end in them.
MIN_RUN_ON_WORDS = 20
MIN_GLUE_POINTS = 2
#: A list whose items mostly start with a date is data (tour dates, fixtures, a timeline),
#: which articles end with; headlines seldom start so ("15 Amazing Images of Stars" does not
#: count: digits inside a headline are common). So is a list whose items mostly share one
#: punctuation skeleton ("England (Group A): 10th appearance"); headlines vary.
MAX_DATED_ITEM_SHARE = 0.6
MAX_SHARED_SKELETON = 0.6
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE_START = regex.compile(
    rf"^(?:\d{{1,4}}[./-]\d{{1,2}}|{_MONTH}\s+\d{{1,2}}\b|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}"
    r"|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b)", regex.IGNORECASE)
#: What a line's punctuation skeleton is not made of (literal characters: re is exact).
_NOT_SKELETON = re.compile(r"[^()\[\]:;|@/%$#]+")
#: The longest line read as a list heading ("You May Also Like", "More from X").
MAX_HEADING_CHARS = 80
#: What must stay: at least one line of prose of this many words before the list.
MIN_PROSE_WORDS = 8

_SEPARATOR_LINE = regex.compile(r"[\s\-–—|•·*»›>_=~]++")
#: What a list item may be wrapped in: spaces, dashes, bars, bullets and arrows.
_TRIM = WHITESPACE + "-–—|•·*»›>"
# A lower-case word (or a number) directly followed by a capitalised one: where two glued
# headlines meet. Commas break it: "in Tripoli, Turkey" is prose.
_GLUE = regex.compile(r"(?<![,;:])\b[\p{Ll}\p{N}][\p{L}\p{N}'’]*+\s++\p{Lu}")


class _Above:
    """What the lines above a list hold, read for all the lists peeled from one document:
    whether any of them is prose, and their words. Lists are peeled from the end upwards, so
    each answer is worked out once and the next list's question reuses it: a document of
    thousands of stacked lists costs in step with its length, not its square."""

    __slots__ = ("_counts", "_first", "_lines", "_n", "_prose", "_text", "_vocab_end")

    def __init__(self, text: str, lines: list[Line]) -> None:
        self._text, self._lines = text, lines
        self._prose: dict[int, bool] = {}  # line index -> some line at or above it is prose
        self._first: dict[str, int] = {}
        self._vocab_end = -1
        self._n = 0
        self._counts: dict[int, int] | None = None  # line end -> words before it

    def has_prose(self, b: int) -> bool:
        """Whether any of the first ``b + 1`` lines is prose."""
        walked = []
        answer = False
        while b >= 0:
            known = self._prose.get(b)
            if known is not None:
                answer = known
                break
            walked.append(b)
            if _is_prose(self._lines[b].text):
                answer = True
                break
            b -= 1
        for w in walked:
            self._prose[w] = answer
        return answer

    def vocabulary(self, end: int) -> tuple[dict[str, int], int]:
        """The document's words up to ``end`` (a line's end), lower-cased, each with the
        index of its first use, and how many words come before ``end``: the vocabulary above
        ``end`` is the words whose first use is under that count. Made once, for the first
        (lowest) list; a list above it reads the same words."""
        if self._vocab_end < 0:
            words = lowered_words_of(self._text[:end])
            self._vocab_end, self._n = end, len(words)
            # Built in C: a reversed zip into a dict keeps each word's first use.
            self._first = dict(zip(reversed(words), range(len(words) - 1, -1, -1)))
        if end == self._vocab_end:
            return self._first, self._n
        if self._counts is None:
            # No word crosses a line break: the words before a line's end are those of the
            # lines up to it.
            self._counts, count = {}, 0
            for line in self._lines:
                if line.end > self._vocab_end:
                    break
                count += len(words_of(line.text))
                self._counts[line.end] = count
        before = self._counts.get(end)
        if before is None:  # not a line above the first list: count it on its own
            before = len(words_of(self._text[:end]))
        return self._first, before


def _is_prose(line: str) -> bool:
    """A line of running text: enough words and at least one sentence end."""
    return line.count(" ") + 1 >= MIN_PROSE_WORDS and SENTENCE_END.search(line) is not None


class TailFilter:
    name = "tail"
    code_rules: tuple[CodeRule, ...] = (HEADLINE_LIST, RUN_ON, HEADLINE_BLOCK)

    def __init__(self, heading_rules: tuple[Rule, ...],
                 templates: TemplateIndex | None = None) -> None:
        self.heading_rules = heading_rules
        #: Templates of list headings (section = "list"), in every language they are written,
        #: in an index of their own: the tail asks about many lines, and a small index lets
        #: most of them go at their first word.
        self.templates = (TemplateIndex(t for t in templates.templates if t.section == "list")
                          if templates is not None and templates.has_lists else None)

    def _is_heading(self, line: str, ctx: DocContext) -> Rule | Template | None:
        if self.templates is not None:
            hit = self.templates.match(line, ctx.languages)
            if hit is not None:
                return hit[0]
        for rule in self.heading_rules:
            if not ctx.is_enabled(rule.id, rule.category):
                continue
            try:
                if rule.match_line(line, timeout=ctx.rule_timeout):
                    return rule
            except TimeoutError:
                ctx.note("timeout", self.name, rule.id,
                         f"rule gave up after {ctx.rule_timeout:g} s; skipped for this document")
        return None

    def _ends_in_prose(self, line: str, ctx: DocContext) -> bool:
        """The last line is prose (not a separator, heading, headline or run-on line)."""
        trimmed = line.strip(_TRIM)
        if trimmed == line and ends_with(line, STATEMENT_ENDS):
            return True  # ends like a statement: neither a headline nor a run-on line
        if _SEPARATOR_LINE.fullmatch(line) or self._is_heading(line, ctx):
            return False
        st = line_stats(trimmed, ctx.stopwords)
        return not (self._is_headline(st) or self._is_run_on(trimmed, st))

    def _is_headline(self, st: LineStats) -> bool:
        # Headlines may ask or exclaim (Will X Happen? Experts Answer) but hold no full stop.
        return MIN_ITEMS <= st.n_words <= 25 and not st.ends_statement and st.full_stops == 0

    def _is_run_on(self, line: str, st: LineStats) -> bool:
        return (st.n_words >= MIN_RUN_ON_WORDS and st.sentence_ends == 0
                and not st.ends_sentence and len(_GLUE.findall(line)) >= MIN_GLUE_POINTS)

    def propose(self, text: str, ctx: DocContext) -> list[Proposal]:
        lines = ctx.lines(text)
        out = self._blocks(lines, ctx)
        return out + self._tail(text, lines, ctx, after=out[-1].end if out else 0)

    def _blocks(self, lines: list[Line], ctx: DocContext) -> list[Proposal]:
        """Headed lists of other stories inside the article: a heading, two or more headline
        lines, then prose again. The heading is the evidence; the lines must read as headlines.

        Read from the end: a list that runs into the next heading's list is judged with that
        list already gone, as a second run would see it, and takes it in."""
        if (not self.heading_rules and self.templates is None) or not ctx.is_enabled(
                HEADLINE_BLOCK.id, HEADLINE_BLOCK.category):
            return []
        n = len(lines)
        # A heading is a short line: paragraphs are not even looked at. Never the title.
        headings = [(k, h) for k in range(1, n) if len(lines[k].text) <= MAX_HEADING_CHARS
                    and (h := self._is_heading(lines[k].text, ctx)) is not None]
        # reach[j]: where a walk over headline lines from line j stops (a block found earlier
        # is stepped over), and how many headline lines it passed. Filled on demand, from the
        # end, so that each line is judged once.
        reach: dict[int, tuple[int, int]] = {n: (n, 0)}

        def walk(j: int) -> tuple[int, int]:
            passed: list[int] = []
            while j not in reach and self._is_headline(
                    line_stats(lines[j].text.strip(_TRIM), ctx.stopwords)):
                passed.append(j)
                j += 1
            stop, items = reach.setdefault(j, (j, 0))
            for i in reversed(passed):
                items += 1
                reach[i] = (stop, items)
            return reach[passed[0]] if passed else (stop, items)

        found: list[tuple[int, int, int, Rule | Template]] = []  # first line, stop, items, heading
        for k, heading in reversed(headings):
            stop, items = walk(k + 1)
            if items >= MIN_ITEMS_WITH_HEADING and stop < n and _is_prose(lines[stop].text):
                while found and found[-1][0] < stop:
                    found.pop()  # a later list that this one runs into: one block now
                found.append((k, stop, items, heading))
                reach[k] = walk(stop)
        return [Proposal(lines[k].start, lines[stop - 1].end, "", HEADLINE_BLOCK.id,
                         HEADLINE_BLOCK.category, f"under heading ({heading.id}); {items} item(s)")
                for k, stop, items, heading in reversed(found)]

    def _tail(self, text: str, lines: list[Line], ctx: DocContext, after: int) -> list[Proposal]:
        """The list after the article; then the list above it, if taking one away shows
        another (a heading left alone over a list, two lists in a row), so that a second run
        finds nothing more."""
        if not (ctx.is_enabled(HEADLINE_LIST.id, HEADLINE_LIST.category)
                or ctx.is_enabled(RUN_ON.id, RUN_ON.category)):
            return []
        out: list[Proposal] = []
        above = _Above(text, lines)
        n = len(lines)
        while n:
            found = self._tail_once(lines, n, ctx, after, above)
            if found is None:
                break
            proposal, n = found
            out.append(proposal)
        return out[::-1]

    def _tail_once(self, lines: list[Line], n: int, ctx: DocContext, after: int,
                   body: _Above) -> tuple[Proposal, int] | None:
        """The list that ends the first ``n`` lines, and the number of lines above it."""
        if self._ends_in_prose(lines[n - 1].text, ctx):
            return None  # most articles end with a sentence: nothing more to read
        if n < 3:
            return None
        # Walk up from the end over separators and headline-shaped lines. The first line is
        # the title and never part of a list.
        items: list[tuple[Line, LineStats]] = []
        run_on = False
        i = n - 1
        while i >= 1:
            line = lines[i]
            if _SEPARATOR_LINE.fullmatch(line.text):
                i -= 1
                continue
            if self._is_heading(line.text, ctx):
                break
            trimmed = line.text.strip(_TRIM)
            st = line_stats(trimmed, ctx.stopwords)
            if self._is_headline(st):
                items.append((line, st))
            elif i == n - 1 and self._is_run_on(trimmed, st):
                items.append((line, st))
                run_on = True
            else:
                break
            i -= 1
        if not items:
            heading = self._is_heading(lines[n - 1].text, ctx)
            if heading and lines[n - 1].start >= after:
                # A list heading left alone at the end (its list was not extracted).
                return Proposal(lines[n - 1].start, lines[n - 1].end, "", heading.id,
                                heading.category, "list heading with nothing under it"), n - 1
            return None
        first = i + 1  # index of the first line of the suffix
        heading = self._is_heading(lines[i].text, ctx) if i >= 1 else None
        if not heading and lines[i].text.endswith(":"):
            # "You will need:" introduces a list that is part of the article.
            return None
        # The suffix may begin with separator lines; the list starts at the first of them.
        body_end = i if heading else first  # lines above the list
        if not body.has_prose(body_end - 1):
            return None  # no article left above the list: keep it all
        seen, above = body.vocabulary(lines[body_end - 1].end)
        overlaps = []
        for _, st in items:
            words = content_words(st.words, ctx.stopwords)
            # A topic word is shared when the article above used it, or its possessive.
            shared = sum(1 for w in words if seen.get(w, above) < above
                         or seen.get(w + "'s", above) < above or seen.get(w + "’s", above) < above)
            overlaps.append(shared / len(words) if words else 0.0)
        mean_overlap = sum(overlaps) / len(overlaps)
        mean_density = sum(st.stopword_density for _, st in items) / len(items)
        mean_words = sum(st.n_words for _, st in items) / len(items)
        dated_share = sum(1 for line, _ in items
                          if _DATE_START.match(line.text.strip(_TRIM))) / len(items)
        skeletons = Counter(_NOT_SKELETON.sub("", line.text) for line, _ in items)
        skeleton, count = skeletons.most_common(1)[0]
        shared_skeleton = count / len(items) if skeleton else 0.0
        title_share = sum(1 for _, st in items if st.title_case >= 0.8) / len(items)

        if run_on:
            rule = RUN_ON
            accept = mean_overlap <= MAX_OVERLAP
        elif len(items) > 1 and (dated_share > MAX_DATED_ITEM_SHARE
                                 or shared_skeleton > MAX_SHARED_SKELETON):
            return None  # a data list
        else:
            rule = HEADLINE_LIST
            if heading:
                accept = len(items) >= MIN_ITEMS_WITH_HEADING
            else:
                accept = len(items) >= MIN_ITEMS and mean_density <= MAX_STOPWORD_DENSITY and (
                    (title_share >= MIN_TITLE_SHARE and mean_overlap <= MAX_OVERLAP)
                    or (len(items) >= MIN_SENTENCE_CASE_ITEMS
                        and mean_words >= MIN_SENTENCE_CASE_WORDS
                        and mean_overlap <= MAX_SENTENCE_CASE_OVERLAP))
        if not accept or not ctx.is_enabled(rule.id, rule.category):
            return None
        top = i if heading else first
        if lines[top].start < after:
            return None
        note = (f"{len(items)} item(s), shared vocabulary {mean_overlap:.2f}, "
                f"stopword density {mean_density:.2f}, Title Case share {title_share:.2f}")
        if heading:
            note = f"under heading ({heading.id}); " + note
        return Proposal(lines[top].start, lines[n - 1].end, "", rule.id, rule.category, note), top
