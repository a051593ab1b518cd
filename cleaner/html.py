"""HTML in: trafilatura extracts the article, justext steps in where it finds too little, then the
text chain cleans what they return.

Offsets in the report point into the extracted text (``result.original``), not into the HTML:
the chain's edits are exact against the text it was given. The result says which extractor
produced that text and carries the page's title, author and date as trafilatura found them.

trafilatura and justext (and lxml under them) are imported on first use, so that the text
path and the command line do not pay for them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from .errors import LimitExceeded
from .model import CleanResult, Notice
from .pipeline import Cleaner, Config, _default_cleaner

if TYPE_CHECKING:
    from .ensemble import ExtractedBlock

_HTML_START = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<\?xml[^>]*>\s*<html|<!--)",
                         re.IGNORECASE)
_HTML_TAGS = re.compile(rb"<(?:p|div|span|a|br|article|section|meta|script|title)\b",
                        re.IGNORECASE)


def looks_like_html(data: bytes) -> bool:
    """A page, by its start (doctype, <html>, <head>) or by tags in its first kilobytes."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    return bool(_HTML_START.match(head)) or len(_HTML_TAGS.findall(head)) >= 3


#: trafilatura settings, chosen by measurement on the public article-extraction benchmark
#: (bench/extraction.py): favouring precision and leaving comments out scored best.
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "favor_precision": True,
    "include_comments": False,
    "include_tables": True,
}
#: Below this many characters trafilatura's text is taken for a miss, and justext is asked
#: too; the longer of the two wins.
MIN_EXTRACTED_CHARS = 200

# Article bodies split into several containers of one class (around ads, embeds, newsletter
# boxes) are common; trafilatura takes the first container it matches and stops (its maintainer
# explains why in adbar/trafilatura#488: adding more usually adds teasers). When it kept two or
# more paragraphs of such a container and left a large part of the same class's paragraphs
# out, the rest is the article's continuation and is put back in page order.
#: Paragraphs shorter than this are not weighed (captions, bylines).
MIN_BODY_PARAGRAPH_CHARS = 40
#: Put back only when at least this many paragraphs are missing...
MIN_MISSING_PARAGRAPHS = 2
#: ...holding at least this share of the text trafilatura kept from those containers.
MIN_MISSING_SHARE = 0.3


@dataclass(frozen=True)
class HtmlCleanResult(CleanResult):
    """A :class:`CleanResult` for a page: ``original`` is the extracted text.

    ``extractor`` names what produced that text (``trafilatura``; ``trafilatura+body-parts``
    when paragraphs it left in the other containers of a split article body were put back;
    ``justext``; ``ensemble`` when the extractors' evidence was weighed block by block; or
    ``""`` when nothing could be extracted, with ``reason`` saying why); ``page`` holds the
    title, author, date, site name and URL trafilatura found; ``blocks`` the paragraphs
    extraction weighed (mode "ensemble").
    """

    extractor: str = ""
    page: dict[str, str] = field(default_factory=dict)
    reason: str = ""
    #: The page's paragraphs as extraction saw them (mode "ensemble"): text, whether kept,
    #: which extractors kept it, the model's score. Empty in mode "fast".
    blocks: tuple[ExtractedBlock, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        out["extractor"] = self.extractor
        out["page"] = dict(self.page)
        if self.reason:
            out["reason"] = self.reason
        if self.blocks:
            out["blocks"] = [b.to_dict() for b in self.blocks]
        return out


def _load_tree(html: str | bytes) -> Any:
    # trafilatura's loader decodes bytes by their declared charset (or a guess) and tolerates
    # broken markup; it returns None for what it cannot parse.
    from trafilatura.utils import load_html

    return load_html(html)


#: What a page declares about itself, each field's sources in order of trust: (element, the
#: attribute that names it, the names, the attribute that holds the value; a <title> in the
#: head holds its own). A source's first element in page order is its value, the most
#: trusted source with a value wins. trafilatura's metadata pass (date detection above all)
#: costs a third of an extraction and is asked for only with page_metadata="full".
_HEAD_METADATA: dict[str, tuple[tuple[str, str, tuple[str, ...], str], ...]] = {
    "title": (("meta", "property", ("og:title",), "content"), ("title", "", ("",), "")),
    "author": (("meta", "name", ("author",), "content"),
               ("meta", "property", ("article:author",), "content"),
               ("meta", "name", ("byl",), "content"),
               ("meta", "name", ("parsely-author",), "content"),
               ("meta", "name", ("dc.creator", "DC.creator"), "content")),
    "date": (("meta", "property", ("article:published_time",), "content"),
             ("meta", "property", ("og:published_time",), "content"),
             ("meta", "itemprop", ("datePublished",), "content"),
             ("time", "itemprop", ("datePublished",), "datetime"),
             ("meta", "name", ("date", "pubdate", "publishdate"), "content"),
             ("meta", "name", ("DC.date.issued", "dc.date"), "content")),
    "sitename": (("meta", "property", ("og:site_name",), "content"),),
    "url": (("link", "rel", ("canonical",), "href"),
            ("meta", "property", ("og:url",), "content")),
}
PAGE_METADATA = ("head", "full", "none")
# (element, naming attribute, name) -> the (field, rank, value attribute) it is a source for:
# one pass over the page's meta, title, link and time elements, where an XPath per source
# scanned the whole tree thirteen times (0.56 ms a page on the benchmark, now 0.19).
def _by_source() -> dict[tuple[str, str, str], list[tuple[str, int, str]]]:
    out: dict[tuple[str, str, str], list[tuple[str, int, str]]] = {}
    for key, kinds in _HEAD_METADATA.items():
        for rank, (tag, attr, names, value_attr) in enumerate(kinds):
            for name in names:
                out.setdefault((tag, attr, name), []).append((key, rank, value_attr))
    return out


_SOURCES = _by_source()
_NAMING = {"meta": ("property", "name", "itemprop"), "link": ("rel",), "time": ("itemprop",)}


def _head_metadata(tree: Any) -> dict[str, str]:
    first: dict[tuple[str, int], str] = {}
    for el in tree.iter("meta", "title", "link", "time"):
        if el.tag == "title":
            parent = el.getparent()
            if parent is not None and parent.tag == "head" and el.text:
                for key, rank, _ in _SOURCES[("title", "", "")]:
                    first.setdefault((key, rank), el.text)
            continue
        for attr in _NAMING[el.tag]:
            name = el.get(attr)
            for key, rank, value_attr in _SOURCES.get((el.tag, attr, name), ()) if name else ():
                value = el.get(value_attr)
                if value is not None:
                    first.setdefault((key, rank), value)
    page: dict[str, str] = {}
    for key, kinds in _HEAD_METADATA.items():
        for rank in range(len(kinds)):
            value = first.get((key, rank))
            if value is not None and value.strip():
                page[key] = " ".join(value.split())
                break
    return page


#: Elements trafilatura deletes unread (its tree cleaning drops them before extraction, and
#: the readability pass it compares with drops scripts and styles) or that hold no text. Each of
#: its twenty-odd tree passes (copies, XPath prunes) costs in proportion to the tree, so they
#: go before it is called: measured on the benchmark's 181 pages, the same text on every page,
#: about 1 ms a page less. Scripts that carry JSON data stay: trafilatura reads
#: ``application/ld+json`` to tell forum threads from articles.
DISCARDED_ELEMENTS = ("style", "svg", "link", "meta")


def _drop_discarded(tree: Any) -> None:
    from lxml import etree

    for script in tree.iter("script"):
        if "json" not in (script.get("type") or ""):
            script.tag = "style"  # dropped with the styles, in one pass below
    # with_tail=False: the text that follows an element is the parent's and stays.
    etree.strip_elements(tree, *DISCARDED_ELEMENTS, with_tail=False)


def _page_metadata(tree: Any, url: str | None, page_metadata: str) -> dict[str, str]:
    page = _head_metadata(tree) if page_metadata != "none" else {}
    if page_metadata == "full":
        import trafilatura

        meta = trafilatura.extract_metadata(tree, default_url=url)
        if meta is not None:
            page.update({k: str(v) for k in ("title", "author", "date", "sitename", "url")
                         if (v := getattr(meta, k, None))})
    return page


def _trafilatura(tree: Any, url: str | None) -> str:
    import trafilatura

    # extract() with its txt output was measured 25% faster on the benchmark than
    # bare_extraction's default output.
    return trafilatura.extract(tree, url=url, **TRAFILATURA_OPTIONS) or ""


def _stoplist(config: Config) -> str:
    """justext's stoplist for a configuration: its language's, or English's when each
    document's is found on its own (the page is not read yet)."""
    from .language import stoplist_name

    return (stoplist_name(config.language) if config.language != "auto" else None) or "English"


def _justext(html: str | bytes, language: str) -> str:
    import justext

    paragraphs = justext.justext(html, justext.get_stoplist(language))
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def _justext_or_nothing(html: str | bytes, language: str) -> str:
    try:
        return _justext(html, language)
    except Exception:  # noqa: BLE001 - justext rejects some pages trafilatura took
        return ""


def _body_paragraphs(tree: Any) -> list[tuple[str, tuple[str, str]]]:
    """The page's paragraphs in page order, each with its container's tag and class: only
    paragraphs in a container with a class (the signature that repeats) and not in a link
    (a teaser card)."""
    out = []
    for p in tree.iter("p"):
        parent = p.getparent()
        cls = parent.get("class") if parent is not None else None
        if not cls or next(p.iterancestors("a"), None) is not None:
            continue
        text = " ".join(p.text_content().split())
        if len(text) >= MIN_BODY_PARAGRAPH_CHARS:
            out.append((text, (str(parent.tag), cls)))
    return out


def _put_back_body_parts(text: str, paragraphs: list[tuple[str, tuple[str, str]]]) -> str | None:
    """``text`` with the paragraphs trafilatura left in the other containers of its article
    body put back after the paragraph that precedes each on the page; None when none are
    missing, or when where they go cannot be told.

    >>> part = lambda k: (f"Paragraph {k} says the council met again on Monday.", ("div", "body"))
    >>> print(_put_back_body_parts("Title\\n" + part(0)[0] + "\\n" + part(1)[0],
    ...                            [part(k) for k in range(4)]))
    Title
    Paragraph 0 says the council met again on Monday.
    Paragraph 1 says the council met again on Monday.
    Paragraph 2 says the council met again on Monday.
    Paragraph 3 says the council met again on Monday.
    """
    # Only a class with four paragraphs or more can have two kept and two missing: the
    # others are looked at only to place what is put back.
    members = Counter(sig for _, sig in paragraphs)
    weighed = [j for j, (_, sig) in enumerate(paragraphs)
               if members[sig] >= 2 * MIN_MISSING_PARAGRAPHS]
    if not weighed:
        return None
    lines = text.split("\n")
    flat_lines = [" ".join(line.split()) for line in lines]
    flat = " ".join(flat_lines)
    is_kept = {j: paragraphs[j][0][:60] in flat for j in weighed}
    counts = Counter(paragraphs[j][1] for j in weighed if is_kept[j])
    bodies = {sig for sig, n in counts.items() if n >= 2}
    missing = {j for j in weighed if not is_kept[j] and paragraphs[j][1] in bodies}
    kept_chars = sum(len(paragraphs[j][0]) for j in weighed
                     if is_kept[j] and paragraphs[j][1] in bodies)
    if (len(missing) < MIN_MISSING_PARAGRAPHS
            or sum(len(paragraphs[j][0]) for j in missing) < MIN_MISSING_SHARE * kept_chars):
        return None
    kept = [is_kept[j] if j in is_kept else t[:60] in flat
            for j, (t, _) in enumerate(paragraphs)]
    after: dict[int, list[str]] = {}  # line index -> paragraphs to put after it
    anchor = -1
    for j, ((t, _), k) in enumerate(zip(paragraphs, kept, strict=True)):
        if k:
            anchor = next((i for i, line in enumerate(flat_lines) if t[:60] in line), -1)
            if anchor < 0:
                return None  # a kept paragraph spread over lines: no safe place to put things
        elif j in missing and anchor >= 0 and t[:60] not in flat:
            after.setdefault(anchor, []).append(t)
            flat += " " + t
    if not after:
        return None
    out: list[str] = []
    for i, line in enumerate(lines):
        out.append(line)
        out += after.get(i, [])
    return "\n".join(out)


def _furniture_only(result: CleanResult, cleaner: Cleaner) -> bool:
    """Whether the extracted text is little or nothing but furniture: under
    MIN_EXTRACTED_CHARS once clean, or once clean without the guard that held a stage back
    for taking most of the text's prose (the guard protects an article from a bad rule; here
    it would protect a reprint notice)."""
    if len(result.text) < MIN_EXTRACTED_CHARS:
        return True
    if not any(n.kind == "guard" for n in result.notices):
        return False
    unguarded = cleaner._with_run_options(guard_share=1.0)
    return len(unguarded.clean(result.original).text) < MIN_EXTRACTED_CHARS


class _Extraction(NamedTuple):
    text: str
    extractor: str
    page: dict[str, str]
    reason: str
    #: justext's text when it was asked (trafilatura found too little), for clean_html to
    #: reuse rather than run it again.
    justext: str | None = None
    blocks: tuple[ExtractedBlock, ...] = ()


#: How clean_html extracts: "ensemble" weighs trafilatura's, readability's and justext's
#: evidence block by block with the shipped model; "fast" is trafilatura alone with the
#: checks above (the path before the ensemble, about twice as fast).
MODES = ("ensemble", "fast")
DEFAULT_MODE = "ensemble"


def extract(html: str | bytes, url: str | None = None, *, language: str = "English",
            page_metadata: str = "head",
            mode: str = DEFAULT_MODE) -> tuple[str, str, dict[str, str], str]:
    """The article text of a page: (text, extractor, page metadata, reason if empty).

    >>> extract("<html><body><article><p>" + "The talks resumed on Monday. " * 12
    ...         + "</p></article></body></html>", mode="fast")[1]
    'trafilatura'
    """
    return _extract(html, url, language, page_metadata, mode)[:4]


def page_stoplist(tree: Any, language: str, text: str = "") -> str:
    """The justext stoplist for a page: its ``<html lang>``'s; else the language of ``text``
    (what trafilatura found, read by cleaner.language); else ``language`` (the cleaner's).
    The one place a page's language is decided for extraction."""
    from .ensemble import html_language, stoplist_name

    declared = stoplist_name(html_language(tree))
    if declared:
        return declared
    if text:
        from .language import detect
        from .language import stoplist_name as name_of

        found = name_of(detect(text))
        if found:
            return found
    return language


def evidence(html: str | bytes, url: str | None = None, *,
             language: str = "English") -> Any:
    """The ensemble's evidence for a page, exactly as clean_html gathers it (for fitting and
    inspecting the model); None for a page that cannot be parsed."""
    from .ensemble import gather

    tree = _load_tree(html)
    if tree is None:
        return None
    _drop_discarded(tree)
    paragraphs = _body_paragraphs(tree)
    text = _with_body_parts(_trafilatura(tree, url), paragraphs)
    return gather(tree, text, page_stoplist(tree, language, text))


def _with_body_parts(text: str, paragraphs: list[tuple[str, tuple[str, str]]]) -> str:
    """trafilatura's text with the other parts of a split article body put back: the
    trafilatura voice of the ensemble (the fast path's text before its justext fallback)."""
    return (_put_back_body_parts(text, paragraphs) if text else None) or text


def _extract(html: str | bytes, url: str | None, language: str,
             page_metadata: str, mode: str = DEFAULT_MODE) -> _Extraction:
    if not html or not html.strip():
        return _Extraction("", "", {}, "empty document")
    try:
        tree = _load_tree(html)
    except Exception as exc:  # noqa: BLE001 - a page must never crash a batch
        return _Extraction("", "", {}, "HTML parser rejected the document: "
                           f"{type(exc).__name__}: {exc}")
    if tree is None:
        return _Extraction("", "", {}, "HTML parser rejected the document")
    text, page = "", dict[str, str]()
    try:
        page = _page_metadata(tree, url, page_metadata)  # reads <meta> and <link>: first
        _drop_discarded(tree)
        # Paragraphs are read as trafilatura gets the page: no script inside them.
        paragraphs = _body_paragraphs(tree)
        text = _trafilatura(tree, url)
        if mode != "fast":
            weighed = _ensemble(tree, _with_body_parts(text, paragraphs), language)
            if weighed is not None:
                return _Extraction(weighed[0], "ensemble", page, "", None, weighed[1])
            # The model kept too little to be an article (or failed): the fast path's checks
            # decide, from trafilatura's text, as they always did.
    except Exception as exc:  # noqa: BLE001
        paragraphs, page = [], {"trafilatura_error": f"{type(exc).__name__}: {exc}"}
    extractor = "trafilatura" if text else ""
    if text and (whole := _put_back_body_parts(text, paragraphs)) is not None:
        text, extractor = whole, "trafilatura+body-parts"
    fallback = None
    if len(text) < MIN_EXTRACTED_CHARS:
        fallback = _justext_or_nothing(html, language)
        if len(fallback) > len(text):
            text, extractor = fallback, "justext"
    if not text.strip():
        return _Extraction("", "", page, "no article text found by trafilatura or justext",
                           fallback)
    return _Extraction(text, extractor, page, "", fallback)


def _ensemble(tree: Any, trafilatura_text: str,
              language: str) -> tuple[str, tuple[ExtractedBlock, ...]] | None:
    """The ensemble's text and block report; None when it keeps under MIN_EXTRACTED_CHARS
    (then the fast path's fallbacks decide) or fails on the page."""
    from .ensemble import decide, gather, shipped_model

    model = shipped_model()  # a broken shipped model is an install error: it raises
    try:
        text, blocks = decide(gather(tree, trafilatura_text,
                                     page_stoplist(tree, language, trafilatura_text)),
                              model)
    except Exception:  # noqa: BLE001 - a page must never crash a batch
        return None
    if len(text) < MIN_EXTRACTED_CHARS:
        return None
    return text, blocks


def clean_html(html: str | bytes, url: str | None = None, *, cleaner: Cleaner | None = None,
               page_metadata: str = "head", site: str | None = None,
               progress: Callable[[str], object] | None = None,
               mode: str = DEFAULT_MODE) -> HtmlCleanResult:
    """Extract a page's article and clean it. Never raises on bad pages: an empty or
    unparsable document gives an empty result whose ``reason`` says why.

    ``page_metadata``: "head" (default) reads the title, author, date, site name and URL
    the page declares in its head; "full" asks trafilatura to find them (better on pages that
    declare nothing, and a third slower); "none" skips them. ``site`` scopes learned rules
    (default: the host of ``url``). ``progress`` is called with "extract" and then each
    stage's name as it starts. ``mode``: "ensemble" (default) weighs trafilatura's,
    readability's and justext's evidence paragraph by paragraph with the shipped model and
    reports each paragraph in ``blocks``; "fast" is trafilatura alone with its checks.

    >>> page = ("<html><head><title>Talks</title></head><body><article>"
    ...         "<p>Officials said the talks would resume in Geneva on Monday morning .</p>"
    ...         "<p>Advertisement</p>"
    ...         "<p>The envoy said both sides had accepted a ceasefire monitoring plan.</p>"
    ...         "</article></body></html>")
    >>> r = clean_html(page, mode="fast")
    >>> r.extractor, r.page["title"]
    ('trafilatura', 'Talks')
    >>> r.text.splitlines()[0]
    'Officials said the talks would resume in Geneva on Monday morning.'
    >>> clean_html(b"").reason
    'empty document'
    """
    if page_metadata not in PAGE_METADATA:
        raise ValueError(f"page_metadata must be one of {PAGE_METADATA}, got {page_metadata!r}")
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    cleaner = cleaner or _default_cleaner(Config())
    limit = cleaner.config.max_chars
    if limit is not None and len(html) > limit:
        # Parsing is where a page's memory goes (a tree of many times its size): an oversized
        # page is not parsed at all. There is no article text to pass through.
        detail = f"a page of {len(html)} characters, over the limit of {limit}"
        if cleaner.config.on_limit == "reject":
            raise LimitExceeded("max_chars", detail)
        return HtmlCleanResult(text="", original="", edits=(), notices=(
            Notice("limit", "", "max_chars", f"{detail}; not parsed"),),
            reason=f"{detail}; not parsed")
    if progress is not None:
        progress("extract")
    text, extractor, page, reason, asked, blocks = _extract(html, url, _stoplist(cleaner.config),
                                                            page_metadata, mode)
    result = cleaner.clean(text, title=page.get("title"), site=site or url, progress=progress)
    if extractor.startswith("trafilatura") and _furniture_only(result, cleaner):
        # trafilatura took the wrong block: what it found is furniture once cleaned (a
        # reprint notice, a subscription wall). justext reads the page paragraph by paragraph.
        fallback = asked if asked is not None else _justext_or_nothing(
            html, _stoplist(cleaner.config))
        if fallback:
            second = cleaner.clean(fallback, title=page.get("title"), site=site or url)
            if len(second.text) > len(result.text):
                result, extractor = second, "justext"
    return HtmlCleanResult(
        text=result.text, original=result.original, edits=result.edits,
        notices=result.notices, metadata=result.metadata,
        extractor=extractor, page=page, reason=reason, blocks=blocks,
    )
