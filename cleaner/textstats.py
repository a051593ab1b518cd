"""Cheap line statistics that hold on any site: words, casing, stopwords, sentence ends."""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex

#: Unicode's White_Space characters other than the space and the newline (what regex's \s
#: matches beyond them), spelled out as a class for the re module: its \s is not the same set
#: (it takes \x1c-\x1f too), and it scans a plain class over twice as fast as regex does.
ODD_SPACE_CLASS = "\t\x0b\x0c\r\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
ODD_SPACE = re.compile(f"[{ODD_SPACE_CLASS}]")

WORD = regex.compile(r"[\p{L}\p{N}]++(?:['’\-][\p{L}\p{N}]++)*+")
_LETTER_WORD = regex.compile(r"\p{L}")
#: Full stops of the scripts news is written in: Latin, the ellipsis, CJK (ideographic and
#: fullwidth), Devanagari and Bengali (danda, double danda), Urdu, Ethiopic.
FULL_STOPS = ".…。．।॥۔።"
#: Sentence-final punctuation: full stops, and question and exclamation marks (Arabic and
#: fullwidth forms too).
TERMINALS = FULL_STOPS + "!?！？؟"
#: What ends a sentence or a paragraph's last clause: terminals, colons and semicolons.
CLAUSE_ENDS = TERMINALS + ":;：；"
#: A line ending like a statement or a clause: full stops, colons, semicolons and commas
#: (fullwidth and Arabic forms too), which a headline does not.
STATEMENT_ENDS = FULL_STOPS + ":;,：；，、،؛"
#: Closing quotes and brackets, which may follow a line's last punctuation mark.
CLOSERS = "\"'”’)]"


def last_mark(line: str) -> str:
    """The line's last character once closing quotes and brackets are set aside ("" if none).

    >>> last_mark('He said "yes."')
    '.'
    """
    return line.rstrip(CLOSERS)[-1:]


_CLOSE = r"""["'”’)\]」』）]*+"""
#: A sentence ends here: terminal punctuation (perhaps inside a closing quote or bracket)
#: followed by a space or the end, and not after an initial or a common abbreviation; CJK
#: stops end a sentence with no space after them. The look-behinds come after the
#: punctuation, so the engine scans for the punctuation first.
SENTENCE_END = regex.compile(
    r"(?:[.!?…](?<!\b\p{L}[.!?…])"
    r"(?<!\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Gov|Sen|Rep|Prof|No|vs|Jan|Feb|Mar|Apr"
    r"|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.K|U\.N|a\.m|p\.m)\.)"
    r"|[।॥۔።؟])" + _CLOSE + r"(?=\s|$)|[。．！？]" + _CLOSE
)
#: Sentence-final punctuation at the very end of a line.
ENDS_SENTENCE = regex.compile("[" + regex.escape(CLAUSE_ENDS) + "]" + _CLOSE + "$")
#: A line ending like a statement or a clause (a period, colon, semicolon, comma), which a
#: headline does not; a question, an exclamation or a teaser's ellipsis it may.
ENDS_STATEMENT = regex.compile("[" + regex.escape(STATEMENT_ENDS.replace("…", "")) + "]"
                               + _CLOSE + "$")


@lru_cache(maxsize=8)
def stopwords(language: str = "English") -> frozenset[str]:
    """The stoplist justext ships for ``language``, read without importing justext (and lxml)."""
    spec = importlib.util.find_spec("justext")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    path = Path(next(iter(spec.submodule_search_locations))) / "stoplists" / f"{language}.txt"
    try:
        return frozenset(w.strip().lower() for w in path.read_text(encoding="utf-8").split())
    except OSError:
        return frozenset()


@dataclass(frozen=True, slots=True)
class LineStats:
    """What the tail and duplicate filters need to know about one line."""

    words: tuple[str, ...]
    title_case: float  # share of letter words (stopwords aside) that start with a capital
    stopword_density: float  # share of words on the stoplist, as justext measures it
    sentence_ends: int  # sentence boundaries inside the line, the last one included
    full_stops: int  # of those, the ones made by a period or an ellipsis (not ? or !)
    ends_sentence: bool  # the line ends with sentence punctuation
    ends_statement: bool  # ... and that punctuation is a period, colon, semicolon or comma

    @property
    def n_words(self) -> int:
        return len(self.words)


def line_stats(line: str, stops: frozenset[str]) -> LineStats:
    words = tuple(WORD.findall(line))
    lowered = [w.lower() for w in words]
    n_stop = sum(1 for w in lowered if w in stops)
    content = [w for w, lw in zip(words, lowered, strict=True)
               if lw not in stops and _LETTER_WORD.match(w)]
    caps = sum(1 for w in content if w[0].isupper())
    ends = [m.group()[0] for m in SENTENCE_END.finditer(line)]
    return LineStats(
        words=words,
        title_case=caps / len(content) if content else 0.0,
        stopword_density=n_stop / len(words) if words else 0.0,
        sentence_ends=len(ends),
        full_stops=sum(1 for e in ends if e[0] in FULL_STOPS),
        ends_sentence=ENDS_SENTENCE.search(line) is not None,
        ends_statement=ENDS_STATEMENT.search(line) is not None,
    )


def content_word(word: str, stops: frozenset[str]) -> str | None:
    """A word's topic form (lower case, no possessive), or None for a stopword, a number or
    a word under three letters."""
    lw = word.lower()
    if len(lw) < 3 or lw in stops or lw.isdigit():
        return None
    # "Turkey's" and "Turkey" are one topic word.
    return lw[:-2] if lw.endswith(("'s", "’s")) else lw


def content_words(words: tuple[str, ...] | list[str], stops: frozenset[str]) -> set[str]:
    """Lower-cased words that carry topic: not stopwords, not numbers, three letters or more."""
    out = set()
    for w in set(words):  # each word once: a body repeats its vocabulary
        if (cw := content_word(w, stops)) is not None:
            out.add(cw)
    return out
