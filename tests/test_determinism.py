"""The same document and version give the same output whatever the machine is doing: the
hostile cases and a generated corpus cleaned while every core is saturated come out as they
do on an idle machine, ten times over. (No timing is asserted: only outputs are compared.)"""

from __future__ import annotations

import multiprocessing
import os
import random

import pytest

from cleaner import Cleaner

#: The inputs whose cost is highest: storms of what the entity and artifact rules take, a
#: huge line, many short lines, and mixes of prose and furniture.
HOSTILE = [
    "&" * 1_000_000,
    "&amp;" * 200_000,
    "&#" * 500_000,
    ",quot;" * 150_000,
    "Advertisement\n" * 50_000,
    ("Read: another story\n" * 20 + "The talks resumed on Monday, officials said.\n") * 2_000,
    "a" * 2_000_000,
    "Share " * 100_000,
]


def _mixes(n: int) -> list[str]:
    rng = random.Random(7)
    pieces = ["Officials said the talks would resume in Geneva on Monday morning.",
              "Advertisement", "Read: Why the truce failed", "By Jane Doe, Reuters",
              "Updated: 12 March 2024, 10:41 IST", "&amp;quot;quoted&amp;quot;", "Tripoli .",
              "Share this article", "12 Comments", "Leave a Reply", "Mehr zum Thema",
              "You May Also Like", "Five Things We Learned From The Match",
              "%MINIFYHTML4040f22b9%", "\u00a0\u00a0", "Follow us on Twitter"]
    return ["\n\n".join(rng.choices(pieces, k=rng.randint(3, 40))) for _ in range(n)]


def _busy() -> None:  # pragma: no cover - runs in the spinning processes
    while True:
        pass


def _reports(cleaner: Cleaner, texts: list[str]) -> list[str]:
    return [cleaner.clean(t).to_json(with_text=True) for t in texts]


@pytest.mark.timeout(1800)
def test_output_is_the_same_on_a_saturated_machine() -> None:
    texts = HOSTILE + _mixes(300)
    cleaner = Cleaner()
    idle = _reports(cleaner, texts)
    ctx = multiprocessing.get_context("spawn")
    spinners = [ctx.Process(target=_busy, daemon=True) for _ in range(2 * (os.cpu_count() or 2))]
    for p in spinners:
        p.start()
    try:
        for _ in range(10):
            assert _reports(cleaner, texts) == idle
    finally:
        for p in spinners:
            p.kill()
            p.join()
