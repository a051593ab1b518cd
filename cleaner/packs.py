"""Load, validate and compile rule packs (``rules/*.toml``). Every mistake fails here, at load.

A pack is TOML data, never code::

    [pack]
    name = "ads"
    stage = "lines"            # the filter that runs its rules
    description = "Ad markers and sponsored-content labels."

    [defines]                  # named sub-patterns, used in rules as (?&name)
    sep = '''\\s*[:|]\\s*'''

    [[rule]]
    id = "ad.marker"           # category.kebab-name, unique, never reused
    category = "ad"
    scope = "line"             # line: the whole line; inline: any span; heading: list heading
    pattern = '''advertisement'''
    flags = ["ignorecase"]
    description = "A line that is only an ad marker."
    must_match = ["Advertisement"]
    must_not_match = ["The advertisement market grew."]

Optional rule keys: ``max_length`` (line rules: the longest line, in characters, the rule is
tried on; default 500, since furniture is short and paragraphs are long), ``action`` (remove, replace,
unescape, fix-mojibake), ``replacement``
(for replace; ``\\g<name>`` expands groups), ``metadata`` (date or byline: the ``value`` group,
or the whole match, is given back), ``position`` (anywhere, or edge: near the top of the
document or at its end), ``default`` (false makes the rule opt-in), ``note``.

Site-scoped rules (what ``cleaner learn`` writes) add ``site`` (the rule runs only on
documents of that site: a domain, see cleaner.sites), ``max_share`` (the most of a document's
characters the rule may remove there; above it the rule is skipped for the document and a notice
says so) and the evidence it was learned from: ``pages``, ``site_pages`` and ``articles``
(how many distinct articles it was seen beside). ``must_not_match`` is optional for them.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import regex

from . import cache
from .errors import CleanerError
from .gates import fold, global_flags, literal_prefixes, required_literals
from .sites import site_of
from .templates import Form, Template, parse_templates

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable


def _builtin_rules_dir() -> Traversable:
    # A source checkout (an editable install, the test suite) reads rules/ beside the package.
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "rules").is_dir():
        return checkout / "rules"
    # An installed wheel or sdist carries them as cleaner/_rules: a folder of data inside the
    # package, found from the package itself. (files("cleaner._rules") would import it as a
    # namespace package, whose MultiplexedPath is no folder one can open.)
    installed = Path(__file__).resolve().parent / "_rules"
    if installed.is_dir():
        return installed
    import importlib.resources  # a package inside a zip file: read through its loader

    return importlib.resources.files("cleaner") / "_rules"


#: Where the shipped packs live.
BUILTIN_RULES_DIR = _builtin_rules_dir()

CATEGORIES = frozenset({
    "artifact", "entity", "metadata", "byline", "ad", "related", "trailing-headlines",
    "duplicate", "punctuation", "whitespace", "control", "boilerplate",
    "share", "subscribe", "newsletter", "cookie", "copyright", "learned",
    # Comment sections and widgets; menus, skip links, breadcrumbs, pagination; tag and
    # category lines; author bio boxes; source and syndication footers; loading and
    # placeholder lines.
    "comments", "navigation", "tags", "bio", "syndication", "placeholder",
})
STAGES = frozenset({"entities", "artifacts", "lines", "site", "tail", "punctuation"})
SCOPES = frozenset({"line", "inline", "heading"})
ACTIONS = frozenset({"remove", "replace", "unescape", "fix-mojibake"})
POSITIONS = frozenset({"anywhere", "edge"})
METADATA_KINDS = frozenset({"date", "byline"})
FLAGS = {
    "ignorecase": regex.IGNORECASE,
    "dotall": regex.DOTALL,
    "verbose": regex.VERBOSE,
    "ascii": regex.ASCII,
}
#: Furniture lines are short; a line rule is not tried on longer lines unless it says so.
DEFAULT_MAX_LINE = 500
_RULE_KEYS = frozenset({
    "id", "category", "scope", "pattern", "flags", "description", "must_match",
    "must_not_match", "action", "replacement", "metadata", "position", "default", "note",
    "max_length", "site", "max_share", "pages", "site_pages", "articles", "evidence",
})
_ID = regex.compile(r"[a-z][a-z0-9-]*\.[a-z0-9]+(?:-[a-z0-9]+)*")


class PackError(CleanerError, ValueError):
    """A rule pack that cannot be used; the message names the file, the rule and the reason."""

    def __init__(self, path: Path | str, rule_id: str | None, reason: str) -> None:
        self.path = str(path)
        self.rule_id = rule_id
        self.reason = reason
        where = f"{path}: rule {rule_id!r}" if rule_id else f"{path}"
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class Rule:
    """One compiled rule. ``matcher`` is what runs; ``pattern`` is what the author wrote."""

    id: str
    category: str
    scope: str
    stage: str
    pattern: str
    description: str
    must_match: tuple[str, ...]
    must_not_match: tuple[str, ...]
    #: What the engine compiles: ``pattern`` with its defines inlined and, for line rules,
    #: held to one line (see _compile); and the flags it is compiled with.
    compiled: str = ""
    flags: int = 0
    #: The compiled program of ``compiled`` as the regex engine builds it (see _program), so
    #: that a pack read from the cache needs no parse of its patterns; None to compile.
    program: tuple[Any, ...] | None = None
    action: str = "remove"
    replacement: str = ""
    metadata: str | None = None
    position: str = "anywhere"
    default: bool = True
    note: str = ""
    source: str = ""
    #: Where the evidence for the rule came from (a catalog, the sites it was seen on).
    evidence: str = ""
    #: A rule of the shipped packs, run without a clock (its pattern passes the lint against
    #: nested unbounded repeats and the tests run it on hostile input); a user's rule runs
    #: under Config.rule_timeout.
    shipped: bool = False
    #: Line rules: the longest line (characters) the rule is tried on.
    max_length: int = 0
    #: Strings every match starts with (lower-cased when ``gate_ci``), or None: a document
    #: that holds none of them is not searched (see cleaner.gates).
    gate: tuple[str, ...] | None = None
    gate_ci: bool = False
    #: Line rules: the gate strings start the line (so "\n" + gate is what is looked for).
    gate_anchored: bool = False
    #: Line rules with an anchored gate: strings every match also holds somewhere (lower-cased
    #: when ``also_ci``), or None; a line that starts right but holds none is not tried.
    also: tuple[str, ...] | None = None
    also_ci: bool = False
    #: Site-scoped rules: the site (see cleaner.sites.site_of) whose documents they run on.
    site: str | None = None
    #: The largest share of a document's characters the rule may remove; None for no limit.
    max_share: float | None = None
    #: Evidence of a learned rule: pages of its site it was seen on, of how many, beside how
    #: many distinct articles.
    pages: int = 0
    site_pages: int = 0
    articles: int = 0

    @cached_property
    def matcher(self) -> regex.Pattern[str]:
        """The compiled pattern: compiled when a pack is first loaded (which proves it
        compiles), and on later loads from the cache rebuilt from its program when a document
        first needs the rule."""
        if self.program is not None:
            built = _from_program(self.program, self.compiled, self.flags)
            if built is not None:
                return built
        return regex.compile(self.compiled, self.flags)

    def examples_failing(self) -> list[str]:
        """The rule's own examples that it gets wrong (an empty list when all hold)."""
        bad = []
        for ex in self.must_match:
            if not self.matches(ex):
                bad.append(f"must_match {ex!r} does not match")
        for ex in self.must_not_match:
            if self.matches(ex):
                bad.append(f"must_not_match {ex!r} matches")
        return bad

    def matches(self, text: str) -> bool:
        """Whether the rule fires on ``text`` as its scope reads it (a whole line, or anywhere)."""
        if self.scope == "inline":
            return self.matcher.search(text, timeout=1.0) is not None
        return any(self.match_line(line) for line in text.split("\n"))

    def match_line(self, line: str, timeout: float = 1.0) -> regex.Match[str] | None:
        """Match a line rule against one stripped line (no newline in it). Lines over
        ``max_length``, and lines that do not start with the rule's gate, fail at once."""
        if len(line) > self.max_length:
            return None
        if self.gate is not None and self.gate_anchored and not (
                fold(line) if self.gate_ci else line).startswith(self.gate):
            return None
        if self.also is not None and not self.holds_also(line):
            return None
        return self.matcher.match(f"\n{line}\n", timeout=timeout)

    def holds_also(self, line: str, lowered: str | None = None) -> bool:
        """Whether the line holds one of the rule's ``also`` strings (True when it has none);
        ``lowered``: the line in lower case, when the caller has it."""
        if self.also is None:
            return True
        if self.also_ci:
            line = fold(line) if lowered is None else lowered
        return any(s in line for s in self.also)


@dataclass(frozen=True)
class RuleSet:
    """All rules and templates of a run, in load order (ids unique across packs)."""

    rules: tuple[Rule, ...]
    templates: tuple[Template, ...] = ()

    def by_stage(self, stage: str) -> tuple[Rule, ...]:
        """The pattern rules of a stage (templates are all of the lines stage)."""
        return tuple(r for r in self.rules if r.stage == stage)

    def get(self, rule_id: str) -> Rule | Template:
        for r in self:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def __iter__(self) -> Iterator[Rule | Template]:
        yield from self.rules
        yield from self.templates

    def __len__(self) -> int:
        return len(self.rules) + len(self.templates)


def _quantifier_at(pattern: str, i: int) -> tuple[int, bool, bool]:
    """The quantifier starting at ``i``: (its length, unbounded?, possessive?); (0, ...) if none."""
    n = len(pattern)
    if i >= n:
        return 0, False, False
    c = pattern[i]
    if c in "*+?":
        width, unbounded = 1, c != "?"
    elif c == "{":
        m = regex.match(r"\{(\d*)(,?)\s*(\d*)\}", pattern[i:])
        if not m or not (m.group(1) or m.group(3)):
            return 0, False, False  # a literal brace
        width, unbounded = m.end(), bool(m.group(2)) and not m.group(3)
    else:
        return 0, False, False
    nxt = pattern[i + width] if i + width < n else ""
    return width + (1 if nxt in "+?" else 0), unbounded, nxt == "+"


def lint_pattern(pattern: str) -> str | None:
    r"""Return why a pattern may backtrack catastrophically, or None.

    Rejects a group holding an unbounded repeat that is itself repeated without bound
    (``(a+)+``, ``(\\w+\\s?)*``), unless a repeat is possessive or the group atomic. The regex
    timeout stays the backstop for shapes this check cannot see (``(a|aa)+``).

    >>> lint_pattern(r"(\w+\s?)*$")
    'nested unbounded repeat: a group holding an unbounded repeat is repeated without bound'
    >>> lint_pattern(r"(?:\w++\s?)*+") is None
    True
    """
    # One entry per open group: does it hold a repeat that can backtrack without bound?
    stack: list[bool] = [False]
    atomic: list[bool] = [False]
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        group_risky = False
        if c == "\\":
            i += 2
            if i < n and pattern[i - 1] in "pPNxgk" and pattern[i] in "{<":
                close = pattern.find("}" if pattern[i] == "{" else ">", i)
                i = n if close < 0 else close + 1
        elif c == "[":
            j = i + 1
            if j < n and pattern[j] == "^":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            i = j + 1
        elif c == "(":
            stack.append(False)
            atomic.append(pattern.startswith("(?>", i))
            i += 1
            continue
        elif c == ")":
            if len(stack) > 1:
                held, was_atomic = stack.pop(), atomic.pop()
                group_risky = held and not was_atomic
            i += 1
        else:
            i += 1
        width, unbounded, possessive = _quantifier_at(pattern, i)
        if width and unbounded and not possessive:
            if group_risky:
                return ("nested unbounded repeat: a group holding an unbounded repeat is "
                        "repeated without bound")
            stack[-1] = True
        elif group_risky and not (width and possessive):
            stack[-1] = True
        i += width
    return None


def _expect(cond: bool, path: Path | str, rule_id: str | None, reason: str) -> None:
    if not cond:
        raise PackError(path, rule_id, reason)


def _str_list(value: Any, path: Path | str, rule_id: str, key: str) -> tuple[str, ...]:
    _expect(isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value),
            path, rule_id, f"{key} must be a non-empty list of strings, got {value!r}")
    return tuple(value)


_HSPACE_IN_CLASS = r" \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"


def _single_line(pattern: str) -> str:
    """Rewrite a pattern so that nothing in it can match a newline: a line rule must not take
    the next line with it.

    ``\\s`` becomes horizontal whitespace; ``\\W``, ``\\D`` and every negated class
    (``[^.!?]``, ``[^\\s.]``) also exclude ``\\n``, since "anything but a full stop" includes
    a newline.

    >>> _single_line(r"a\\s+[^.!?]{0,9}\\W")
    'a[^\\\\S\\\\n]+[^.!?\\\\n]{0,9}[^\\\\w\\\\n]'
    """
    out: list[str] = []
    i, n, in_class, negated = 0, len(pattern), False, False
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            pair = pattern[i:i + 2]
            if pair == "\\s":
                # In a negated class \s already excludes \n, and the class gets \n below.
                out.append(pair if negated else _HSPACE_IN_CLASS if in_class else r"[^\S\n]")
            elif pair in ("\\W", "\\D") and not in_class:
                out.append(f"[^\\{pair[1].lower()}\\n]")
            else:
                out.append(pair)
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
            negated = pattern.startswith("^", i + 1)
            out.append(c)
            # A ] right after [ or [^ is a literal member, not the end of the class.
            for lead in ("^", "]"):
                if pattern.startswith(lead, i + 1):
                    out.append(lead)
                    i += 1
            i += 1
            continue
        if c == "]" and in_class:
            if negated:
                out.append("\\n")
            in_class = negated = False
        out.append(c)
        i += 1
    return "".join(out)


_CALL = regex.compile(r"\(\?&(\w+)\)")


def _inline_defines(pattern: str, defines: dict[str, str], rule_id: str,
                    path: Path | str) -> str:
    """Replace each (?&name) by the definition's text. Calls into DEFINE groups work, but the
    regex module pays ~40 us per call and loses its literal skip: inlined, the date rule runs
    20x faster."""

    def expand(text: str, stack: tuple[str, ...]) -> str:
        def one(m: regex.Match[str]) -> str:
            name = m.group(1)
            if name not in defines:
                raise PackError(path, rule_id, f"(?&{name}) names no entry of [defines]")
            if name in stack:
                raise PackError(path, rule_id, f"[defines] {name!r} refers to itself")
            return f"(?:{expand(defines[name], (*stack, name))})"

        return _CALL.sub(one, text)

    return expand(pattern, ())


def _gate(pattern: str, flags: int, scope: str
          ) -> tuple[tuple[frozenset[str], bool] | None, bool]:
    """A rule's literal gate (see cleaner.gates): prefixes if provable, else required strings."""
    matched_with = _flags_of(pattern, flags)
    if matched_with is None:
        return None, False
    ci = bool(matched_with & regex.IGNORECASE)
    anchored = scope != "inline"
    gate = literal_prefixes(pattern, ci, stripped=anchored)
    if gate is None:
        gate, anchored = required_literals(pattern, ci), False
    if gate is not None and "" in gate[0]:
        return None, anchored  # an empty string is in every text: no gate (no place to look)
    if gate is not None and gate[1] and not any(map(_has_case, gate[0])):
        # "<" is in a text exactly when it is in the text lower-cased: no need to lower it.
        gate = (gate[0], False)
    return gate, anchored


def _flags_of(pattern: str, flags: int) -> int | None:
    """The flags a pattern is matched with, the pack's and its own global ones ((?i) makes
    the gate compare ignoring case too); None when no literal gate can be read from it."""
    own = global_flags(pattern)
    flags |= ((regex.IGNORECASE if "i" in own else 0) | (regex.VERBOSE if "x" in own else 0)
              | (regex.FULLCASE if "f" in own else 0))
    if flags & (regex.VERBOSE | regex.FULLCASE):
        # Verbose patterns spell literals with spaces that are not there; full case folding
        # matches "STRAẞE" to "strasse", which no lower-cased gate string holds.
        return None
    return flags


def _has_case(s: str) -> bool:
    """Whether lower-casing could matter: a string of ASCII signs and digits (what no other
    character lower-cases to) reads the same in a text and in the text lower-cased."""
    return not s.isascii() or any(c.isalpha() for c in s)


def _also(pattern: str, flags: int, gate: tuple[frozenset[str], bool] | None
          ) -> tuple[frozenset[str], bool] | None:
    """For a line rule gated on how a line starts: strings every match also holds somewhere,
    when they tell more than the start does ("the" starts many lines; "continues" is in few)."""
    own_flags = _flags_of(pattern, flags)
    if gate is None or own_flags is None:
        return None
    also = required_literals(pattern, bool(own_flags & regex.IGNORECASE))
    if also is None or "" in also[0]:
        return None
    if also[1] == gate[1] and all(any(a in g for a in also[0]) for g in gate[0]):
        return None  # every line that starts right holds one already
    return also


# The regex module parses a pattern in Python (5 to 10 ms for a large rule) and hands the
# program it made to its C core, regex._regex.compile. The program is plain data: kept in the
# compiled-pack cache, it rebuilds the same pattern in microseconds. It is caught on its way
# to the core while a pack is compiled; the cache key holds the regex module's version, and a
# program the core refuses, or one that does not give back the same pattern, is compiled
# afresh.
_PROGRAM_LOCK = threading.Lock()


def _compile_with_program(body: str, flags: int) -> tuple[regex.Pattern[str], tuple[Any, ...] | None]:
    """``regex.compile(body, flags)`` and the program its core was given (None if unseen)."""
    from regex import _main

    real = getattr(_main, "_regex", None)
    owner = threading.get_ident()
    seen: list[tuple[Any, ...]] = []

    class _Spy:
        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

        def compile(self, *args: Any) -> Any:
            if threading.get_ident() == owner:
                seen.append(args)
            return real.compile(*args)

    if real is None:
        return regex.compile(body, flags), None
    with _PROGRAM_LOCK:
        _main._regex = _Spy()
        try:
            pattern = regex.compile(body, flags, cache_pattern=False)
        finally:
            _main._regex = real
    return pattern, _plain_program(seen[-1]) if seen else None


def _plain_program(args: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """A program as JSON can hold it; None for one that cannot be kept (named lists)."""
    (pattern, flags, code, group_index, index_group, named_lists, named_list_indexes,
     req_offset, req_chars, req_flags, group_count) = args
    if named_lists or named_list_indexes:
        return None
    return (pattern, int(flags), list(code), dict(group_index),
            [[int(k), v] for k, v in index_group.items()], int(req_offset),
            None if req_chars is None else list(req_chars), int(req_flags), int(group_count))


def _from_program(program: tuple[Any, ...] | list[Any], compiled: str,
                  flags: int) -> regex.Pattern[str] | None:
    """The pattern a kept program builds, or None when it cannot be used."""
    try:
        from regex import _regex

        (pattern, pflags, code, group_index, index_group, req_offset, req_chars, req_flags,
         group_count) = program
        built = _regex.compile(pattern, regex.RegexFlag(pflags), list(code), dict(group_index),
                               {int(k): v for k, v in index_group}, {}, [], req_offset,
                               None if req_chars is None else tuple(req_chars), req_flags,
                               group_count)
    except Exception:  # noqa: BLE001 - any refusal means: compile it the ordinary way
        return None
    return built if built.pattern == compiled else None


def _compile(rule_id: str, scope: str, pattern: str, defines: dict[str, str], flags: int,
             path: Path | str) -> tuple[regex.Pattern[str], str, int, tuple[Any, ...] | None]:
    body = pattern
    if scope in ("line", "heading"):
        # A line rule accounts for the whole line, so that it never cuts a sentence, and its
        # \s never matches a newline, so that it never takes the next line with it.
        # Matched over the text with a newline added at each end: a literal \n lead lets the
        # engine skip to line starts (13x faster than ^ with MULTILINE on a 5 MB document).
        defines = {k: _single_line(v) for k, v in defines.items()}
        body = rf"\n[^\S\n]*+(?P<span>{_single_line(pattern)})[^\S\n]*+(?=\n)"
    body = _inline_defines(body, defines, rule_id, path)
    flags |= regex.MULTILINE | regex.V0
    try:
        compiled, program = _compile_with_program(body, flags)
        return compiled, body, flags, program
    except regex.error as exc:
        raise PackError(path, rule_id, f"pattern does not compile: {exc}") from None


def parse_pack(data: dict[str, Any], path: Path | str = "<string>") -> list[Rule | Template]:
    """Validate one pack's parsed TOML and compile its rules and templates (see
    cleaner.templates)."""
    pack = data.get("pack")
    _expect(isinstance(pack, dict), path, None, "missing [pack] table with name and stage")
    assert isinstance(pack, dict)
    stage = pack.get("stage")
    _expect(stage in STAGES, path, None,
            f"[pack] stage must be one of {sorted(STAGES)}, got {stage!r}")
    assert isinstance(stage, str)
    extra = set(data) - {"pack", "defines", "rule", "template"}
    _expect(not extra, path, None, f"unknown top-level keys {sorted(extra)}")
    defines = data.get("defines", {})
    _expect(isinstance(defines, dict) and all(isinstance(v, str) for v in defines.values()),
            path, None, "[defines] must map names to pattern strings")
    for name, sub in defines.items():
        why = lint_pattern(sub)
        _expect(why is None, path, None, f"define {name!r}: {why}")
    raw_rules = data.get("rule", [])
    _expect(isinstance(raw_rules, list), path, None, "[[rule]] must be an array of tables")
    raw_templates = data.get("template", [])
    _expect(isinstance(raw_templates, list), path, None,
            "[[template]] must be an array of tables")
    _expect(not raw_templates or stage == "lines", path, None,
            "templates remove whole lines: their pack's stage must be 'lines'")

    def fail(rule_id: str | None, reason: str) -> None:
        raise PackError(path, rule_id, reason)

    rules: list[Rule | Template] = list(parse_templates(raw_templates, str(path), fail))
    for raw in raw_rules:
        _expect(isinstance(raw, dict), path, None, "each [[rule]] must be a table")
        rid = raw.get("id")
        _expect(isinstance(rid, str) and _ID.fullmatch(rid) is not None, path,
                rid if isinstance(rid, str) else None,
                f"id must look like 'category.kebab-name', got {rid!r}")
        unknown = set(raw) - _RULE_KEYS
        _expect(not unknown, path, rid, f"unknown keys {sorted(unknown)}")
        category = raw.get("category")
        _expect(category in CATEGORIES, path, rid,
                f"category must be one of {sorted(CATEGORIES)}, got {category!r}")
        _expect(rid.split(".", 1)[0] == category, path, rid,
                f"id must start with its category {category!r}")
        scope = raw.get("scope")
        _expect(scope in SCOPES, path, rid, f"scope must be one of {sorted(SCOPES)}, got {scope!r}")
        pattern = raw.get("pattern")
        _expect(isinstance(pattern, str) and pattern != "", path, rid,
                "pattern must be a non-empty string")
        why = lint_pattern(pattern)
        _expect(why is None, path, rid, f"pattern rejected: {why}")
        flag_names = raw.get("flags", [])
        _expect(isinstance(flag_names, list) and all(f in FLAGS for f in flag_names), path, rid,
                f"flags must be a list drawn from {sorted(FLAGS)}, got {flag_names!r}")
        flags = 0
        for f in flag_names:
            flags |= FLAGS[f]
        description = raw.get("description")
        _expect(isinstance(description, str) and description.strip() != "", path, rid,
                "description must be a non-empty string")
        must_match = _str_list(raw.get("must_match"), path, rid, "must_match")
        site = raw.get("site")
        _expect(site is None or (isinstance(site, str) and site_of(site) == site), path, rid,
                f"site must be a bare lower-case domain such as 'example.com', got {site!r}")
        must_not_match = (() if site is not None and "must_not_match" not in raw else
                          _str_list(raw.get("must_not_match"), path, rid, "must_not_match"))
        max_share = raw.get("max_share")
        _expect(max_share is None or (isinstance(max_share, (int, float))
                                      and not isinstance(max_share, bool) and 0 < max_share <= 1),
                path, rid, f"max_share must be a number in (0, 1], got {max_share!r}")
        counts = {k: raw.get(k, 0) for k in ("pages", "site_pages", "articles")}
        for k, v in counts.items():
            _expect(isinstance(v, int) and not isinstance(v, bool) and v >= 0, path, rid,
                    f"{k} must be a non-negative integer, got {v!r}")
        action = raw.get("action", "remove")
        _expect(action in ACTIONS, path, rid, f"action must be one of {sorted(ACTIONS)}, got {action!r}")
        replacement = raw.get("replacement", "")
        _expect(isinstance(replacement, str), path, rid, "replacement must be a string")
        _expect((action == "replace") == ("replacement" in raw), path, rid,
                "replacement is required with action 'replace' and only then")
        metadata = raw.get("metadata")
        _expect(metadata is None or metadata in METADATA_KINDS, path, rid,
                f"metadata must be one of {sorted(METADATA_KINDS)}, got {metadata!r}")
        position = raw.get("position", "anywhere")
        _expect(position in POSITIONS, path, rid,
                f"position must be one of {sorted(POSITIONS)}, got {position!r}")
        _expect(position == "anywhere" or scope == "line", path, rid,
                "position 'edge' places a line among the document's lines: line rules only")
        default = raw.get("default", True)
        _expect(isinstance(default, bool), path, rid, "default must be true or false")
        note = raw.get("note", "")
        _expect(isinstance(note, str), path, rid, "note must be a string")
        evidence_text = raw.get("evidence", "")
        _expect(isinstance(evidence_text, str), path, rid,
                "evidence must be a string (a catalog, or the sites the line was seen on)")
        _expect(scope != "line" or action == "remove", path, rid,
                "line rules remove whole lines; use an inline rule to repair")
        max_length = raw.get("max_length", 0 if scope == "inline" else DEFAULT_MAX_LINE)
        _expect(isinstance(max_length, int) and not isinstance(max_length, bool)
                and (max_length > 0) == (scope != "inline"), path, rid,
                "max_length must be a positive integer, on line and heading rules only")
        matcher, compiled, compiled_flags, program = _compile(rid, scope, pattern, defines,
                                                              flags, path)
        inlined = _inline_defines(pattern, defines, rid, path)
        gate, gate_anchored = _gate(inlined, flags, scope)
        also = _also(inlined, flags, gate) if gate_anchored else None
        rule = Rule(
            id=rid, category=category, scope=scope, stage=stage, pattern=pattern,
            description=description.strip(), must_match=must_match,
            must_not_match=must_not_match, compiled=compiled, flags=compiled_flags,
            program=program, action=action,
            replacement=replacement, metadata=metadata, position=position, default=default,
            note=note, source=str(path), evidence=evidence_text, max_length=max_length,
            gate=tuple(sorted(gate[0])) if gate else None, gate_ci=bool(gate and gate[1]),
            gate_anchored=gate_anchored, site=site,
            also=tuple(sorted(also[0])) if also else None, also_ci=bool(also and also[1]),
            max_share=float(max_share) if max_share is not None else None, **counts,
        )
        rule.__dict__["matcher"] = matcher  # compiled already: the cached_property's slot
        rules.append(rule)
    return rules


def _template_rows(entries: list[Rule | Template]) -> list[Any]:
    """Templates as plain data for the cache, their forms' skeletons included: a pack of
    thousands of forms is not tokenized again on every start."""
    return [{"id": t.id, "category": t.category, "description": t.description,
             "evidence": t.evidence, "must_match": list(t.must_match),
             "must_not_match": list(t.must_not_match), "default": t.default, "note": t.note,
             "section": t.section, "alone": t.alone,
             "forms": [[f.language, f.text, list(f.tokens), f.open_slot, f.at] for f in t.forms]}
            for t in entries if isinstance(t, Template)]


def _template_from_row(row: dict[str, Any], source: str) -> Template:
    forms = tuple(Form(language, text, tuple(tokens), open_slot, at)
                  for language, text, tokens, open_slot, at in row.pop("forms"))
    for key in ("must_match", "must_not_match"):
        row[key] = tuple(row[key])
    return Template(forms=forms, source=source, **row)


#: Rule fields kept in the compiled-pack cache: all but where the pack was read from.
_CACHED_FIELDS = tuple(f.name for f in dataclasses.fields(Rule) if f.name != "source")


def _to_cache(entries: list[Rule | Template]) -> bytes:
    return json.dumps({"templates": _template_rows(entries),
                       "rules": [[getattr(r, k) for k in _CACHED_FIELDS] for r in entries
                                 if isinstance(r, Rule)]},
                      ensure_ascii=False).encode("utf-8", "surrogatepass")


def _from_cache(data: bytes, source: str) -> list[Rule | Template] | None:
    """The entries of a cache entry, or None when it cannot be read (then the pack is
    compiled again): an entry is trusted only as far as it parses into rules."""
    try:
        stored = json.loads(data.decode("utf-8", "surrogatepass"))

        entries: list[Rule | Template] = [_template_from_row(row, source)
                                          for row in stored["templates"]]
        for row in stored["rules"]:
            values = dict(zip(_CACHED_FIELDS, row, strict=True))
            for k, v in values.items():
                if isinstance(v, list):
                    values[k] = tuple(v)
            entries.append(Rule(source=source, **values))
        return entries
    except (ValueError, TypeError, KeyError):
        return None


def load_pack(path: Path | str | Traversable) -> list[Rule | Template]:
    """Read and compile one pack file.

    A pack whose bytes were compiled before, by this build, is read from the per-user cache
    (see cleaner.cache): its checks passed then, and its patterns compile when first used.
    """
    source = str(path)
    if isinstance(path, str):
        path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PackError(source, None, f"cannot read: {exc}") from None
    entry = cache.key("pack", raw)
    cached = cache.read_checked(entry)
    if cached is not None and (rules := _from_cache(cached, source)) is not None:
        return rules
    import tomllib  # only a pack compiled for the first time is parsed

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise PackError(source, None, f"not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise PackError(source, None, f"cannot read: {exc}") from None
    rules = parse_pack(data, source)
    cache.write_checked(entry, _to_cache(rules))
    return rules


def pack_files(paths: Iterable[Path | str | Traversable]) -> list[Path | Traversable]:
    """Expand folders to their ``*.toml`` files, sorted, so load order is stable."""
    out: list[Path | Traversable] = []
    for p in paths:
        if isinstance(p, str):
            p = Path(p)
        if p.is_dir():
            out.extend(sorted((f for f in p.iterdir() if f.name.endswith(".toml")),
                              key=lambda f: f.name))
        else:
            out.append(p)
    return out


def load_rules(paths: Iterable[Path | str] | None = None, *, builtin: bool = True) -> RuleSet:
    """Load the shipped packs (unless ``builtin`` is false) and any others given.

    >>> rules = load_rules()
    >>> rules.get("ad.marker").category
    'ad'
    """
    shipped_files = pack_files([BUILTIN_RULES_DIR] if builtin else [])
    files = shipped_files + pack_files(paths or [])
    seen: dict[str, str] = {}
    rules: list[Rule] = []
    templates: list[Template] = []
    for n, f in enumerate(files):
        for entry in load_pack(f):
            if n < len(shipped_files) and isinstance(entry, Rule):
                entry = dataclasses.replace(entry, shipped=True)
            if entry.id in seen:
                raise PackError(str(f), entry.id, f"id already defined in {seen[entry.id]}")
            seen[entry.id] = str(f)
            if isinstance(entry, Template):
                templates.append(entry)
            else:
                rules.append(entry)
    return RuleSet(tuple(rules), tuple(templates))
