"""One pass for all rules: which rules may fire in a document, and on which lines, told by RE2.

A stage's pattern rules are written for the ``regex`` module, which runs one pattern at a
time. Asking each rule about each document, even behind literal gates, costs in step with the
number of rules. RE2 (``google-re2``) runs a set of patterns in one linear-time pass: one
``Set`` search over the document says which rules can match anywhere in it, and for the line
rules among them one anchored ``Set`` match per short line says which lines. Only those
(rule, line) pairs, and the inline rules that can match, are then matched by the rules' own
``regex`` patterns, which give the spans, the groups and the exact semantics. So the output is
the rules' own, whatever this module says, as long as what it says is a superset: it may let
through a rule that does not match, never hold back one that does.

That is how each pattern is translated (:func:`to_re2`): every construct RE2 lacks or reads
otherwise is replaced by one that matches at least as much. Look-arounds and word boundaries
are dropped (an assertion only ever removes matches); possessive and atomic forms become plain
ones (a DFA's greedy form holds every match of the possessive one); bounded repeats over ten
become unbounded (RE2 caps repeat counts); names of groups go. Classes are where the engines
differ most (RE2's ``\\w``, ``\\s``, ``\\d`` and ``\\b`` are ASCII, its Unicode tables older than
``regex``'s): a class keeps its ASCII members exactly, as ``regex`` itself says them, and takes
every non-ASCII character whenever it might hold one. A rule this cannot translate (a verbose
pattern, a back-reference) is simply not in the set: it runs as before, behind its gate.

Where ``google-re2`` is not installed (no wheel for the platform), or a document holds what
RE2 cannot read (lone surrogates), the stage takes its gated path: the same rules, the same
output, slower.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import regex

from . import gates
from .filters.base import Line
from .packs import Rule

#: The re2 module once looked for: a module, None where it is missing (no wheel for the
#: platform: the gated path does the same work), or ... before the first look (imported on
#: first use: a run over one file never builds a filter, see filters.rules.PREFILTER_AFTER).
_re2: Any = ...


def _module() -> Any:
    global _re2
    if _re2 is ...:
        try:
            import re2
        except ImportError:  # pragma: no cover - exercised where google-re2 is absent
            re2 = None
        _re2 = re2
    return _re2

#: Bounded repeats with a larger upper bound than this become unbounded in the filter.
MAX_BOUNDED_REPEAT = 10
#: Memory RE2 may give a set's automaton; past it a search fails, which the canary tells.
SET_MEMORY = 256 << 20
#: Every non-ASCII code point, and a class that matches nothing, in RE2's syntax.
_ALL_NON_ASCII = "\\x{80}-\\x{10FFFF}"
_NOTHING = "[^\\x{0}-\\x{10FFFF}]"
_RE2_SPECIAL = set("\\.^$|?*+()[]{}-/&~#\"'<>=!:,; \t")


class Untranslatable(ValueError):
    """A pattern the translation does not handle; its rule runs without the filter."""


def available() -> bool:
    """Whether RE2 is there to filter the rules (else every stage takes its gated path)."""
    return _module() is not None


@lru_cache(maxsize=4096)
def _ascii_members(token: str, ignorecase: bool) -> tuple[int, ...]:
    """The ASCII characters ``regex`` matches with a one-character ``token`` (a class, an
    escape), as the rule reads it."""
    pattern = regex.compile(token, regex.V0 | (regex.IGNORECASE if ignorecase else 0))
    return tuple(c for c in range(128) if pattern.fullmatch(chr(c)))


def _class(members: Sequence[int], non_ascii: bool) -> str:
    """An RE2 class of these ASCII members, with every non-ASCII character when asked."""
    parts: list[str] = []
    run: list[int] = []
    for c in list(members) + [-2]:
        if run and c == run[-1] + 1:
            run.append(c)
            continue
        if run:
            a, b = run[0], run[-1]
            parts.append(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}")
        run = [c]
    if non_ascii:
        parts.append(_ALL_NON_ASCII)
    return f"[{''.join(parts)}]" if parts else _NOTHING


def _may_take_non_ascii(token: str, ignorecase: bool) -> bool:
    """Whether a class or escape might match a non-ASCII character (True when unsure: a
    superset stays a superset)."""
    if token.startswith("[^") or any(e in token for e in (
            "\\p", "\\P", "\\w", "\\W", "\\s", "\\S", "\\d", "\\D", "\\u", "\\x", "\\U", "\\N")):
        return True
    if not token.isascii():
        return True
    # Case-insensitively, K, S and I fold to letters outside ASCII (the Kelvin sign, the long
    # s, the dotted I); any letter may, as far as this check knows.
    return ignorecase and any(ch.isalpha() for ch in token)


def _class_end(p: str, i: int) -> int:
    """Index past the class that opens at ``p[i] == "["`` (V0 syntax: no nested sets)."""
    j = i + 1
    if j < len(p) and p[j] == "^":
        j += 1
    if j < len(p) and p[j] == "]":
        j += 1
    while j < len(p) and p[j] != "]":
        j += 2 if p[j] == "\\" else 1
    if j >= len(p):
        raise Untranslatable("unclosed class")
    return j + 1


def _escape_end(p: str, i: int) -> int:
    if i + 1 >= len(p):
        raise Untranslatable("a lone backslash")
    e = p[i + 1]
    if e in "pPN" and p.startswith("{", i + 2):
        return p.index("}", i) + 1
    if e == "x":
        return p.index("}", i) + 1 if p.startswith("{", i + 2) else i + 4
    if e == "u":
        return i + 6
    if e == "U":
        return i + 10
    return i + 2


def _group_end(p: str, i: int) -> int:
    """Index past the group that opens at ``p[i] == "("`` (the gates' reading of a
    pattern's structure: escapes and classes skipped)."""
    end = gates.group_end(p, i)
    if end < 0:
        raise Untranslatable("unbalanced group")
    return end


_CONTROL_ESCAPES = {"r": "\\x{D}", "f": "\\x{C}", "v": "\\x{B}"}
_QUANTIFIER = re.compile(r"\{(\d*)(,?)(\d*)\}")
_SCOPED_FLAGS = re.compile(r"\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?:")


def to_re2(pattern: str, flags: int) -> str:
    r"""``pattern`` (``regex`` V0 syntax, compiled with ``flags``) as an RE2 pattern that
    matches wherever it does, and maybe more (see the module docstring).

    >>> print(to_re2(r"(?i:share)\s*+[:|]?", 0))
    (?m:(?i:share)[\x{9}-\x{D}\x{20}\x{80}-\x{10FFFF}]*[\x{3A}\x{7C}]?)
    >>> print(to_re2(r"(?<=\w) +(?=[.])", 0))
    (?m:\x{20}+)
    """
    if flags & (regex.VERBOSE | regex.V1) or pattern.startswith(("(?x", "(?V1")):
        raise Untranslatable("verbose or V1 syntax")
    ignorecase = bool(flags & regex.IGNORECASE)
    body = pattern
    head = re.match(r"\(\?([aimsuLx]+)\)", body)
    if head:
        if set(head.group(1)) - set("ims"):
            raise Untranslatable(f"global flags {head.group(1)}")
        ignorecase |= "i" in head.group(1)
        body = body[head.end():]
    out = _translate(body, ignorecase)
    dotall = bool(flags & regex.DOTALL) or bool(head and "s" in head.group(1))
    return f"(?m{'s' if dotall else ''}:{'(?i:' + out + ')' if ignorecase else out})"


def _translate(p: str, ignorecase: bool) -> str:
    out: list[str] = []
    stack: list[bool] = []  # the case flag of each open group's surroundings
    i, n = 0, len(p)
    while i < n:
        c = p[i]
        if c == "\\":
            j = _escape_end(p, i)
            token = p[i:j]
            e = token[1]
            if e in "bBAZzG":
                i = j
                i = _skip_quantifier(p, i)  # an assertion dropped: its quantifier too
                continue
            if e.isdigit() or e in "gkK":
                raise Untranslatable(f"back-reference {token}")
            if e in "nt":
                out.append(token)
            elif e in "rfv":
                out.append(_CONTROL_ESCAPES[e])
            elif e in "pPwWsSdDuxUN":
                out.append(_class(_ascii_members(token, ignorecase),
                                  _may_take_non_ascii(token, ignorecase)))
            elif e.isalpha():
                raise Untranslatable(f"escape {token}")
            else:
                out.append(_literal(e, ignorecase))
            i = j
        elif c == "[":
            j = _class_end(p, i)
            token = p[i:j]
            out.append(_class(_ascii_members(token, ignorecase),
                              _may_take_non_ascii(token, ignorecase)))
            i = j
        elif c == "(":
            if p.startswith(("(?=", "(?!", "(?<=", "(?<!"), i):
                i = _skip_quantifier(p, _group_end(p, i))  # a look-around: dropped
                continue
            if p.startswith("(?#", i):
                i = p.index(")", i) + 1
                continue
            stack.append(ignorecase)
            if p.startswith("(?P<", i) or p.startswith("(?<", i):
                i = p.index(">", i) + 1
                out.append("(?:")
            elif p.startswith(("(?:", "(?>", "(?|"), i):
                i += 3
                out.append("(?:")
            elif (m := _SCOPED_FLAGS.match(p, i)) is not None:
                on, off = m.group(1), m.group(2) or ""
                if set(on + off) - set("ims"):
                    raise Untranslatable(f"scoped flags {m.group()}")
                if "i" in on:
                    ignorecase = True
                if "i" in off:
                    ignorecase = False
                # RE2 takes the same scoped i and s; m stays the whole pattern's.
                kept_on = "".join(f for f in on if f in "is")
                kept_off = "".join(f for f in off if f in "is")
                kept = kept_on + (f"-{kept_off}" if kept_off else "")
                out.append(f"(?{kept}:" if kept else "(?:")
                i = m.end()
            elif p.startswith("(?", i):
                raise Untranslatable(f"group {p[i:i + 4]}")
            else:
                out.append("(?:")
                i += 1
        elif c == ")":
            if not stack:
                raise Untranslatable("unbalanced group")
            ignorecase = stack.pop()
            out.append(")")
            i += 1
        elif c in "*+?{":
            i = _quantifier(p, i, out, ignorecase)
        elif c in ".^$|":
            out.append(c)
            i += 1
        else:
            out.append(_literal(c, ignorecase))
            i += 1
    if stack:
        raise Untranslatable("unbalanced group")
    return "".join(out)


def _skip_quantifier(p: str, i: int) -> int:
    """Past a quantifier (and its possessive or lazy mark) at ``i``, if there is one."""
    if i < len(p) and p[i] in "*+?":
        i += 1
    elif i < len(p) and p[i] == "{" and (m := _QUANTIFIER.match(p, i)) and (
            m.group(1) or m.group(3)):
        i = m.end()
    else:
        return i
    return i + 1 if i < len(p) and p[i] in "+?" else i


def _quantifier(p: str, i: int, out: list[str], ignorecase: bool) -> int:
    c = p[i]
    if c == "{":
        m = _QUANTIFIER.match(p, i)
        if not m or not (m.group(1) or m.group(3)):
            out.append(_literal("{", ignorecase))  # a literal brace
            return i + 1
        lo = int(m.group(1) or 0)
        hi = None if m.group(2) and not m.group(3) else int(m.group(3) or m.group(1))
        if hi is not None and hi > MAX_BOUNDED_REPEAT:
            # A superset that RE2's repeat cap cannot refuse.
            token = "*" if lo == 0 else "+" if lo == 1 else f"{{{min(lo, MAX_BOUNDED_REPEAT)},}}"
        else:
            token = f"{{{lo},{'' if hi is None else hi}}}" if m.group(2) else f"{{{lo}}}"
        i = m.end()
    else:
        token = c
        i += 1
    if i < len(p) and p[i] == "+":
        i += 1  # possessive: the greedy form matches wherever it does
    elif i < len(p) and p[i] == "?":
        token += "?"
        i += 1
    out.append(token)
    return i


def _literal(ch: str, ignorecase: bool) -> str:
    if ignorecase and ch.lower() in "ik":
        # RE2 folds k with the Kelvin sign and s with the long s as regex does, but not i with
        # the dotted capital I (and k is spelt out with it for certainty).
        return "[iI\\x{130}\\x{131}]" if ch.lower() == "i" else "[kK\\x{212A}]"
    if not ch.isascii():
        if ignorecase and ch.lower() != ch.upper():
            return _class((), True)  # how RE2 folds it need not be known: any non-ASCII
        return ch
    if ch in _RE2_SPECIAL or not ch.isprintable():
        return f"\\x{{{ord(ch):X}}}"
    return ch


#: What str.strip() removes around a line, besides the newline, in RE2's syntax: the
#: frame of a line rule in the document search (the document's lines are not stripped).
_LINE_SPACE = _class(tuple(c for c in range(128) if chr(c).isspace() and c != 10), True)


class RulePrefilter:
    """The rules of one stage's plan in two RE2 sets: one searched over the whole document
    (inline rules as they are, line rules framed by newlines), one matched against each short
    line (line rules alone). Rules that cannot be translated are listed in ``unfiltered``."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        re2 = _module()
        if re2 is None:
            raise RuntimeError("google-re2 is not installed")
        options = re2.Options()
        options.max_mem = SET_MEMORY
        self.rules = tuple(rules)
        self._doc = re2.Set.SearchSet(options)
        self._line = re2.Set.FullMatchSet(options)
        self._doc_ids: list[int] = []
        self._line_ids: list[int] = []
        self.unfiltered: list[int] = []
        for k, rule in enumerate(self.rules):
            try:
                inner = _inner(rule)
                translated = to_re2(inner, rule.flags)
                if rule.scope == "inline":
                    self._doc.Add(translated)
                else:
                    self._doc.Add(f"\\n{_LINE_SPACE}*(?:{translated}){_LINE_SPACE}*\\n")
                    self._line.Add(translated)
                    self._line_ids.append(k)
                self._doc_ids.append(k)
            except (Untranslatable, ValueError, IndexError, regex.error, re2.error):
                self.unfiltered.append(k)
        # A pattern that matches every framed document: missing from the answer, it says the
        # set's automaton gave up (RE2::Set::Match then answers "none", and the binding
        # cannot say why), and the document takes the gated path.
        self._canary = len(self._doc_ids)
        self._doc.Add("\\n")
        self._doc.Compile()
        self._line.Compile()

    def fired(self, text: str) -> frozenset[int] | None:
        """The rules (indexes) that may match somewhere in ``text``, or None when this cannot
        be told here (the gated path then decides)."""
        try:
            got = self._doc.Match("\n" + text + "\n")
        except UnicodeEncodeError:  # lone surrogates: not UTF-8
            return None
        if not got or self._canary not in got:
            return None
        return frozenset(self._doc_ids[k] for k in got if k != self._canary)

    def lines(self, lines: Sequence[Line], wanted: frozenset[int],
              limit: int) -> dict[int, list[Line]]:
        """For the line rules in ``wanted``, the lines (in document order) they may match,
        among lines up to ``limit`` characters."""
        out: dict[int, list[Line]] = {}
        match, ids = self._line.Match, self._line_ids
        for line in lines:
            if len(line.text) > limit:
                continue
            got = match(line.text)
            if got:
                for k in got:
                    rule = ids[k]
                    if rule in wanted:
                        out.setdefault(rule, []).append(line)
        return out


def _inner(rule: Rule) -> str:
    """What a rule matches, without the frame a line rule is compiled in (see packs._compile):
    the line rule's ``span`` group's pattern."""
    if rule.scope == "inline":
        return rule.compiled
    head, tail = "\\n[^\\S\\n]*+(?P<span>", ")[^\\S\\n]*+(?=\\n)"
    if not (rule.compiled.startswith(head) and rule.compiled.endswith(tail)):
        raise Untranslatable("not a line rule's frame")
    return rule.compiled[len(head):-len(tail)]


def prefilter_for(rules: Sequence[Rule]) -> Any:
    """A :class:`RulePrefilter` for these rules, or None where RE2 is not installed."""
    if not rules or _module() is None:
        return None
    return RulePrefilter(rules)
