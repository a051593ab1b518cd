"""Learn each site's furniture from a corpus: lines that recur on many of a site's pages.

Two passes over the inputs (the batch formats; a record's site is a field, or the host of its
``url``):

1. Count, per site, the pages each line *shape* is on (a line lower-cased, whitespace
   collapsed, digit runs and, on lines with digits, month and day names generalized). Counts
   go into a count-min sketch keyed by a 64-bit hash of (site, shape): fixed memory whatever
   the corpus size, no strings kept, and a sum, so the same corpus gives the same sketch in
   any order and over any number of processes.
2. Read the corpus again. A shape whose sketch count passes its site's threshold is a
   candidate; only candidates are counted exactly, with the evidence the decision needs: on
   how many pages, beside how many distinct articles (a bottom-k sketch of article
   fingerprints), how often it sits between the article's paragraphs, whether it is ever a
   sentence inside a paragraph, the largest share of a page it takes, and a few examples.

A candidate becomes a rule when its site has enough pages, it is on enough of them (a count
and a share), beside enough different articles (a line repeated because one story was
syndicated or updated on several pages sits beside one article), almost always outside the
article's prose, never inside a paragraph, and no shipped rule already removes it. Long
sentences and quotations are never candidates. The rules are an ordinary pack (stage
``site``, category ``learned``), each scoped to its site, with ``max_share`` so a rule never
takes more of a document than it took of the pages it was learned on.
"""

from __future__ import annotations

import functools
import hashlib
import html as htmlmod
import math
import os
import sys
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from .batch import (
    CHUNK,
    IN_FLIGHT_PER_JOB,
    Shard,
    Task,
    _chunks,
    _loads,
    _looks_like_html,
    _ReadFault,
    _tasks,
    shards,
)
from .errors import InputError
from .files import write_atomic
from .sites import record_site
from .textstats import TERMINALS
from .workers import WorkerPool, run_ordered

#: Lines longer than this are not furniture candidates (footers and banners are short).
MAX_LINE = 200
#: A line of this many words or more that ends like a sentence is article prose: never learned.
LONG_SENTENCE_WORDS = 15
#: Article paragraphs, for positions and fingerprints: this many words, ending like a sentence.
PROSE_WORDS = 8
#: Article fingerprints kept per candidate (a bottom-k sketch): distinct articles are counted
#: exactly up to this many.
FINGERPRINTS = 32
EXAMPLES = 3

_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec")
_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|wed|thurs|thu|fri|sat|sun"
_MONTH_RX = f"(?:{_MONTHS})"
_DAY_RX = f"(?:{_DAYS})"
_MONTH_SET = frozenset(_MONTHS.split("|"))
_DAY_SET = frozenset(_DAYS.split("|"))
_TOKEN = regex.compile(r"(?P<d>\d+)|(?P<w>[\p{L}\p{M}]+)|(?P<s>\s+)|(?P<p>.)", regex.S)
_LETTER = regex.compile(r"\p{L}")
# Sentence ends of every script textstats knows (a syndicated Hindi sentence ends with a
# danda, and must be judged as a sentence, not as a line of furniture).
_TERMINAL_CLASS = "[" + regex.escape(TERMINALS) + "]"
_SENTENCE_END = regex.compile(_TERMINAL_CLASS + r"[\"'\u201d\u2019)\]]*$")
_SENTENCE_SPLIT = regex.compile(r"(?<=" + _TERMINAL_CLASS + r"[\"'\u201d\u2019)\]]*)\s+(?=\S)")
_QUOTES = frozenset("\"\u201c\u201d\u201e\u00ab\u00bb")


def shape(line: str) -> tuple[str, str] | None:
    """(key, pattern) of a stripped line: the key compares lines, the pattern matches them.

    Digit runs become ``\\d+``; on a line with digits, month and day names match any month
    or day; whitespace next to punctuation is optional (the chain's punctuation stage closes
    ``Photo : AFP`` to ``Photo: AFP``). None for a line that is never furniture: too long, too
    few letters, a long sentence, a quotation.

    >>> shape("Updated: 12 March 2024 | 10:32 IST")[0]
    'updated:0 <m> 0|0:0 ist'
    >>> regex.fullmatch(shape("© 2024 Example Media Ltd")[1], "© 1999  example media ltd",
    ...                 regex.I) is not None
    True
    >>> shape('"We will not back down," she said in a statement on Monday.') is None
    True
    """
    if "&" in line:
        line = htmlmod.unescape(line)
    if len(line) > MAX_LINE or len(_LETTER.findall(line, concurrent=False)) < 3:
        return None
    words = line.split()
    if len(words) >= LONG_SENTENCE_WORDS and _SENTENCE_END.search(line):
        return None
    if len(words) >= 4 and any(c in _QUOTES for c in line):
        return None
    has_digit = any(c.isdigit() for c in line)
    key: list[str] = []
    pat: list[str] = []
    prev_kind, spaced = "", False
    for m in _TOKEN.finditer(line):
        kind = m.lastgroup or ""
        text = m.group()
        if kind == "s":
            spaced = True
            continue
        # The key is the pattern's shape: two lines with one key match each other's pattern.
        if prev_kind and ("p" in (prev_kind, kind)):
            pat.append(r"\s*")
        elif spaced:
            key.append(" ")
            pat.append(r"\s+")
        prev_kind, spaced = kind, False
        if kind == "d":
            key.append("0")
            pat.append(r"\d+")
        elif kind == "w" and has_digit and text.lower() in _MONTH_SET:
            key.append("<m>")
            pat.append(_MONTH_RX)
        elif kind == "w" and has_digit and text.lower() in _DAY_SET:
            key.append("<d>")
            pat.append(_DAY_RX)
        else:
            key.append(text.lower())
            pat.append(regex.escape(text))
    return "".join(key), "".join(pat)


def _hash(*parts: str) -> int:
    return int.from_bytes(hashlib.blake2b("\x00".join(parts).encode("utf-8", "surrogatepass"),
                                          digest_size=8).digest(), "little")


def _is_prose(line: str) -> bool:
    return line.count(" ") + 1 >= PROSE_WORDS and _SENTENCE_END.search(line) is not None


@dataclass
class _Page:
    """One record's lines as the learner reads them."""

    site: str
    length: int
    #: (key hash, raw line, length, between prose?) per candidate-shaped line, first seen only.
    lines: list[tuple[int, str, str, int, bool]]
    #: Candidates printed as a sentence inside a paragraph.
    embedded: set[int]
    fingerprint: int
    #: Pass one: keys of the page's prose paragraphs (see _paragraph_key).
    paragraphs: list[int]


def _paragraph_key(site: str, line: str) -> int:
    """Key of a whole prose paragraph, to tell the site's constant paragraphs (a long
    disclaimer) from its articles'; never a candidate for a rule."""
    return _hash(site, "\x01", " ".join(line.lower().split()))


def _read_page(site: str, text: str, is_candidate: Callable[[int], bool] | None = None,
               is_constant: Callable[[int], bool] | None = None) -> _Page:
    """The page's candidate-shaped lines (pass one: with the keys of its prose paragraphs).

    In pass two, ``is_candidate`` and ``is_constant`` say which lines and paragraphs recur;
    then come where each candidate sits against the article's paragraphs, the candidates
    that are sentences inside paragraphs, and the article's fingerprint. Recurring lines and
    paragraphs (a prose-shaped footer, a disclaimer on every page) are not the article's."""
    raw_lines = [s for s in (ln.strip() for ln in text.split("\n")) if s]
    shaped: list[tuple[int, str, int, str]] = []  # (index, raw, key hash, pattern)
    seen: set[int] = set()
    prose_keys: list[int] = []
    for i, s in enumerate(raw_lines):
        got = shape(s)
        if got is None:
            if _is_prose(s):
                prose_keys.append(_paragraph_key(site, s))
            continue
        h = _hash(site, got[0])
        if h not in seen:
            seen.add(h)
            shaped.append((i, s, h, got[1]))
    if is_candidate is None or is_constant is None:
        lines = [(h, s, p, len(s), False) for _, s, h, p in shaped]
        return _Page(site, len(text), lines, set(), 0, sorted(set(prose_keys)))
    candidate_lines = {i for i, _, h, _ in shaped if is_candidate(h)}
    prose = [i for i, s in enumerate(raw_lines)
             if i not in candidate_lines and _is_prose(s)
             and not is_constant(_paragraph_key(site, s))]
    first, last = (prose[0], prose[-1]) if prose else (0, -1)
    lines = [(h, s, p, len(s), first < i < last) for i, s, h, p in shaped if i in candidate_lines]
    # An article's fingerprint: the least hash of its paragraphs (a one-permutation min-hash),
    # equal for two copies of one story with high probability, different for two stories.
    paragraphs = [_hash(raw_lines[i].lower()) for i in prose] or [_hash(text[:2000])]
    embedded: set[int] = set()
    for i in prose:
        sentences = _SENTENCE_SPLIT.split(raw_lines[i])
        if len(sentences) > 1:
            for sentence in sentences:
                got = shape(sentence.strip())
                if got is not None and is_candidate(h := _hash(site, got[0])):
                    embedded.add(h)
    return _Page(site, len(text), lines, embedded, min(paragraphs), [])


# --- the count-min sketch ---------------------------------------------------------------------


class CountMinSketch:
    """Counts of 64-bit keys in fixed memory; estimates are never below the truth.

    Adding is commutative, so sketches of parts of a corpus sum to the sketch of the whole.

    >>> s = CountMinSketch(width=1024, depth=4)
    >>> s.add(42, 3); s.add(42); s.estimate(42), s.estimate(7)
    (4, 0)
    """

    def __init__(self, width: int = 1 << 22, depth: int = 4, table: bool = True) -> None:
        if width & (width - 1):
            raise ValueError("width must be a power of two")
        self.width, self.depth = width, depth
        self.mask = width - 1
        self.table: array[int] | memoryview = array("I", bytes(4 * width * depth) if table else b"")

    @classmethod
    def for_megabytes(cls, mb: float, depth: int = 4) -> CountMinSketch:
        width = 1 << max(10, int(math.log2(mb * 2**20 / (4 * depth))))
        return cls(width, depth)

    def _cells(self, key: int) -> Iterator[int]:
        h1, h2 = key & 0xFFFFFFFF, (key >> 32) | 1
        for i in range(self.depth):
            yield i * self.width + ((h1 + i * h2) & self.mask)

    def add(self, key: int, count: int = 1) -> None:
        table = self.table
        for cell in self._cells(key):
            table[cell] = min(table[cell] + count, 0xFFFFFFFF)

    def estimate(self, key: int) -> int:
        table = self.table
        return min(table[cell] for cell in self._cells(key))

    @property
    def nbytes(self) -> int:
        return self.table.itemsize * len(self.table)


# --- what the passes count ------------------------------------------------------------------


@dataclass
class Candidate:
    """Exact evidence about one (site, line shape) that the sketch let through."""

    site: str
    pattern: str = ""
    pages: int = 0
    mid: int = 0
    embedded: int = 0
    max_share: float = 0.0
    fingerprints: list[int] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    #: Pages on which the shipped rules removed the line, in the document as it was (not
    #: the line alone: an edge rule does not fire on a first line, taken for the title), and
    #: the first rule that did.
    covered: int = 0
    covered_by: str = ""

    def merge(self, other: Candidate) -> None:
        self.pattern = min(filter(None, (self.pattern, other.pattern)), default="")
        self.covered += other.covered
        self.covered_by = min(filter(None, (self.covered_by, other.covered_by)), default="")
        self.pages += other.pages
        self.mid += other.mid
        self.embedded += other.embedded
        self.max_share = max(self.max_share, other.max_share)
        self.fingerprints = sorted(set(self.fingerprints) | set(other.fingerprints))[:FINGERPRINTS]
        self.examples = sorted(set(self.examples) | set(other.examples))[:EXAMPLES]

    @property
    def articles(self) -> int:
        return len(self.fingerprints)


@dataclass(frozen=True)
class LearnOptions:
    """Thresholds and fields of a learning run."""

    text_field: str = "text"
    #: The field naming a record's site; None reads site, domain, host or url's host.
    site_field: str | None = None
    input_format: str = "auto"
    #: A site with fewer pages learns nothing.
    min_site_pages: int = 10
    #: A line must be on at least this many pages of its site...
    min_pages: int = 4
    #: ...and at least this share of them (a week's "Most read" headlines in a year)...
    min_share: float = 0.02
    #: ...or, for a line that ends like a sentence, this share: a footer or disclaimer is on
    #: most of a site's pages, while a stock closing line of articles ("The investigation
    #: continues.") recurs on a few.
    min_sentence_share: float = 0.2
    #: ...beside at least this many distinct articles (capped at FINGERPRINTS).
    min_articles: int = 4
    #: The share of its pages on which a line may sit between the article's paragraphs.
    max_mid_share: float = 0.05
    #: Memory for the pass-one sketch.
    sketch_mb: float = 64.0

    def __post_init__(self) -> None:
        if self.min_pages < 2 or self.min_site_pages < self.min_pages:
            raise ValueError("need 2 <= min_pages <= min_site_pages")
        if not 0 < self.min_share <= 1 or not 0 <= self.max_mid_share <= 1 \
                or not 0 < self.min_sentence_share <= 1:
            raise ValueError("min_share and min_sentence_share must be in (0, 1], "
                             "max_mid_share in [0, 1]")
        if not 1 <= self.min_articles <= FINGERPRINTS:
            raise ValueError(f"min_articles must be in [1, {FINGERPRINTS}]")

    def needed(self, site_pages: int) -> int:
        """Pages a line needs on a site of ``site_pages`` pages."""
        return max(self.min_pages, math.ceil(self.min_share * site_pages - 1e-9))


@dataclass
class LearnSummary:
    records: int = 0
    records_without_site: int = 0
    records_failed: int = 0
    sites: int = 0
    sites_learning: int = 0
    candidates: int = 0
    rules: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    sketch_bytes: int = 0
    seconds: float = 0.0
    read_faults: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"records": self.records, "records_without_site": self.records_without_site,
                "records_failed": self.records_failed, "sites": self.sites,
                "sites_learning": self.sites_learning, "candidates": self.candidates,
                "rules": self.rules, "rejected": dict(sorted(self.rejected.items())),
                "sketch_bytes": self.sketch_bytes, "seconds": round(self.seconds, 3),
                "read_faults": self.read_faults}


# --- workers --------------------------------------------------------------------------------

_STATE: dict[str, Any] = {}


def _record(task: Task, options: LearnOptions) -> tuple[str | None, str | None]:
    """(site, text) of a task; (None, None) for a record that cannot be read."""
    _, kind, payload = task
    if kind == "json":
        try:
            record = _loads(payload)
        except ValueError:
            return None, None
    elif kind == "row":
        record = payload
    else:
        return None, None  # files carry no site
    if not isinstance(record, dict):
        return None, None
    text = record.get(options.text_field)
    if not isinstance(text, (str, bytes)):
        return None, None
    site = record_site(record, options.site_field)
    if site is None:
        return None, ""
    if isinstance(text, bytes) or options.input_format == "html" or (
            options.input_format == "auto" and _looks_like_html(text)):
        from .html import extract

        url = record.get("url")
        text = extract(text, url if isinstance(url, str) else None)[0]
    return site, text


def _init(options: LearnOptions, sketch: CountMinSketch | str | None, width: int, depth: int,
          needed: dict[str, tuple[int, int]]) -> None:
    """A worker's state. ``sketch`` is the sketch itself in-process, or the path of its table
    on disk: every worker maps the one file read-only, so the table is in memory once."""
    _STATE["options"] = options
    if isinstance(sketch, str):
        import mmap

        cms = CountMinSketch(width, depth, table=False)
        with open(sketch, "rb") as f:
            mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        cms.table = memoryview(mapped).cast("I")
        _STATE["sketch"] = cms
    elif sketch is not None:
        _STATE["sketch"] = sketch
    _STATE["needed"] = needed


def _count_chunk(tasks: list[Task]) -> tuple[Counter[int], Counter[str], int, int]:
    """Pass one: (pages per key, pages per site, records without a site, unreadable)."""
    options: LearnOptions = _STATE["options"]
    keys: Counter[int] = Counter()
    sites: Counter[str] = Counter()
    no_site = failed = 0
    for task in tasks:
        site, text = _record(task, options)
        if text is None:
            failed += 1
            continue
        if site is None:
            no_site += 1
            continue
        sites[site] += 1
        page = _read_page(site, text)
        keys.update(h for h, *_ in page.lines)
        keys.update(page.paragraphs)
    return keys, sites, no_site, failed


def _passes(cms: CountMinSketch, threshold: int, key: int) -> bool:
    return cms.estimate(key) >= threshold


def _evidence_chunk(tasks: list[Task]) -> dict[int, Candidate]:
    """Pass two: exact evidence for the keys the sketch lets through."""
    options: LearnOptions = _STATE["options"]
    cms: CountMinSketch = _STATE["sketch"]
    needed: dict[str, tuple[int, int]] = _STATE["needed"]
    out: dict[int, Candidate] = {}

    def add(h: int, c: Candidate) -> None:
        if h in out:
            out[h].merge(c)
        else:
            out[h] = c

    for task in tasks:
        site, text = _record(task, options)
        if not site or text is None or site not in needed:
            continue
        line_threshold, constant_threshold = needed[site]
        page = _read_page(site, text, functools.partial(_passes, cms, line_threshold),
                          functools.partial(_passes, cms, constant_threshold))
        removed = _removed_by_shipped(text, [raw for _, raw, *_ in page.lines])
        for h, raw, pattern, length, mid in page.lines:
            rule = removed.get(raw, "")
            add(h, Candidate(site, pattern, 1, int(mid), 0, length / max(page.length, 1),
                             [page.fingerprint], [raw], covered=int(bool(rule)),
                             covered_by=rule))
        for h in page.embedded:
            add(h, Candidate(site, embedded=1))
    return out


def _removed_by_shipped(text: str, lines: list[str]) -> dict[str, str]:
    """Which of a page's candidate lines the shipped rules remove in this page, by which
    rule. The page is cleaned only when a shipped rule or template takes one of its lines
    on its own (what no shipped entry matches alone, the page's context cannot make it
    match); the answer for a line alone is kept per worker."""
    alone: dict[str, bool] = _STATE.setdefault("alone", {})
    entries = _STATE.get("builtin")
    if entries is None:
        entries = _STATE["builtin"] = _builtin_line_rules()
    maybe = False
    for raw in lines:
        hit = alone.get(raw)
        if hit is None:
            if len(alone) > 100_000:
                alone.clear()
            hit = alone[raw] = any(e.matches(raw) for e in entries)
        maybe |= hit
    if not maybe:
        return {}
    cleaner = _STATE.get("cleaner")
    if cleaner is None:
        from .pipeline import Cleaner

        cleaner = _STATE["cleaner"] = Cleaner()
    wanted = set(lines)
    ids = _STATE.get("builtin_ids")
    if ids is None:
        ids = _STATE["builtin_ids"] = frozenset(e.id for e in entries)
    out: dict[str, str] = {}
    for edit in cleaner.clean(text).removals:
        # Only what the line rules and templates remove: a line the tail reader takes with
        # a list depends on where it stands, and a rule of the site's own still serves.
        if edit.rule not in ids:
            continue
        for part in edit.text.split("\n"):
            part = part.strip()
            if part in wanted:
                out.setdefault(part, edit.rule)
    return out


# --- the run --------------------------------------------------------------------------------


def _map(fn: Callable[[list[Task]], Any], all_shards: Sequence[Shard], jobs: int,
         init_args: tuple[Any, ...], faults: list[str]) -> Iterator[Any]:
    pool: WorkerPool[Task, Any] | None = None
    if jobs > 1:
        def lost(task: Task, reason: str) -> Any:
            # A record that kills a worker every time is left out of the counts, and said.
            if len(faults) < 100:
                faults.append(f"record {task[0]}: {reason}")
            return (Counter(), Counter(), 0, 1) if fn is _count_chunk else {}

        pool = WorkerPool(jobs, _init, init_args, lost=lost)
    else:
        _init(*init_args)
    try:
        for shard in all_shards:
            fault = _ReadFault()
            chunks = _chunks(fault.guard(_tasks(shard)), CHUNK)
            yield from run_ordered(pool, fn, chunks, jobs * IN_FLIGHT_PER_JOB)
            if fault.error is not None and len(faults) < 100:
                faults.append(f"{shard.name}: {fault.error}")
    except BaseException:
        if pool is not None:
            pool.terminate()
            pool = None
        raise
    finally:
        if pool is not None:
            pool.close()


def _spill(cms: CountMinSketch) -> str:
    """Write the sketch's table to a temporary file, for workers to map (see _init)."""
    import tempfile

    fd, path = tempfile.mkstemp(prefix="cleaner-learn-", suffix=".sketch")
    with os.fdopen(fd, "wb") as f:
        f.write(cms.table)
    return path


@dataclass
class Learned:
    """The outcome of :func:`learn`: rules as candidates with their verdicts."""

    accepted: list[tuple[int, Candidate]]
    rejected: list[tuple[int, Candidate, str]]
    site_pages: dict[str, int]
    summary: LearnSummary


def learn(inputs: Sequence[str | Path], options: LearnOptions | None = None, *,
          jobs: int = 1, progress: bool = False) -> Learned:
    """Learn site furniture from the records of ``inputs`` (see the module docstring)."""
    options = options or LearnOptions()
    started = time.perf_counter()
    summary = LearnSummary()
    all_shards = shards(inputs)
    cms = CountMinSketch.for_megabytes(options.sketch_mb)
    summary.sketch_bytes = cms.nbytes
    site_pages: Counter[str] = Counter()
    faults: list[str] = []
    done = 0
    for keys, sites, no_site, failed in _map(_count_chunk, all_shards, jobs,
                                             (options, None, 0, 0, {}), faults):
        for h, n in keys.items():
            cms.add(h, n)
        site_pages.update(sites)
        summary.records_without_site += no_site
        summary.records_failed += failed
        done += sum(sites.values()) + no_site + failed
        if progress:
            sys.stderr.write(f"\rlearn, pass 1: {done:,} records  ")
    summary.records = done
    if done == 0:
        raise InputError("no records in " + ", ".join(map(str, inputs)) + ": nothing to learn from")
    summary.sites = len(site_pages)
    needed = {s: (options.needed(n), max(options.needed(n), math.ceil(
        options.min_sentence_share * n))) for s, n in site_pages.items()
        if n >= options.min_site_pages}
    summary.sites_learning = len(needed)
    candidates: dict[int, Candidate] = {}
    if needed:
        done = 0
        sketch: CountMinSketch | str = cms
        if jobs > 1:
            sketch = _spill(cms)
            cms.table = array("I")  # the workers read the file; the parent needs it no more
        try:
            evidence = _map(_evidence_chunk, all_shards, jobs,
                            (options, sketch, cms.width, cms.depth, needed), [])
            for part in evidence:
                done += CHUNK
                for h, c in part.items():
                    if h in candidates:
                        candidates[h].merge(c)
                    else:
                        candidates[h] = c
                if progress:
                    sys.stderr.write(f"\rlearn, pass 2: {min(done, summary.records):,} records  ")
        finally:
            if isinstance(sketch, str):
                os.unlink(sketch)
    if progress:
        sys.stderr.write("\n")
    summary.read_faults = faults
    accepted, rejected = _judge(candidates, site_pages, options)
    summary.candidates = len(candidates)
    summary.rules = len(accepted)
    summary.rejected = Counter(reason.split(":")[0] for *_, reason in rejected)
    summary.seconds = time.perf_counter() - started
    return Learned(accepted, rejected, dict(site_pages), summary)


def _builtin_line_rules() -> list[Any]:
    """The shipped entries that take whole lines: line rules and templates."""
    from .packs import load_rules

    return [r for r in load_rules() if r.scope in ("line", "template") and r.default]


def share_lower_bound(k: int, n: int, z: float = 2.326) -> float:
    """The lower end of the Wilson interval for a share of k in n (one-sided 99%: judged
    over thousands of sites, a 95% bound still let a few chance lines through).

    A stock closing line ("The investigation continues.") is on a few pages of a site by
    chance; on a small site a few can be a large share. The bound asks for the share the
    evidence is sure of, so 5 of 14 pages (36%) is not surely 20%, while 14 of 14 is:

    >>> round(share_lower_bound(5, 14), 3), round(share_lower_bound(14, 14), 3)
    (0.141, 0.721)
    """
    if n <= 0:
        return 0.0
    p = k / n
    z2 = z * z
    centre = p + z2 / (2 * n)
    margin = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return (centre - margin) / (1 + z2 / n)


def _judge(candidates: dict[int, Candidate], site_pages: dict[str, int],
           options: LearnOptions) -> tuple[list[tuple[int, Candidate]],
                                           list[tuple[int, Candidate, str]]]:
    accepted: list[tuple[int, Candidate]] = []
    rejected: list[tuple[int, Candidate, str]] = []
    for h, c in sorted(candidates.items(), key=lambda kv: (kv[1].site, kv[1].pattern, kv[0])):
        total = site_pages[c.site]
        reason = ""
        if c.pages < options.needed(total):
            reason = f"rare: on {c.pages} of {total} pages"
        elif not c.examples:
            reason = "prose: only ever a sentence inside a paragraph"
        elif c.articles < options.min_articles:
            reason = f"one story: beside {c.articles} distinct article(s)"
        elif c.embedded:
            reason = f"prose: a sentence inside a paragraph on {c.embedded} page(s)"
        elif c.mid > options.max_mid_share * c.pages:
            reason = f"mid-article: between paragraphs on {c.mid} of {c.pages} pages"
        elif (_SENTENCE_END.search(c.examples[0]) and
              share_lower_bound(c.pages, total) < options.min_sentence_share):
            reason = (f"rare sentence: on {c.pages} of {total} pages, not surely over "
                      f"{options.min_sentence_share:g} of them")
        elif c.covered >= c.pages:
            # Removed in every document it was seen in, by the shipped chain as it runs there.
            reason = (f"covered: the shipped rule {c.covered_by} removes it on the "
                      f"{c.pages} pages it is on")
        if reason:
            rejected.append((h, c, reason))
        else:
            accepted.append((h, c))
    return accepted, rejected


# --- the pack ----------------------------------------------------------------------------------


def _toml_str(s: str) -> str:
    if "'" not in s and not any(ord(c) < 32 or ord(c) == 127 for c in s):
        return f"'{s}'"
    import json

    return json.dumps(s, ensure_ascii=False)


def _slug(site: str) -> str:
    return regex.sub(r"[^a-z0-9]+", "-", site.lower()).strip("-") or "site"


def rule_id(site: str, key: int, wide: bool = False) -> str:
    """A learned rule's id: stable for a (site, shape), whatever else the corpus holds.

    Eight hex digits of the shape's hash; all sixteen (``wide``) for the rare shape whose
    short id another shape of the same site already has.
    """
    return f"learned.{_slug(site)}-{key if wide else key & 0xFFFFFFFF:0{16 if wide else 8}x}"


def _rule_ids(pairs: Iterable[tuple[int, Candidate]]) -> dict[int, str]:
    pairs = list(pairs)
    short = Counter(rule_id(c.site, h) for h, c in pairs)
    return {h: rule_id(c.site, h, wide=short[rule_id(c.site, h)] > 1) for h, c in pairs}


def write_pack(learned: Learned, path: str | Path | None = None) -> str:
    """The learned rules as a TOML pack (written to ``path`` when given)."""
    out = [
        "# Site furniture learned from a corpus by `cleaner learn`. Read it, edit it, commit it:",
        "# each rule runs only on its site's documents and never removes more than max_share",
        "# of one. Delete a rule to keep its line; `cleaner rules check` tests the examples.",
        "",
        "[pack]",
        'name = "learned"',
        'stage = "site"',
        (f'description = "Lines that recur on many pages of one site ({learned.summary.rules} '
         f'rules, {learned.summary.sites_learning} sites with enough pages)."'),
    ]
    ids = _rule_ids(learned.accepted)
    for h, c in learned.accepted:
        total = learned.site_pages[c.site]
        # Room above the largest share seen: pages of one site differ in length.
        share = min(1.0, math.ceil(200 * c.max_share) / 100 + 0.01)
        out += [
            "",
            "[[rule]]",
            f"id = {_toml_str(ids[h])}",
            'category = "learned"',
            'scope = "line"',
            f"site = {_toml_str(c.site)}",
            f"pattern = {_toml_str(c.pattern)}",
            'flags = ["ignorecase"]',
            f"description = {_toml_str(f'On {c.pages} of {total} pages of {c.site}.')}",
            f"pages = {c.pages}",
            f"site_pages = {total}",
            f"articles = {c.articles}",
            f"max_share = {share:g}",
            "must_match = [" + ", ".join(_toml_str(e) for e in c.examples) + "]",
        ]
    text = "\n".join(out) + "\n"
    if path is not None:
        write_atomic(path, text)
    return text


def explain(learned: Learned) -> Iterable[dict[str, Any]]:
    """Every candidate with its evidence and verdict, for review (``--explain``)."""
    verdicts = [(h, c, "") for h, c in learned.accepted] + list(learned.rejected)
    ids = _rule_ids((h, c) for h, c, _ in verdicts)
    for h, c, reason in sorted(verdicts, key=lambda v: (v[1].site, v[1].pattern, v[0])):
        yield {"id": ids[h], "site": c.site, "learned": not reason,
               "reason": reason, "pages": c.pages, "site_pages": learned.site_pages[c.site],
               "articles": c.articles, "mid": c.mid, "embedded": c.embedded,
               "covered": c.covered,
               "max_share": round(c.max_share, 4), "pattern": c.pattern,
               "examples": c.examples}
