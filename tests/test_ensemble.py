"""The ensemble: blocks, alignment, the model file, the block report, the fast mode, and
that the same page always gives the same output."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest

from cleaner import ensemble
from cleaner import html as html_path
from cleaner.ensemble import ModelError, load_model, parse_model, shipped_model
from cleaner.html import clean_html, extract

HERE = Path(__file__).resolve().parent
BENCHMARK = HERE.parent.parent / "shared" / "bench" / "article-extraction-benchmark"
FAST = json.loads((HERE / "fast_mode_extractions.json").read_text(encoding="utf-8"))

PROSE = [
    "Officials said the talks would resume in Geneva on Monday morning after a week of delays.",
    "The envoy said both sides had accepted a ceasefire monitoring plan drawn up in December.",
    "Diplomats expect the first round to focus on prisoner exchanges and humanitarian access.",
]
PAGE = f"""<!DOCTYPE html><html lang="en"><head><title>Talks resume in Geneva</title></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Talks resume in Geneva</h1>
<p>{PROSE[0]} {PROSE[1]} {PROSE[2]}</p><p>{PROSE[1]} {PROSE[2]} {PROSE[0]}</p>
<p>{PROSE[2]} {PROSE[0]} {PROSE[1]}</p>
</article>
<aside class="related"><h3>Related</h3><ul><li><a href="/a">Celebrity Chef Reveals Secret</a></li>
<li><a href="/b">Lottery Winner Loses Fortune</a></li></ul></aside>
<footer>© 2024 Example News. All rights reserved.</footer></body></html>"""


def _key(extraction: tuple[object, ...]) -> str:
    return hashlib.sha256(json.dumps(list(extraction), sort_keys=True,
                                     ensure_ascii=False).encode()).hexdigest()


def _same_versions() -> bool:
    import lxml.etree
    import trafilatura

    return (trafilatura.__version__ == FAST["trafilatura"]
            and ".".join(map(str, lxml.etree.LXML_VERSION)) == FAST["lxml"])


# --- the fast mode is the path before the ensemble ----------------------------------------

@pytest.mark.skipif(not _same_versions(), reason="recorded with other trafilatura/lxml versions")
def test_fast_mode_extracts_what_the_path_before_the_ensemble_did() -> None:
    import test_html

    pages = {"article": test_html.ARTICLE, "split": test_html.split_body_page(
        [test_html.SPLIT_PARAGRAPHS[:4], test_html.SPLIT_PARAGRAPHS[4:7],
         test_html.SPLIT_PARAGRAPHS[7:]])}
    for name, page in pages.items():
        assert _key(extract(page, mode="fast")) == FAST["synthetic"][name], name


@pytest.mark.skipif(not BENCHMARK.is_dir() or not _same_versions(),
                    reason="the public benchmark's pages are not beside the repository")
def test_fast_mode_extracts_what_the_path_before_the_ensemble_did_on_benchmark_pages() -> None:
    for page_id, expected in FAST["benchmark"].items():
        html = gzip.decompress((BENCHMARK / "html" / f"{page_id}.html.gz").read_bytes())
        assert _key(extract(html, mode="fast")) == expected, page_id


def test_fast_mode_reports_no_blocks_and_the_default_does() -> None:
    fast = clean_html(PAGE, mode="fast")
    assert fast.blocks == () and fast.extractor == "trafilatura"
    default = clean_html(PAGE)
    assert default.extractor == "ensemble" and default.blocks
    with pytest.raises(ValueError, match="mode"):
        clean_html(PAGE, mode="thorough")


# --- the block report ---------------------------------------------------------------------

def test_each_paragraph_says_whether_it_was_kept_and_by_which_extractors() -> None:
    result = clean_html(PAGE)
    by_text = {b.text: b for b in result.blocks}
    article = by_text[f"{PROSE[0]} {PROSE[1]} {PROSE[2]}"]
    assert article.kept
    assert set(article.extractors) == {"trafilatura", "readability", "justext"}
    menu = by_text["Home World Sport"]
    assert not menu.kept and menu.extractors == ()
    footer = by_text["© 2024 Example News. All rights reserved."]
    assert not footer.kept and "justext" not in footer.extractors
    assert [b.text for b in result.blocks if b.kept] == [
        line for line in result.original.splitlines()]
    assert all(0.0 <= b.score <= 1.0 for b in result.blocks)
    # The report is plain JSON.
    data = json.loads(json.dumps(result.to_dict()))
    assert data["blocks"][0] == {"text": "Home World Sport", "kept": False, "extractors": [],
                                 "score": data["blocks"][0]["score"]}
    assert {tuple(b["extractors"]) for b in data["blocks"] if b["kept"]} >= {
        ("trafilatura", "readability", "justext")}


def test_blocks_follow_the_markup() -> None:
    from lxml import html

    tree = html.fromstring(
        "<html><body><div class='comments'><p>First comment here</p></div>"
        "<div class='story-body'><h2>Heading</h2><p>Text <a href='/x'>linked</a> on.</p>"
        "<table><tr><td>1</td><td>2</td></tr></table></div><script>x()</script></body></html>")
    blocks = ensemble.segment(tree)
    assert [b.text for b in blocks] == ["First comment here", "Heading", "Text linked on.",
                                        "1", "2"]
    assert blocks[0].flags & ensemble.F_COMMENT and blocks[0].flags & ensemble.F_NEAR_NEGATIVE
    assert blocks[1].flags & ensemble.F_HEADING
    assert not blocks[2].flags & ensemble.F_NEAR_NEGATIVE
    assert blocks[2].link_chars == len("linked")
    assert blocks[3].flags & ensemble.F_TABLE and blocks[3].container == blocks[4].container


def test_a_table_cell_counts_as_kept_when_its_row_was() -> None:
    from lxml import html

    blocks = ensemble.segment(html.fromstring(
        "<table><tr><td>Team</td><td>Points</td></tr><tr><td>Ajax</td><td>72</td></tr></table>"))
    # A cell is no line of the text, but its row is: in context, it counts.
    assert ensemble.align(blocks, "| Team | Points |\n| Ajax | 72 |") == [0.75] * 4
    # "Ajax" is in this text, but not beside the cells around it on the page.
    assert ensemble.align(blocks, "Ajax won the league") == [0.0] * 4
    assert ensemble.align(blocks, "Ajax\nwon the league") == [0.0, 0.0, 1.0, 0.0]


def test_a_deeply_nested_page_is_walked_without_recursion() -> None:
    from lxml import etree

    root = node = etree.Element("html")
    for _ in range(20_000):  # deeper than Python's recursion limit
        node = etree.SubElement(node, "div")
    etree.SubElement(node, "p").text = "Deep text of a page nested too far."
    blocks = ensemble.segment(root)
    assert [b.text for b in blocks] == ["Deep text of a page nested too far."]


# --- the page's language --------------------------------------------------------------------

@pytest.mark.parametrize("lang, stoplist", [
    ('lang="de-DE"', "German"), ('lang="pt_BR"', "Portuguese"), ('lang="ja"', "*"),
    ("", "English"), ('lang="x-klingon"', "English")])
def test_justext_reads_the_page_with_its_language_stoplist(lang, stoplist) -> None:
    tree = html_path._load_tree(f"<html {lang}><body><p>Hallo Welt</p></body></html>")
    assert html_path.page_stoplist(tree, "English") == stoplist


def test_german_prose_is_good_for_justext_with_the_german_stoplist() -> None:
    prose = ("Die Regierung hat am Montag beschlossen, dass die neuen Regeln für alle "
             "Unternehmen gelten sollen, die mehr als fünfzig Mitarbeiter haben und in der "
             "Stadt ihren Sitz haben, wie ein Sprecher der Behörde mitteilte.")
    page = f"<html lang='de'><body><div><p>{prose}</p><p>{prose}</p></div></body></html>"
    tree = html_path._load_tree(page)
    ev = ensemble.gather(tree, "", html_path.page_stoplist(tree, "English"))
    assert ev.stoplist == "German"
    assert [b.class_type for b in ev.blocks] == ["good", "good"]
    ev = ensemble.gather(html_path._load_tree(page), "", "English")
    assert [b.class_type for b in ev.blocks] == ["bad", "bad"]


# --- the model file -------------------------------------------------------------------------

def test_the_shipped_model_loads_and_names_every_feature() -> None:
    model = shipped_model()
    assert len(model.weights) == len(ensemble.FEATURES)
    assert 0 < model.threshold < 1
    assert model.about["fitted_by"].startswith("bench/fit_extraction.py")
    # Written back, it reads the same.
    assert parse_model(model.to_json()) == model


def _shipped_json() -> dict:
    return shipped_model().to_json()


@pytest.mark.parametrize("spoil, message", [
    (lambda d: d.update(format="cleaner-extraction-model/0"), "format must be"),
    (lambda d: d["features"].pop(), "features do not match"),
    (lambda d: d["features"].reverse(), "features do not match"),
    (lambda d: d["features"][0].update(name="colour"), "unknown: \\['colour'\\]"),
    (lambda d: d["features"][3].update(weight="heavy"), "weight of .* finite number"),
    (lambda d: d["features"][3].update(scale=0), "scale must be positive"),
    (lambda d: d.update(bias=float("nan")), "bias must be a finite number"),
    (lambda d: d.update(threshold=1.5), "threshold must be between 0 and 1"),
])
def test_a_bad_model_fails_at_load_with_a_clear_error(tmp_path, spoil, message) -> None:
    data = _shipped_json()
    spoil(data)
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ModelError, match=message) as info:
        load_model(str(path))
    assert str(path) in str(info.value)


def test_a_model_file_that_is_not_json_or_not_there_fails_at_load(tmp_path) -> None:
    path = tmp_path / "model.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="not JSON"):
        load_model(str(path))
    with pytest.raises(ModelError, match="cannot be read"):
        load_model(str(tmp_path / "missing.json"))
    with pytest.raises(ModelError, match="JSON object"):
        parse_model([1, 2, 3])


def test_a_model_error_is_a_value_error_and_a_cleaner_error() -> None:
    from cleaner.errors import CleanerError

    assert issubclass(ModelError, ValueError) and issubclass(ModelError, CleanerError)


# --- determinism ---------------------------------------------------------------------------

def test_the_same_page_gives_the_same_output_every_time() -> None:
    first = clean_html(PAGE).to_dict()
    for _ in range(3):
        assert clean_html(PAGE).to_dict() == first
    assert clean_html(PAGE.encode("utf-8")).to_dict() == first


def test_the_same_page_gives_the_same_output_in_another_process() -> None:
    import subprocess
    import sys

    code = ("import json, sys; from cleaner.html import clean_html; "
            "sys.stdout.write(json.dumps(clean_html(sys.stdin.read()).to_dict(), sort_keys=True))")
    runs = {subprocess.run([sys.executable, "-c", code], input=PAGE, capture_output=True,
                           text=True, check=True, env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout
            for seed in ("1", "2")}
    assert len(runs) == 1
    assert json.loads(runs.pop()) == json.loads(json.dumps(clean_html(PAGE).to_dict(),
                                                           sort_keys=True))
