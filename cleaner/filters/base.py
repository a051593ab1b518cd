"""What every filter shares: the per-document context and the line-removal helper."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol, TypeVar, cast

from ..model import Notice, Proposal

T = TypeVar("T")


@dataclass(frozen=True)
class CodeRule:
    """A rule implemented in code (a mechanism, not a pattern); listed beside the pack rules."""

    id: str
    category: str
    filter: str
    description: str
    #: False: opt-in, run only when enabled by id or category.
    default: bool = True


@dataclass
class DocContext:
    """State of one document's run: what is switched off, and what went wrong along the way."""

    is_enabled: "EnabledCheck"
    rule_timeout: float
    notices: list[Notice] = field(default_factory=list)
    #: Later passes re-read only what depends on line positions (see pipeline.MAX_PASSES).
    positional_only: bool = False
    #: The document's title when known apart from its text (a page's <title>).
    title: str | None = None
    #: The site the document comes from (cleaner.sites.site_of), for site-scoped rules.
    site: str | None = None
    #: Called with each stage's name as it starts (see Cleaner.clean).
    progress: Callable[[str], object] | None = None
    #: The document's language (ISO 639-1, "" when unknown: see cleaner.language), the codes
    #: its templates answer to (with aliases: Norwegian "no" reads "nb" forms), and the
    #: stoplist the stages that weigh stopwords read it with.
    language: str = ""
    languages: frozenset[str] | None = None
    stopwords: frozenset[str] = frozenset()

    #: What stages derive from the current text (its lines), kept while the
    #: text is the same object: most stages change nothing, and the next need not split again.
    _memo: dict[str, tuple[str, Any]] = field(default_factory=dict, repr=False)

    def note(self, kind: str, filter_name: str, rule: str, detail: str) -> None:
        self.notices.append(Notice(kind, filter_name, rule, detail))

    def per_text(self, key: str, text: str, make: Callable[[str], T]) -> T:
        """``make(text)``, made once while ``text`` stays the current text."""
        hit = self._memo.get(key)
        if hit is not None and hit[0] is text:
            return cast(T, hit[1])
        value = make(text)
        self._memo[key] = (text, value)
        return value

    def lines(self, text: str) -> list[Line]:
        """:func:`nonempty_lines` of ``text``, shared by the stages (callers must not change it)."""
        return self.per_text("lines", text, nonempty_lines)


class EnabledCheck(Protocol):
    def __call__(self, rule_id: str, category: str) -> bool: ...


class Filter(Protocol):
    """A named pipeline stage: it reads the current text and proposes edits against it."""

    name: str
    code_rules: tuple[CodeRule, ...]

    def propose(self, text: str, ctx: DocContext) -> list[Proposal]: ...


class Line(NamedTuple):
    """A non-empty line: its stripped text and where that text stands in the document."""

    start: int
    end: int
    text: str


def nonempty_lines(text: str) -> list[Line]:
    """The document's non-empty lines, stripped, with offsets (split in C, not a regex scan)."""
    out = []
    pos = 0
    for raw in text.split("\n"):
        if raw:
            stripped = raw.strip()
            if stripped is raw:  # str.strip returns the string itself when nothing goes
                out.append(Line(pos, pos + len(raw), raw))
            elif stripped:
                start = pos + len(raw) - len(raw.lstrip())
                out.append(Line(start, start + len(stripped), stripped))
        pos += len(raw) + 1
    return out


def remove_line(text: str, start: int, end: int, rule: str, category: str,
                note: str = "", meta: tuple[str, str] | None = None) -> list[Proposal]:
    """Propose removing ``text[start:end]`` and one line break beside it.

    The content edit carries the rule's category; the line break is a whitespace edit of the same
    rule, so that removing a line keeps the document's paragraph spacing (a single-newline
    document stays single-newline).
    """
    out = [Proposal(start, end, "", rule, category, note, meta)]
    after = end
    n = len(text)
    while after < n and text[after] in " \t\u00a0":
        after += 1
    if after < n and text[after] == "\n":
        out.append(Proposal(end, after + 1, "", rule, "whitespace", "line break of a removed line"))
        return out
    before = start
    while before > 0 and text[before - 1] in " \t\u00a0":
        before -= 1
    if before > 0 and text[before - 1] == "\n":
        out.append(Proposal(before - 1, start, "", rule, "whitespace", "line break of a removed line"))
    return out
