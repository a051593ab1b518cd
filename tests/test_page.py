"""The opt-in page stage: whole-page text keeps its article and loses menus and footers."""

from __future__ import annotations

from cleaner import Cleaner, clean, replay

MENU = ["Home", "World", "Business", "Sport", "Culture", "Opinion", "Video", "Podcasts"]
FOOTER = ["About us", "Contact", "Privacy policy", "Terms of use", "Advertise with us",
          "Careers", "Newsletters", "Accessibility"]
ARTICLE = [
    "Officials said the talks would resume in Geneva on Monday morning after a week of delays.",
    "The envoy said both sides had accepted a ceasefire monitoring plan drawn up in December.",
    "Diplomats expect the first round to focus on prisoner exchanges and humanitarian access.",
    "A spokesman for the delegation said it would not comment before the talks began.",
]
PAGE = "\n".join([*MENU, "Talks resume in Geneva after a week of delays", *ARTICLE, *FOOTER])


def test_page_stage_keeps_the_article_and_its_headline() -> None:
    # The lines stage knows some menu words itself ("Home"): off here, to see the page stage.
    result = Cleaner(enable={"boilerplate"}, disable={"lines"}).clean(PAGE)
    assert result.text == "\n".join(["Talks resume in Geneva after a week of delays", *ARTICLE])
    assert {e.rule for e in result.removals} == {"boilerplate.outside-article"}
    assert replay(PAGE, result.edits) == result.text


def test_page_stage_is_opt_in() -> None:
    # (The lines stage may take menu and footer lines on its own; the page stage does not run.)
    result = clean(PAGE)
    assert "boilerplate.outside-article" not in {e.rule for e in result.removals}
    assert "Talks resume in Geneva after a week of delays" in result.text


def test_page_stage_leaves_short_texts_alone() -> None:
    text = "\n".join(["Home", "World", *ARTICLE[:2]])
    assert Cleaner(enable={"boilerplate"}, disable={"lines"}).clean(text).text == text


def test_page_stage_keeps_a_short_line_between_paragraphs() -> None:
    page = "\n".join([*MENU, ARTICLE[0], ARTICLE[1], "Ceasefire under pressure", ARTICLE[2],
                      ARTICLE[3], *FOOTER])
    text = Cleaner(enable={"boilerplate"}).clean(page).text
    assert "Ceasefire under pressure" in text and ARTICLE[3] in text
    assert "Home" not in text and "Careers" not in text
