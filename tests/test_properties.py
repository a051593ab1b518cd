"""Invariants over generated documents: exact offsets, replay, idempotence, no lost prose,
and no input that raises."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from invariants import assert_exact

from cleaner import clean, replay

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

CITIES = ["Ankara", "Tripoli", "Nairobi", "Lima", "Hanoi", "Oslo", "Accra", "Quito"]
NOUNS = ["budget", "ceasefire", "tariff", "pipeline", "election", "vaccine plan", "strike"]
VERBS = ["expand", "collapse", "resume", "be delayed", "be reviewed", "change"]


@st.composite
def sentence(draw, serial: int) -> str:
    city = draw(st.sampled_from(CITIES))
    noun = draw(st.sampled_from(NOUNS))
    verb = draw(st.sampled_from(VERBS))
    # The serial number makes every planted sentence unique, so none is a real duplicate.
    return f"Officials in {city} said the {noun} would {verb} by {serial} percent this year."


NOISE_LINES = [
    "Advertisement", "ADVERTISEMENT", "Sponsored content", "Story continues below advertisement",
    "Read: Another Story About Something Else Entirely", "ALSO READ | Markets close higher",
    "READ MORE: What we know so far", "Related: The war explained",
    "Reported by: Jane Doe", "By John Smith, Reuters", "| Image:self", "Photo: AFP",
    "(With inputs from PTI)", "(Reporting by Ece Toksabay; Editing by Jon Boyle)",
    "Updated January 12th, 2020 at 12:42 IST", "date 2020-01-11", "Published: 12 Jan 2020",
    "Share", "Facebook Twitter WhatsApp Email", "Follow us on Twitter",
    "Subscribe now", "Sign up for our daily newsletter", "Thanks for signing up!",
    "We use cookies to improve your experience.", "© 2024 Reuters",
    "%MINIFYHTML4040f22bfbaf0c9d86a3b4a1a279636c9%", "{{ related_stories }}", "[/caption]",
    "Duvar English / Anadolu Agency",
]
HEADLINES = [
    "Dax Shepard Describes Peaceful Feeling During Near-fatal Crash",
    "Steve Martin Says This Film Has His Funniest Scene",
    "Kensington Palace Shares Update As Prince Continues Visit",
    "Fugitive Crypto Scammer Jailed For 20 Years In Global Fraud",
    "Princess Eugenie Breaks Cover Amid Explosive Family Scandal",
    "Schoolgirl Rescued After Brutal Assault By Farmworker",
]


@st.composite
def noisy_article(draw) -> tuple[str, list[str]]:
    """A document of planted prose sentences with noise lines mixed in; returns the document
    and the planted sentences, which must all survive cleaning."""
    n_paras = draw(st.integers(1, 6))
    planted: list[str] = []
    blocks: list[str] = ["Officials Meet As Talks Resume"]
    serial = 0
    for _ in range(n_paras):
        sents = []
        for _ in range(draw(st.integers(1, 3))):
            serial += 1
            sents.append(draw(sentence(serial)))
        planted += sents
        para = " ".join(sents)
        if draw(st.booleans()):
            # A quote whose closing entity was mangled, as scraped from one of the seed sites.
            opening = draw(st.sampled_from(['"', ",quot;", "&quot;", "&amp;quot;"]))
            para = para.replace(" said ", f" said {opening}", 1) + ",quot;"
        blocks.append(para)
        for _ in range(draw(st.integers(0, 2))):
            blocks.insert(draw(st.integers(1, len(blocks))), draw(st.sampled_from(NOISE_LINES)))
    if draw(st.booleans()):
        k = draw(st.integers(3, len(HEADLINES)))
        sep = draw(st.sampled_from([" -", "", " |"]))
        blocks.append("\n".join(h + sep for h in HEADLINES[:k]))
    if draw(st.booleans()) and len(blocks) > 2:
        blocks.insert(2, blocks[1])  # a paragraph printed twice
    joiner = draw(st.sampled_from(["\n\n", "\n", "\n\n\n", " \n\u00a0\n"]))
    return joiner.join(blocks), planted


@SETTINGS
@given(noisy_article())
def test_noisy_article_report_is_exact_and_idempotent_and_keeps_the_prose(doc) -> None:
    text, planted = doc
    result = clean(text)
    assert_exact(text, result)
    again = clean(result.text)
    assert again.text == result.text
    unquoted = result.text.replace('"', "")
    for s in planted:
        assert s in unquoted, s


@SETTINGS
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=400))
def test_any_unicode_never_raises_and_stays_exact(text: str) -> None:
    result = clean(text)
    assert_exact(text, result)
    assert clean(result.text).text == result.text


@SETTINGS
@given(st.lists(st.sampled_from(NOISE_LINES + HEADLINES + [
    "&amp;", "&#8217;", "&quot", ",quot;", " . ", "a,b", "\u00a0", "\t", "\x00", "\r\n", "´",
    "donâ€™t", "[email protected]", "<br>", "&amp;amp;quot;", "&#38;quot;", "\u200b", "x" * 30,
    "The talks ended.", "\n", "\n\n", " ", "Trending", "-", "•"]), max_size=40).map("".join))
def test_noise_fragments_glued_any_way_stay_exact_and_idempotent(text: str) -> None:
    result = clean(text)
    assert_exact(text, result)
    assert clean(result.text).text == result.text


def test_empty_and_blank_inputs() -> None:
    for text in ["", " ", "\n\n\n", "\u00a0", "\x00"]:
        result = clean(text)
        assert result.text == ""
        assert replay(text, result.edits) == ""


def test_a_single_five_megabyte_line_is_cleaned_without_error() -> None:
    line = ("Officials said the talks would resume . " * 130_000)[:5_000_000]
    result = clean(line)
    assert_exact(line, result)
    assert "resume." in result.text


def test_control_characters_are_removed_and_reported() -> None:
    text = "Adver\x00tisement\n\nThe talks\x07 ended.\x1b"
    result = clean(text)
    assert result.text == "The talks ended."
    assert {e.category for e in result.edits} >= {"control", "ad"}
