"""Comment sections: after the article, a heading or counter, then the comments.

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
"""

from __future__ import annotations

from ..model import Proposal
from ..templates import TemplateIndex
from ..textstats import TERMINALS, ends_with
from .base import CodeRule, DocContext, Line

SECTION = CodeRule(
    "comments.section", "comments", "sections",
    "A comment section after the article: its heading or counter, the comments with their "
    "headers and reply lines, to the end of the document.")

#: Comment furniture seen after the heading that confirms a section (one could be a stray
#: "Reply" link; two are a comment system).
MIN_MARKERS = 2
#: Prose the article must hold above the heading: at least one line of this many words
#: ending like a sentence.
MIN_ARTICLE_WORDS = 8
#: A line of only a date, or a commenter's header (a name and a date), is this short.
MAX_HEADER_WORDS = 8


def template_hits(index: TemplateIndex, lines: list[Line],
                  languages: frozenset[str] | None) -> list[tuple[str, str, str | None]]:
    """For each line, (entry id, category, section) of the template that takes it, or
    ("", "", None)."""
    out: list[tuple[str, str, str | None]] = []
    for line in lines:
        hit = index.match(line.text, languages)
        if hit is None:
            out.append(("", "", None))
        else:
            template = hit[0]
            out.append((template.id, template.category, template.section))
    return out


class SectionFilter:
    name = "sections"
    code_rules: tuple[CodeRule, ...] = (SECTION,)

    def __init__(self, index: TemplateIndex) -> None:
        self.index = index

    def propose(self, text: str, ctx: DocContext) -> list[Proposal]:
        if not self.index.has_sections or not ctx.is_enabled(SECTION.id, SECTION.category):
            return []
        lines = ctx.lines(text)
        hits = ctx.per_text("template-hits", text,
                            lambda _: template_hits(self.index, lines, ctx.languages))
        article_seen = False
        for k, (line, (tid, category, section)) in enumerate(zip(lines, hits, strict=True)):
            if section == "comments" and article_seen and self._confirmed(lines, hits, k):
                # The blank lines before the heading go too, so the article ends cleanly.
                before = line.start
                while before > 0 and text[before - 1] in " \t\n":
                    before -= 1
                end = len(text.rstrip())
                out = [Proposal(line.start, end, "", SECTION.id, SECTION.category,
                                f"from the comment heading {line.text[:60]!r} ({tid}) to the "
                                "end")]
                if before < line.start:
                    out.append(Proposal(before, line.start, "", SECTION.id, "whitespace",
                                        "line breaks before a removed section"))
                return out
            if not article_seen and _is_prose(line.text):
                article_seen = True
        return []

    @staticmethod
    def _confirmed(lines: list[Line], hits: list[tuple[str, str, str | None]], k: int) -> bool:
        after = range(k + 1, len(lines))
        markers = sum(1 for j in after if hits[j][1] == "comments" or _is_header(lines[j].text))
        if markers >= MIN_MARKERS:
            return True
        # Nothing but comment furniture (the form of a section with no comment yet).
        return len(after) > 0 and all(hits[j][1] == "comments" for j in after)


def _is_prose(line: str) -> bool:
    return line.count(" ") + 1 >= MIN_ARTICLE_WORDS and ends_with(line, TERMINALS)


def _is_header(line: str) -> bool:
    """A commenter's header: a short line holding a date or time and no sentence end."""
    from ..templates import skeleton

    if line.count(" ") + 1 > MAX_HEADER_WORDS or ends_with(line, TERMINALS):
        return False
    return "{date}" in skeleton(line).tokens
