"""Rule packs: every rule's own examples, load-time validation, the lint, hostile inputs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cleaner import Cleaner, PackError, load_rules
from cleaner.packs import CATEGORIES, lint_pattern, load_pack

RULES = load_rules()
#: The pattern rules alone (templates have no pattern to run: see tests/test_templates.py).
PATTERNS = RULES.rules


@pytest.mark.parametrize("rule", list(RULES), ids=[r.id for r in RULES])
def test_rule_matches_its_examples_and_not_its_near_misses(rule) -> None:
    assert rule.examples_failing() == []


@pytest.mark.parametrize("rule", list(RULES), ids=[r.id for r in RULES])
def test_rule_is_documented_and_named_for_its_category(rule) -> None:
    assert rule.id.startswith(rule.category + ".")
    assert rule.category in CATEGORIES
    assert rule.description.endswith((".", ")"))
    assert rule.must_match and rule.must_not_match


@pytest.mark.parametrize("rule", list(PATTERNS), ids=[r.id for r in PATTERNS])
def test_rule_gate_lets_the_rule_try_every_line_it_matches(rule) -> None:
    # A gate may only skip documents the rule cannot match: check it on every text the rule
    # does match, its examples and the seeds' lines.
    from cleaner.filters.base import nonempty_lines
    from cleaner.filters.rules import _LineGates

    seeds = Path(__file__).resolve().parent.parent / "seeds" / "input"
    texts = list(rule.must_match) + [p.read_text(encoding="utf-8") for p in seeds.glob("*.txt")]
    for text in texts:
        if rule.scope == "inline":
            if rule.matcher.search(text) and rule.gate is not None:
                hay = text.lower() if rule.gate_ci else text
                assert any(g in hay for g in rule.gate), text
        elif rule.scope == "line":
            lines = nonempty_lines(text)
            tried = _LineGates([rule]).candidates(lines)[0]
            for line in lines:
                if rule.match_line(line.text):
                    assert line in tried, line.text


HOSTILE = {
    "one letter, 10 kB": "a" * 10_000,
    "2,000 words": " ".join(["word"] * 2_000),
    "a line of &amp;": "&amp;" * 2_000,
    "capitalised words": " ".join(["Word"] * 2_000),
    "spaces then a letter": " " * 10_000 + "x",
    "punctuation storm": ",.;:|-" * 2_000,
}


@pytest.mark.parametrize("rule", list(PATTERNS), ids=[r.id for r in PATTERNS])
def test_rule_does_not_give_up_on_hostile_input(rule) -> None:
    # The budget is the regex timeout itself (generous, so a busy machine does not fail it):
    # a pattern that backtracks catastrophically blows through it by orders of magnitude.
    for text in HOSTILE.values():
        for _ in rule.matcher.finditer(text, timeout=5.0):
            pass


def test_templates_read_hostile_lines_without_error() -> None:
    from cleaner.templates import TemplateIndex

    index = TemplateIndex(RULES.templates)
    for text in HOSTILE.values():
        for line in (text, text[:300], text[:40]):
            index.match(line)


def write_pack(tmp_path: Path, body: str, name: str = "pack.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


GOOD_RULE = """
    [pack]
    name = "t"
    stage = "lines"

    [[rule]]
    id = "ad.test-marker"
    category = "ad"
    scope = "line"
    pattern = '''Anzeigen'''
    description = "A test rule."
    must_match = ["Anzeigen"]
    must_not_match = ["Anzeigen sind teuer."]
"""


@pytest.mark.parametrize("change, reason", [
    (("category = \"ad\"", "category = \"adverts\""), "category must be one of"),
    (("id = \"ad.test-marker\"", "id = \"Ad Test\""), "id must look like"),
    (("id = \"ad.test-marker\"", "id = \"share.test-marker\""), "id must start with its category"),
    (("scope = \"line\"", "scope = \"page\""), "scope must be one of"),
    (("pattern = '''Anzeigen'''", "pattern = '''(Anzeigen'''"), "pattern does not compile"),
    (("pattern = '''Anzeigen'''", "pattern = '''(\\\\w+\\\\s?)*'''"), "nested unbounded repeat"),
    (("must_not_match = [\"Anzeigen sind teuer.\"]", "must_not_match = []"), "must_not_match must be"),
    (("description = \"A test rule.\"", "descripton = \"A test rule.\""), "unknown keys"),
    (("stage = \"lines\"", "stage = \"everywhere\""), "stage must be one of"),
    (("scope = \"line\"", "scope = \"inline\"\nposition = \"edge\""), "line rules only"),
])
def test_bad_pack_fails_at_load_naming_file_rule_and_reason(tmp_path, change, reason) -> None:
    path = write_pack(tmp_path, GOOD_RULE.replace(*change))
    with pytest.raises(PackError) as err:
        load_pack(path)
    message = str(err.value)
    assert str(path) in message
    assert reason in message
    if "stage" not in reason:
        assert "rule " in message


def test_pack_that_is_not_toml_fails_with_its_file(tmp_path) -> None:
    path = write_pack(tmp_path, "[pack\nname=")
    with pytest.raises(PackError, match="not valid TOML"):
        load_pack(path)


def test_duplicate_rule_id_across_packs_fails(tmp_path) -> None:
    path = write_pack(tmp_path, GOOD_RULE.replace("ad.test-marker", "ad.marker"))
    with pytest.raises(PackError, match="already defined"):
        load_rules([path])


def test_a_new_rule_needs_no_python(tmp_path) -> None:
    path = write_pack(tmp_path, GOOD_RULE)
    result = Cleaner(rules=(path,)).clean("Die Wahl ist am Sonntag.\n\nAnzeigen\n\nEnde.")
    assert [(e.rule, e.text) for e in result.removals] == [("ad.test-marker", "Anzeigen")]


def test_a_line_rule_with_no_literal_gate_is_tried_on_every_line(tmp_path) -> None:
    path = write_pack(tmp_path, GOOD_RULE.replace("Anzeigen'''", r"\p{Lu}{6,}+'''").replace(
        'must_match = ["Anzeigen"]', 'must_match = ["ANZEIGE"]'))
    cleaner = Cleaner(rules=(path,), builtin_rules=False)
    assert cleaner.rules.rules[0].gate is None
    result = cleaner.clean("Die Wahl ist am Sonntag.\n\nANZEIGE\n\nDer Kanzler kam.\n\nWERBUNG")
    assert [e.text for e in result.removals if e.category == "ad"] == ["ANZEIGE", "WERBUNG"]


@pytest.mark.parametrize("pattern", [
    r"Anzeige:[^.!?]{0,60}",      # a negated class: "anything but a full stop" has a newline
    r"Anzeige:[^\s.][^.]{0,60}",  # a negated class that names \s
    r"Anzeige:\W*\w*",            # a negated shorthand
    r"(?s)Anzeige:.{0,60}",       # a construct the rewrite leaves alone
])
def test_a_line_rule_never_takes_the_next_line(tmp_path, pattern: str) -> None:
    path = write_pack(tmp_path, GOOD_RULE.replace("Anzeigen'''", pattern + "'''").replace(
        'must_match = ["Anzeigen"]', 'must_match = ["Anzeige: Foto"]'))
    text = "Die Wahl ist am Sonntag.\n\nAnzeige:\n\nDer Kanzler kam spät"
    cleaner = Cleaner(rules=(path,))
    result = cleaner.clean(text)
    assert "Der Kanzler kam spät" in result.text
    assert cleaner.clean(result.text).text == result.text


def test_opt_in_rule_runs_only_when_enabled(tmp_path) -> None:
    path = write_pack(tmp_path, GOOD_RULE.replace('scope = "line"', 'scope = "line"\ndefault = false'))
    text = "Die Wahl ist am Sonntag.\n\nAnzeigen"
    assert Cleaner(rules=(path,)).clean(text).removals == ()
    enabled = Cleaner(rules=(path,), enable={"ad.test-marker"}).clean(text)
    assert [e.rule for e in enabled.removals] == ["ad.test-marker"]


def test_catastrophic_rule_is_skipped_for_the_document_and_reported(tmp_path) -> None:
    # (a|aa)+ passes the lint (no repeat inside the repeated group) but backtracks
    # exponentially on a run of a's that does not end the line: the timeout must contain it.
    path = write_pack(tmp_path, GOOD_RULE.replace(
        "pattern = '''Anzeigen'''", "pattern = '''(?:a|aa)+'''").replace(
        'must_match = ["Anzeigen"]', 'must_match = ["aaaa"]').replace(
        'must_not_match = ["Anzeigen sind teuer."]', 'must_not_match = ["aab"]'))
    hostile = "Advertisement\n" + "a" * 60 + "!\n\nThe talks ended ."
    import cleaner.engine

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cleaner.engine, "_re2", None)  # the gated path, as where RE2 is missing
        result = Cleaner(rules=(path,), rule_timeout=0.2).clean(hostile)
    assert [(n.kind, n.rule) for n in result.notices] == [("timeout", "ad.test-marker")]
    # The other rules still ran on the document.
    assert result.text == "a" * 60 + "!\n\nThe talks ended."
    if cleaner.engine.available():
        # RE2 reads the line in linear time and sees the rule cannot match it: the pattern
        # never backtracks there, and nothing times out.
        import cleaner.filters.rules

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(cleaner.filters.rules, "PREFILTER_AFTER", 0)
            result = Cleaner(rules=(path,), rule_timeout=0.2).clean(hostile)
        assert result.notices == () and result.text == "a" * 60 + "!\n\nThe talks ended."


@pytest.mark.parametrize("pattern, risky", [
    (r"(\w+\s?)*$", True),
    (r"(x+x+)+y", True),
    (r"((a+){2})*", True),
    (r"(?:\w++\s?)*+", False),
    (r"(?>a+)+", False),
    (r"(?:\p{Lu}\w{0,30}+\s){0,3}", False),
    (r"[(+]+x", False),
])
def test_lint_rejects_nested_unbounded_repeats(pattern: str, risky: bool) -> None:
    assert (lint_pattern(pattern) is not None) == risky


def test_a_pack_is_data_its_strings_are_never_run(tmp_path) -> None:
    # A pack from a stranger: what looks like code in a pattern is matched as text, and a
    # key the format does not know is refused; TOML has no way to say "run this".
    sentinel = tmp_path / "ran"
    code = f"__import__('pathlib').Path({str(sentinel)!r}).touch()"
    path = write_pack(tmp_path, GOOD_RULE.replace(
        "pattern = '''Anzeigen'''", "pattern = '''Anzeigen'''\nexec = " + repr(code)))
    with pytest.raises(PackError, match=r"ad.test-marker.*unknown keys \['exec'\]"):
        Cleaner(rules=(path,))
    path = write_pack(tmp_path, GOOD_RULE.replace("pattern = '''Anzeigen'''",
                                                  "pattern = '''" + code.replace("(", r"\(")
                                                  .replace(")", r"\)").replace(".", r"\.") + "'''")
                      .replace('must_match = ["Anzeigen"]', f'must_match = [{code!r}]'))
    result = Cleaner(rules=(path,)).clean("Die Wahl ist am Sonntag.\n\n" + code)
    assert result.text == "Die Wahl ist am Sonntag."
    assert not sentinel.exists()


def test_unanchored_gates_find_their_lines_past_wide_characters(tmp_path) -> None:
    # Gate strings anywhere in a line are found for every rule that holds them, in either
    # case when the rule ignores case, in lines after astral characters and lone surrogates.
    from cleaner.filters.base import nonempty_lines
    from cleaner.filters.rules import _LineGates

    pack = GOOD_RULE.replace("""pattern = '''Anzeigen'''""", 'pattern = ".*promo.*"').replace(
        'must_match = ["Anzeigen"]', 'must_match = ["Use promo here"]').replace(
        'must_not_match = ["Anzeigen sind teuer."]', 'must_not_match = ["Nothing."]')
    any_case = pack.replace("ad.test-marker", "ad.test-any-case").replace(
        '".*promo', '"(?i).*promo')
    rules = load_pack(write_pack(tmp_path, pack)) + load_pack(write_pack(tmp_path, any_case, "b.toml"))
    assert [(r.gate is not None and not r.gate_anchored, r.gate_ci) for r in rules] == [
        (True, False), (True, True)]
    text = "\U0001f600\ud800 first line\nno code here\nA PROMO code \U0001f600\nand a promo"
    exact, any_case_lines = _LineGates(rules).candidates(nonempty_lines(text))
    assert [line.text for line in exact] == ["and a promo"]
    assert [line.text for line in any_case_lines] == ["A PROMO code \U0001f600", "and a promo"]


@pytest.mark.parametrize("pattern, line", [
    ("(?i).*promo code.*", "USE PROMO CODE SAVE20"),    # a global flag
    ("Use (?i)promo code.*", "Use PROMO CODE SAVE20"),  # from there on
    ("(?fi)stra(?:ss|ß)e.*", "STRAẞE GESPERRT"),         # full case folding: no gate can say
])
def test_a_rule_that_ignores_case_by_its_own_flag_is_applied_in_any_case(
        tmp_path, pattern: str, line: str) -> None:
    # The rule's examples hold, so the document must not be passed over by a gate that
    # compares case the rule does not.
    path = write_pack(tmp_path, GOOD_RULE.replace("""pattern = '''Anzeigen'''""",
                                                  f"pattern = '''{pattern}'''").replace(
        'must_match = ["Anzeigen"]', f'must_match = ["{line}"]'))
    cleaner = Cleaner(rules=(path,), builtin_rules=False)
    assert cleaner.rules.rules[0].matches(line)
    result = cleaner.clean(f"Die Wahl ist am Sonntag.\n\n{line}\n\nDer Kanzler kam.")
    assert [e.text for e in result.removals if e.category == "ad"] == [line]


def test_a_line_that_starts_right_but_lacks_the_rules_words_is_not_tried() -> None:
    # "(?:the\s)?(?:story|article) continues ..." starts with "the" on many lines of prose;
    # every match also holds "continues" (or the like), so lines without it are not tried.
    from cleaner.filters.base import nonempty_lines
    from cleaner.filters.rules import _LineGates

    rule = next(r for r in RULES if r.id == "ad.continues-below")
    assert rule.gate_anchored and "the" in rule.gate and rule.also and "continues" in rule.also
    lines = nonempty_lines("The talks resumed on Monday.\nThe story continues below\nThe end.")
    assert [line.text for line in _LineGates([rule]).candidates(lines)[0]] == [
        "The story continues below"]
    assert rule.match_line("The story continues below")
    assert rule.match_line("The talks resumed on Monday.") is None
