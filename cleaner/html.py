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
from dataclasses import dataclass, field
from typing import Any

from .errors import LimitExceeded
from .model import CleanResult, Notice
from .pipeline import Cleaner, Config, _default_cleaner

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


@dataclass(frozen=True)
class HtmlCleanResult(CleanResult):
    """A :class:`CleanResult` for a page: ``original`` is the extracted text.

    ``extractor`` names what produced that text (``trafilatura``, ``justext``, or ``""`` when
    nothing could be extracted, with ``reason`` saying why); ``page`` holds the title, author,
    date, site name and URL trafilatura found.
    """

    extractor: str = ""
    page: dict[str, str] = field(default_factory=dict)
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        out["extractor"] = self.extractor
        out["page"] = dict(self.page)
        if self.reason:
            out["reason"] = self.reason
        return out


def _load_tree(html: str | bytes) -> Any:
    # trafilatura's loader decodes bytes by their declared charset (or a guess) and tolerates
    # broken markup; it returns None for what it cannot parse.
    from trafilatura.utils import load_html

    return load_html(html)


#: What a page declares about itself in its head, by XPath, first match wins. A few look-ups
#: cost little; trafilatura's metadata pass (date detection above all) costs a third of an
#: extraction and is asked for only with page_metadata="full".
_HEAD_METADATA = {
    "title": ('//meta[@property="og:title"]/@content', "//head/title/text()"),
    "author": ('//meta[@name="author"]/@content', '//meta[@property="article:author"]/@content',
               '//meta[@name="byl"]/@content', '//meta[@name="parsely-author"]/@content',
               '//meta[@name="dc.creator" or @name="DC.creator"]/@content'),
    "date": ('//meta[@property="article:published_time"]/@content',
             '//meta[@property="og:published_time"]/@content',
             '//meta[@itemprop="datePublished"]/@content', '//time[@itemprop="datePublished"]/@datetime',
             '//meta[@name="date" or @name="pubdate" or @name="publishdate"]/@content',
             '//meta[@name="DC.date.issued" or @name="dc.date"]/@content'),
    "sitename": ('//meta[@property="og:site_name"]/@content',),
    "url": ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'),
}
PAGE_METADATA = ("head", "full", "none")


def _head_metadata(tree: Any) -> dict[str, str]:
    page: dict[str, str] = {}
    for key, xpaths in _HEAD_METADATA.items():
        for xpath in xpaths:
            found = tree.xpath(xpath)
            if found and str(found[0]).strip():
                page[key] = " ".join(str(found[0]).split())
                break
    return page


def _trafilatura(tree: Any, url: str | None, page_metadata: str) -> tuple[str, dict[str, str]]:
    import trafilatura

    # First: extraction prunes the tree it is given.
    page = _head_metadata(tree) if page_metadata != "none" else {}
    if page_metadata == "full":
        meta = trafilatura.extract_metadata(tree, default_url=url)
        if meta is not None:
            page.update({k: str(v) for k in ("title", "author", "date", "sitename", "url")
                         if (v := getattr(meta, k, None))})
    # extract() with its txt output was measured 25% faster on the benchmark than
    # bare_extraction's default output.
    text = trafilatura.extract(tree, url=url, **TRAFILATURA_OPTIONS) or ""
    return text, page


def _justext(html: str | bytes, language: str) -> str:
    import justext

    paragraphs = justext.justext(html, justext.get_stoplist(language))
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def extract(html: str | bytes, url: str | None = None, *, language: str = "English",
            page_metadata: str = "head") -> tuple[str, str, dict[str, str], str]:
    """The article text of a page: (text, extractor, page metadata, reason if empty).

    >>> extract("<html><body><article><p>" + "The talks resumed on Monday. " * 12
    ...         + "</p></article></body></html>")[1]
    'trafilatura'
    """
    if not html or not html.strip():
        return "", "", {}, "empty document"
    try:
        tree = _load_tree(html)
    except Exception as exc:  # noqa: BLE001 - a page must never crash a batch
        return "", "", {}, f"HTML parser rejected the document: {type(exc).__name__}: {exc}"
    if tree is None:
        return "", "", {}, "HTML parser rejected the document"
    text, page = "", dict[str, str]()
    try:
        text, page = _trafilatura(tree, url, page_metadata)
    except Exception as exc:  # noqa: BLE001
        page = {"trafilatura_error": f"{type(exc).__name__}: {exc}"}
    extractor = "trafilatura" if text else ""
    if len(text) < MIN_EXTRACTED_CHARS:
        try:
            fallback = _justext(html, language)
        except Exception:  # noqa: BLE001 - justext rejects some pages trafilatura took
            fallback = ""
        if len(fallback) > len(text):
            text, extractor = fallback, "justext"
    if not text.strip():
        return "", "", page, "no article text found by trafilatura or justext"
    return text, extractor, page, ""


def clean_html(html: str | bytes, url: str | None = None, *, cleaner: Cleaner | None = None,
               page_metadata: str = "head", site: str | None = None) -> HtmlCleanResult:
    """Extract a page's article and clean it. Never raises on bad pages: an empty or
    unparsable document gives an empty result whose ``reason`` says why.

    ``page_metadata``: "head" (default) reads the title, author, date, site name and URL
    the page declares in its head; "full" asks trafilatura to find them (better on pages that
    declare nothing, and a third slower); "none" skips them. ``site`` scopes learned rules
    (default: the host of ``url``).

    >>> page = ("<html><head><title>Talks</title></head><body><article>"
    ...         "<p>Officials said the talks would resume in Geneva on Monday morning .</p>"
    ...         "<p>Advertisement</p>"
    ...         "<p>The envoy said both sides had accepted a ceasefire monitoring plan.</p>"
    ...         "</article></body></html>")
    >>> r = clean_html(page)
    >>> r.extractor, r.page["title"]
    ('trafilatura', 'Talks')
    >>> r.text.splitlines()[0]
    'Officials said the talks would resume in Geneva on Monday morning.'
    >>> clean_html(b"").reason
    'empty document'
    """
    if page_metadata not in PAGE_METADATA:
        raise ValueError(f"page_metadata must be one of {PAGE_METADATA}, got {page_metadata!r}")
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
    text, extractor, page, reason = extract(html, url, language=cleaner.config.language,
                                            page_metadata=page_metadata)
    result = cleaner.clean(text, title=page.get("title"), site=site or url)
    return HtmlCleanResult(
        text=result.text, original=result.original, edits=result.edits,
        notices=result.notices, metadata=result.metadata,
        extractor=extractor, page=page, reason=reason,
    )
