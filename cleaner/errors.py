"""What cleaner raises on purpose (bad input to the library itself raises TypeError or
ValueError as Python does)::

    CleanerError          base of everything below
    ├── PackError         a rule pack that cannot be used (file, rule id, reason); a ValueError
    ├── LimitExceeded     a document over a configured limit, with on_limit="reject"
    ├── InputError        an input that cannot be used: missing, unreadable, or nothing in it
    └── WorkersFailed     worker processes that die before doing any work (a batch stops)
"""

from __future__ import annotations


class CleanerError(Exception):
    """Base of the errors cleaner raises on purpose."""


class LimitExceeded(CleanerError):
    """A document went over ``Config.max_chars`` or ``Config.time_limit`` and the
    configuration says to reject it (``on_limit="reject"``)."""

    def __init__(self, limit: str, detail: str) -> None:
        self.limit = limit
        self.detail = detail
        super().__init__(f"{limit}: {detail}")


class InputError(CleanerError, ValueError):
    """An input of a batch or learning run that cannot be used: a path that does not exist, a
    folder that cannot be read or holds no text or HTML files, a glob that matches nothing,
    or inputs that hold no record at all. Raised before any work is done (or, for an empty
    run, before anything is written that could stand for a result), naming every such input."""


class WorkersFailed(CleanerError):
    """Worker processes die as soon as they start (their set-up fails, the machine cannot
    start processes): no record is to blame, so a batch stops instead of failing each one."""
