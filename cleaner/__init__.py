"""cleaner: strip boilerplate and noise from scraped article text, with an exact report.

>>> from cleaner import clean
>>> result = clean("Advertisement\\n\\nTurkey asked Russia to help .")
>>> result.text
'Turkey asked Russia to help.'
>>> [(e.category, e.text, e.start) for e in result.removals]
[('ad', 'Advertisement', 0), ('punctuation', ' ', 42)]

Errors::

    CleanerError                 base of everything cleaner raises on purpose
    ├── PackError                a rule pack that cannot be used (file, rule id, reason)
    └── LimitExceeded            a document over max_chars or time_limit, with on_limit="reject"
"""

from ._version import __version__
from .edits import replay, restore
from .errors import CleanerError, LimitExceeded
from .html import HtmlCleanResult, clean_html
from .model import CleanResult, Edit, Metadata, Notice
from .packs import PackError, Rule, load_rules
from .pipeline import STAGES, Cleaner, Config, clean

__all__ = [
    "STAGES",
    "__version__",
    "CleanResult",
    "CleanerError",
    "Cleaner",
    "Config",
    "Edit",
    "HtmlCleanResult",
    "LimitExceeded",
    "Metadata",
    "Notice",
    "PackError",
    "Rule",
    "clean",
    "clean_html",
    "load_rules",
    "replay",
    "restore",
]
