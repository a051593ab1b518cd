"""The review page, in a real headless Chromium: counts, filters, struck spans, and no script
from a document runs. The screenshot is kept in test-artifacts/."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner import Cleaner

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
HOSTILE = ('<script>window.__pwned = 1</script>\n\n'
           '</textarea><img src=x onerror="window.__pwned = 2">\n\n'
           'Advertisement\n\nThe talks ended on Monday, officials said .')


def _browser():
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver):
        if os.environ.get("CI"):
            pytest.fail("Chromium and chromedriver must be installed for CI (see .ci/run)")
        pytest.skip("Chromium and chromedriver are not installed")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1400,1300"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(driver), options=options)


@pytest.fixture(scope="module")
def review(tmp_path_factory):
    """The reports of the seeds and a hostile document, and the page built from them."""
    folder = tmp_path_factory.mktemp("review")
    cleaner = Cleaner()
    reports = {}
    sources = {p.name: p.read_text(encoding="utf-8")
               for p in sorted((ROOT / "seeds" / "input").glob("*.txt"))}
    sources["hostile.txt"] = HOSTILE
    for name, text in sources.items():
        result = cleaner.clean(text)
        reports[name] = {"id": name, "text": result.text, **result.to_dict()}
        (folder / f"{name}.report.json").write_text(json.dumps(reports[name]), encoding="utf-8")
    page = folder / "review.html"
    out = subprocess.run([sys.executable, "-m", "cleaner.cli", "review",
                          *sorted(str(p) for p in folder.glob("*.report.json")), "-o", str(page)],
                         capture_output=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return page, reports, sources


@pytest.fixture(scope="module")
def browser():
    driver = _browser()
    yield driver
    driver.quit()


def _removals(report: dict) -> list[str]:
    return [e["text"] for e in report["edits"] if e["category"] != "whitespace" and not e["replacement"]]


def test_review_page_in_a_browser(review, browser) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    page, reports, sources = review
    browser.get(page.as_uri())
    find = browser.find_element
    # Counts shown equal the reports'.
    assert find(By.ID, "stat-records").text == str(len(reports))
    removals = sum(1 for r in reports.values() for e in r["edits"] if e["category"] != "whitespace")
    assert find(By.ID, "stat-removals").text == str(removals)
    assert find(By.ID, "stat-chars-in").text == str(sum(len(s) for s in sources.values()))
    # A category filter keeps the documents with such an edit.
    Select(find(By.ID, "filter-category")).select_by_value("ad")
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.doc-row")
    with_ads = {n for n, r in reports.items() if any(e["category"] == "ad" for e in r["edits"])}
    assert {row.find_element(By.TAG_NAME, "td").text for row in rows} == with_ads
    # A document's struck spans are the report's removals, in order.
    for row in rows:
        name = row.find_element(By.TAG_NAME, "td").text
        row.click()
        struck = browser.execute_script(  # textContent: exact, no-break spaces included
            "return [...document.querySelectorAll('#original del.removal')].map(e => e.textContent)")
        assert struck == _removals(reports[name])
        rows = browser.find_elements(By.CSS_SELECTOR, "tr.doc-row")
    # The hostile document is shown as text, and none of its script ran.
    Select(find(By.ID, "filter-category")).select_by_value("")
    for row in browser.find_elements(By.CSS_SELECTOR, "tr.doc-row"):
        if row.find_element(By.TAG_NAME, "td").text == "hostile.txt":
            row.click()
            break
    assert "<script>window.__pwned = 1</script>" in find(By.ID, "original").text
    assert browser.execute_script("return window.__pwned") is None
    assert not browser.find_elements(By.CSS_SELECTOR, "#original img, #original script")
    # Clicking a struck span names its rule.
    find(By.CSS_SELECTOR, "#original del.removal").click()
    assert "artifact." in find(By.ID, "info").text or "ad." in find(By.ID, "info").text
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "review.png"))


def test_review_of_one_document_from_the_clean_command(tmp_path: Path) -> None:
    page = tmp_path / "one.html"
    src = ROOT / "seeds" / "input" / "003_f1cc23f9fc5eda1c.txt"
    out = subprocess.run([sys.executable, "-m", "cleaner.cli", str(src), "--review", str(page)],
                         capture_output=True, timeout=120)
    assert out.returncode == 0, out.stderr
    html = page.read_text(encoding="utf-8")
    assert "Vishal Tiwari" in html and "<script src" not in html and "http" not in html.split(
        '<script type="application/json"')[0].replace("http-equiv", "")


def test_unusable_reports_are_listed_not_fatal(tmp_path: Path) -> None:
    from cleaner.review import load_reports

    good = tmp_path / "good.json"
    result = Cleaner().clean("Advertisement\n\nThe talks ended.")
    good.write_text(json.dumps({"text": result.text, **result.to_dict()}), encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"edits": []}\nnot json\n', encoding="utf-8")
    docs, errors = load_reports([good, bad, tmp_path / "missing.json"])
    assert len(docs) == 1
    # Each line of bad.jsonl on its own (no text; not JSON), and missing.json, unreadable.
    assert [e.split(": ")[0].rsplit("/", 1)[-1] for e in errors] == [
        "bad.jsonl:1", "bad.jsonl:2", "missing.json"]


def test_ten_thousand_documents_render_one_page_of_rows(tmp_path: Path, browser) -> None:
    from selenium.webdriver.common.by import By

    from cleaner.review import _document, build_review

    result = Cleaner().clean("Advertisement\n\nThe talks ended on Monday, officials said .")
    report = {"text": result.text, **result.to_dict()}
    docs = [_document(f"doc-{k:05d}", report) for k in range(10_000)]
    page = tmp_path / "big.html"
    page.write_text(build_review(docs), encoding="utf-8")
    browser.get(page.as_uri())
    assert browser.find_element(By.ID, "stat-records").text == "10000"
    # One page of the list in the DOM, not ten thousand rows; one document at a time.
    assert len(browser.find_elements(By.CSS_SELECTOR, "tr.doc-row")) == 50
    assert "10000 documents, page 1 of 200" in browser.find_element(By.ID, "page-info").text
    browser.find_element(By.ID, "page-next").click()
    assert browser.find_elements(By.CSS_SELECTOR, "tr.doc-row")[0].text.startswith("doc-")


def test_a_batch_run_can_be_reviewed(tmp_path: Path) -> None:
    from cleaner.batch import run
    from cleaner.review import load_reports

    corpus = tmp_path / "corpus.jsonl"
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds" / "input").glob("*.txt"))]
    lines = [json.dumps({"id": f"d{k}", "text": t}) for k, t in enumerate(texts)]
    corpus.write_text("\n".join([*lines, '{"id": "broken"'] ) + "\n", encoding="utf-8")
    run([corpus], tmp_path / "out", jobs=1, progress=False)
    docs, errors = load_reports([tmp_path / "out" / "corpus.report.jsonl"])
    assert [d["original"] for d in docs] == texts
    assert len(errors) == 1 and "bad JSON line" in errors[0]


def test_a_large_run_gives_a_bounded_page_that_still_shows_every_rule(tmp_path: Path) -> None:
    from cleaner.review import write_review

    cleaner = Cleaner()
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds" / "input").glob("*.txt"))]
    results = [cleaner.clean(t) for t in texts]
    reports = tmp_path / "big.report.jsonl"
    with reports.open("w", encoding="utf-8") as f:
        for k in range(3000):
            r = results[k % len(results)]
            f.write(json.dumps({"id": f"d{k}", "text": r.text, **r.to_dict()}) + "\n")
    page = tmp_path / "review.html"
    n, errors = write_review([reports], page, sample=40)
    assert (n, errors) == (3000, [])
    data = json.loads(page.read_text(encoding="utf-8").split(
        '<script type="application/json" id="data">', 1)[1].split("</script>", 1)[0]
        .replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u0026", "&"))
    assert data["corpus"]["documents"] == 3000
    assert len(data["docs"]) <= 40
    fired = {e.rule for r in results for e in r.edits if e.category != "whitespace"}
    shown = {e[3] for d in data["docs"] for e in d["edits"] if e[4] != "whitespace"}
    assert shown == fired, "every rule that fired is shown in some document"
    assert page.stat().st_size < 40 * 10 * max(len(t) for t in texts)
