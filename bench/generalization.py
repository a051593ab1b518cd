"""Generalization: cleaner on development sites it was never tuned on, beside trafilatura.

The pages are those of ``../shared/dev`` (WCXB's English dev articles; fundus's news pages in
24 languages), split by site into a ``tune`` half and a ``check`` half by ``bench/devsplit.py``:
a site's half is the first byte of the SHA-256 of its name (WCXB's ``domain``, fundus's URL
host; lower case, no leading ``www.``) modulo 2, 0 ``tune``, 1 ``check``. Rules and thresholds
are tuned on ``tune``; this script reports on ``check`` by default.

Each page is read three ways, and every system runs in the same run:

- the HTML: cleaner's ``clean_html`` (default settings, given the page's URL; it reads the
  title from the page) and its ``mode="fast"``; and the single extractors on their own as
  reference rows: trafilatura with its defaults and with the settings cleaner uses
  (``cleaner.html.TRAFILATURA_OPTIONS``), readability-lxml (its text with a line break at each
  block element) and justext with the stoplist of the page's ``<html lang>`` (English when
  it declares none). A last table gives the HTML path's margin over the best of these four
  per source and per fundus language;
- trafilatura's text (those settings), as is and through ``clean(text, title=...)``;
- a whole-page text dump (``full_page_dump`` of bench/text_quality.py: every visible block a
  line), as is and through ``clean(text, title=..., enable={"boilerplate"})``, the opt-in
  page stage made for such text.

``title`` is the gold record's title field, as a corpus record carries one. A system that
raises on a page scores that page as an empty output; the page is listed in the JSON.

Metrics, per system:

- word F1, precision, recall: WCXB's metric. Both texts lower-cased, tokens
  ``re.findall(r"\\w+", text.lower())``, counted as multisets; overlap = size of the multiset
  intersection; precision = overlap / predicted tokens, recall = overlap / gold tokens
  (an empty prediction scores 0 for both), F1 their harmonic mean. F1, precision and recall
  are each the MEAN OVER PAGES of the per-page value (as WCXB averages per-page F1; the F1
  column is not the harmonic mean of the P and R columns). An empty gold scores 1.0 when the
  prediction is empty too, else 0.0.
- line shares, on the PAGE's lines (the dump's: every system on one footing) and on the
  lines of the system's INPUT (differing only for trafilatura's text, "as is" and "+ clean()":
  the tables print "=" where the input is the page). Lines are compared as normalised token
  sequences (NFKC, lower case, ``\\w+`` tokens, joined by one space); a line without a token
  is not counted. A line is LONG when it has 3+ tokens or 20+ token characters (a CJK clause
  is one token), else SHORT.

  * a line is GOLD when, long, its token sequence occurs contiguously in the gold's (across
    the gold's line breaks too); short, when it equals a whole gold line (a heading): short
    lines are words ("Home", "Share") that occur anywhere in an article;
  * a line is PRESENT in an output by the same test against the output;
  * "gold lines kept" = present gold lines / gold lines, "non-gold lines removed" = absent
    non-gold lines / non-gold lines, both summed over pages (an overall ratio).

  Caveats: a line is judged whole. A gold line with one word the gold lacks (a caption with
  a credit appended) is not gold; a gold line kept with one token changed (mojibake mended
  where the gold kept it, an HTML tag quoted in prose taken out) counts as not kept; a
  non-gold line only partly removed counts as removed. So "gold kept" is strict and
  "non-gold removed" lenient. Repeats are tested one by one against the whole output, so a
  repeat of a kept line counts as kept. A short line (a table cell) that an extractor joins
  with its neighbours on one line counts as absent. On some fundus pages the gold repeats
  the summary the page repeats: a system that drops the repeat loses recall, not a gold line.
- WCXB's ``without`` snippets (boilerplate a correct extraction drops) left in the output,
  and its ``with`` snippets (article text it keeps) kept, by the presence test above (a
  short snippet such as ``Home`` counts as left only as a whole line of the output: inside
  a breadcrumb line it goes uncounted); totals over pages.

On CJK pages ``\\w+`` tokens are runs between punctuation (clauses), so word F1 there is
coarse: read it with care, as fundus's README says of its precision (its gold drops
captions, bylines and teasers a general cleaner may keep).

For the "trafilatura best text + clean()" row, every gold line of trafilatura's text that is
not whole in clean()'s output is recorded with the rule ids of the edits over it and the
share of it they removed: ``--losses N`` prints the N that lost the most tokens on the
``tune`` half, and only there (the JSON keeps the lines' text for tune pages only), so the
check half is never read case by case. ``--left N`` lists, the same way, N of WCXB's
``without`` snippets that are still in that row's output.

The single extractors' outputs and the page dump do not depend on this project's code: they
are cached per page under ``bench/out/cache/`` (keyed by page id, trafilatura and lxml versions,
trafilatura's settings and the dump function's source), so a repeated run only runs cleaner
(clean_html runs trafilatura itself, so that is still most of the time). Per-page scores go to
``--out`` (default ``bench/out/generalization-<half>.json``). ``-j`` worker processes run the
pages (spawned; one that dies is replaced); results are sorted by page id, the same for any
``-j``.

    python bench/generalization.py [--half check|tune|all] [--source wcxb|fundus|all]
                                   [-j N] [--limit N] [--out FILE] [--losses N] [--left N]
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import os
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

import devsplit  # noqa: E402
from devsplit import Page  # noqa: E402

OUT = BENCH / "out"
_WORD = re.compile(r"\w+")
#: Short lines (under 3 tokens and under 20 token characters: "Home", "Related stories") are
#: common words that occur anywhere in an article, so only a whole-line match counts for them.
SHORT_TOKENS = 3
SHORT_CHARS = 20
#: A language with this many fundus pages in the half gets its own rows; the rest are pooled.
MIN_LANGUAGE_PAGES = 5
#: Characters of a lost line kept in the JSON and the loss list.
EXCERPT = 160


@dataclass(frozen=True)
class System:
    """A row of the tables: what it reads (``input``), its name, and the lines its input-line
    shares are computed on (``"page"``: the dump's; ``"trafilatura"``: trafilatura's text)."""

    key: str
    input: str
    name: str
    lines: str


SYSTEMS = (
    System("clean_html", "HTML", "cleaner clean_html", "page"),
    System("clean_html_fast", "HTML", "cleaner clean_html mode=fast", "page"),
    System("trafilatura_defaults", "HTML", "trafilatura defaults", "page"),
    System("trafilatura_best", "HTML", "trafilatura best settings", "page"),
    System("readability", "HTML", "readability-lxml", "page"),
    System("justext", "HTML", "justext (page's language)", "page"),
    System("trafilatura_text", "trafilatura best text", "as is", "trafilatura"),
    System("trafilatura_text_clean", "trafilatura best text", "+ clean()", "trafilatura"),
    System("dump", "page dump", "as is", "page"),
    System("dump_clean", "page dump", "+ clean(enable=boilerplate)", "page"),
)
#: The row whose gold-line losses are listed (clean() on an extractor's output).
LOSS_SYSTEM = "trafilatura_text_clean"
#: The single extractors the HTML path is measured against (its margin over the best of them).
SINGLE_EXTRACTORS = ("trafilatura_defaults", "trafilatura_best", "readability", "justext")
#: What the extraction cache holds for each page (a change of it makes a new cache).
CACHED_SYSTEMS = ("trafilatura_defaults", "trafilatura_best", "readability", "justext", "dump")


# --- metrics ---------------------------------------------------------------------------

def word_prf(gold: str, pred: str) -> tuple[float, float, float]:
    """WCXB's word precision, recall and F1 of one page.

    >>> word_prf("The cat sat on the mat.", "the cat sat")
    (1.0, 0.5, 0.6666666666666666)
    >>> word_prf("", ""), word_prf("", "menu"), word_prf("Some text", "")
    ((1.0, 1.0, 1.0), (0.0, 0.0, 0.0), (0.0, 0.0, 0.0))
    """
    g = Counter(_WORD.findall(gold.lower()))
    p = Counter(_WORD.findall(pred.lower()))
    if not g:
        return (1.0, 1.0, 1.0) if not p else (0.0, 0.0, 0.0)
    overlap = sum((g & p).values())
    if not p or not overlap:
        return 0.0, 0.0, 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    return precision, recall, 2 * precision * recall / (precision + recall)


def tokens(text: str) -> list[str]:
    """Normalised tokens for the line tests: NFKC (ligatures, full-width forms), lower case."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).lower())


def is_short(toks: list[str]) -> bool:
    return len(toks) < SHORT_TOKENS and sum(map(len, toks)) < SHORT_CHARS


class Reference:
    """A text as the line tests see it: its token stream and its set of whole lines.

    >>> ref = Reference("Officials said the talks would resume.\\nSport")
    >>> ref.holds(tokens("the talks would")), ref.holds(tokens("Sport"))
    (True, True)
    >>> ref.holds(tokens("talks")), ref.holds(tokens("resume Sport today"))
    (False, False)
    """

    def __init__(self, text: str) -> None:
        lines = [tokens(line) for line in text.splitlines()]
        self.flat = " " + " ".join(t for line in lines for t in line) + " "
        self.lines = {" ".join(line) for line in lines if line}

    def holds(self, toks: list[str]) -> bool:
        if is_short(toks):
            return " ".join(toks) in self.lines
        return " " + " ".join(toks) + " " in self.flat


@dataclass
class Line:
    start: int
    end: int
    toks: list[str]
    gold: bool


def input_lines(text: str, gold: Reference) -> list[Line]:
    """The lines of an input with a token, each with its span and whether it is gold."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        toks = tokens(m.group())
        if toks:
            out.append(Line(m.start(), m.end(), toks, gold.holds(toks)))
    return out


def line_counts(lines: list[Line], output: Reference) -> dict[str, int]:
    present = [output.holds(line.toks) for line in lines]
    return {
        "gold": sum(line.gold for line in lines),
        "gold_kept": sum(p for line, p in zip(lines, present, strict=True) if line.gold),
        "nongold": sum(not line.gold for line in lines),
        "nongold_removed": sum(not p for line, p in zip(lines, present, strict=True)
                               if not line.gold),
    }


def snippets_found(snippets: Iterable[str], output: Reference) -> tuple[int, int]:
    """(found, total) of snippets the output holds, by the line test: a short snippet
    (``Home``, ``Order Now``: 1300 of WCXB's 2784 ``without`` snippets) only as a whole line,
    since such words occur in articles too; a longer one anywhere."""
    found = total = 0
    for snippet in snippets:
        toks = tokens(snippet)
        if toks:
            total += 1
            found += output.holds(toks)
    return found, total


# --- extraction (cached: none of it is this project's code) ----------------------------

def cache_key() -> str:
    """Everything the cached texts depend on besides the page."""
    import lxml.etree
    import trafilatura

    from cleaner.html import TRAFILATURA_OPTIONS
    from text_quality import full_page_dump

    basis = json.dumps([sorted(TRAFILATURA_OPTIONS.items()), inspect.getsource(full_page_dump),
                        lxml.etree.LXML_VERSION, CACHED_SYSTEMS, _versions()], default=str)
    digest = hashlib.sha256(basis.encode()).hexdigest()[:12]
    return f"trafilatura-{trafilatura.__version__}-{digest}"


def _versions() -> list[str]:
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for name in ("readability-lxml", "jusText"):
        try:
            out.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            out.append(f"{name} missing")
    return out


def readability_lxml(html: str) -> str:
    """readability-lxml's article, as text (a line per block element)."""
    import lxml.html
    from readability import Document

    summary = Document(html).summary(html_partial=True)
    summary = re.sub(r"</?(?:p|div|h[1-6]|li|br|tr|td|th|table|ul|ol|blockquote|pre)\b",
                     lambda m: "\n" + m.group(), summary, flags=re.IGNORECASE)
    return lxml.html.fromstring(summary).text_content()


def justext_page_language(html: str) -> str:
    """justext with the stoplist of the page's ``<html lang>`` (English when it declares
    none), as cleaner's ensemble picks it."""
    import justext
    from lxml import html as lxml_html

    from cleaner.ensemble import ALL_LANGUAGES, html_language, stoplist, stoplist_name

    try:
        code = html_language(lxml_html.fromstring(html.encode("utf-8")))
    except Exception:  # noqa: BLE001
        code = ""
    name = stoplist_name(code) or "English"
    stop = stoplist(name) if name == ALL_LANGUAGES else justext.get_stoplist(name)
    return "\n".join(p.text for p in justext.justext(html, stop) if not p.is_boilerplate)


def extract(page: Page, html: str) -> dict[str, Any]:
    """The single extractors (trafilatura's defaults and best settings, readability-lxml,
    justext) and the dump of one page; a failure is an empty text with its error."""
    import trafilatura

    from cleaner.html import TRAFILATURA_OPTIONS
    from text_quality import full_page_dump

    calls = {
        "trafilatura_defaults": lambda: trafilatura.extract(html, url=page.url or None),
        "trafilatura_best": lambda: trafilatura.extract(html, url=page.url or None,
                                                        **TRAFILATURA_OPTIONS),
        "readability": lambda: readability_lxml(html),
        "justext": lambda: justext_page_language(html),
        "dump": lambda: full_page_dump(html),
    }
    out: dict[str, Any] = {"texts": {}, "errors": {}, "seconds": {}}
    for name, call in calls.items():
        out["texts"][name], out["seconds"][name], error = _timed(call)
        if error:
            out["errors"][name] = error
    return out


def cached_extract(page: Page, html: str, cache: Path | None) -> tuple[dict[str, Any], bool]:
    """The page's extraction, from the cache when there; (extraction, was it cached)."""
    path = cache / page.source / (page.id.replace("/", "__") + ".json") if cache else None
    if path is not None and path.exists():
        try:
            return json.loads(path.read_text(encoding="utf-8")), True
        except (OSError, ValueError):
            pass  # a torn file from a killed run: extract again
    result = extract(page, html)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written under a temporary name and renamed, so a killed run leaves no torn entry.
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    return result, False


def _timed(call: Any) -> tuple[str, float, str]:
    """(text, seconds, error): a system that raises gives an empty text and its error."""
    t = time.perf_counter()
    try:
        text, error = call() or "", ""
    except Exception as exc:  # noqa: BLE001 - one page must not stop the run
        text, error = "", f"{type(exc).__name__}: {exc}"[:500]
    return text, time.perf_counter() - t, error


# --- one page ----------------------------------------------------------------------------

def run_page(page: Page, cache: Path | None) -> dict[str, Any]:
    """Every system on one page, scored."""
    from cleaner import clean, clean_html

    try:
        html = page.html().decode("utf-8", errors="replace")
    except Exception as exc:  # noqa: BLE001
        return failed_page(page, f"page not readable: {type(exc).__name__}: {exc}")
    extraction, was_cached = cached_extract(page, html, cache)
    texts: dict[str, str] = dict(extraction["texts"])
    errors: dict[str, str] = dict(extraction["errors"])
    seconds: dict[str, float] = dict(extraction["seconds"])
    title = page.title or None
    reports = {}

    def run(key: str, call: Any) -> None:
        t = time.perf_counter()
        try:
            reports[key] = call()
            texts[key] = reports[key].text
        except Exception as exc:  # noqa: BLE001 - one page must not stop the run
            texts[key], errors[key] = "", f"{type(exc).__name__}: {exc}"[:500]
        seconds[key] = time.perf_counter() - t

    run("clean_html", lambda: clean_html(html, url=page.url or None))
    run("clean_html_fast", lambda: clean_html(html, url=page.url or None, mode="fast"))
    texts["trafilatura_text"] = texts["trafilatura_best"]
    if "trafilatura_best" in errors:
        errors["trafilatura_text"] = errors["trafilatura_best"]
    run("trafilatura_text_clean", lambda: clean(texts["trafilatura_text"], title=title))
    run("dump_clean", lambda: clean(texts["dump"], title=title, enable={"boilerplate"}))

    gold = Reference(page.gold)
    basis = {"page": input_lines(texts["dump"], gold),
             "trafilatura": input_lines(texts["trafilatura_text"], gold)}
    systems: dict[str, Any] = {}
    for system in SYSTEMS:
        text = texts.get(system.key, "")
        output = Reference(text)
        precision, recall, f1 = word_prf(page.gold, text)
        page_lines = line_counts(basis["page"], output)
        scores: dict[str, Any] = {
            "f1": f1, "precision": precision, "recall": recall,
            "input_lines": page_lines if system.lines == "page"
            else line_counts(basis[system.lines], output),
            "page_lines": page_lines,
            "seconds": round(seconds.get(system.key, 0.0), 5),
        }
        if page.source == "wcxb":
            scores["without_left"] = snippets_found(page.record.get("without") or (), output)
            scores["with_kept"] = snippets_found(page.record.get("with") or (), output)
            if system.key == LOSS_SYSTEM and page.half == "tune":
                # Their text for --left: tune pages only, as for the lost gold lines.
                scores["without_left_text"] = [
                    s for s in page.record.get("without") or ()
                    if tokens(s) and output.holds(tokens(s))]
        if system.key in errors:
            scores["error"] = errors[system.key]
        systems[system.key] = scores
    result = {"source": page.source, "id": page.id, "site": page.site, "half": page.half,
              "language": page.language, "url": page.url, "extraction_cached": was_cached,
              "systems": systems}
    if LOSS_SYSTEM in reports:
        result["lost_gold_lines"] = lost_gold_lines(page, basis["trafilatura"],
                                                    reports[LOSS_SYSTEM])
    return result


def lost_gold_lines(page: Page, lines: list[Line], report: Any) -> list[dict[str, Any]]:
    """Gold lines of clean()'s input missing from its output, with the rules of the edits
    over them. The lines' text is kept for tune pages only: check pages are not for reading
    case by case."""
    output = Reference(report.text)
    edits = [e for e in report.edits if e.category != "whitespace"]
    out = []
    for line in lines:
        if line.gold and not output.holds(line.toks):
            over = [e for e in edits if e.start < line.end and e.end > line.start]
            # A line can fail the presence test because a repair changed a token (mojibake
            # mended where the gold kept it): the share of it removals took tells a line
            # taken out from a line touched.
            removed = sum(min(e.end, line.end) - max(e.start, line.start)
                          for e in over if e.kind == "removal")
            entry: dict[str, Any] = {"tokens": len(line.toks),
                                     "removed_share": round(removed / (line.end - line.start), 3),
                                     "rules": sorted({e.rule for e in over})}
            if page.half == "tune":
                entry["line"] = report.original[line.start:line.end][:EXCERPT]
            out.append(entry)
    return out


def failed_page(page: Page, error: str) -> dict[str, Any]:
    """A page no system could be run on (unreadable, or a worker died on it every time):
    every system scored as an empty output."""
    zero = {"gold": 0, "gold_kept": 0, "nongold": 0, "nongold_removed": 0}
    nothing = Reference("")
    systems = {}
    for system in SYSTEMS:
        p, r, f1 = word_prf(page.gold, "")
        scores: dict[str, Any] = {"f1": f1, "precision": p, "recall": r, "input_lines": zero,
                                  "page_lines": zero, "seconds": 0.0, "error": error}
        if page.source == "wcxb":
            scores["without_left"] = snippets_found(page.record.get("without") or (), nothing)
            scores["with_kept"] = snippets_found(page.record.get("with") or (), nothing)
        systems[system.key] = scores
    return {"source": page.source, "id": page.id, "site": page.site, "half": page.half,
            "language": page.language, "url": page.url, "extraction_cached": False,
            "systems": systems}


# --- workers ----------------------------------------------------------------------------

_CACHE: Path | None = None


def _init_worker(cache: Path | None) -> None:
    global _CACHE
    _CACHE = cache
    # Imported once per worker, not on the first page's clock.
    import trafilatura  # noqa: F401

    import cleaner.html  # noqa: F401


def _run_chunk(chunk: list[Page]) -> list[dict[str, Any]]:
    return [run_page(page, _CACHE) for page in chunk]


def _lost(page: Page, reason: str) -> list[dict[str, Any]]:
    return [failed_page(page, reason)]


def run_all(pages: list[Page], jobs: int,
            cache: Path | None) -> tuple[list[dict[str, Any]], int]:
    """Every page, in worker processes (spawned; a worker that dies is replaced, and a page
    that kills one every time is scored empty); (results sorted by (source, id) whatever the
    order of completion, worker deaths). ``jobs`` 1 runs in this process."""
    from cleaner.workers import WorkerPool

    chunks = [pages[i:i + 2] for i in range(0, len(pages), 2)]
    results: list[dict[str, Any]] = []
    restarts = 0
    if jobs <= 1:
        _init_worker(cache)
        for chunk in chunks:
            results.extend(_run_chunk(chunk))
    else:
        pool: WorkerPool[Page, list[dict[str, Any]]] = WorkerPool(
            jobs, _init_worker, (cache,), lost=_lost)
        try:
            for done in pool.map_ordered(_run_chunk, chunks, in_flight=4 * jobs):
                results.extend(done)
                _progress(len(results), len(pages))
        finally:
            pool.close()
        restarts = pool.restarts
    return sorted(results, key=lambda r: (r["source"], r["id"])), restarts


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\r{done}/{total} pages", end="" if done < total else "\n", file=sys.stderr,
              flush=True)


# --- tables -----------------------------------------------------------------------------

def aggregate(results: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """One system's scores over pages: means of the per-page word scores, sums of counts."""
    rows = [r["systems"][key] for r in results]
    n = len(rows)
    out: dict[str, Any] = {"pages": n, "failed": sum("error" in row for row in rows)}
    for metric in ("f1", "precision", "recall"):
        out[metric] = sum(row[metric] for row in rows) / n if n else 0.0
    for basis in ("input_lines", "page_lines"):
        out[basis] = {k: sum(row[basis][k] for row in rows)
                      for k in ("gold", "gold_kept", "nongold", "nongold_removed")}
    for snip in ("without_left", "with_kept"):
        if all(snip in row for row in rows) and rows:
            out[snip] = [sum(row[snip][0] for row in rows), sum(row[snip][1] for row in rows)]
    return out


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.4f}" if b else "-"


def table(results: list[dict[str, Any]], snippets: bool,
          groups: list[tuple[str, list[dict[str, Any]]]] | None = None) -> list[str]:
    """A Markdown table: a row per system (per group, when groups are given)."""
    head = ["input", "system", "pages", "F1", "P", "R",
            "page: non-gold lines removed", "page: gold lines kept",
            "input: non-gold lines removed", "input: gold lines kept"]
    if snippets:
        head += ["`without` left", "`with` kept"]
    head.append("failed")
    if groups is not None:
        head.insert(0, "language")
    lines = ["| " + " | ".join(head) + " |",
             "|" + "|".join("---" if h in ("input", "system", "language") else "---:"
                            for h in head) + "|"]
    for group, rows in groups if groups is not None else [("", results)]:
        for system in SYSTEMS:
            a = aggregate(rows, system.key)
            il, pl = a["input_lines"], a["page_lines"]
            cells = [system.input, system.name, str(a["pages"]), f"{a['f1']:.3f}",
                     f"{a['precision']:.3f}", f"{a['recall']:.3f}",
                     _ratio(pl["nongold_removed"], pl["nongold"]),
                     f"{_ratio(pl['gold_kept'], pl['gold'])} ({pl['gold_kept']}/{pl['gold']})"]
            # Where the input is the page (the HTML, the dump), its lines are the page's.
            cells += (["=", "="] if system.lines == "page" else [
                _ratio(il["nongold_removed"], il["nongold"]),
                f"{_ratio(il['gold_kept'], il['gold'])} ({il['gold_kept']}/{il['gold']})"])
            if snippets:
                left, total = a.get("without_left", [0, 0])
                kept, wtotal = a.get("with_kept", [0, 0])
                cells += [f"{_ratio(left, total)} ({left}/{total})",
                          f"{_ratio(kept, wtotal)} ({kept}/{wtotal})"]
            cells.append(str(a["failed"]))
            if groups is not None:
                cells.insert(0, group)
            lines.append("| " + " | ".join(cells) + " |")
    return lines


def margins(groups: list[tuple[str, list[dict[str, Any]]]]) -> list[str]:
    """The HTML path's word F1 beside the best single extractor's, per group."""
    lines = ["| group | pages | clean_html F1 | fast mode F1 | best single extractor | its F1 "
             "| margin |", "|---|---:|---:|---:|---|---:|---:|"]
    names = {s.key: s.name for s in SYSTEMS}
    for group, rows in groups:
        f1 = {key: aggregate(rows, key)["f1"] for key in ("clean_html", "clean_html_fast",
                                                          *SINGLE_EXTRACTORS)}
        best = max(SINGLE_EXTRACTORS, key=lambda k: f1[k])
        lines.append(f"| {group} | {len(rows)} | {f1['clean_html']:.3f} | "
                     f"{f1['clean_html_fast']:.3f} | {names[best]} | {f1[best]:.3f} | "
                     f"{f1['clean_html'] - f1[best]:+.3f} |")
    return lines


def language_groups(results: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Languages with MIN_LANGUAGE_PAGES pages or more, by size; the rest pooled as "other"."""
    by_language: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in results:
        by_language[r["language"]].append(r)
    big = sorted((lang for lang, rows in by_language.items() if len(rows) >= MIN_LANGUAGE_PAGES),
                 key=lambda lang: (-len(by_language[lang]), lang))
    groups = [(lang, by_language[lang]) for lang in big]
    other = [r for r in results if r["language"] not in big]
    if other:
        langs = sorted({r["language"] for r in other})
        groups.append((f"other ({', '.join(langs)})", other))
    return groups


def loss_list(results: list[dict[str, Any]], n: int) -> list[str]:
    """The n largest gold lines clean() took out of trafilatura's text, and the rules."""
    lost = [(entry, r["id"]) for r in results for entry in r.get("lost_gold_lines", ())]
    by_rule = Counter(rule for entry, _ in lost for rule in entry["rules"] or ["(none)"])
    taken = sum(entry["removed_share"] >= 0.5 for entry, _ in lost)
    lines = [f"{len(lost)} gold lines of trafilatura's text are not whole in clean()'s output, "
             f"on {len({i for _, i in lost})} pages: {taken} half or more removed, "
             f"{len(lost) - taken} touched (a repair or a part removed). Rules over them: "
             + ", ".join(f"{rule} {k}" for rule, k in by_rule.most_common()), "",
             "| page | tokens | share removed | rules | line (start) |", "|---|---:|---:|---|---|"]
    # Worst first: the most tokens taken out (a touched line loses little).
    worst = sorted(lost, key=lambda x: (-x[0]["tokens"] * x[0]["removed_share"], x[1]))
    for entry, page_id in worst[:n]:
        text = entry.get("line", "").replace("|", "\\|")
        lines.append(f"| {page_id} | {entry['tokens']} | {entry['removed_share']:.2f} "
                     f"| {', '.join(entry['rules']) or '-'} | {text} |")
    return lines


# --- main -------------------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--half", choices=("check", "tune", "all"), default="check")
    ap.add_argument("--source", choices=("wcxb", "fundus", "all"), default="all")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                    help="worker processes (default: every core)")
    ap.add_argument("--limit", type=int, help="the first N pages (by id) of each source")
    ap.add_argument("--out", type=Path, help="per-page scores as JSON "
                    "(default bench/out/generalization-<half>[-<source>].json)")
    ap.add_argument("--cache", type=Path, default=OUT / "cache",
                    help="where trafilatura's texts and the dumps are kept between runs")
    ap.add_argument("--no-cache", action="store_true", help="extract every page afresh")
    ap.add_argument("--losses", type=int, default=0, metavar="N",
                    help="list the N largest gold lines clean() removed from trafilatura's "
                         "text (tune half only)")
    ap.add_argument("--left", type=int, default=0, metavar="N",
                    help="list N of WCXB's `without` snippets still in trafilatura's text "
                         "after clean() (tune half only)")
    args = ap.parse_args()
    if (args.losses or args.left) and args.half != "tune":
        ap.error("--losses and --left read pages case by case: tune half only (--half tune)")

    started = time.perf_counter()
    sources = list(devsplit.SOURCES) if args.source == "all" else [args.source]
    half = None if args.half == "all" else args.half
    pages: list[Page] = []
    for source in sources:
        pages.extend(list(devsplit.load(source, half))[:args.limit])
    cache = None if args.no_cache else args.cache / cache_key()
    out = args.out or OUT / (f"generalization-{args.half}"
                             + ("" if args.source == "all" else f"-{args.source}") + ".json")

    print(f"half: {args.half}; split by site (bench/devsplit.py)\n")
    print("\n".join(devsplit.summary(tuple(sources), devsplit.HALVES if half is None
                                      else (half,))))
    results, restarts = run_all(pages, args.jobs, cache)
    cached = sum(r["extraction_cached"] for r in results)
    elapsed = time.perf_counter() - started

    print(f"\n{len(results)} pages, -j {args.jobs}; trafilatura's texts and dumps from the "
          f"cache for {cached} of them; {elapsed:.1f} s")
    if restarts:
        # The pages it was running were run again: the scores stand, the times may not.
        print(f"worker processes died {restarts} time(s) and were replaced")
    for source in sources:
        rows = [r for r in results if r["source"] == source]
        if not rows:
            continue
        print(f"\n### {source} ({len(rows)} pages, {len({r['site'] for r in rows})} sites)\n")
        print("\n".join(table(rows, snippets=source == "wcxb")))
        if source == "fundus":
            print(f"\n### fundus by language (langid on the gold body; {MIN_LANGUAGE_PAGES}+ "
                  "pages in the half, else pooled)\n")
            print("\n".join(table(rows, snippets=False, groups=language_groups(rows))))
    print("\n### the HTML path against the best single extractor (word F1)\n")
    groups = [(source, [r for r in results if r["source"] == source]) for source in sources]
    groups = [(g, rows) for g, rows in groups if rows]
    fundus = [r for r in results if r["source"] == "fundus"]
    if fundus:
        groups += [(f"fundus {lang}", rows) for lang, rows in language_groups(fundus)]
    print("\n".join(margins(groups)))
    # Cached systems report the time of the run that filled the cache.
    times = {s.key: sorted(r["systems"][s.key]["seconds"] for r in results) for s in SYSTEMS
             if s.key != "trafilatura_text"}
    print("\nmedian ms per page: " + ", ".join(
        f"{key} {1000 * t[len(t) // 2]:.1f}" for key, t in times.items() if t))
    failures = [(r["id"], key, s["error"]) for r in results for key, s in r["systems"].items()
                if "error" in s]
    if failures:
        print(f"\n{len(failures)} system failures (scored as empty output):")
        for page_id, key, error in failures[:20]:
            print(f"- {page_id} {key}: {error[:120]}")
    if args.losses:
        print("\n### tune half: gold lines clean() removed from trafilatura's text\n")
        print("\n".join(loss_list(results, args.losses)))
    if args.left:
        print("\n### tune half: `without` snippets still in trafilatura's text after clean()\n")
        left = [(r["site"], snip) for r in results
                for snip in r["systems"].get(LOSS_SYSTEM, {}).get("without_left_text", ())]
        print(f"{len(left)} snippets on {len({site for site, _ in left})} sites\n")
        print("| site | snippet |\n|---|---|")
        for site, snip in left[:args.left]:
            print(f"| {site} | {snip[:100].replace('|', '/')} |")

    summary = {f"{source}": {s.key: aggregate([r for r in results if r["source"] == source],
                                              s.key) for s in SYSTEMS}
               for source in sources if any(r["source"] == source for r in results)}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "half": args.half, "sources": sources, "limit": args.limit,
        "extraction_cache": cache.name if cache else None, "worker_restarts": restarts,
        "systems": {s.key: {"input": s.input, "name": s.name, "lines": s.lines}
                    for s in SYSTEMS},
        "summary": summary,
        "failures": [{"id": i, "system": k, "error": e} for i, k, e in failures],
        "pages": results,
    }, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\nper-page scores: {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")


if __name__ == "__main__":
    main()
