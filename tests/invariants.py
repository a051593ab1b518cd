"""What every cleaning result must satisfy, for the property tests and the fuzz target."""

from __future__ import annotations

from collections.abc import Iterator

from cleaner import CleanResult, Edit, clean, replay


def _walk(edits: tuple[Edit, ...]) -> Iterator[Edit]:
    for e in edits:
        yield e
        yield from _walk(e.inner)


def assert_exact(original: str, result: CleanResult) -> None:
    """Every edit (and every edit inside one) points at its text in the input, in order, and
    the report replays to the output."""
    for e in _walk(result.edits):
        assert 0 <= e.start <= e.end <= len(original)
        assert original[e.start:e.end] == e.text
    starts = [e.start for e in result.edits]
    assert starts == sorted(starts)
    assert replay(original, result.edits) == result.text


def assert_invariants(original: str, result: CleanResult) -> None:
    """Exact, named, no longer than the input plus what repairs added, and idempotent."""
    assert_exact(original, result)
    assert all(e.rule for e in _walk(result.edits))
    added = sum(max(0, len(e.replacement) - len(e.text)) for e in result.edits)
    assert len(result.text) <= len(original) + added
    again = clean(result.text)
    assert again.text == result.text, [(e.rule, e.text) for e in again.edits]
