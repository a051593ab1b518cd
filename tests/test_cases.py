"""Cases written from other sites' wording: each noise family in several forms, and near-misses
(article prose that looks like noise) that must come through untouched."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from cleaner import clean, replay

CASES = tomllib.loads((Path(__file__).parent / "cases.toml").read_text(encoding="utf-8"))["case"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case_removes_the_noise_and_keeps_the_article(case: dict) -> None:
    result = clean(case["text"])
    edits = [(e.category, e.text) for e in result.edits]
    nested = [(i.category, i.text) for e in result.edits for i in e.inner]
    for category, text in case["removed"]:
        assert (category, text) in edits + nested, f"expected {category} edit of {text!r}; got {edits}"
    for snippet in case["kept"]:
        assert snippet in result.text, f"lost {snippet!r}; output:\n{result.text}"
    assert replay(case["text"], result.edits) == result.text


@pytest.mark.parametrize("case", [c for c in CASES if not c["removed"]],
                         ids=[c["name"] for c in CASES if not c["removed"]])
def test_near_miss_loses_no_word(case: dict) -> None:
    result = clean(case["text"])
    assert result.removals == (), [(e.rule, e.text) for e in result.removals]
    assert result.text.split() == case["text"].split()


def test_there_are_at_least_thirty_cases() -> None:
    assert len(CASES) >= 30
