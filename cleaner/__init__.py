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
    ├── LimitExceeded            a document over max_chars or time_limit, with on_limit="reject"
    ├── InputError               a batch or learning input that is missing, unreadable or empty
    ├── ModelError               an extraction model file that cannot be used (cleaner.ensemble)
    └── WorkersFailed            worker processes that die before doing any work
"""

from typing import TYPE_CHECKING, Any


from ._version import __version__
from .edits import replay, restore
from .errors import CleanerError, InputError, LimitExceeded, WorkersFailed
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
    "ExtractedBlock",
    "InputError",
    "HtmlCleanResult",
    "LimitExceeded",
    "Metadata",
    "ModelError",
    "Notice",
    "PackError",
    "Rule",
    "clean",
    "clean_html",
    "load_rules",
    "replay",
    "restore",
    "WorkersFailed",
]

if TYPE_CHECKING:
    from .ensemble import ExtractedBlock, ModelError


def __getattr__(name: str) -> Any:
    # The ensemble's types load with it, on first use: the text path never needs them.
    if name in ("ExtractedBlock", "ModelError"):
        from . import ensemble

        return getattr(ensemble, name)
    raise AttributeError(f"module 'cleaner' has no attribute {name!r}")
