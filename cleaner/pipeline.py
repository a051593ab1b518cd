"""Named stages in order; switch them, categories and rules off and on by name."""

from __future__ import annotations

import copy
import dataclasses
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .edits import EditLog
from .errors import LimitExceeded
from .filters.base import CodeRule, DocContext, Filter
from .filters.controls import ControlsFilter
from .filters.duplicates import DuplicatesFilter
from .filters.page import PageFilter
from .filters.rules import RuleFilter
from .filters.sections import SectionFilter
from .filters.tail import TailFilter
from .filters.whitespace import WhitespaceFilter
from .language import detect, language_code, stopwords_for, with_aliases
from .model import CleanResult, Edit, Metadata, Notice, Proposal
from .packs import Rule, RuleSet, load_rules
from .sites import site_of
from .templates import TemplateIndex
from .textstats import TERMINALS, ends_with

#: The default chain. Order matters: invisible characters go before any rule reads the text,
#: entities are decoded before artifacts and lines are matched (an &lt;br&gt; is a tag only once
#: decoded), spacing then punctuation are mended before lines are judged (a second run must see
#: the lines the first one saw: "By  Jane\u00a0Doe" and "By Jane Doe" alike), line furniture goes before the tail is read (a copyright footer hides the end of a
#: headline list), duplicates are judged on the text that is left, whitespace last.
STAGES: tuple[str, ...] = (
    "controls", "entities", "artifacts", "spacing", "punctuation", "sections", "lines", "site",
    "page", "tail", "duplicates", "whitespace",
)
#: Stages that feed each other and so run together until neither finds more (at most
#: FIXPOINT_ROUNDS): decoding &lt;br&gt; makes a tag to remove, removing a tag can join
#: "country´[tag]s" into an apostrophe to repair, and &#38;quot; decodes into &quot;.
FIXPOINT_GROUP = frozenset({"entities", "artifacts"})
FIXPOINT_ROUNDS = 3
#: Stages after the line rules that remove whole lines. When they did, line positions have
#: moved (a credit is now near the end), so what depends on position (edge rules, the tail,
#: duplicates, whitespace) runs again on what is left, continuing the same edit log, until it
#: finds nothing more (at most MAX_PASSES in all). Rules that read only a line's content
#: would find what they found before, so they do not run again.
_REMOVES_WHOLE_LINES_LATE = frozenset({"page", "tail", "duplicates"})
_POSITIONAL = frozenset({"sections", "lines", "page", "tail", "duplicates", "whitespace"})
MAX_PASSES = 3
#: Further runs of the chain on its own output when a guard held a stage back (see clean).
GUARD_SETTLE_ROUNDS = 3
#: Stages whose edits the guard does not weigh: they remove no words.
_UNGUARDED = frozenset({"controls", "entities", "punctuation", "spacing", "whitespace"})


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
    #: Seconds one rule of a user's pack may spend on one document (per started megabyte of
    #: it) before it is skipped there and reported; generous, as it guards against
    #: pathological patterns. Shipped rules run without a clock: a busy machine must not
    #: change what a document comes out as.
    rule_timeout: float = 0.5
    #: A stage that would remove more than this share of a document's prose is not applied to
    #: it (and a notice says so): losing the article costs more than keeping noise. Prose is a
    #: line of 8 or more words that ends like a sentence; furniture (short lines, headline
    #: lists) may go however much of the page it is.
    guard_share: float = 0.7
    #: The documents' language: "auto" finds each document's (cleaner.language: its script,
    #: then its stopwords), since a corpus mixes languages and every signal that reads words
    #: (stopword density in the tail and page stages, one- and two-word templates) must read
    #: them in the right one. An ISO 639-1 code ("de") or a justext stoplist name ("German")
    #: fixes it for every document.
    language: str = "auto"
    #: Documents longer than this (characters) are not cleaned: a guard against inputs no
    #: article has (a 100 MB log line); None for no limit.
    max_chars: int | None = 20_000_000
    #: Seconds one document may take, checked between stages; None for no limit. The one
    #: setting that lets time decide an output (a document over it is passed through or
    #: rejected), so it is opt-in.
    time_limit: float | None = None
    #: What happens to a document over a limit: "pass" returns it untouched with a notice
    #: saying why (a batch keeps the record); "reject" raises LimitExceeded (a batch lists it
    #: in its errors file).
    on_limit: str = "pass"

    def __post_init__(self) -> None:
        for name in ("disable", "enable"):
            value = getattr(self, name)
            if isinstance(value, str):
                value = (value,)
            object.__setattr__(self, name, frozenset(value))
        object.__setattr__(self, "rules", tuple(Path(p) for p in self.rules))
        if not 0 < self.rule_timeout:
            raise ValueError(f"rule_timeout must be positive, got {self.rule_timeout!r}")
        if self.time_limit is not None and not 0 < self.time_limit:
            raise ValueError(f"time_limit must be positive or None, got {self.time_limit!r}")
        if self.max_chars is not None and not (isinstance(self.max_chars, int)
                                               and self.max_chars > 0):
            raise ValueError(f"max_chars must be a positive integer or None, "
                             f"got {self.max_chars!r}")
        if not 0 < self.guard_share <= 1:
            raise ValueError(f"guard_share must be in (0, 1], got {self.guard_share!r}")
        if self.on_limit not in ("pass", "reject"):
            raise ValueError(f"on_limit must be 'pass' or 'reject', got {self.on_limit!r}")
        if self.language != "auto":
            object.__setattr__(self, "language", language_code(self.language))

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
        self._opt_in = frozenset(r.id for r in self.rules if not r.default)
        self._opt_in |= {r.id for r in self._build_code_rules() if not r.default}
        self._check_names()
        self.filters: tuple[Filter, ...] = tuple(
            f for f in self._build_filters() if f.name not in config.disable
        )
        # The chain as groups of stages (see FIXPOINT_GROUP), made once, not per document:
        # for the first pass, and for the later passes that re-read only positions.
        self._passes = (_grouped(self.filters),
                        _grouped(tuple(f for f in self.filters if f.name in _POSITIONAL)))

    def _build_filters(self) -> list[Filter]:
        def by(stage: str) -> tuple[Rule, ...]:
            return tuple(r for r in self.rules.by_stage(stage)
                         if self.is_enabled(r.id, r.category))

        templates = TemplateIndex(
            t for t in self.rules.templates if self.is_enabled(t.id, t.category))
        return [
            ControlsFilter(),
            RuleFilter("entities", by("entities")),
            RuleFilter("artifacts", by("artifacts")),
            WhitespaceFilter("spacing"),
            RuleFilter("punctuation", by("punctuation")),
            SectionFilter(templates),
            RuleFilter("lines", by("lines"), templates),
            RuleFilter("site", by("site")),
            PageFilter(),
            TailFilter(tuple(r for r in by("tail") if r.scope == "heading"), templates),
            DuplicatesFilter(),
            WhitespaceFilter(),
        ]

    def code_rules(self) -> tuple[CodeRule, ...]:
        """Rules implemented in code (mechanisms), listed beside the packs' rules."""
        return self._build_code_rules()

    @staticmethod
    def _build_code_rules() -> tuple[CodeRule, ...]:
        return (*ControlsFilter.code_rules, *SectionFilter.code_rules, *TailFilter.code_rules,
                *PageFilter.code_rules, *DuplicatesFilter.code_rules,
                *WhitespaceFilter.code_rules)

    def _check_names(self) -> None:
        known = set(STAGES) | {r.id for r in self.rules} | {r.category for r in self.rules}
        code = self.code_rules()
        known |= {r.id for r in code} | {r.category for r in code}
        unknown = sorted((self.config.disable | self.config.enable) - known)
        if unknown:
            raise ValueError(
                f"unknown stage, category or rule id {', '.join(map(repr, unknown))}; "
                "`cleaner rules list` shows the names")

    def _with_run_options(self, **options: object) -> Cleaner:
        """A twin that shares this cleaner's compiled rules and stages, with options that are
        read per document changed: no second copy of a large (learned) rule pack."""
        unknown = set(options) - _RUN_OPTIONS
        if unknown:
            raise ValueError(f"not a per-document option: {', '.join(sorted(unknown))}")
        twin = copy.copy(self)
        twin.config = self.config.replace(**options)
        return twin

    def is_enabled(self, rule_id: str, category: str) -> bool:
        """Whether a rule runs under this configuration (opt-in rules only when enabled)."""
        return _enabled(self.config.disable, self.config.enable, self._opt_in, rule_id, category)

    def clean(self, text: str, *, title: str | None = None, site: str | None = None,
              progress: Callable[[str], object] | None = None) -> CleanResult:
        """Clean one document's text; the result carries the report.

        ``title``: the document's title when it is known apart from the text (a page's
        <title>, a title field); a first line that only repeats it goes. ``site``: the
        document's domain, host or URL, for site-scoped (learned) rules. ``progress``: called
        with each stage's name as it starts (a display for a huge document).

        >>> Cleaner().clean("Read: Another story\\nThe ceasefire held .").text
        'The ceasefire held.'
        >>> Cleaner().clean("Talks resume in Geneva\\nThe talks resumed.",
        ...                 title="Talks resume in Geneva | Example News").text
        'The talks resumed.'
        """
        if not isinstance(text, str):
            raise TypeError(f"clean() takes a str, got {type(text).__name__}; decode bytes first")
        cfg = self.config
        if cfg.max_chars is not None and len(text) > cfg.max_chars:
            return self._over_limit(text, "max_chars",
                                    f"{len(text)} characters, over the limit of {cfg.max_chars}")
        # Matching is linear in the document for sane patterns, so the allowance grows with it.
        timeout = cfg.rule_timeout * max(1.0, len(text) / 1_000_000)
        language = detect(text) if cfg.language == "auto" else cfg.language
        ctx = DocContext(is_enabled=self.is_enabled, rule_timeout=timeout, title=title,
                         site=site_of(site), progress=progress, language=language,
                         languages=with_aliases(language),
                         stopwords=stopwords_for(language or FALLBACK_LANGUAGE))
        deadline = time.perf_counter() + cfg.time_limit if cfg.time_limit is not None else None
        log = EditLog(text)
        metadata: list[tuple[tuple[str, str], Edit]] = []
        try:
            self._run_passes(log, ctx, metadata, deadline)
            if any(n.kind == "guard" for n in ctx.notices):
                # A guard weighs a stage against the prose of the text it is given, and later
                # stages change that text: a second run could weigh the stage otherwise. The
                # chain runs again on its own output until it changes nothing, so that
                # cleaning the output changes nothing.
                for _ in range(GUARD_SETTLE_ROUNDS):
                    if not self._run_passes(log, ctx, metadata, deadline):
                        break
                    ctx.note("guard", "", "",
                             "the chain ran again on its own output after a guard and changed "
                             "it: the guard weighs each run's text anew")
        except _OutOfTime as late:
            return self._over_limit(text, "time_limit", str(late))
        return CleanResult(
            text=log.text,
            original=text,
            edits=tuple(log.edits),
            notices=tuple(dict.fromkeys(ctx.notices)),
            metadata=tuple(_metadata(metadata)),
            language=language,
        )

    def _run_passes(self, log: EditLog, ctx: DocContext,
                    metadata: list[tuple[tuple[str, str], Edit]],
                    deadline: float | None) -> bool:
        """The whole chain, then the positional stages while whole lines go (MAX_PASSES in
        all); returns whether anything changed."""
        any_change = False
        for n in range(MAX_PASSES):
            ctx.positional_only = n > 0
            changed = self._run_chain(log, ctx, metadata, deadline)
            any_change |= bool(changed)
            if not changed & _REMOVES_WHOLE_LINES_LATE:
                break
        return any_change

    def _over_limit(self, text: str, limit: str, detail: str) -> CleanResult:
        if self.config.on_limit == "reject":
            raise LimitExceeded(limit, detail)
        return CleanResult(text=text, original=text, edits=(), notices=(
            Notice("limit", "", limit, f"{detail}; passed through untouched"),))

    def _run_chain(self, log: EditLog, ctx: DocContext,
                   metadata: list[tuple[tuple[str, str], Edit]],
                   deadline: float | None = None) -> set[str]:
        """One pass of every stage; returns the names of the stages that changed the text."""
        changed: set[str] = set()
        for group, rounds in self._passes[1 if ctx.positional_only else 0]:
            for _ in range(rounds):
                if deadline is not None and time.perf_counter() > deadline:
                    raise _OutOfTime(f"over the limit of {self.config.time_limit:g} s "
                                     f"before the {group[0].name} stage")
                round_changed = {f.name for f in group if self._run_stage(f, log, ctx, metadata)}
                changed |= round_changed
                if not round_changed:
                    break
        return changed

    def _run_stage(self, f: Filter, log: EditLog, ctx: DocContext,
                   metadata: list[tuple[tuple[str, str], Edit]]) -> bool:
        """Run one filter on the current text; return whether it changed anything."""
        if ctx.progress is not None:
            ctx.progress(f.name)
        proposals = f.propose(log.text, ctx)
        if not proposals:
            return False
        if f.name not in _UNGUARDED and self._guard_trips(log.text, proposals, f, ctx):
            return False
        made = log.apply(proposals, f.name)
        metadata += [(p.meta, e) for p, e in made if p.meta is not None]
        return bool(made)

    def _guard_trips(self, text: str, proposals: Sequence[Proposal], f: Filter,
                     ctx: DocContext) -> bool:
        removed = sum(_prose_chars(text[p.start:p.end]) for p in proposals
                      if not p.replacement and p.category != "whitespace")
        if not removed:
            return False
        total = _prose_chars(text)
        if removed <= self.config.guard_share * total:
            return False
        rules = sorted({p.rule for p in proposals})
        ctx.notices.append(Notice(
            "guard", f.name, ",".join(rules),
            f"would remove {removed} of {total} characters of prose "
            f"(over {self.config.guard_share:.0%}); stage not applied to this text"))
        return True


#: Config fields read per document, not when the rules are compiled.
_RUN_OPTIONS = frozenset({"guard_share", "rule_timeout", "time_limit", "max_chars", "on_limit",
                          "language"})
#: The stoplist of a document whose language cannot be told (too short, no clear winner):
#: English, what the signals were first measured on.
FALLBACK_LANGUAGE = "en"

#: A line of prose, for the guard: 8 or more words, ending like a sentence.
_PROSE_WORDS = 8


def _prose_chars(span: str) -> int:
    total = 0
    for line in span.split("\n"):
        line = line.strip()
        if line.count(" ") + 1 >= _PROSE_WORDS and ends_with(line, TERMINALS):
            total += len(line)
    return total


def _grouped(filters: Sequence[Filter]) -> tuple[tuple[tuple[Filter, ...], int], ...]:
    """Consecutive stages of FIXPOINT_GROUP become one group run up to FIXPOINT_ROUNDS
    times; every other stage is a group of its own, run once."""
    groups: list[tuple[tuple[Filter, ...], int]] = []
    for f in filters:
        if groups and f.name in FIXPOINT_GROUP and groups[-1][0][-1].name in FIXPOINT_GROUP:
            groups[-1] = ((*groups[-1][0], f), FIXPOINT_ROUNDS)
        else:
            groups.append(((f,), FIXPOINT_ROUNDS if f.name in FIXPOINT_GROUP else 1))
    return tuple(groups)


class _OutOfTime(Exception):
    pass


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


def clean(text: str, *, title: str | None = None, site: str | None = None,
          progress: Callable[[str], object] | None = None, **options: object) -> CleanResult:
    """Clean ``text`` with the default pipeline (options as :class:`Config` fields;
    ``title``, ``site`` and ``progress`` as in :meth:`Cleaner.clean`).

    The cleaner for a given set of options is built once and reused across calls.

    >>> r = clean('date 2020-01-11\\n\\nHe called for "restraint,quot; .')
    >>> r.text
    'He called for "restraint".'
    >>> sorted({e.category for e in r.edits} - {"whitespace"})
    ['entity', 'metadata', 'punctuation']
    >>> r.metadata[0].value
    '2020-01-11'
    """
    return _default_cleaner(Config(**options)).clean(  # type: ignore[arg-type]
        text, title=title, site=site, progress=progress)
