"""Named stages in order; switch them, categories and rules off and on by name."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .edits import EditLog
from .filters.base import CodeRule, DocContext, Filter
from .filters.controls import ControlsFilter
from .filters.duplicates import DuplicatesFilter
from .filters.rules import RuleFilter
from .filters.tail import TailFilter
from .filters.whitespace import WhitespaceFilter
from .model import CleanResult, Edit, Metadata, Notice
from .packs import Rule, RuleSet, load_rules

#: The default chain. Order matters: invisible characters go before any rule reads the text,
#: entities are decoded before artifacts and lines are matched (an &lt;br&gt; is a tag only once
#: decoded), line furniture goes before the tail is read (a copyright footer hides the end of a
#: headline list), duplicates are judged on the text that is left, punctuation and whitespace last.
STAGES: tuple[str, ...] = (
    "controls", "entities", "artifacts", "lines", "tail", "duplicates", "punctuation",
    "whitespace",
)
#: Stages whose edits the guard does not weigh: they remove no words.
_UNGUARDED = frozenset({"controls", "entities", "punctuation", "whitespace"})


@dataclass(frozen=True, kw_only=True)
class Config:
    """How a :class:`Cleaner` is set up. Frozen: derive a variant with :meth:`replace`.

    >>> Config(disable=("tail",)).replace(rule_timeout=0.5).disable
    frozenset({'tail'})
    """

    #: Stages, categories or rule ids to switch off.
    disable: frozenset[str] = frozenset()
    #: Opt-in rules (``default = false`` in their pack) to switch on, by id or category.
    enable: frozenset[str] = frozenset()
    #: Extra rule packs (files or folders of ``*.toml``), loaded after the shipped ones.
    rules: tuple[Path, ...] = ()
    #: False leaves the shipped packs out (a pack author testing a pack alone).
    builtin_rules: bool = True
    #: Seconds one rule may spend on one document before it is skipped there and reported;
    #: generous, because it is a guard against pathological patterns, not a budget.
    rule_timeout: float = 0.5
    #: A stage that would remove more than this share of a document's characters is not
    #: applied to it (and a notice says so): losing the article costs more than keeping noise.
    guard_share: float = 0.7
    #: Documents shorter than this are too small for the share to mean anything.
    guard_min_chars: int = 200
    #: The stoplist (justext's names) for stopword density in the tail filter.
    language: str = "English"

    def __post_init__(self) -> None:
        for name in ("disable", "enable"):
            value = getattr(self, name)
            if isinstance(value, str):
                value = (value,)
            object.__setattr__(self, name, frozenset(value))
        object.__setattr__(self, "rules", tuple(Path(p) for p in self.rules))
        if not 0 < self.rule_timeout:
            raise ValueError(f"rule_timeout must be positive, got {self.rule_timeout!r}")
        if not 0 < self.guard_share <= 1:
            raise ValueError(f"guard_share must be in (0, 1], got {self.guard_share!r}")

    def replace(self, **changes: object) -> Config:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


class Cleaner:
    """A configured pipeline: rules loaded and compiled once, reused for every document.

    >>> cleaner = Cleaner(disable={"byline"})
    >>> cleaner.clean("Reported by: Jane Doe\\n\\nTalks resume on Monday.").text
    'Reported by: Jane Doe\\n\\nTalks resume on Monday.'
    >>> [f.name for f in cleaner.filters][:3]
    ['controls', 'entities', 'artifacts']
    """

    def __init__(self, config: Config | None = None, **options: object) -> None:
        config = config or Config()
        if options:
            config = config.replace(**options)
        self.config = config
        self.rules: RuleSet = load_rules(config.rules, builtin=config.builtin_rules)
        self._check_names()
        self._opt_in = frozenset(r.id for r in self.rules if not r.default)
        self.filters: tuple[Filter, ...] = tuple(
            f for f in self._build_filters() if f.name not in config.disable
        )

    def _build_filters(self) -> list[Filter]:
        by = self.rules.by_stage
        return [
            ControlsFilter(),
            RuleFilter("entities", by("entities"), repeat=3),
            RuleFilter("artifacts", by("artifacts")),
            RuleFilter("lines", by("lines")),
            TailFilter(tuple(r for r in by("tail") if r.scope == "heading"),
                       self.config.language),
            DuplicatesFilter(),
            RuleFilter("punctuation", by("punctuation")),
            WhitespaceFilter(),
        ]

    def code_rules(self) -> tuple[CodeRule, ...]:
        """Rules implemented in code (mechanisms), listed beside the packs' rules."""
        return tuple(r for f in self._build_filters() for r in f.code_rules)

    def _check_names(self) -> None:
        known = set(STAGES) | {r.id for r in self.rules} | {r.category for r in self.rules}
        code = self.code_rules()
        known |= {r.id for r in code} | {r.category for r in code}
        unknown = sorted((self.config.disable | self.config.enable) - known)
        if unknown:
            raise ValueError(
                f"unknown stage, category or rule id {', '.join(map(repr, unknown))}; "
                "`cleaner rules list` shows the names")

    def is_enabled(self, rule_id: str, category: str) -> bool:
        """Whether a rule runs under this configuration (opt-in rules only when enabled)."""
        return _enabled(self.config.disable, self.config.enable, self._opt_in, rule_id, category)

    def clean(self, text: str) -> CleanResult:
        """Clean one document's text; the result carries the report.

        >>> Cleaner().clean("Read: Another story\\nThe ceasefire held .").text
        'The ceasefire held.'
        """
        if not isinstance(text, str):
            raise TypeError(f"clean() takes a str, got {type(text).__name__}; decode bytes first")
        cfg = self.config
        opt_in = self._opt_in
        disable, enable = cfg.disable, cfg.enable

        def is_enabled(rule_id: str, category: str) -> bool:
            return _enabled(disable, enable, opt_in, rule_id, category)

        ctx = DocContext(is_enabled=is_enabled, rule_timeout=cfg.rule_timeout)
        log = EditLog(text)
        metadata: list[tuple[tuple[str, str], Edit]] = []
        for f in self.filters:
            rounds = getattr(f, "repeat", 1)
            for _ in range(rounds):
                proposals = f.propose(log.text, ctx)
                if not proposals:
                    break
                if f.name not in _UNGUARDED and self._guard_trips(log.text, proposals, f, ctx):
                    break
                made = log.apply(proposals, f.name)
                if not made:
                    break
                metadata += [(p.meta, e) for p, e in made if p.meta is not None]
        return CleanResult(
            text=log.text,
            original=text,
            edits=tuple(log.edits),
            notices=tuple(ctx.notices),
            metadata=tuple(_metadata(metadata)),
        )

    def _guard_trips(self, text: str, proposals: Sequence, f: Filter, ctx: DocContext) -> bool:
        size = len(text)
        if size < self.config.guard_min_chars:
            return False
        removed = sum(p.end - p.start - len(p.replacement) for p in proposals)
        if removed <= self.config.guard_share * size:
            return False
        rules = sorted({p.rule for p in proposals})
        ctx.notices.append(Notice(
            "guard", f.name, ",".join(rules),
            f"would remove {removed} of {size} characters "
            f"(over {self.config.guard_share:.0%}); stage not applied to this document"))
        return True


def _enabled(disable: frozenset[str], enable: frozenset[str], opt_in: frozenset[str],
             rule_id: str, category: str) -> bool:
    if rule_id in disable or category in disable:
        return False
    if rule_id in opt_in:
        return rule_id in enable or category in enable
    return True


def _metadata(items: Iterable[tuple[tuple[str, str], Edit]]) -> list[Metadata]:
    return [Metadata(kind=kind, value=value, rule=edit.rule, start=edit.start, end=edit.end)
            for (kind, value), edit in items]


@lru_cache(maxsize=16)
def _default_cleaner(config: Config) -> Cleaner:
    return Cleaner(config)


def clean(text: str, **options: object) -> CleanResult:
    """Clean ``text`` with the default pipeline (options as :class:`Config` fields).

    The cleaner for a given set of options is built once and reused across calls.

    >>> r = clean('date 2020-01-11\\n\\nHe called for "restraint,quot; .')
    >>> r.text
    'He called for "restraint".'
    >>> sorted({e.category for e in r.edits} - {"whitespace"})
    ['entity', 'metadata', 'punctuation']
    >>> r.metadata[0].value
    '2020-01-11'
    """
    return _default_cleaner(Config(**options)).clean(text)  # type: ignore[arg-type]
