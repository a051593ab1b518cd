"""Coverage-guided fuzzing of clean() and clean_html() with atheris (libFuzzer).

Each input's first byte picks the target: text (decoded as UTF-8 with surrogateescape
turned into lone surrogates, so invalid sequences reach the pipeline as odd code points) or
HTML (the raw bytes, charset sniffing included). On text the invariants of
tests/test_hostile.py are checked: offsets point into the input, the report replays to the
output, the output is no longer than the input plus what repairs added, and cleaning the
output again changes nothing. Any exception, or a failed invariant, is a crash that
libFuzzer saves with its input.

    pip install atheris
    python fuzz/fuzz_clean.py fuzz/corpus -max_total_time=600    # ten minutes
    python fuzz/fuzz_clean.py crash-<hash>                        # replay one finding
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

with atheris.instrument_imports():
    from cleaner import Cleaner, replay
    from cleaner.html import clean_html

# No time limit: a slow input is a finding, and libFuzzer's -timeout (seconds per input)
# reports it with the input that caused it.
CLEANER = Cleaner()


def _check(original: str) -> None:
    result = CLEANER.clean(original)
    stack = list(result.edits)
    added = 0
    while stack:
        e = stack.pop()
        if not (0 <= e.start <= e.end <= len(original)) or original[e.start:e.end] != e.text:
            raise AssertionError(f"edit {e.rule} at {e.start}:{e.end} does not point at its text")
        stack.extend(e.inner)
    for e in result.edits:
        added += max(0, len(e.replacement) - len(e.text))
    if replay(original, result.edits) != result.text:
        raise AssertionError("the report does not replay to the output")
    if len(result.text) > len(original) + added:
        raise AssertionError("the output outgrew the input and its repairs")
    again = CLEANER.clean(result.text)
    if again.text != result.text:
        raise AssertionError(f"not idempotent: {[(e.rule, e.text) for e in again.edits][:5]}")


def test_one_input(data: bytes) -> None:
    if not data:
        return
    mode, body = data[0], data[1:]
    if mode % 2 == 0:
        _check(body.decode("utf-8", "surrogateescape"))
    else:
        result = clean_html(body)
        if result.text and replay(result.original, result.edits) != result.text:
            raise AssertionError("the HTML path's report does not replay to its output")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
