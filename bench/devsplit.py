"""The development pages, split by site into a tuning half and a check half, once and for all.

Two sets of pages with gold text live in ``../shared/dev`` (read-only, never copied here):
``wcxb-articles`` (WCXB's dev split: 709 English pages, 694 domains) and ``fundus`` (258
news pages of 181 publishers in 24 languages, gold from fundus's per-publisher parsers).

Anything tuned on these pages (a threshold, a rule, a learned pattern) must be judged on pages
it did not see, and on sites it did not see: a site's template repeats on every page of it, so
a rule fitted to one page of a site is fitted to all of them. The split is therefore by site:

- a page's site is, for WCXB, its ``domain`` field, for fundus the host of its ``url``; lower
  case, a leading ``www.`` dropped;
- what is split is the site for WCXB and the publisher for fundus (``publisher:`` and its
  name, lower case): one fundus publisher serves pages from several hosts with one template
  (zdf.de and zdfheute.de, 9news.com.au and nine.com.au), and split by host they fell in both
  halves;
- a key's half is the first byte of the SHA-256 of the key string, modulo 2: 0 is ``tune``,
  1 is ``check``. It depends on nothing else (not on the page set, the order or a seed), so
  it never changes.

Tuning and learning code reads ``load(source, "tune")`` only; ``bench/generalization.py``
reports on ``check``.

    python bench/devsplit.py        # pages, sites and languages per half and source
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
#: Where the development sets live (a sibling of the repository, as for the other benches).
DEV = ROOT.parent / "shared" / "dev"
#: Source name -> its folder under DEV.
SOURCES: dict[str, str] = {"wcxb": "wcxb-articles", "fundus": "fundus"}
Half = Literal["tune", "check"]
HALVES: tuple[Half, Half] = ("tune", "check")


def normalise_site(name: str) -> str:
    """A host or domain as a site: lower case, a leading ``www.`` dropped.

    >>> normalise_site("WWW.Example.COM")
    'example.com'
    >>> normalise_site("news.example.com")
    'news.example.com'
    """
    site = name.strip().lower().rstrip(".")
    return site[4:] if site.startswith("www.") else site


def site_of_record(source: str, record: dict[str, Any]) -> str:
    """The site a gold record belongs to: WCXB's ``domain`` field, fundus's URL host.

    >>> site_of_record("wcxb", {"domain": "www.BBC.co.uk", "url": "https://bbc.co.uk/x"})
    'bbc.co.uk'
    >>> site_of_record("fundus", {"url": "https://www.derstandard.at/story/1?ref=rss"})
    'derstandard.at'
    """
    if source == "wcxb" and record.get("domain"):
        return normalise_site(record["domain"])
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; one of {', '.join(SOURCES)}")
    return normalise_site(urlsplit(record.get("url") or "").hostname or "")


def split_key(source: str, record: dict[str, Any]) -> str:
    """What decides a page's half: its site, or for fundus its publisher (one template over
    several hosts).

    >>> split_key("fundus", {"publisher": "ZDF", "url": "https://www.zdfheute.de/x"})
    'publisher:zdf'
    >>> split_key("wcxb", {"domain": "bbc.co.uk"})
    'bbc.co.uk'
    """
    if source == "fundus" and record.get("publisher"):
        return "publisher:" + " ".join(str(record["publisher"]).lower().split())
    return site_of_record(source, record)


def half(site: str) -> Half:
    """The half a site belongs to, from a hash of its name alone.

    >>> half("derstandard.at"), half("theguardian.com"), half("bbc.co.uk")
    ('tune', 'check', 'tune')
    """
    return HALVES[hashlib.sha256(site.encode("utf-8")).digest()[0] % 2]


_half = half  # load() takes a parameter of the same name


@dataclass(frozen=True)
class Page:
    """One development page: its gold record, with the HTML read only when asked for."""

    source: str
    id: str
    site: str
    half: Half
    record: dict[str, Any]
    path: Path

    def html(self) -> bytes:
        """The page's HTML bytes (UTF-8 in both sources)."""
        return gzip.decompress(self.path.read_bytes())

    @property
    def gold(self) -> str:
        """The gold article text."""
        return (self.record.get("main_content") if self.source == "wcxb"
                else self.record.get("body")) or ""

    @property
    def url(self) -> str:
        return self.record.get("url") or ""

    @property
    def title(self) -> str:
        return self.record.get("title") or ""

    @property
    def language(self) -> str:
        """fundus's langid guess on the body; WCXB's pages are all English."""
        return self.record.get("language") or "en"


@cache
def records(source: str, root: Path = DEV) -> tuple[dict[str, Any], ...]:
    """A source's gold records, sorted by id (read once per process)."""
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; one of {', '.join(SOURCES)}")
    with gzip.open(root / SOURCES[source] / "ground-truth.jsonl.gz", "rt",
                   encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return tuple(sorted(rows, key=lambda r: r["id"]))


def load(source: str, half: Half | None = None, *, root: Path = DEV) -> Iterator[Page]:
    """The pages of ``source`` (``wcxb`` or ``fundus``) in id order, those of one ``half``
    when it is given (``tune`` or ``check``); each page's HTML is read by ``page.html()``."""
    if half is not None and half not in HALVES:
        raise ValueError(f"unknown half {half!r}; one of {', '.join(HALVES)}")
    for record in records(source, root):
        site = site_of_record(source, record)
        page = Page(source=source, id=record["id"], site=site,
                    half=_half(split_key(source, record)),
                    record=record, path=root / SOURCES[source] / "html" / f"{record['id']}.html.gz")
        if half is None or page.half == half:
            yield page


def summary(sources: tuple[str, ...] = tuple(SOURCES), halves: tuple[Half, ...] = HALVES,
            root: Path = DEV) -> list[str]:
    """Pages, sites and languages per source and half, as Markdown table lines."""
    out = ["| source | half | pages | sites | languages (pages) |", "|---|---|---:|---:|---|"]
    for source in sources:
        for h in halves:
            pages = list(load(source, h, root=root))
            langs = Counter(p.language for p in pages)
            listed = ", ".join(f"{lang} {n}" for lang, n in
                               sorted(langs.items(), key=lambda kv: (-kv[1], kv[0])))
            out.append(f"| {source} | {h} | {len(pages)} | {len({p.site for p in pages})} "
                       f"| {listed} |")
    return out


if __name__ == "__main__":
    print("\n".join(summary(root=Path(sys.argv[1]) if len(sys.argv) > 1 else DEV)))
