"""The only code that builds output strings: apply proposals, and map every edit to the original.

Filters propose edits against the text they are given. :class:`EditLog` applies a batch of them
and composes the batch with everything applied before, so each edit in the log is positioned in
the original input. Edits in the log never overlap: when a later edit's span takes in the output
of an earlier one, the earlier edit is folded into the later as ``inner``, and the later edit's
span grows to the earlier edit's original span. Replaying the log is then a single left-to-right
pass (:func:`replay`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import pairwise
from collections.abc import Iterable, Sequence

from .model import Edit, Proposal


def replay(original: str, edits: Iterable[Edit]) -> str:
    """Apply a report's edits to the original text and return the output.

    >>> from cleaner import clean
    >>> src = "Tripoli .\\n\\nAdvertisement"
    >>> r = clean(src)
    >>> replay(src, r.edits) == r.text
    True
    """
    parts: list[str] = []
    pos = 0
    for e in edits:
        if e.start < pos:
            raise ValueError(f"edits overlap or are out of order at offset {e.start} (rule {e.rule})")
        parts.append(original[pos:e.start])
        parts.append(e.replacement)
        pos = e.end
    parts.append(original[pos:])
    return "".join(parts)


def restore(text: str, edits: Iterable[Edit]) -> str:
    """The original input, from the output and the report's edits (the inverse of replay):
    a report that carries the clean text carries the input too.

    >>> from cleaner import clean
    >>> src = "Advertisement\\n\\nTripoli ."
    >>> r = clean(src)
    >>> restore(r.text, r.edits) == src
    True
    """
    parts: list[str] = []
    pos = 0  # in the output
    shift = 0  # output offset minus original offset, after the edits passed
    for e in edits:
        out_start = e.start + shift
        parts.append(text[pos:out_start])
        parts.append(e.text)
        pos = out_start + len(e.replacement)
        shift += len(e.replacement) - (e.end - e.start)
    parts.append(text[pos:])
    return "".join(parts)


def select_disjoint(proposals: Iterable[Proposal]) -> list[Proposal]:
    """Sort proposals and drop each one that overlaps a proposal already kept.

    Earlier starts win, then longer spans; of two insertions at one offset the first is kept.
    """
    kept: list[Proposal] = []
    last_start = last_end = -1
    for p in sorted(proposals, key=lambda p: (p.start, p.start - p.end)):
        if p.start < last_end or (p.start == p.end == last_start == last_end):
            continue
        kept.append(p)
        last_start, last_end = p.start, p.end
    return kept


class EditLog:
    """The edits applied so far to one document, in original coordinates, and the current text."""

    __slots__ = ("original", "text", "edits")

    def __init__(self, original: str) -> None:
        self.original = original
        self.text = original
        self.edits: list[Edit] = []

    def apply(self, proposals: Sequence[Proposal],
              filter_name: str) -> list[tuple[Proposal, Edit]]:
        """Apply a filter's proposals (against ``self.text``); return each applied proposal
        with the edit it became. Overlapping proposals and no-ops are dropped."""
        chosen = [p for p in select_disjoint(proposals)
                  if self.text[p.start:p.end] != p.replacement]
        if not chosen:
            return []
        if any(p.category == "whitespace" for p in chosen):
            chosen = self._split_whitespace(chosen)
        cur = self.text
        made, accepted = self._compose(chosen, filter_name)
        pieces: list[str] = []
        pos = 0
        for p in accepted:
            pieces.append(cur[pos:p.start])
            pieces.append(p.replacement)
            pos = p.end
        pieces.append(cur[pos:])
        self.text = "".join(pieces)
        return made

    def _split_whitespace(self, chosen: list[Proposal]) -> list[Proposal]:
        """Cut whitespace proposals at the places where earlier edits removed text.

        Tidying the blank lines left by a removed line must not swallow that removal into a
        whitespace edit: the report would then say "whitespace" for an ad. The pieces give the
        same output (the replacement goes on the first piece, the rest are removed).
        """
        removed_at: list[int] = []
        shift = 0
        for e in self.edits:
            if not e.replacement:
                removed_at.append(e.start + shift)
            shift += len(e.replacement) - (e.end - e.start)
        if not removed_at:
            return chosen
        out: list[Proposal] = []
        for p in chosen:
            lo = bisect_right(removed_at, p.start)
            hi = bisect_left(removed_at, p.end)
            if p.category != "whitespace" or lo >= hi:
                out.append(p)
                continue
            cuts = [p.start, *removed_at[lo:hi], p.end]
            for k, (a, b) in enumerate(pairwise(cuts)):
                if a < b:
                    out.append(p._replace(start=a, end=b, replacement=p.replacement if k == 0 else ""))
        return out

    def _compose(self, chosen: list[Proposal],
                 filter_name: str) -> tuple[list[tuple[Proposal, Edit]], list[Proposal]]:
        old = self.edits
        original = self.original
        cur = self.text
        out: list[Edit] = []
        made: list[tuple[Proposal, Edit]] = []
        accepted: list[Proposal] = []
        prev_end = 0  # end, in the current text, of the last edit made (grown by folding)
        i = 0
        n = len(old)
        # Offset in the current text minus offset in the original, after the old edits passed.
        shift = 0
        for p in chosen:
            if p.start < prev_end:
                # An earlier proposal of this batch grew over this one by folding in an old
                # edit both touch; one edit per span, so this one is dropped.
                continue
            # Old edits whose output ends at or before the proposal keep their place; an old
            # removal sitting exactly at p.start counts as before, so the new edit starts after it.
            while i < n:
                e = old[i]
                if e.start + shift + len(e.replacement) > p.start:
                    break
                out.append(e)
                shift += len(e.replacement) - (e.end - e.start)
                i += 1
            # Old edits whose output the proposal overlaps, or (a removal) strictly contains,
            # are folded into the new edit so that the log stays free of overlaps.
            absorbed: list[Edit] = []
            inner_shift = 0
            first_cs = last_ce = 0
            while i < n:
                e = old[i]
                cs = e.start + shift + inner_shift
                ce = cs + len(e.replacement)
                if not ((cs < p.end and ce > p.start) or (cs == ce and p.start < cs < p.end)):
                    break
                if not absorbed:
                    first_cs = cs
                last_ce = ce
                absorbed.append(e)
                inner_shift += len(e.replacement) - (e.end - e.start)
                i += 1
            if absorbed:
                s, t = min(p.start, first_cs), max(p.end, last_ce)
                o_start = absorbed[0].start if s == first_cs else s - shift
                o_end = absorbed[-1].end if t == last_ce else t - shift - inner_shift
                replacement = cur[s:p.start] + p.replacement + cur[p.end:t]
            else:
                t = p.end
                o_start = p.start - shift
                o_end = p.end - shift
                replacement = p.replacement
            prev_end = t
            accepted.append(p)
            shift += inner_shift
            edit = Edit(
                start=o_start,
                end=o_end,
                text=original[o_start:o_end],
                replacement=replacement,
                rule=p.rule,
                category=p.category,
                filter=filter_name,
                note=p.note,
                inner=tuple(absorbed),
            )
            out.append(edit)
            made.append((p, edit))
        out.extend(old[i:])
        self.edits = out
        return made, accepted
