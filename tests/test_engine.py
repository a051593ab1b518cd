"""The rule engine: RE2 reading a document once gives the same text, edits, notices and
metadata as the gated path it stands in for (where RE2 is missing); its patterns are
supersets of the rules'; shipped rules run without a clock."""

from __future__ import annotations

import random
import tomllib
from pathlib import Path

import pytest

import cleaner.engine as engine
from cleaner import Cleaner
from cleaner.packs import load_rules

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not engine.available(), reason="google-re2 is not installed")

RULES = load_rules().rules


def _corpus() -> list[str]:
    """Seeds, the cases, every rule's examples set in an article, generated mixes, hostile
    pieces: what the two paths are compared on."""
    texts = [p.read_text(encoding="utf-8")
             for folder in ("input", "expected") for p in sorted((ROOT / "seeds" / folder).glob("*.txt"))]
    texts += [c["text"] for c in tomllib.loads(
        (ROOT / "tests" / "cases.toml").read_text(encoding="utf-8"))["case"]]
    prose = ["Officials said the talks would resume in Geneva on Monday morning.",
             "The envoy said both sides had accepted a ceasefire monitoring plan.",
             "Die Gespräche sollen am Montag in Genf fortgesetzt werden, hieß es.",
             "Le gouvernement a annoncé lundi que les nouvelles règles entreront en vigueur."]
    examples = [ex for r in RULES for ex in (*r.must_match, *r.must_not_match)]
    for ex in examples:
        texts.append(f"{prose[0]}\n\n{ex}\n\n{prose[1]}")
        texts.append(f"{ex}\n{prose[2]} {ex}")
    rng = random.Random(20261204)
    odd = ["Sponſored content", "ADVERTİSEMENT", "&amp;quot;", "Tripoli .", "  \t", "\u00a0",
           "%MINIFYHTML4040f22b9%", "Read: More news", "\ud800", "By Jane Doe, Reuters"]
    for _ in range(400):
        parts = rng.choices(prose + examples + odd, k=rng.randint(1, 12))
        texts.append(rng.choice(["\n\n", "\n", " "]).join(parts))
    return texts


CORPUS = _corpus()


def _reports(cleaner: Cleaner) -> list[str]:
    return [cleaner.clean(t).to_json(with_text=True) for t in CORPUS]


def test_the_engine_and_the_gated_path_give_the_same_reports(monkeypatch) -> None:
    import cleaner.filters.rules

    with monkeypatch.context() as mp:
        mp.setattr(cleaner.filters.rules, "PREFILTER_AFTER", 0)  # the engine from the first
        with_engine = _reports(Cleaner())
    monkeypatch.setattr(engine, "_re2", None)
    gated = Cleaner()
    assert all(f.name not in ("lines", "entities") or not f._plans or
               all(p.prefilter is None for p in f._plans.values())
               for f in gated.filters if hasattr(f, "_plans"))
    without = _reports(gated)
    differ = [CORPUS[k][:80] for k, (a, b) in enumerate(zip(with_engine, without, strict=True))
              if a != b]
    assert differ == [], f"{len(differ)} of {len(CORPUS)} differ"


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_each_rule_translates_to_a_pattern_that_holds_its_matches(rule) -> None:
    import re2

    pattern = engine.to_re2(engine._inner(rule), rule.flags)
    compiled = re2.compile(pattern)
    for text in (*rule.must_match, *rule.must_not_match, *CORPUS):
        if "\ud800" in text:
            continue  # not UTF-8: such a document never reaches RE2
        if rule.scope == "inline":
            if rule.matcher.search(text):
                assert compiled.search(text), (rule.id, text)
            continue
        for line in text.split("\n"):
            line = line.strip()
            if line and rule.match_line(line):
                assert compiled.fullmatch(line), (rule.id, line)


def test_shipped_rules_run_without_a_clock_and_a_users_under_one(make_pack) -> None:
    from cleaner.filters.base import DocContext
    from cleaner.filters.rules import _timeout

    ctx = DocContext(is_enabled=lambda *a: True, rule_timeout=0.5)
    assert all(_timeout(r, ctx) is None for r in RULES)
    pack = make_pack("ad.mine", "Werbung", must_match=["Werbung"],
                     must_not_match=["Werbung ist teuer."])
    mine = [r for r in Cleaner(rules=[pack]).rules.rules if r.id == "ad.mine"]
    assert _timeout(mine[0], ctx) == 0.5


def test_a_document_re2_cannot_read_takes_the_gated_path() -> None:
    # The controls stage takes lone surrogates out first; without it, RE2 cannot read the
    # document (it is not UTF-8) and the gates decide.
    text = "Advertisement\n\nThe talks ended.\n\n\ud800"
    assert Cleaner(disable={"controls"}).clean(text).text == "The talks ended.\n\n\ud800"
