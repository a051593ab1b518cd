"""Frozen value types: what a filter proposes, what the report holds, what `clean` returns."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, NamedTuple


class Proposal(NamedTuple):
    """An edit a filter proposes against the text it was given (not the original).

    The pipeline maps it back to the original input; filters never see offsets of earlier stages.
    """

    start: int
    end: int
    replacement: str
    rule: str
    category: str
    note: str = ""
    #: A value the report gives back as metadata (a date, an author), with its kind.
    meta: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Edit:
    """One removal or repair, positioned in the original input.

    ``original[edit.start:edit.end] == edit.text`` always holds, and replacing that span by
    ``edit.replacement`` for every edit of a report turns the input into the output.
    """

    start: int
    end: int
    text: str
    replacement: str
    rule: str
    category: str
    filter: str
    note: str = ""
    #: Earlier edits inside this span, folded in when a later filter took the whole span.
    inner: tuple[Edit, ...] = ()

    @property
    def kind(self) -> str:
        """``"removal"`` when the span goes, ``"repair"`` when something replaces it."""
        return "removal" if not self.replacement else "repair"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "replacement": self.replacement,
            "rule": self.rule,
            "category": self.category,
            "filter": self.filter,
        }
        if self.note:
            out["note"] = self.note
        if self.inner:
            out["inner"] = [e.to_dict() for e in self.inner]
        return out


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the pipeline did not do, and why: a rule that timed out, a guard that held."""

    kind: str  # "timeout", "guard", "limit"
    filter: str
    rule: str
    detail: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "filter": self.filter, "rule": self.rule, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class Metadata:
    """A fact the cleaner removed from the text but gives back: a date line, a byline."""

    kind: str  # "date" or "byline"
    value: str
    rule: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "value": self.value, "rule": self.rule,
                "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class CategoryStats:
    edits: int = 0
    chars_removed: int = 0


@dataclass(frozen=True)
class CleanResult:
    """The clean text and the exact report of how it was made from ``original``.

    >>> from cleaner import clean
    >>> r = clean("Advertisement\\n\\nThe talks resume on Monday.")
    >>> r.text
    'The talks resume on Monday.'
    >>> [(e.category, e.text) for e in r.removals]
    [('ad', 'Advertisement')]
    """

    text: str
    original: str = field(repr=False)
    edits: tuple[Edit, ...]
    notices: tuple[Notice, ...] = ()
    metadata: tuple[Metadata, ...] = ()
    #: The language the document was read in (ISO 639-1; "" when it could not be told).
    language: str = ""

    @property
    def removals(self) -> tuple[Edit, ...]:
        """Edits that took text out and put nothing in, whitespace tidying excluded."""
        return tuple(e for e in self.edits if e.kind == "removal" and e.category != "whitespace")

    @property
    def repairs(self) -> tuple[Edit, ...]:
        """Edits that replaced a span by something else (entities, punctuation)."""
        return tuple(e for e in self.edits if e.kind == "repair" and e.category != "whitespace")

    def stats(self) -> dict[str, CategoryStats]:
        """Edits and characters removed per category (nested edits counted in their own)."""
        counts: dict[str, list[int]] = {}

        def visit(edit: Edit) -> None:
            slot = counts.setdefault(edit.category, [0, 0])
            slot[0] += 1
            inner_len = sum(len(i.text) for i in edit.inner)
            inner_out = sum(len(i.replacement) for i in edit.inner)
            # Characters this edit itself removed: its span, less what inner edits accounted for.
            own = (len(edit.text) - inner_len) - (len(edit.replacement) - inner_out)
            slot[1] += max(own, 0)
            for sub in edit.inner:
                visit(sub)

        for e in self.edits:
            visit(e)
        return {k: CategoryStats(*v) for k, v in sorted(counts.items())}

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data (what ``--report`` writes)."""
        return {
            "chars_in": len(self.original),
            "chars_out": len(self.text),
            "edits": [e.to_dict() for e in self.edits],
            "stats": {k: {"edits": v.edits, "chars_removed": v.chars_removed}
                      for k, v in self.stats().items()},
            "metadata": [m.to_dict() for m in self.metadata],
            "notices": [n.to_dict() for n in self.notices],
            "language": self.language,
        }

    def to_json(self, *, with_text: bool = False, indent: int | None = None) -> str:
        data = self.to_dict()
        if with_text:
            data = {"text": self.text, **data}
        return json.dumps(data, ensure_ascii=False, indent=indent)
