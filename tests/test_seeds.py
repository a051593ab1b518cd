"""The five seed documents: byte-for-byte output and the edits the report must hold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaner import clean, replay

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
NAMES = sorted(p.stem for p in (SEEDS / "expected").glob("*.txt"))


def test_all_five_seeds_are_shipped() -> None:
    assert len(NAMES) == 5
    for name in NAMES:
        assert (SEEDS / "input" / f"{name}.txt").is_file()
        assert (SEEDS / "expected" / f"{name}.removed.json").is_file()


@pytest.mark.parametrize("name", NAMES)
def test_seed_output_matches_expected_byte_for_byte(name: str) -> None:
    source = (SEEDS / "input" / f"{name}.txt").read_text(encoding="utf-8")
    expected = (SEEDS / "expected" / f"{name}.txt").read_text(encoding="utf-8")
    assert clean(source).text + "\n" == expected


@pytest.mark.parametrize("name", NAMES)
def test_seed_report_holds_every_expected_edit_with_its_category(name: str) -> None:
    source = (SEEDS / "input" / f"{name}.txt").read_text(encoding="utf-8")
    result = clean(source)
    got = [(e.category, e.text, e.replacement) for e in result.edits]
    for want in json.loads((SEEDS / "expected" / f"{name}.removed.json").read_text("utf-8")):
        key = (want["category"], want["text"], want.get("replacement", ""))
        assert key in got, f"{name}: report lacks {key}"
        got.remove(key)  # each expected edit is matched by its own reported edit


@pytest.mark.parametrize("name", NAMES)
def test_seed_report_replays_to_the_output_and_points_into_the_input(name: str) -> None:
    source = (SEEDS / "input" / f"{name}.txt").read_text(encoding="utf-8")
    result = clean(source)
    for e in result.edits:
        assert source[e.start:e.end] == e.text
    assert replay(source, result.edits) == result.text


@pytest.mark.parametrize("name", NAMES)
def test_seed_output_is_a_fixed_point(name: str) -> None:
    once = clean((SEEDS / "input" / f"{name}.txt").read_text(encoding="utf-8")).text
    assert clean(once).text == once
    assert clean(once).edits == ()


def test_seed_dates_and_bylines_come_back_as_metadata() -> None:
    result = clean((SEEDS / "input" / "003_f1cc23f9fc5eda1c.txt").read_text(encoding="utf-8"))
    got = {(m.kind, m.value) for m in result.metadata}
    assert ("date", "January 12th, 2020 at 12:42 IST") in got
    assert ("byline", "Vishal Tiwari") in got
