"""The library API: switching things off by name, configuration, the guard, the report."""

from __future__ import annotations

import json

import pytest

from cleaner import Cleaner, Config, clean, replay

DOC = ("Updated January 12th, 2020 at 12:42 IST\n\nThe ceasefire held on Sunday .\n\n"
       "Advertisement\n\nRead: Another story entirely")


def test_clean_returns_text_and_a_report_positioned_in_the_input() -> None:
    result = clean(DOC)
    assert result.text == "The ceasefire held on Sunday."
    for e in result.edits:
        assert DOC[e.start:e.end] == e.text
    assert {e.category for e in result.removals} == {"metadata", "ad", "related", "punctuation"}


@pytest.mark.parametrize("name", ["ad", "ad.marker", "lines"])
def test_disable_by_category_rule_or_stage_keeps_that_noise(name: str) -> None:
    result = Cleaner(disable={name}).clean(DOC)
    assert "Advertisement" in result.text


def test_disabling_one_stage_leaves_the_others_running() -> None:
    result = Cleaner(disable={"punctuation"}).clean(DOC)
    assert "Sunday ." in result.text
    assert "Advertisement" not in result.text


def test_unknown_name_is_an_error_that_names_it() -> None:
    with pytest.raises(ValueError, match="'adverts'"):
        Cleaner(disable={"adverts"})


def test_config_is_frozen_and_copied_with_changes() -> None:
    base = Config()
    changed = base.replace(disable={"tail"})
    assert base.disable == frozenset() and changed.disable == frozenset({"tail"})
    with pytest.raises(AttributeError):
        base.rule_timeout = 3  # type: ignore[misc]


def test_clean_rejects_bytes_with_a_clear_error() -> None:
    with pytest.raises(TypeError, match="decode bytes first"):
        clean(b"bytes")  # type: ignore[arg-type]


def test_stats_count_edits_and_characters_per_category() -> None:
    stats = clean(DOC).stats()
    assert stats["ad"].edits == 1 and stats["ad"].chars_removed == len("Advertisement")
    assert stats["metadata"].chars_removed == len("Updated January 12th, 2020 at 12:42 IST")


def test_report_json_carries_edits_stats_metadata_and_notices() -> None:
    data = json.loads(clean(DOC).to_json(with_text=True))
    assert set(data) == {"text", "chars_in", "chars_out", "edits", "stats", "metadata", "notices",
                         "language"}
    assert data["language"] == "en"
    assert data["metadata"][0]["kind"] == "date"
    assert {"start", "end", "text", "replacement", "rule", "category", "filter"} <= set(data["edits"][0])


def test_guard_keeps_the_article_when_a_rule_would_take_most_of_it(make_pack) -> None:
    # A careless pack rule that matches any line mentioning "said": it would take the article.
    pack = make_pack("ad.careless", ".{0,200}said.{0,200}", must_match=["he said"],
                     must_not_match=["nothing"])
    text = ("Officials said the talks would resume in Geneva on Monday morning.\n\n"
            "The envoy said both sides had accepted a ceasefire monitoring plan.\n\n"
            "Advertisement")
    result = Cleaner(rules=(pack,)).clean(text)
    assert "Officials said the talks" in result.text
    assert [(n.kind, n.filter) for n in result.notices] == [("guard", "lines")]


def test_guard_lets_furniture_go_however_much_of_the_page_it_is() -> None:
    lines = [f"Celebrity {who} Reveals Secret Recipe For Perfect {dish}"
             for who in ("Chef", "Baker", "Singer", "Actor", "Athlete")
             for dish in ("Potatoes", "Pancakes", "Risotto", "Brownies")]
    text = "The council met on Monday and approved the budget for next year.\n" + "\n".join(lines)
    result = clean(text)
    assert result.text == "The council met on Monday and approved the budget for next year."
    assert result.notices == ()


def test_repair_inside_a_later_removal_is_nested_not_lost() -> None:
    text = ("The talks began on Monday and lasted three days in Geneva.\n\n"
            "The talks began on Monday and lasted three days in Geneva, officials said.\n\n"
            "Trending\nStar&#8217;s Secret Wedding Photos Revealed\nTen Cities You Must Visit This Year")
    result = clean(text)
    tail = [e for e in result.edits if e.category == "trailing-headlines"]
    assert len(tail) == 1 and [i.category for i in tail[0].inner] == ["entity"]
    assert replay(text, result.edits) == result.text


def test_windows_line_endings_keep_paragraphs() -> None:
    assert clean("One sentence here.\r\n\r\nAnother one.\r\n").text == "One sentence here.\n\nAnother one."


def test_single_newline_document_stays_single_newline_after_a_line_goes() -> None:
    text = "Title of the story\nFirst paragraph of the story.\nAdvertisement\nSecond paragraph."
    assert clean(text).text == "Title of the story\nFirst paragraph of the story.\nSecond paragraph."


def test_document_over_the_size_limit_passes_through_untouched_with_a_notice() -> None:
    result = Cleaner(max_chars=10).clean(DOC)
    assert result.text == DOC and result.edits == ()
    assert [(n.kind, n.rule) for n in result.notices] == [("limit", "max_chars")]


def test_document_over_a_limit_is_rejected_when_configured() -> None:
    from cleaner import CleanerError, LimitExceeded

    with pytest.raises(LimitExceeded, match="max_chars"):
        Cleaner(max_chars=10, on_limit="reject").clean(DOC)
    assert issubclass(LimitExceeded, CleanerError)


def test_document_over_the_time_limit_passes_through_untouched() -> None:
    result = Cleaner(time_limit=1e-9).clean(DOC)
    assert result.text == DOC
    assert [(n.kind, n.rule) for n in result.notices] == [("limit", "time_limit")]


def test_a_twin_with_other_run_options_shares_the_compiled_rules() -> None:
    from cleaner import Cleaner

    cleaner = Cleaner()
    twin = cleaner._with_run_options(guard_share=1.0)
    assert twin.rules is cleaner.rules and twin.filters is cleaner.filters
    assert twin.config.guard_share == 1.0 and cleaner.config.guard_share != 1.0
    with pytest.raises(ValueError, match="not a per-document option"):
        cleaner._with_run_options(disable=frozenset({"tail"}))
