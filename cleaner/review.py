"""A review page: one self-contained HTML file to see what a cleaning run removed.

Reads reports that carry the clean text with their edits (what ``cleaner --report``,
``cleaner --format json`` and ``cleaner -o DIR`` write; JSON, a JSON list, or JSON Lines),
rebuilds each original with :func:`cleaner.restore`, and writes a page with a corpus view
(counts, removals per category and per rule, documents by share removed) and a document view
(the original with every removal struck through, repairs as before and after, the clean text
beside it).

Nothing from a document is ever parsed as HTML: the data sits in the page as JSON with ``<``,
``>`` and ``&`` escaped, and the script builds the page from text nodes. The page loads no
fonts, scripts or styles from anywhere, and renders one page of the document list and one
document at a time, so that a report of 10,000 documents stays quick.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .edits import replay, restore
from .model import Edit

_EDIT_KEYS = ("start", "end", "text", "replacement", "rule", "category")


def _edits(raw: list[dict[str, Any]]) -> list[Edit]:
    return [Edit(start=int(e["start"]), end=int(e["end"]), text=str(e["text"]),
                 replacement=str(e.get("replacement", "")), rule=str(e["rule"]),
                 category=str(e["category"]), filter=str(e.get("filter", "")))
            for e in raw]


def _objects(path: Path) -> Iterator[tuple[str, Any]]:
    """(where, parsed object) for each report in a file; JSON Lines, a list, or one object."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                yield f"{path}:{n}", json.loads(line)
        return
    data = json.loads(text)
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


def _batch_errors(path: Path) -> list[str]:
    errors_file = path.with_name(path.name[:-len(".report.jsonl")] + ".errors.jsonl")
    if not errors_file.exists():
        return []
    out = []
    for line in errors_file.read_text(encoding="utf-8").splitlines():
        if line.strip():
            e = json.loads(line)
            out.append(f"{errors_file.name}: record {e.get('id')} (#{e.get('index')}): {e.get('error')}")
    return out


def load_reports(paths: Iterable[Path | str], *, text_field: str = "text"
                 ) -> tuple[list[dict[str, Any]], list[str]]:
    """The documents of the reports, and one error line for each report that cannot be used.
    A batch run's report file is joined with its records file for the cleaned text, and the
    records its errors file lists are shown as errors."""
    docs: list[dict[str, Any]] = []
    errors: list[str] = []
    for path in map(Path, paths):
        try:
            objects = list(_objects(path))
        except (OSError, ValueError) as exc:
            errors.append(f"{path}: {exc}")
            continue
        if path.name.endswith(".report.jsonl"):
            texts = _batch_texts(path, text_field)
            for _, obj in objects:
                text = next(texts, None)
                if isinstance(obj, dict) and "text" not in obj and text is not None:
                    obj["text"] = text
            errors += _batch_errors(path)
        for where, obj in objects:
            try:
                docs.append(_document(where, obj))
            except (KeyError, TypeError, ValueError) as exc:
                errors.append(f"{where}: not a usable report ({type(exc).__name__}: {exc})")
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
                 rules: dict[str, list[str]] | None = None, title: str = "cleaner review") -> str:
    """The review page for these documents, as one HTML string.

    >>> from cleaner import clean
    >>> r = clean("Advertisement\\n\\n<script>alert(1)</script> The talks ended .")
    >>> page = build_review([_document("doc", r.to_dict() | {"text": r.text})])
    >>> "<script>alert" in page, page.count("<script")
    (False, 2)
    """
    data = {"docs": docs, "errors": errors or [], "rules": rules or rule_descriptions(),
            "title": title}
    return (_TEMPLATE.replace("__TITLE__", _html_text(title))
            .replace("__DATA__", _script_json(data)))


def _html_text(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_review(paths: Iterable[Path | str], out: Path | str) -> tuple[int, list[str]]:
    """Build the page from report files; returns (documents, errors)."""
    docs, errors = load_reports(paths)
    Path(out).write_text(build_review(docs, errors), encoding="utf-8")
    return len(docs), errors


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
.cat-share,.cat-subscribe,.cat-newsletter,.cat-cookie,.cat-copyright{background:#e8dccc}.cat-control{background:#ccc}.cat-boilerplate{background:#ddd3c3}
button{cursor:pointer}
</style></head><body>
<header><h1>__TITLE__</h1></header>
<main>
<section id="corpus"><h2>Corpus</h2><div class="stats" id="stats"></div>
<div class="charts"><div><h2>Removals per category</h2><div id="chart-category"></div></div>
<div><h2>Rules that fired most</h2><div id="chart-rule"></div></div></div>
<ul class="errors" id="errors"></ul></section>
<section id="list"><h2>Documents, most removed first</h2>
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
const byCategory = new Map(), byRule = new Map();
let removals = 0, charsIn = 0, charsOut = 0, guards = 0;
for (const d of D.docs) {
  charsIn += d.chars_in; charsOut += d.chars_out; removals += d.removals;
  guards += d.notices.filter(n => n.startsWith("guard")).length;
  for (const [s, e, rep, rule, cat] of d.edits) {
    if (cat === "whitespace") continue;
    count(byCategory, cat, 1); count(byRule, rule, 1);
  }
}
function stat(id, label, value) {
  const box = el("div", {class: "stat"}); const b = el("b", {id: id}, String(value));
  box.append(b, document.createTextNode(label)); document.getElementById("stats").append(box);
}
stat("stat-records", "documents", D.docs.length);
stat("stat-chars-in", "characters in", charsIn);
stat("stat-chars-out", "characters out", charsOut);
stat("stat-removals", "removals and repairs", removals);
stat("stat-guards", "guard trips", guards);
stat("stat-errors", "unreadable reports", D.errors.length);
for (const err of D.errors) document.getElementById("errors").append(el("li", null, err));
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
  if (state.query && !d.id.toLowerCase().includes(state.query) && !d.original.toLowerCase().includes(state.query)) return false;
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
