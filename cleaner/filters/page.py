"""Whole-page text: keep the article, drop the menus, footers and sidebars around it.

For text dumped from a whole page (every block of it, no HTML left), the article is the
densest run of prose: lines of running text follow one another, while menus, footers and link
lists are runs of short lines without sentences. Each line is scored (prose: its length; any
other line: a penalty that grows with its count, so a menu of twenty items outweighs a caption
or a subheading), and the run of lines with the highest total is the article (the maximum-sum
segment). What lies outside it goes; the headline just above the article stays.

Opt-in (``enable={"boilerplate"}``): on text that is already an article, a long list (a
recipe's ingredients) would look like a menu to any line-level signal.
"""

from __future__ import annotations

import re

from ..model import Proposal
from ..textstats import line_stats
from .base import CodeRule, DocContext

OUTSIDE = CodeRule(
    "boilerplate.outside-article", "boilerplate", "page",
    "On whole-page text, the lines before and after the article's run of prose (menus, "
    "footers, sidebars).", default=False)

#: A line of prose: running text with this many words, a sentence end, and stopwords.
PROSE_WORDS = 10
PROSE_STOPWORDS = 0.15
#: What a line that is not prose costs the run it sits in (characters of prose it outweighs).
#: A line of LIST_ITEM_WORDS words or more (a list item, a table row, a caption) costs
#: LIST_ITEM_COST, a shorter one (a menu entry, a link) OTHER_LINE_COST: articles hold
#: lists, menus hold one or two words an entry. Measured on the whole-page dumps of the dev
#: pages' tuning half (bench/generalization.py's inputs; mean word F1 and gold lines kept):
#: one cost of 25 for every line gave WCXB 0.891 / 0.906 and fundus 0.865 / 0.979; 5 and
#: 40 give 0.894 / 0.913 and 0.871 / 0.979, better on all four; 0 and 40, 5 and 60, 10 and
#: 50 each lose one of them.
LIST_ITEM_WORDS = 4
LIST_ITEM_COST = 5
OTHER_LINE_COST = 40
#: Scripts written without spaces between words (Chinese, Japanese) count prose by
#: characters: this many of them in a line with a sentence end (one CJK character holds
#: about as much as a word of an alphabet, and ten words make prose there).
PROSE_CJK_CHARS = 25
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CJK_SENTENCE_END = re.compile("[。！？]")
#: Pages have at least this many lines; shorter texts are left alone.
MIN_LINES = 10
#: Headline-shaped lines kept just above the article (its title).
TITLE_WORDS = (3, 25)


class PageFilter:
    name = "page"
    code_rules: tuple[CodeRule, ...] = (OUTSIDE,)

    def propose(self, text: str, ctx: DocContext) -> list[Proposal]:
        if not ctx.is_enabled(OUTSIDE.id, OUTSIDE.category):
            return []
        lines = ctx.lines(text)
        if len(lines) < MIN_LINES:
            return []
        scores = []
        stops = ctx.stopwords
        for line in lines:
            st = line_stats(line.text, stops)
            # A language with no stoplist (zu, xh) is read by length and sentence ends alone.
            prose = (st.n_words >= PROSE_WORDS and st.sentence_ends > 0
                     and (not stops or st.stopword_density >= PROSE_STOPWORDS))
            if not prose and st.n_words < PROSE_WORDS:
                prose = (len(_CJK.findall(line.text)) >= PROSE_CJK_CHARS
                         and _CJK_SENTENCE_END.search(line.text) is not None)
            if prose:
                scores.append(len(line.text))
            elif st.n_words >= LIST_ITEM_WORDS:
                scores.append(-LIST_ITEM_COST)
            else:
                scores.append(-OTHER_LINE_COST)
        # The maximum-sum run of lines (Kadane).
        best, best_lo, best_hi = 0, 0, -1
        total, lo = 0, 0
        for k, score in enumerate(scores):
            if total <= 0:
                total, lo = 0, k
            total += score
            if total > best:
                best, best_lo, best_hi = total, lo, k
        if best_hi < 0:
            return []
        # The headline right above the article is part of it.
        if best_lo > 0:
            above = line_stats(lines[best_lo - 1].text, stops)
            if TITLE_WORDS[0] <= above.n_words <= TITLE_WORDS[1] and not above.ends_statement:
                best_lo -= 1
        out = []
        if best_lo > 0:
            out.append(Proposal(lines[0].start, lines[best_lo - 1].end, "", OUTSIDE.id,
                                OUTSIDE.category, f"{best_lo} line(s) before the article"))
        if best_hi < len(lines) - 1:
            out.append(Proposal(lines[best_hi + 1].start, lines[-1].end, "", OUTSIDE.id,
                                OUTSIDE.category,
                                f"{len(lines) - 1 - best_hi} line(s) after the article"))
        return out

