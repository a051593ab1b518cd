"""The HTML path: extraction, the fallback, encodings, bad pages, the command line."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cleaner import html as html_path
from cleaner.html import looks_like_html
from cleaner.html import clean_html

PROSE = [
    "Officials said the talks would resume in Geneva on Monday morning after a week of delays.",
    "The envoy said both sides had accepted a ceasefire monitoring plan drawn up in December.",
    "Diplomats expect the first round to focus on prisoner exchanges and humanitarian access.",
]

ARTICLE = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Talks resume in Geneva</title>
<meta name="author" content="Jane Doe"></head>
<body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Talks resume in Geneva</h1>
<p>{PROSE[0]}</p>
<div class="ad">Advertisement</div>
<p>{PROSE[1].replace("ceasefire", "&amp;quot;ceasefire&amp;quot;")}</p>
<p>Read: Another Story About Something Else Entirely</p>
<p>{PROSE[2]}</p>
</article>
<section class="comments"><h3>Comments</h3><p>First! This is the best article ever written.</p></section>
<aside class="related"><h3>Related</h3><ul><li><a href="/a">Celebrity Chef Reveals Secret</a></li>
<li><a href="/b">Lottery Winner Loses Fortune</a></li></ul></aside>
<footer>© 2024 Example News. All rights reserved.</footer>
</body></html>"""


@pytest.mark.parametrize("mode, extractor", [("ensemble", "ensemble"), ("fast", "trafilatura")])
def test_article_page_keeps_the_prose_and_loses_the_furniture(mode, extractor) -> None:
    result = clean_html(ARTICLE, url="https://example.com/world/talks", mode=mode)
    assert result.extractor == extractor
    assert result.page["title"] == "Talks resume in Geneva"
    text = result.text
    assert PROSE[0] in text and PROSE[2] in text
    assert 'accepted a "ceasefire" monitoring plan' in text
    for noise in ("Advertisement", "Read: Another Story", "First!", "Lottery Winner", "©"):
        assert noise not in text
    for e in result.edits:
        assert result.original[e.start:e.end] == e.text


def test_report_names_the_extractor_and_the_page() -> None:
    data = clean_html(ARTICLE).to_dict()
    assert data["extractor"] == "ensemble"
    assert "blocks" not in clean_html(ARTICLE, mode="fast").to_dict()
    assert data["page"]["title"] == "Talks resume in Geneva"
    assert data["page"]["author"] == "Jane Doe"


def test_page_metadata_can_be_left_out_or_asked_of_trafilatura() -> None:
    assert clean_html(ARTICLE, page_metadata="none").page == {}
    assert clean_html(ARTICLE, page_metadata="full").page["title"] == "Talks resume in Geneva"
    with pytest.raises(ValueError, match="page_metadata"):
        clean_html(ARTICLE, page_metadata="some")


def test_scripts_and_styles_go_before_extraction_but_the_text_around_them_stays() -> None:
    page = ARTICLE.replace(
        f"<p>{PROSE[0]}</p>",
        f"<p>{PROSE[0][:40]}<script>var ad = 1;</script>{PROSE[0][40:]}</p>"
        "<style>p {{ color: red }}</style><svg><title>Share icon</title></svg>")
    tree = html_path._load_tree(page.replace(
        "</head>", '<script type="application/ld+json">{"@type": "NewsArticle"}</script></head>'))
    html_path._drop_discarded(tree)
    assert [s.get("type") for s in tree.iter("script")] == ["application/ld+json"]
    assert next(tree.iter("style", "svg", "meta", "link"), None) is None
    text = clean_html(page).text
    assert PROSE[0] in text
    assert "var ad" not in text and "color: red" not in text and "Share icon" not in text


def test_justext_steps_in_when_trafilatura_finds_nothing(monkeypatch) -> None:
    # justext judges paragraphs by length and stopword density, so this page has paragraphs
    # of an article's length.
    long_prose = [" ".join([p] * 3) for p in PROSE]
    page = ARTICLE
    for short, long in zip(PROSE, long_prose, strict=True):
        page = page.replace(short, long)
    monkeypatch.setattr(html_path, "_trafilatura", lambda tree, url: "")
    result = clean_html(page, mode="fast")
    assert result.extractor == "justext"
    assert long_prose[0] in result.text
    # The ensemble still has readability's and justext's word.
    result = clean_html(page)
    assert result.extractor == "ensemble"
    assert long_prose[0] in result.text


SPLIT_PARAGRAPHS = [
    f"Paragraph {k} of the report says the council met on Monday and voted on the "
    f"{word} part of the budget, officials said." for k, word in enumerate(
        ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
         "ninth", "tenth"))]


def split_body_page(parts: list[list[str]], teasers: str = "") -> str:
    def part(paragraphs: list[str]) -> str:
        return ("<div class='grid'><div class='article-body__part'>"
                + "".join(f"<p>{p}</p>" for p in paragraphs) + "</div></div>")
    return ("<html><head><title>Council votes</title></head><body><main><article>"
            "<h1>Council votes on the budget</h1>"
            + "<div class='ad'>Advertisement</div>".join(part(p) for p in parts)
            + "</article>" + teasers + "</main></body></html>")


def test_an_article_body_split_into_containers_comes_back_whole() -> None:
    # trafilatura keeps the first container of a class and stops (adbar/trafilatura#488).
    page = split_body_page([SPLIT_PARAGRAPHS[:4], SPLIT_PARAGRAPHS[4:7], SPLIT_PARAGRAPHS[7:]])
    result = clean_html(page, mode="fast")
    assert result.extractor == "trafilatura+body-parts"
    for result in (result, clean_html(page)):
        positions = [result.text.find(p) for p in SPLIT_PARAGRAPHS]
        assert -1 not in positions and positions == sorted(positions)
        assert "Advertisement" not in result.text


def test_a_paragraph_put_back_carries_no_script_from_inside_it() -> None:
    # Paragraphs are read from the page as trafilatura gets it: a script inside one is gone
    # before its text is compared and put back.
    parts = [SPLIT_PARAGRAPHS[:4], SPLIT_PARAGRAPHS[4:7], SPLIT_PARAGRAPHS[7:]]
    page = split_body_page(parts).replace(
        f"<p>{SPLIT_PARAGRAPHS[5]}</p>",
        f"<p><script>window.adSlot = 'inline-5';</script>{SPLIT_PARAGRAPHS[5]}</p>")
    result = clean_html(page)
    assert SPLIT_PARAGRAPHS[5] in result.text
    assert "adSlot" not in result.text


def test_teasers_that_share_the_body_class_inside_links_stay_out() -> None:
    teasers = ("<aside>" + "".join(
        f"<a href='/s{k}'><div class='article-body__part'><p>Teaser {k}: a celebrity chef "
        f"reveals the secret behind a dish that everybody loves.</p></div></a>"
        for k in range(4)) + "</aside>")
    result = clean_html(split_body_page([SPLIT_PARAGRAPHS[:4]], teasers))
    assert "Teaser" not in result.text


def test_one_paragraph_trafilatura_left_out_is_its_call() -> None:
    page = split_body_page([SPLIT_PARAGRAPHS[:6], SPLIT_PARAGRAPHS[6:7]])
    assert html_path._put_back_body_parts(
        "\n".join(SPLIT_PARAGRAPHS[:6]), html_path._body_paragraphs(
            html_path._load_tree(page))) is None


def test_justext_steps_in_when_trafilatura_found_only_furniture(monkeypatch) -> None:
    # A reprint notice is all trafilatura took; the chain's guard keeps it, since it is all
    # the text there is, but it is no article: justext reads the page again.
    notice = ("This copy is for your personal, non-commercial use only. To order "
              "presentation-ready copies for distribution to your colleagues, clients or "
              "customers visit https://www.djreprints.com.")
    long_prose = [" ".join([p] * 3) for p in PROSE]
    page = ARTICLE
    for short, long in zip(PROSE, long_prose, strict=True):
        page = page.replace(short, long)
    monkeypatch.setattr(html_path, "_trafilatura", lambda tree, url: notice)
    result = clean_html(page, mode="fast")
    assert result.extractor == "justext"
    assert long_prose[0] in result.text and "djreprints" not in result.text


def test_justext_reads_a_page_once_when_trafilatura_found_little(monkeypatch) -> None:
    # Too little from trafilatura asks justext during extraction; the furniture check after
    # cleaning reuses that answer rather than reading the page again.
    calls = []
    real = html_path._justext
    monkeypatch.setattr(html_path, "_trafilatura",
                        lambda tree, url: "Subscribe to read.")
    monkeypatch.setattr(html_path, "_justext",
                        lambda html, language: calls.append(1) or real(html, language))
    clean_html(ARTICLE, mode="fast")
    assert len(calls) == 1


def test_page_in_a_declared_legacy_charset_is_decoded_by_its_meta() -> None:
    body = "<p>" + " ".join(["Le café de la gare a rouvert après trois années de travaux."] * 4) + "</p>"
    page = (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
            f"<title>Café</title></head><body><article>{body}</article></body></html>")
    result = clean_html(page.encode("iso-8859-1"))
    assert "Le café de la gare a rouvert après trois années" in result.text


@pytest.mark.parametrize("page, reason", [
    (b"", "empty document"),
    ("   \n ", "empty document"),
    ("<html><body></body></html>", "no article text found"),
    ("<<<>>>", "HTML parser rejected"),
    (b"\xff\xfe\x00<", "HTML parser rejected"),
])
def test_empty_or_malformed_page_gives_an_empty_result_with_a_reason(page, reason) -> None:
    result = clean_html(page)
    assert result.text == ""
    assert reason in result.reason


def test_deeply_nested_markup_does_not_crash() -> None:
    page = "<html><body>" + "<div>" * 5000 + "<p>" + PROSE[0] + "</p>" + "</div>" * 5000 + "</body></html>"
    result = clean_html(page)
    assert isinstance(result.text, str)


@pytest.mark.parametrize("data, is_html", [
    (b"<!DOCTYPE html><html>", True),
    (b"\xef\xbb\xbf  <html lang='en'>", True),
    (b"<div><p>one</p><p>two</p></div>", True),
    (b"The talks ended. Read: <b>more</b>", False),
    (b"Plain text with a < sign and a > sign.", False),
])
def test_html_is_recognised_by_its_start_or_its_tags(data: bytes, is_html: bool) -> None:
    assert looks_like_html(data) is is_html


def test_command_line_cleans_html_from_stdin() -> None:
    out = subprocess.run([sys.executable, "-m", "cleaner.cli"], input=ARTICLE.encode(),
                         capture_output=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert PROSE[1].split(" ceasefire")[0] in out.stdout.decode()
    assert b"Advertisement" not in out.stdout
