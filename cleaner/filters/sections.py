"""Sections that close a document: comment sections and author bio boxes.

A comment system prints the same furniture on any site: a heading or counter ("12 Comments",
"Leave a Reply", "Kommentare"), and around each comment a header (the commenter, a date) and
actions ("Reply", "Report", "Like"), all of it curated as templates of category ``comments``.
The comments themselves are prose, which no line rule can tell from the article's. What
tells them apart is where they stand: after a section heading, among comment furniture.

So the section is found by its heading (a template marked ``section = "comments"``) standing
after the article has begun (some prose above it), and is confirmed by what follows: comment
furniture again (a reply line, a commenter's header, a date line) at least
:data:`MIN_MARKERS` times, or nothing but comment furniture (a form: "Your email address will
not be published.", "Name *"). Then everything from the heading to the end goes, as one edit:
the article before it stays. A heading with nothing behind it that looks like comments stays
for the lines stage to judge on its own.

An author bio box is found the same way: its heading (a template marked ``section = "bio"``:
"About the author") after the article has begun, with one to :data:`MAX_BIO_LINES` short
paragraphs under it and then the end of the document. The paragraph about the writer needs
no trade word or pronoun here: the heading says what it is.
"""

from __future__ import annotations

from ..model import Proposal
from ..templates import MENU_RUN, TemplateIndex, skeleton
from ..textstats import TERMINALS, ends_with
from .base import CodeRule, DocContext, Line

SECTION = CodeRule(
    "comments.section", "comments", "sections",
    "A comment section after the article: its heading or counter, the comments with their "
    "headers and reply lines, to the end of the document.")
BIO = CodeRule(
    "bio.section", "bio", "sections",
    "An author bio box closing the document: its heading (About the author) and the short "
    "paragraphs under it.")

#: Comment furniture seen after the heading that confirms a section (one could be a stray
#: "Reply" link; two are a comment system).
MIN_MARKERS = 2
#: ... each within this many lines of the one before it (the heading first): a comment is a
#: header, a few paragraphs and its actions, so a comment system's furniture comes close
#: together. Furniture far apart is not a comment section: on a whole-page dump a counter
#: in the article's header ("0 Comments" beside the byline), the article, and a sidebar's
#: "Comments" link much further down would take the article with them.
MAX_MARKER_GAP = 8
#: Prose the article must hold above the heading: at least one line of this many words
#: ending like a sentence.
MIN_ARTICLE_WORDS = 8
#: A line of only a date, or a commenter's header (a name and a date), is this short.
MAX_HEADER_WORDS = 8
#: A bio box under its heading closes the document and is short: at most this many lines
#: and words (an "About the author" heading over more is a section of the article).
MAX_BIO_LINES = 4
MAX_BIO_WORDS = 250


def template_hits(index: TemplateIndex, lines: list[Line],
                  languages: frozenset[str] | None) -> list[tuple[str, str, str | None]]:
    """For each line, (entry id, category, section) of the template that takes it, or
    ("", "", None). An entry that takes lines only in menus (Template.alone false) takes
    its line when it stands in a run of MENU_RUN lines or more that templates take."""
    found = [index.match(line.text, languages) for line in lines]
    out: list[tuple[str, str, str | None]] = []
    run_end = -1  # the end of the current run of taken lines, once measured
    run_len = 0
    for k, hit in enumerate(found):
        if hit is None:
            out.append(("", "", None))
            continue
        template = hit[0]
        if template.section == "list":
            out.append(("", "", None))  # a list heading: the tail stage's to judge
            continue
        if not template.alone:
            if k >= run_end:
                start = k
                while start > 0 and found[start - 1] is not None:
                    start -= 1
                run_end = k
                while run_end < len(found) and found[run_end] is not None:
                    run_end += 1
                run_len = run_end - start
            if run_len < MENU_RUN:
                out.append(("", "", None))
                continue
        out.append((template.id, template.category, template.section))
    return out


class SectionFilter:
    name = "sections"
    code_rules: tuple[CodeRule, ...] = (SECTION, BIO)

    def __init__(self, index: TemplateIndex) -> None:
        self.index = index

    def propose(self, text: str, ctx: DocContext) -> list[Proposal]:
        wanted = {kind: ctx.is_enabled(rule.id, rule.category)
                  for kind, rule in (("comments", SECTION), ("bio", BIO))}
        if not self.index.has_sections or not any(wanted.values()):
            return []
        lines = ctx.lines(text)
        hits = ctx.per_text("template-hits", text,
                            lambda _: template_hits(self.index, lines, ctx.languages))
        article_seen = False
        for k, (line, (tid, category, section)) in enumerate(zip(lines, hits, strict=True)):
            if section and article_seen and wanted.get(section):
                rule = SECTION if section == "comments" else BIO
                confirmed = (self._confirmed(lines, hits, k) if section == "comments"
                             else self._short_tail(lines, k))
                if confirmed:
                    return _to_end(text, line.start, rule,
                                   f"from the heading {line.text[:60]!r} ({tid}) to the end")
            if not article_seen and _is_prose(line.text):
                article_seen = True
        return []

    @staticmethod
    def _short_tail(lines: list[Line], k: int) -> bool:
        """A bio box: one to a few short paragraphs, and then the document ends."""
        after = lines[k + 1:]
        return (0 < len(after) <= MAX_BIO_LINES
                and sum(line.text.count(" ") + 1 for line in after) <= MAX_BIO_WORDS)

    @staticmethod
    def _confirmed(lines: list[Line], hits: list[tuple[str, str, str | None]], k: int) -> bool:
        after = range(k + 1, len(lines))
        markers, last = 0, k
        for j in after:
            if j - last > MAX_MARKER_GAP:
                break
            if hits[j][1] == "comments" or _is_header(lines[j].text):
                markers, last = markers + 1, j
                if markers >= MIN_MARKERS:
                    return True
        # Nothing but comment furniture (the form of a section with no comment yet).
        return len(after) > 0 and all(hits[j][1] == "comments" for j in after)


def _to_end(text: str, start: int, rule: CodeRule, note: str) -> list[Proposal]:
    """Everything from ``start`` to the end, and the blank lines before it (so that the
    article ends cleanly), as one edit and a whitespace edit."""
    before = start
    while before > 0 and text[before - 1] in " \t\n":
        before -= 1
    out = [Proposal(start, len(text.rstrip()), "", rule.id, rule.category, note)]
    if before < start:
        out.append(Proposal(before, start, "", rule.id, "whitespace",
                            "line breaks before a removed section"))
    return out


def _is_prose(line: str) -> bool:
    return line.count(" ") + 1 >= MIN_ARTICLE_WORDS and ends_with(line, TERMINALS)


def _is_header(line: str) -> bool:
    """A commenter's header: a short line holding a date or time and no sentence end."""
    if line.count(" ") + 1 > MAX_HEADER_WORDS or ends_with(line, TERMINALS):
        return False
    return "{date}" in skeleton(line).tokens
