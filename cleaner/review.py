"""A review page: one self-contained HTML file to see what a cleaning run removed.

Reads reports that carry the clean text with their edits (what ``cleaner --report``,
``cleaner --format json``, ``cleaner -o DIR`` and ``cleaner batch`` write; JSON, a JSON list,
or JSON Lines), rebuilds each original with :func:`cleaner.restore`, and writes a page with a
corpus view (counts, removals per category and per rule, documents by share removed) and a
document view (the original with every removal struck through, repairs as before and after,
the clean text beside it).

A run of any size gives a page of bounded size, built in bounded memory: the corpus view
counts every document, and the document view holds a sample of at most ``sample``
documents, chosen to show every category and rule (the first :data:`PER_KEY` documents each
fires in), the documents with notices, and the ones with the most removed; originals past
:data:`TEXT_BUDGET` characters in all are listed without their text. The reports are read
twice, once to count and choose, once to take the chosen documents; only the choice is
kept in between. ``everything=True`` (``cleaner review --all``) shows every document, for
runs small enough to hold.

Nothing from a document is ever parsed as HTML: the data sits in the page as JSON with ``<``,
``>`` and ``&`` escaped, and the script builds the page from text nodes. The page loads no
fonts, scripts or styles from anywhere, and renders one page of the document list and one
document at a time.
"""

from __future__ import annotations

import heapq
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .edits import replay, restore
from .files import write_atomic
from .model import Edit

#: Documents the page shows in full, by default.
SAMPLE_DOCS = 500
#: Documents kept in the sample for each category and each rule (the first it fires in).
PER_KEY = 3
#: Documents with the largest share removed kept in the sample.
TOP_REMOVED = 50
#: Documents with notices (guards, timeouts, limits) kept in the sample.
WITH_NOTICES = 50
#: Characters of originals the page holds in all; past it, sampled documents are listed
#: with their counts but without their text.
TEXT_BUDGET = 20_000_000
#: Unreadable reports and failed records listed by name; the rest are counted.
MAX_ERRORS_LISTED = 200

_EDIT_KEYS = ("start", "end", "text", "replacement", "rule", "category")


def _edits(raw: list[dict[str, Any]]) -> list[Edit]:
    return [Edit(start=int(e["start"]), end=int(e["end"]), text=str(e["text"]),
                 replacement=str(e.get("replacement", "")), rule=str(e["rule"]),
                 category=str(e["category"]), filter=str(e.get("filter", "")))
            for e in raw]


def _objects(path: Path) -> Iterator[tuple[str, Any]]:
    """(where, parsed object) for each report in a file; JSON Lines (read line by line), a
    list, or one object. A line that is not JSON gives (where, ValueError)."""
    if path.suffix == ".jsonl":
        with path.open(encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if line.strip():
                    try:
                        yield f"{path}:{n}", json.loads(line)
                    except ValueError as exc:
                        yield f"{path}:{n}", exc
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    for n, obj in enumerate(data if isinstance(data, list) else [data], 1):
        yield (f"{path}:{n}" if isinstance(data, list) else str(path)), obj


def _batch_texts(path: Path, text_field: str) -> Iterator[str | None]:
    """For a batch run's NAME.report.jsonl: the cleaned texts of NAME.jsonl, in order (the
    report lists the same records, those that were cleaned)."""
    records = path.with_name(path.name[:-len(".report.jsonl")] + ".jsonl")
    if not records.exists():
        return
    with records.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                value = json.loads(line).get(text_field)
                yield value if isinstance(value, str) else None


def _batch_errors(path: Path) -> Iterator[str]:
    errors_file = path.with_name(path.name[:-len(".report.jsonl")] + ".errors.jsonl")
    if not errors_file.exists():
        return
    with errors_file.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                e = json.loads(line)
                yield (f"{errors_file.name}: record {e.get('id')} (#{e.get('index')}): "
                       f"{e.get('error')}")


def _read(paths: Iterable[Path | str], text_field: str
          ) -> Iterator[tuple[dict[str, Any] | None, str | None]]:
    """(document, None) for each usable report, (None, error line) for each that is not,
    streaming: one report in memory at a time. A batch run's report file is joined with its
    records file for the cleaned text, and the records its errors file lists are errors."""
    for path in map(Path, paths):
        texts: Iterator[str | None] = iter(())
        batch = path.name.endswith(".report.jsonl")
        if batch:
            texts = _batch_texts(path, text_field)
        try:
            for where, obj in _objects(path):
                if batch:
                    text = next(texts, None)
                    if isinstance(obj, dict) and "text" not in obj and text is not None:
                        obj["text"] = text
                if isinstance(obj, ValueError):
                    yield None, f"{where}: not JSON ({obj})"
                    continue
                try:
                    yield _document(where, obj), None
                except (KeyError, TypeError, ValueError) as exc:
                    yield None, f"{where}: not a usable report ({type(exc).__name__}: {exc})"
            if batch:
                for err in _batch_errors(path):
                    yield None, err
        except (OSError, ValueError) as exc:
            yield None, f"{path}: {exc}"


def load_reports(paths: Iterable[Path | str], *, text_field: str = "text"
                 ) -> tuple[list[dict[str, Any]], list[str]]:
    """Every document of the reports, and one error line for each report or record that
    cannot be used (all held in memory: :func:`write_review` streams instead)."""
    docs: list[dict[str, Any]] = []
    errors: list[str] = []
    for doc, err in _read(paths, text_field):
        if doc is not None:
            docs.append(doc)
        else:
            assert err is not None
            errors.append(err)
    return docs, errors


def _document(where: str, obj: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        raise ValueError("needs the clean text ('text') beside its edits")
    edits = _edits(obj["edits"])
    original = restore(obj["text"], edits)
    if replay(original, edits) != obj["text"]:
        raise ValueError("edits do not replay to the text")
    chars_in, chars_out = len(original), len(obj["text"])
    removals = [e for e in edits if e.category != "whitespace"]
    return {
        "id": str(obj.get("id") or where),
        "original": original,
        "text": obj["text"],
        "edits": [[e.start, e.end, e.replacement, e.rule, e.category] for e in edits],
        "chars_in": chars_in,
        "chars_out": chars_out,
        "share": round(1 - chars_out / chars_in, 4) if chars_in else 0.0,
        "removals": len(removals),
        "notices": [f"{n.get('kind')}: {n.get('rule')}: {n.get('detail')}"
                    for n in obj.get("notices", []) if isinstance(n, dict)],
        "extractor": obj.get("extractor", ""),
    }


@dataclass
class Corpus:
    """What the corpus view counts: every document and every error, however many."""

    documents: int = 0
    chars_in: int = 0
    chars_out: int = 0
    removals: int = 0
    guards: int = 0
    by_category: Counter[str] = field(default_factory=Counter)
    by_rule: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    errors_total: int = 0

    def add(self, doc: dict[str, Any]) -> None:
        self.documents += 1
        self.chars_in += doc["chars_in"]
        self.chars_out += doc["chars_out"]
        self.removals += doc["removals"]
        self.guards += sum(1 for n in doc["notices"] if n.startswith("guard"))
        for _, _, _, rule, category in doc["edits"]:
            if category != "whitespace":
                self.by_category[category] += 1
                self.by_rule[rule] += 1

    def error(self, line: str) -> None:
        self.errors_total += 1
        if len(self.errors) < MAX_ERRORS_LISTED:
            self.errors.append(line)

    def to_dict(self) -> dict[str, Any]:
        return {"documents": self.documents, "chars_in": self.chars_in,
                "chars_out": self.chars_out, "removals": self.removals, "guards": self.guards,
                "by_category": dict(self.by_category.most_common()),
                "by_rule": dict(self.by_rule.most_common()),
                "errors_total": self.errors_total}


class _Sampler:
    """Chooses, in one pass over the documents and holding only their positions, the
    documents the page shows: per category and rule the first few that show it, those with
    notices, and those with the most removed, in that order of priority, up to ``limit``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.first: dict[str, list[int]] = {}  # "category:x" / "rule:y" -> positions
        self.noticed: list[int] = []
        self.most: list[tuple[float, int]] = []  # a min-heap of (share, -position)

    def offer(self, k: int, doc: dict[str, Any]) -> None:
        keys = dict.fromkeys(f"{kind}:{name}" for _, _, _, rule, cat in doc["edits"]
                             if cat != "whitespace"
                             for kind, name in (("category", cat), ("rule", rule)))
        for key in keys:
            # Keys past the limit can never be shown: a pack of 75,000 learned rules must
            # not make the choice itself grow without bound.
            if key in self.first or len(self.first) < self.limit:
                held = self.first.setdefault(key, [])
                if len(held) < PER_KEY:
                    held.append(k)
        if doc["notices"] and len(self.noticed) < WITH_NOTICES:
            self.noticed.append(k)
        item = (doc["share"], -k)
        if len(self.most) < TOP_REMOVED:
            heapq.heappush(self.most, item)
        elif item > self.most[0]:
            heapq.heapreplace(self.most, item)

    def chosen(self) -> set[int]:
        picks: dict[int, None] = {}
        categories = [v for key, v in self.first.items() if key.startswith("category:")]
        rules = [v for key, v in self.first.items() if key.startswith("rule:")]
        most = [-k for _, k in sorted(self.most, reverse=True)]
        # One document per key first, so that every category and rule is shown before any
        # gets a second example.
        for rank in range(PER_KEY):
            for held in (*categories, *rules):
                if rank < len(held):
                    picks.setdefault(held[rank])
            if rank == 0:
                for k in (*self.noticed, *most):
                    picks.setdefault(k)
        return set(list(picks)[:self.limit])


def rule_descriptions() -> dict[str, list[str]]:
    """Every shipped rule's category and description, for the page's hover and click."""
    from .pipeline import Cleaner

    cleaner = Cleaner()
    out = {r.id: [r.category, r.description] for r in cleaner.rules}
    out.update({r.id: [r.category, r.description] for r in cleaner.code_rules()})
    return out


def _script_json(data: Any) -> str:
    # Inside <script type="application/json"> only "</script" could end the element early;
    # escaping every <, > and & keeps all of a document's text inert.
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def build_review(docs: list[dict[str, Any]], errors: list[str] | None = None,
                 rules: dict[str, list[str]] | None = None, title: str = "cleaner review",
                 corpus: Corpus | None = None, note: str = "") -> str:
    """The review page for these documents, as one HTML string. ``corpus`` counts the whole
    run when ``docs`` are a sample of it (by default, ``docs`` and ``errors`` are all).

    >>> from cleaner import clean
    >>> r = clean("Advertisement\\n\\n<script>alert(1)</script> The talks ended .")
    >>> page = build_review([_document("doc", r.to_dict() | {"text": r.text})])
    >>> "<script>alert" in page, page.count("<script")
    (False, 2)
    """
    if corpus is None:
        corpus = Corpus()
        for doc in docs:
            corpus.add(doc)
        for err in errors or []:
            corpus.error(err)
    data = {"docs": docs, "errors": corpus.errors, "corpus": corpus.to_dict(),
            "rules": rules or rule_descriptions(), "title": title, "note": note}
    return (_TEMPLATE.replace("__TITLE__", _html_text(title))
            .replace("__DATA__", _script_json(data)))


def _html_text(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_review(paths: Iterable[Path | str], out: Path | str, *, sample: int = SAMPLE_DOCS,
                 everything: bool = False, text_field: str = "text") -> tuple[int, list[str]]:
    """Build the page from report files; returns (documents counted, error lines listed).
    The page is written (atomically) only when there is a document to show."""
    paths = [Path(p) for p in paths]
    corpus = Corpus()
    shown: list[dict[str, Any]] = []
    if everything:
        for doc, err in _read(paths, text_field):
            if doc is None:
                corpus.error(err or "")
            else:
                corpus.add(doc)
                shown.append(doc)
        note = ""
    else:
        sampler = _Sampler(sample)
        k = 0
        for doc, err in _read(paths, text_field):
            if doc is None:
                corpus.error(err or "")
                continue
            corpus.add(doc)
            sampler.offer(k, doc)
            k += 1
        chosen = sampler.chosen()
        budget = TEXT_BUDGET
        k = 0
        for doc, _ in _read(paths, text_field):
            if doc is None:
                continue
            if k in chosen:
                if doc["chars_in"] > budget:
                    # Listed with its counts; its text would take the page past its bound.
                    doc = doc | {"original": None, "text": None}
                else:
                    budget -= doc["chars_in"]
                shown.append(doc)
            k += 1
        note = ("" if len(shown) == corpus.documents else
                f"Showing {len(shown)} of {corpus.documents} documents: for every category "
                f"and rule the first {PER_KEY} it fired in, those with notices, and the "
                f"{TOP_REMOVED} with the most removed (cleaner review --all shows every one).")
    if corpus.documents == 0:
        return 0, corpus.errors
    write_atomic(out, build_review(shown, rules=rule_descriptions(), corpus=corpus, note=note))
    return corpus.documents, corpus.errors


_TEMPLATE = r"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>__TITLE__</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:10px 18px}header h1{font-size:17px;margin:0}
main{padding:12px 18px}section{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:12px;margin-bottom:12px}
h2{font-size:15px;margin:0 0 8px}.stats{display:flex;gap:18px;flex-wrap:wrap}.stat b{display:block;font-size:20px}
.charts{display:grid;grid-template-columns:1fr 1fr;gap:14px}.bar{display:flex;align-items:center;gap:6px;margin:2px 0;cursor:pointer}
.bar span.label{width:230px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}.fill{height:12px;border-radius:2px;background:#7a8598}
.controls{display:flex;gap:10px;flex-wrap:wrap;margin-bottom:8px}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #eef0f3;padding:3px 6px;text-align:left}tr.doc-row{cursor:pointer}tr.doc-row:hover{background:#eef3ff}
.panes{display:grid;grid-template-columns:1fr 1fr;gap:12px}.pane{white-space:pre-wrap;word-wrap:break-word;border:1px solid #eef0f3;padding:8px;max-height:70vh;overflow:auto;font:13px/1.5 ui-monospace,Menlo,Consolas,monospace}
del.removal{text-decoration:line-through;cursor:pointer;border-radius:2px}del.old{color:#a33;cursor:pointer}ins.new{color:#176b2c;text-decoration:none;background:#e3f6e7;cursor:pointer}
span.ws{background:#f1f1f1}.dim{opacity:.25}#info{min-height:1.5em;color:#444;margin:6px 0}.errors li{color:#a33}
.cat-artifact{background:#f8d9a8}.cat-entity{background:#d9e8ff}.cat-metadata{background:#e3d9ff}.cat-byline{background:#ffd9ec}.cat-ad{background:#ffc9c9}
.cat-related{background:#c9f0ff}.cat-trailing-headlines{background:#ffe7a8}.cat-duplicate{background:#d6f5d6}.cat-punctuation{background:#eee}
.cat-share,.cat-subscribe,.cat-newsletter,.cat-cookie,.cat-copyright,.cat-comments,.cat-navigation,.cat-tags,.cat-bio,.cat-syndication,.cat-placeholder{background:#e8dccc}.cat-control{background:#ccc}.cat-boilerplate{background:#ddd3c3}
button{cursor:pointer}
</style></head><body>
<header><h1>__TITLE__</h1></header>
<main>
<section id="corpus"><h2>Corpus</h2><div class="stats" id="stats"></div>
<div class="charts"><div><h2>Removals per category</h2><div id="chart-category"></div></div>
<div><h2>Rules that fired most</h2><div id="chart-rule"></div></div></div>
<ul class="errors" id="errors"></ul></section>
<section id="list"><h2>Documents, most removed first</h2><p id="note"></p>
<div class="controls"><label>Category <select id="filter-category"><option value="">all</option></select></label>
<label>Rule <select id="filter-rule"><option value="">all</option></select></label>
<label>Search <input id="search" type="search" placeholder="id or text"></label>
<button id="page-prev">&larr;</button><span id="page-info"></span><button id="page-next">&rarr;</button></div>
<table><thead><tr><th>document</th><th>removed</th><th>characters</th><th>removals</th><th>notices</th></tr></thead>
<tbody id="doc-rows"></tbody></table></section>
<section id="doc" hidden><h2 id="doc-title"></h2>
<div class="controls"><button id="doc-prev">&larr; previous</button><button id="doc-next">next &rarr;</button></div>
<div id="info">Click a struck span for its rule.</div><ul id="doc-notices" class="errors"></ul>
<div class="panes"><div><h2>Original, removals struck through</h2><div class="pane" id="original"></div></div>
<div><h2>Clean text</h2><div class="pane" id="clean"></div></div></div></section>
</main>
<script type="application/json" id="data">__DATA__</script>
<script>
"use strict";
const D = JSON.parse(document.getElementById("data").textContent);
const PAGE = 50;
const state = {category: "", rule: "", query: "", page: 0, doc: -1};
function el(tag, props, text) {
  const e = document.createElement(tag);
  if (props) for (const k in props) { if (k === "class") e.className = props[k]; else e.setAttribute(k, props[k]); }
  if (text !== undefined) e.textContent = text;
  return e;
}
function count(map, key, n) { map.set(key, (map.get(key) || 0) + n); }
const C = D.corpus;
const byCategory = new Map(Object.entries(C.by_category)), byRule = new Map(Object.entries(C.by_rule));
function stat(id, label, value) {
  const box = el("div", {class: "stat"}); const b = el("b", {id: id}, String(value));
  box.append(b, document.createTextNode(label)); document.getElementById("stats").append(box);
}
stat("stat-records", "documents", C.documents);
stat("stat-chars-in", "characters in", C.chars_in);
stat("stat-chars-out", "characters out", C.chars_out);
stat("stat-removals", "removals and repairs", C.removals);
stat("stat-guards", "guard trips", C.guards);
stat("stat-errors", "unreadable reports and failed records", C.errors_total);
for (const err of D.errors) document.getElementById("errors").append(el("li", null, err));
if (C.errors_total > D.errors.length)
  document.getElementById("errors").append(el("li", null, "... and " + (C.errors_total - D.errors.length) + " more"));
if (D.note) document.getElementById("note").textContent = D.note;
function chart(id, map, onClick, limit) {
  const box = document.getElementById(id);
  const rows = [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit);
  const top = rows.length ? rows[0][1] : 1;
  for (const [key, n] of rows) {
    const bar = el("div", {class: "bar", "data-key": key});
    bar.append(el("span", {class: "label", title: (D.rules[key] || ["", ""])[1]}, key),
               el("div", {class: "fill cat-" + ((D.rules[key] || [key])[0]), style: "width:" + Math.max(2, 260 * n / top) + "px"}),
               el("span", null, String(n)));
    bar.addEventListener("click", () => onClick(key)); box.append(bar);
  }
}
chart("chart-category", byCategory, k => setFilter("category", k), 30);
chart("chart-rule", byRule, k => setFilter("rule", k), 20);
function options(id, keys) {
  const sel = document.getElementById(id);
  for (const k of [...keys].sort()) sel.append(el("option", {value: k}, k));
  sel.addEventListener("change", () => setFilter(id === "filter-category" ? "category" : "rule", sel.value));
}
options("filter-category", byCategory.keys());
options("filter-rule", byRule.keys());
document.getElementById("search").addEventListener("input", e => { state.query = e.target.value.toLowerCase(); state.page = 0; renderList(); });
const order = D.docs.map((d, i) => i).sort((a, b) => D.docs[b].share - D.docs[a].share);
function matches(d) {
  if (state.category && !d.edits.some(e => e[4] === state.category)) return false;
  if (state.rule && !d.edits.some(e => e[3] === state.rule)) return false;
  if (state.query && !d.id.toLowerCase().includes(state.query) && !(d.original || "").toLowerCase().includes(state.query)) return false;
  return true;
}
function filtered() { return order.filter(i => matches(D.docs[i])); }
function setFilter(kind, value) {
  state[kind] = value; state.page = 0;
  document.getElementById(kind === "category" ? "filter-category" : "filter-rule").value = value;
  renderList(); if (state.doc >= 0) renderDoc(state.doc);
}
function renderList() {
  const rows = document.getElementById("doc-rows"); rows.textContent = "";
  const list = filtered(), pages = Math.max(1, Math.ceil(list.length / PAGE));
  state.page = Math.min(state.page, pages - 1);
  for (const i of list.slice(state.page * PAGE, (state.page + 1) * PAGE)) {
    const d = D.docs[i], tr = el("tr", {class: "doc-row", "data-index": String(i)});
    tr.append(el("td", null, d.id), el("td", null, (100 * d.share).toFixed(1) + "%"),
              el("td", null, d.chars_in + " \u2192 " + d.chars_out), el("td", null, String(d.removals)),
              el("td", null, String(d.notices.length)));
    tr.addEventListener("click", () => renderDoc(i)); rows.append(tr);
  }
  document.getElementById("page-info").textContent = " " + list.length + " documents, page " + (state.page + 1) + " of " + pages + " ";
}
document.getElementById("page-prev").addEventListener("click", () => { state.page = Math.max(0, state.page - 1); renderList(); });
document.getElementById("page-next").addEventListener("click", () => { state.page += 1; renderList(); });
function describe(rule, cat) {
  const info = D.rules[rule]; document.getElementById("info").textContent = rule + " (" + cat + "): " + (info ? info[1] : "");
}
function renderDoc(i) {
  state.doc = i; const d = D.docs[i];
  document.getElementById("doc").hidden = false;
  document.getElementById("doc-title").textContent = d.id + (d.extractor ? " (" + d.extractor + ")" : "");
  const notes = document.getElementById("doc-notices"); notes.textContent = "";
  for (const n of d.notices) notes.append(el("li", null, n));
  const pane = document.getElementById("original"); pane.textContent = "";
  if (d.original === null) {
    pane.textContent = "Too large to show here (" + d.chars_in + " characters): its report holds every edit.";
    document.getElementById("clean").textContent = ""; return;
  }
  let pos = 0;
  for (const [s, e, rep, rule, cat] of d.edits) {
    if (s > pos) pane.append(document.createTextNode(d.original.slice(pos, s)));
    const dim = (state.category && cat !== state.category) || (state.rule && rule !== state.rule) ? " dim" : "";
    const title = rule + ": " + ((D.rules[rule] || ["", ""])[1]);
    let node;
    if (cat === "whitespace") node = el("span", {class: "ws" + dim, title: title}, d.original.slice(s, e));
    else if (!rep) node = el("del", {class: "removal cat-" + cat + dim, title: title, "data-rule": rule, "data-category": cat}, d.original.slice(s, e));
    else {
      node = el("span", {class: "repair" + dim, title: title, "data-rule": rule});
      node.append(el("del", {class: "old cat-" + cat}, d.original.slice(s, e)), el("ins", {class: "new"}, rep));
    }
    node.addEventListener("click", () => describe(rule, cat));
    pane.append(node); pos = e;
  }
  pane.append(document.createTextNode(d.original.slice(pos)));
  document.getElementById("clean").textContent = d.text;
}
function step(delta) {
  const list = filtered(); if (!list.length) return;
  const at = list.indexOf(state.doc); renderDoc(list[(at + delta + list.length) % list.length]);
}
document.getElementById("doc-prev").addEventListener("click", () => step(-1));
document.getElementById("doc-next").addEventListener("click", () => step(1));
renderList();
</script></body></html>
"""
