"""Coverage-guided fuzzing of clean() and clean_html() with atheris (libFuzzer).

Each input's first byte picks the target: text (decoded as UTF-8 with surrogateescape
turned into lone surrogates, so invalid sequences reach the pipeline as odd code points) or
HTML (the raw bytes, charset sniffing included). On text the invariants of
tests/invariants.py are checked: offsets point into the input, the report replays to the
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

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

with atheris.instrument_imports():
    from cleaner import clean, replay
    from cleaner.html import clean_html
from invariants import assert_invariants  # the same checks as the property tests

# No time limit: a slow input is a finding, and libFuzzer's -timeout (seconds per input)
# reports it with the input that caused it.


def test_one_input(data: bytes) -> None:
    if not data:
        return
    mode, body = data[0], data[1:]
    if mode % 2 == 0:
        text = body.decode("utf-8", "surrogateescape")
        assert_invariants(text, clean(text))
    else:
        result = clean_html(body)
        if result.text and replay(result.original, result.edits) != result.text:
            raise AssertionError("the HTML path's report does not replay to its output")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
