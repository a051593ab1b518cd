"""Whole-line templates with typed slots: what a skeleton holds, what a form takes and
leaves, which languages a form applies to, and the errors a bad entry gives at load."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.packs import PackError, load_pack
from cleaner.templates import TemplateIndex, parse_templates, skeleton


def _fail(rule_id: str | None, reason: str) -> None:
    raise ValueError(f"{rule_id}: {reason}")


def index(text: dict[str, object], **extra: object) -> TemplateIndex:
    entry = {"id": "share.test", "category": "share", "description": "A test entry.",
             "evidence": "a test", "text": text, "must_match": ["x"], "must_not_match": ["y"],
             **extra}
    return TemplateIndex(parse_templates([entry], "<test>", _fail))


@pytest.mark.parametrize("line, tokens", [
    ("Posted on March 5, 2024 by Jane Doe", ("posted", "on", "{date}", "by", "jane", "doe")),
    ("Updated: 12.03.2024, 10:41 Uhr", ("updated", "{date}")),
    ("vor 2 Stunden", ("{date}",)),
    ("2 hours ago", ("{date}",)),
    ("• 15 Comments", ("{count}", "comments")),
    ("Share on Google News", ("share", "on", "{network}")),
    ("Write to desk@example.com", ("write", "to", "{email}")),
    ("Source: https://example.com/story/1", ("source", "{url}")),
    ("In May the council met.", ("in", "may", "the", "council", "met")),
    ("分享到", ("分", "享", "到")),
])
def test_a_skeleton_holds_lower_case_words_and_closed_slots(line: str, tokens: tuple) -> None:
    assert skeleton(line).tokens == tokens


def test_a_form_takes_the_whole_line_whatever_its_slots_hold() -> None:
    idx = index({"en": ["Click to share on {network}",
                        "Click to share on {network} (Opens in new window)"]})
    assert idx.match("Click to share on Twitter (Opens in new window)")
    assert idx.match("Click to share on WhatsApp")
    assert idx.match("Click to share on Twitter, then read on.") is None
    assert idx.match("Click to share on") is None


def test_an_open_name_slot_takes_names_and_leaves_prose() -> None:
    idx = index({"en": "Posted on {date} by {name}"})
    assert idx.match("Posted on March 5, 2024 by Jane Doe")
    assert idx.match("Posted on 5 May 2024 by Ahmed al-Sayed and Maria de la Cruz")
    assert idx.match("Posted on March 5, 2024 by the ministry, which denied it.") is None


def test_an_open_list_slot_takes_tags_and_leaves_a_sentence() -> None:
    idx = index({"en": "Tags: {list}"})
    assert idx.match("Tags: Libya, Turkey, Russia, ceasefire talks")
    assert idx.match("Tags: the minister said the talks would resume on Monday in "
                     "Geneva after a week of delays and recriminations between the sides") is None


def test_short_forms_apply_only_to_their_language_longer_ones_to_all() -> None:
    idx = index({"de": ["Weiterlesen", "Zum Teilen auf {network} klicken"]})
    assert idx.match("Weiterlesen", frozenset({"de"}))
    assert idx.match("Weiterlesen", frozenset({"en"})) is None
    assert idx.match("Weiterlesen", None), "a document of unknown language: every form applies"
    assert idx.match("Zum Teilen auf Facebook klicken", frozenset({"en"}))


def test_the_index_answers_the_same_for_ten_or_ten_thousand_entries() -> None:
    many = [{"id": f"share.e{k}", "category": "share", "description": "d", "evidence": "e",
             "text": {"en": f"Filler entry number {k} here"}, "must_match": ["x"],
             "must_not_match": ["y"]} for k in range(10_000)]
    few = parse_templates(many[:10], "<t>", _fail)
    big = parse_templates(many, "<t>", _fail)
    for line in ("Filler entry number 5 here", "Filler entry number 9999 here", "Other"):
        a, b = TemplateIndex(few).match(line), TemplateIndex(big).match(line)
        assert (a is None) == (b is None) or line.endswith("9999 here")


def _template_pack(tmp_path: Path, name: str, entries: str) -> Path:
    """A pack file of the lines stage named ``name`` holding ``entries`` (TOML)."""
    pack = tmp_path / f"{name}.toml"
    pack.write_text(f'[pack]\nname = "{name}"\nstage = "lines"\n\n{entries}', encoding="utf-8")
    return pack


@pytest.mark.parametrize("text, reason", [
    ({"en": "Share on {planet}"}, "unknown slot {planet}"),
    ({"en": "{name} and {title}"}, "at most one open slot"),
    ({"en": "{count}"}, "holds no word"),
    ({"english": "Share"}, "not an ISO 639 code"),
])
def test_a_bad_form_fails_at_load_naming_file_and_entry(tmp_path: Path, text: dict,
                                                        reason: str) -> None:
    import json

    forms = "\n".join(f"{k} = {json.dumps(v)}" for k, v in text.items())
    pack = _template_pack(tmp_path, "bad", f'''[[template]]
id = "share.bad-entry"
category = "share"
description = "A bad entry."
evidence = "a test"
must_match = ["x"]
must_not_match = ["y"]
[template.text]
{forms}
''')
    with pytest.raises(PackError) as err:
        load_pack(pack)
    assert str(pack) in str(err.value) and "'share.bad-entry'" in str(err.value)
    assert reason in str(err.value)


def test_an_entry_without_evidence_is_refused(tmp_path: Path) -> None:
    pack = _template_pack(tmp_path, "p", '''[[template]]
id = "share.no-evidence"
category = "share"
description = "d"
must_match = ["Share"]
must_not_match = ["Share prices fell."]
text = {en = "Share"}
''')
    with pytest.raises(PackError, match="evidence must be a non-empty string"):
        load_pack(pack)


def test_a_user_template_pack_removes_its_lines_and_the_report_names_the_entry(
        tmp_path: Path) -> None:
    pack = _template_pack(tmp_path, "mine", '''[[template]]
id = "share.mine"
category = "share"
description = "Our share bar."
evidence = "example.com, every page"
must_match = ["Teile diesen Artikel auf Facebook"]
must_not_match = ["Teile des Artikels fehlen."]
text = {de = "Teile diesen Artikel auf {network}"}
''')
    result = Cleaner(rules=[pack]).clean(
        "Die Gespräche wurden fortgesetzt.\n\nTeile diesen Artikel auf Facebook\n\nEnde.")
    assert result.text == "Die Gespräche wurden fortgesetzt.\n\nEnde."
    assert [(e.rule, e.category) for e in result.removals] == [("share.mine", "share")]
    assert Cleaner(rules=[pack], disable={"share.mine"}).clean(
        "Teile diesen Artikel auf Facebook").text == "Teile diesen Artikel auf Facebook"


COMMENTS_PACK = '''[pack]
name = "comments"
stage = "lines"

[[template]]
id = "comments.test-heading"
category = "comments"
section = "comments"
description = "A comment section's heading."
evidence = "a test"
must_match = ["12 Comments", "Kommentare"]
must_not_match = ["Comments from the minister angered the union."]
[template.text]
en = ["{count} Comments", "Leave a Reply"]
de = "Kommentare"

[[template]]
id = "comments.test-reply"
category = "comments"
description = "A comment's reply link."
evidence = "a test"
must_match = ["Reply"]
must_not_match = ["Reply to the letter came a week later."]
text = {en = "Reply", de = "Antworten"}
'''

ARTICLE = ("Officials said the talks would resume in Geneva on Monday morning.\n\n"
           "The envoy said both sides had accepted a ceasefire monitoring plan.")


def _comments_cleaner(tmp_path: Path) -> Cleaner:
    pack = tmp_path / "comments.toml"
    pack.write_text(COMMENTS_PACK, encoding="utf-8")
    return Cleaner(rules=[pack])


def test_a_comment_section_goes_from_its_heading_to_the_end(tmp_path: Path) -> None:
    text = (ARTICLE + "\n\n3 Comments\n\nJane Doe\nMarch 5, 2024 at 10:41 am\n"
            "I think the plan will fail, as the last one did.\nReply\n\n"
            "Ali Hassan\nMarch 6, 2024 at 9:02 am\nIt deserves a chance.\nReply")
    result = _comments_cleaner(tmp_path).clean(text)
    assert result.text == ARTICLE
    assert [e.rule for e in result.removals] == ["comments.section"]


def test_a_comment_heading_with_no_comments_behind_it_is_left_to_the_lines_stage(
        tmp_path: Path) -> None:
    text = ("3 Comments\n\n" + ARTICLE)
    result = _comments_cleaner(tmp_path).clean(text)
    assert ARTICLE in result.text
    assert "comments.section" not in {e.rule for e in result.removals}


def test_a_comment_heading_above_the_article_opens_no_section(tmp_path: Path) -> None:
    text = ("Leave a Reply\n\nReply\n\nReply\n\n" + ARTICLE)
    result = _comments_cleaner(tmp_path).clean(text)
    assert ARTICLE in result.text


def test_comment_furniture_far_apart_opens_no_section(tmp_path: Path) -> None:
    # A whole-page dump: a teaser, a counter beside the byline, the article, a sidebar, and
    # far below it another "Reply": not a comment section, and the article stays.
    body = "\n\n".join(f"Paragraph {k} of the story, in which the envoy speaks at length."
                         for k in range(6))
    sidebar = "\n\n".join(f"Sidebar link {k}" for k in range(10))
    teasers = "\n\n".join(f"Teaser {k}: schools reopened across the region, officials said."
                            for k in range(5))
    text = teasers + "\n\n3 Comments\n\n" + body + "\n\n" + sidebar + "\n\nReply\n\nReply"
    result = _comments_cleaner(tmp_path).clean(text)
    assert body in result.text
    assert "comments.section" not in {e.rule for e in result.removals}


def test_a_menu_word_goes_only_inside_a_menu(tmp_path: Path) -> None:
    pack = tmp_path / "menus.toml"
    pack.write_text('''[pack]
name = "menus"
stage = "lines"
[[template]]
id = "navigation.test-sections"
category = "navigation"
alone = false
description = "Section names of a news site's menu."
evidence = "a test"
must_match = ["Business"]
must_not_match = ["Business is booming, the minister said."]
text = {en = ["Business", "Sport", "Travel", "Health"]}
''', encoding="utf-8")
    cleaner = Cleaner(rules=[pack], language="en")
    menu = "Business\nSport\nTravel\nHealth\n\n" + ARTICLE
    assert cleaner.clean(menu).text == ARTICLE
    subheading = ARTICLE + "\n\nTravel\n\nThe envoy flew to Geneva on Sunday, aides said."
    assert cleaner.clean(subheading).text == subheading
