"""What cleaner raises on purpose (bad input to the library itself raises TypeError or
ValueError as Python does)::

    CleanerError          base of everything below
    ├── PackError         a rule pack that cannot be used (file, rule id, reason); a ValueError
    ├── LimitExceeded     a document over a configured limit, with on_limit="reject"
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


class WorkersFailed(CleanerError):
    """Worker processes die as soon as they start (their set-up fails, the machine cannot
    start processes): no record is to blame, so a batch stops instead of failing each one."""
