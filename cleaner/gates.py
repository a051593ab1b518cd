r"""Literal gates: the strings every match of a pattern must start with, found at load time.

Most rules find nothing in most documents, and a ``str`` search for "&" or "\nadvertisement"
costs far less than letting the regex engine try the pattern: a rule whose gate is absent from
the document is not run on it. The analysis is conservative: any construct it does not fully
understand makes it answer "no gate" (None), never a gate that could skip a real match.

>>> literal_prefixes(r"&(?:amp;)++x")
(frozenset({'&'}), False)
>>> strings, lower_case = literal_prefixes(r"(?i:read|related)\s*:")
>>> sorted(strings), lower_case
(['read', 'related'], True)
>>> sorted(literal_prefixes(r"(?:-{2,})?advertisement")[0])
['-', 'advertisement']
>>> sorted(literal_prefixes(r"(?:the\s)?story\scontinues")[0])
['story', 'the']
>>> strings, lower_case = literal_prefixes(r"(?i:like\sthis\?\s)?Share")
>>> sorted(strings), lower_case
(['like', 'share'], True)
>>> literal_prefixes(r"\p{Lu}\w+ said") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

_SPECIAL = set(".^$*+?{}[]\\|()")
_ESCAPED_LITERAL = set(".^$*+?{}[]\\|()-/#&%,;:!<>=@'\"`~ ")
_MAX_PREFIX = 24


def _structure(p: str, i: int = 0) -> Iterator[tuple[int, str]]:
    """Yield (index, char) for each "(", ")" and "|" from ``i`` on that is not escaped or
    inside a character class."""
    n, in_class = len(p), False
    while i < n:
        c = p[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            # A ] right after [ or [^ is a member, not the end of the class.
            if p.startswith("^", i + 1):
                i += 1
            if p.startswith("]", i + 1):
                i += 1
        elif c in "()|":
            yield i, c
        i += 1


_FLAG_GROUP = re.compile(r"\(\?([a-zA-Z]+)\)")


def global_flags(pattern: str) -> str:
    r"""The letters of the pattern's flag groups, ``(?i)`` and the like, which set flags for
    the pattern as a whole (scoped ones, ``(?i:...)``, are read where they stand).

    >>> global_flags(r"(?i)read\s*more|\(?x\)")
    'i'
    """
    return "".join(m.group(1) for i, c in _structure(pattern)
                   if c == "(" and (m := _FLAG_GROUP.match(pattern, i)) is not None)


def _split_alternatives(p: str) -> list[str] | None:
    """Split at top-level ``|``; None if brackets do not balance."""
    out, depth, start = [], 0, 0
    for i, c in _structure(p):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth < 0:
                return None
        elif depth == 0:
            out.append(p[start:i])
            start = i + 1
    if depth:
        return None
    out.append(p[start:])
    return out


def group_end(p: str, i: int) -> int:
    """Index just past the group opening at ``p[i] == "("`` (or -1)."""
    depth = 0
    for j, c in _structure(p, i):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j + 1
    return -1


def _quantifier(p: str, i: int) -> tuple[int, int]:
    """(length, minimum) of the quantifier at ``i``; (0, 1) when there is none."""
    if i >= len(p):
        return 0, 1
    c = p[i]
    if c in "*?":
        length, low = 1, 0
    elif c == "+":
        length, low = 1, 1
    elif c == "{":
        close = p.find("}", i)
        body = p[i + 1:close] if close > 0 else ""
        if close < 0 or not body or any(ch not in "0123456789, " for ch in body):
            return 0, 1  # a literal brace
        low_text = body.split(",", 1)[0].strip()
        # {,n} is "0 to n" in the regex module.
        length, low = close - i + 1, int(low_text) if low_text else 0
    else:
        return 0, 1
    if i + length < len(p) and p[i + length] in "+?":
        length += 1
    return length, low


def _escape_width(p: str, i: int) -> int:
    """Width of the escape at ``p[i] == "\\"``, braced arguments included (\\p{Lu})."""
    if p[i + 1:i + 2] in ("p", "P", "N", "x") and p[i + 2:i + 3] == "{":
        close = p.find("}", i + 3)
        return (close - i + 1) if close > 0 else len(p) - i
    if p[i + 1:i + 2] in ("g", "k") and p[i + 2:i + 3] == "<":
        close = p.find(">", i + 3)
        return (close - i + 1) if close > 0 else len(p) - i
    return 2


def _literal_at(p: str, i: int) -> tuple[str, int] | None:
    """The single character a literal atom at ``i`` matches, and the atom's length."""
    c = p[i]
    if c == "\\":
        if i + 1 >= len(p):
            return None
        e = p[i + 1]
        if e in _ESCAPED_LITERAL:
            return e, 2
        if e == "n":
            return "\n", 2
        if e == "t":
            return "\t", 2
        if e in "xu":
            width = 2 if e == "x" else 4
            digits = p[i + 2:i + 2 + width]
            if len(digits) == width and all(d in "0123456789abcdefABCDEF" for d in digits):
                return chr(int(digits, 16)), 2 + width
        return None
    if c in _SPECIAL:
        return None
    return c, 1


def _class_chars(body: str) -> frozenset[str] | None:
    """The characters of a plain class body (literals, escaped punctuation, small ranges)."""
    if not body or body[0] == "^":
        return None
    chars: set[str] = set()
    i = 0
    while i < len(body):
        if body[i] == "\\":
            if i + 1 < len(body) and body[i + 1] in _ESCAPED_LITERAL:
                chars.add(body[i + 1])
                i += 2
                continue
            return None  # \s, \p{..}, \d: a class of its own
        if i + 2 < len(body) and body[i + 1] == "-" and body[i + 2] != "\\":
            lo, hi = ord(body[i]), ord(body[i + 2])
            if hi < lo or hi - lo > 64:
                return None
            chars.update(chr(c) for c in range(lo, hi + 1))
            i += 3
        else:
            chars.add(body[i])
            i += 1
    return frozenset(chars)


_OPTIONAL_SPACE = ("\\s*+", "\\s*", "\\s?", "[^\\S\\n]*+", "[^\\S\\n]*")


def _sequence_prefixes(p: str, ci: bool, stripped: bool = False) -> tuple[frozenset[str], bool] | None:
    i, n = 0, len(p)
    optional_heads: set[str] = set()  # what optional leading atoms start with
    optional_ci = False
    # Zero-width assertions at the start consume nothing: step over them.
    while i < n:
        if p.startswith(("(?=", "(?!", "(?<=", "(?<!"), i):
            end = group_end(p, i)
            if end < 0:
                return None
            i = end
        elif p.startswith("\\b", i):
            i += 2
        elif stripped and p.startswith(_OPTIONAL_SPACE, i):
            # The line was stripped: whitespace here matches nothing.
            i += next(len(sp) for sp in _OPTIONAL_SPACE if p.startswith(sp, i))
        else:
            optional = _optional_head(p, i, ci)
            if optional is None:
                break
            # An optional atom: a match starts with it or with what follows it.
            heads, heads_ci, width = optional
            optional_heads |= heads
            optional_ci |= heads_ci
            i += width
    got = _mandatory_prefixes(p, i, ci)
    if got is None:
        return None
    if optional_ci and not got[1]:
        # An optional group that ignores case before a part that does not: the whole gate
        # compares in lower case (a case-sensitive match also matches lower-cased).
        return frozenset(s.lower() for s in got[0] | optional_heads), True
    return frozenset(got[0] | optional_heads), got[1]


def _group_body(head: str, ci: bool) -> tuple[str, bool] | None:
    """The pattern inside a group's parentheses, and whether it matches case-insensitively;
    None for groups we do not read (atomic, conditional, verbose, look-arounds)."""
    if head.startswith("?:"):
        return head[2:], ci
    if head.startswith("?P<"):
        return head[head.find(">") + 1:], ci
    if head.startswith("?") and ":" in head[:6] and head[1:head.index(":")].isalpha():
        flags = head[1:head.index(":")]
        if "x" in flags or "f" in flags:
            return None  # verbose, or full case folding (see packs._gate)
        return head[head.index(":") + 1:], ci or "i" in flags
    if head.startswith("?"):
        return None
    return head, ci


def _optional_head(p: str, i: int, ci: bool) -> tuple[set[str], bool, int] | None:
    """A leading optional atom (class?, literal?, (group)?): the strings a match of it starts
    with, whether they compare ignoring case, and its width."""
    if i >= len(p):
        return None
    if p[i] == "[":
        close = p.find("]", i + 1)
        chars = _class_chars(p[i + 1:close]) if close > 0 else None
        qlen, low = _quantifier(p, close + 1) if close > 0 else (0, 1)
        if chars is not None and qlen and low == 0:
            return set(chars), ci, close + 1 - i + qlen
        return None
    if p[i] == "(" and not p.startswith(("(?=", "(?!", "(?<", "(?>", "(?("), i):
        end = group_end(p, i)
        qlen, low = _quantifier(p, end) if end > 0 else (0, 1)
        if end < 0 or not qlen or low != 0:
            return None
        body = _group_body(p[i + 1:end - 1], ci)
        if body is None:
            return None
        inner = literal_prefixes_of(*body)
        if inner is None:
            return None
        # When the group matches, the match starts with one of its own prefixes: "the" for
        # (?:the\s)?, not just "t", which most lines start with.
        return set(inner[0]), inner[1], end - i + qlen
    atom = _literal_at(p, i)
    if atom is None:
        return None
    char, width = atom
    qlen, low = _quantifier(p, i + width)
    if qlen and low == 0:
        return {char}, ci, width + qlen
    return None


def _mandatory_prefixes(p: str, i: int, ci: bool) -> tuple[frozenset[str], bool] | None:
    n = len(p)
    lit = ""
    while i < n and len(lit) < _MAX_PREFIX:
        if p[i] == "(":
            if lit:
                break
            end = group_end(p, i)
            if end < 0:
                return None
            qlen, low = _quantifier(p, end)
            if low == 0:
                return None
            body = _group_body(p[i + 1:end - 1], ci)
            return None if body is None else literal_prefixes_of(*body)
        if p[i] == "[":
            if lit:
                break
            close = p.find("]", i + 1)
            chars = _class_chars(p[i + 1:close]) if close > 0 else None
            if chars is None:
                return None
            qlen, low = _quantifier(p, close + 1)
            if low == 0:
                return None
            return chars, ci
        atom = _literal_at(p, i)
        if atom is None:
            break
        char, width = atom
        qlen, low = _quantifier(p, i + width)
        if low == 0:
            break
        lit += char
        if qlen:
            break  # a repeated literal: we know it occurs once, not what follows
        i += width
    if not lit:
        return None
    return frozenset({lit}), ci


_Gate = tuple[frozenset[str], bool]


def _over_alternatives(p: str, ci: bool, per_alternative: Callable[[str], _Gate | None]
                       ) -> _Gate | None:
    """Each top-level alternative must give a set; a match satisfies one of them."""
    alternatives = _split_alternatives(p)
    if alternatives is None:
        return None
    out: set[str] = set()
    any_ci = ci
    for alt in alternatives:
        got = per_alternative(alt)
        if got is None:
            return None
        out |= got[0]
        any_ci = any_ci or got[1]
    if any_ci:
        out = {s.lower() for s in out}
    return frozenset(out), any_ci


def literal_prefixes_of(p: str, ci: bool, stripped: bool = False) -> _Gate | None:
    return _over_alternatives(p, ci, lambda alt: _sequence_prefixes(alt, ci, stripped))


def literal_prefixes(pattern: str, ignorecase: bool = False, *, stripped: bool = False
                     ) -> tuple[frozenset[str], bool] | None:
    """The strings every match of ``pattern`` starts with, and whether to compare them in lower
    case; None when no such set can be proven. ``stripped``: the match starts at a character
    that is not whitespace (a line rule on a stripped line), so leading optional whitespace in
    the pattern can be stepped over."""
    return literal_prefixes_of(pattern, ignorecase, stripped)


def required_literals(pattern: str, ignorecase: bool = False
                      ) -> tuple[frozenset[str], bool] | None:
    r"""Strings of which every match contains at least one, anywhere; None if none is proven.

    >>> required_literals(r"(?&x)\s(?i:contributed|also\scontributed)\sreporting")
    (frozenset({'contributed'}), True)
    """
    def best(alt: str) -> _Gate | None:
        # The better of what the alternative starts with and what it must contain.
        options = [g for g in (_sequence_prefixes(alt, ignorecase),
                               _required_in_sequence(alt, ignorecase)) if g is not None]
        return max(options, key=lambda g: min(len(x) for x in g[0])) if options else None

    return _over_alternatives(pattern, ignorecase, best)


def _required_in_sequence(p: str, ci: bool) -> tuple[frozenset[str], bool] | None:
    """The most selective literal set that a match of the sequence must contain."""
    candidates: list[tuple[frozenset[str], bool]] = []
    i, n, lit = 0, len(p), ""

    def flush() -> None:
        nonlocal lit
        if lit:
            candidates.append((frozenset({lit}), ci))
        lit = ""

    while i < n:
        c = p[i]
        if c == "(":
            flush()
            end = group_end(p, i)
            if end < 0:
                return None
            qlen, low = _quantifier(p, end)
            body = _group_body(p[i + 1:end - 1], ci)
            if body is not None and low >= 1:
                for got in (literal_prefixes_of(*body), required_literals(*body)):
                    if got is not None:
                        candidates.append(got)
            i = end + qlen
            continue
        if c == "[":
            flush()
            close = p.find("]", i + 1)
            if p.startswith("]", i + 1) or p.startswith("^]", i + 1):
                close = p.find("]", close + 1)
            if close < 0:
                return None
            qlen, _ = _quantifier(p, close + 1)
            i = close + 1 + qlen
            continue
        atom = _literal_at(p, i)
        if atom is None:
            flush()
            i += _escape_width(p, i) if c == "\\" else 1
            qlen, _ = _quantifier(p, i)
            i += qlen
            continue
        char, width = atom
        qlen, low = _quantifier(p, i + width)
        if low == 0:
            flush()
        else:
            lit += char
            if qlen:
                flush()
        i += width + qlen
    flush()
    if not candidates:
        return None
    return max(candidates, key=lambda c: min(len(s) for s in c[0]))


#: Letters the regex module's case-insensitive matching takes for an ASCII letter that
#: str.lower() leaves apart: the long s (ſ for s), the Kelvin sign (K for k) and the dotted
#: capital I (İ, whose lower case is two characters). Mapped before lowering, so that a gate
#: never holds back a line its rule matches case-insensitively.
_FOLD = str.maketrans({"\u017f": "s", "\u212a": "k", "\u0130": "I"})


def fold(text: str) -> str:
    """``text`` in lower case as the gates compare it (see _FOLD).

    >>> fold("SPONſORED İTEM")
    'sponsored item'
    """
    return text.translate(_FOLD).lower()
