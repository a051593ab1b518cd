"""Which site a document comes from: the key that scopes learned rules (see cleaner.learn)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Record fields read for a site when none is named, in order; a URL field gives its host.
SITE_FIELDS = ("site", "domain", "host", "url")


def site_of(value: object) -> str | None:
    """The site key of a domain, host or URL: lower case, no port, no leading ``www.``.

    >>> site_of("https://www.Example.com:8080/news/1.html")
    'example.com'
    >>> site_of("news.example.co.uk"), site_of(""), site_of(None)
    ('news.example.co.uk', None, None)
    """
    if not isinstance(value, str):
        return None
    v = value.strip().lower()
    if "://" in v:
        try:
            from urllib.parse import urlsplit  # (with ipaddress: only for URLs)

            v = urlsplit(v).hostname or ""
        except ValueError:
            return None
    else:
        v = v.split("/", 1)[0].rsplit("@", 1)[-1]
        if v.count(":") == 1:
            v = v.split(":", 1)[0]
    v = v.rstrip(".")
    v = v.removeprefix("www.")
    return v or None


def record_site(record: Mapping[str, Any], site_field: str | None = None) -> str | None:
    """The site of a record: its ``site_field``, else the first of SITE_FIELDS it has.

    >>> record_site({"url": "https://www.example.com/a", "text": "..."})
    'example.com'
    >>> record_site({"source": "Example.org"}, "source")
    'example.org'
    """
    if site_field is not None:
        return site_of(record.get(site_field))
    for name in SITE_FIELDS:
        site = site_of(record.get(name))
        if site is not None:
            return site
    return None
