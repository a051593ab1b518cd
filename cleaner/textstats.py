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
#: Every character regex's \s matches, for str.strip (whose own default takes \x1c-\x1f).
WHITESPACE = (" \n\t\x0b\x0c\r\x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
              + "\u2028\u2029\u202f\u205f\u3000")

WORD = regex.compile(r"[\p{L}\p{N}]++(?:['’\-][\p{L}\p{N}]++)*+")
#: WORD on ASCII text, where [\p{L}\p{N}] is [A-Za-z0-9] in every Unicode version: the re
#: module finds the words there 2.5x faster than regex.
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+(?:['\-][A-Za-z0-9]+)*")
#: Blocks where re's [^\W_] (str.isalnum) and str.isalpha say what regex's [\p{L}\p{N}] and
#: \p{L} say (Latin, Greek, Cyrillic, general and CJK punctuation, kana, CJK ideographs,
#: Hangul), checked over every code point by a test: the two modules' Unicode versions differ
#: only on characters assigned lately, none of them here. WORD on text of these blocks is
#: _UNICODE_WORD, which re runs about twice as fast.
RE_SAFE_BLOCKS = r"\x00-\u024f\u0370-\u04ff\u2000-\u206f\u3000-\u30ff\u4e00-\u9fff\uac00-\ud7a3"
_OUTSIDE_RE_SAFE = re.compile(f"[^{RE_SAFE_BLOCKS}]")
_UNICODE_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")


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
#: The same with the CJK ones, which may follow a sentence's end in the line statistics.
_CLOSING = CLOSERS + "」』）"


def last_mark(line: str, closers: str = CLOSERS) -> str:
    """The line's last character once closing quotes and brackets are set aside ("" if none).

    >>> last_mark('He said "yes."')
    '.'
    """
    return line.rstrip(closers)[-1:]


def ends_with(line: str, marks: str, closers: str = CLOSERS) -> bool:
    """Whether the line's last mark (see :func:`last_mark`) is one of ``marks``.

    >>> ends_with('He said "yes."', ".!?"), ends_with("Read more", ".!?")
    (True, False)
    """
    last = last_mark(line, closers)
    return bool(last) and last in marks


_CLOSE = "[" + regex.escape(_CLOSING) + "]*+"
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
#: What a sentence end (SENTENCE_END) starts with, somewhere in a line: a line with none of
#: the terminals is not searched. A plain class of literal characters, so re (lighter per
#: call) is exact.
_SENTENCE_MARK = re.compile("[" + re.escape(TERMINALS) + "]")
#: A line ending like a statement or a clause (a period, colon, semicolon, comma), which a
#: headline does not; a question, an exclamation or a teaser's ellipsis it may.
_STATEMENT_ENDS = STATEMENT_ENDS.replace("…", "")



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


def _word_pattern(text: str) -> re.Pattern[str] | regex.Pattern[str]:
    """The fastest pattern that finds WORD's matches in ``text``."""
    if text.isascii():
        return _ASCII_WORD
    return _UNICODE_WORD if _OUTSIDE_RE_SAFE.search(text) is None else WORD


def words_of(text: str) -> list[str]:
    """The words of ``text`` (WORD's matches). Text of ASCII or of the blocks of
    RE_SAFE_BLOCKS, most news, goes through re, which is faster; no word crosses a line
    break, so a text with other characters is read line by line.

    >>> words_of("Turkey's well-known café\\nre-opens")
    ["Turkey's", 'well-known', 'café', 're-opens']
    """
    pattern = _word_pattern(text)
    if pattern is not WORD or "\n" not in text:
        return pattern.findall(text)
    out: list[str] = []
    for line in text.split("\n"):
        out += _word_pattern(line).findall(line)
    return out


def lowered_words_of(text: str) -> list[str]:
    """``[w.lower() for w in words_of(text)]``; ASCII text is lower-cased whole first (one
    call, not one a word; lower-casing ASCII keeps every word and its bounds).

    >>> lowered_words_of("Turkey's Well-Known café\\nRE-OPENS")
    ["turkey's", 'well-known', 'café', 're-opens']
    """
    if text.isascii():
        return _ASCII_WORD.findall(text.lower())
    return list(map(str.lower, words_of(text)))


def line_stats(line: str, stops: frozenset[str]) -> LineStats:
    """What a line holds: its words, and the casing, stopword and punctuation figures.

    >>> st = line_stats("Five Things We Learned From the Match", frozenset({"from", "the"}))
    >>> st.n_words, st.title_case, st.ends_sentence
    (7, 1.0, False)
    """
    pattern = _word_pattern(line)
    found = tuple(pattern.findall(line))
    n_stop = content = caps = 0
    for w in found:
        if w.lower() in stops:
            n_stop += 1
            continue
        first = w[0]
        # A word starts with a letter or a digit: str.isalpha tells them apart where it says
        # what \p{L} says (ASCII, the blocks of RE_SAFE_BLOCKS), without a regex call.
        if first.isalpha() if pattern is not WORD else _LETTER_WORD.match(first) is not None:
            content += 1
            caps += first.isupper()
    ends = ([m.group()[0] for m in SENTENCE_END.finditer(line)]
            if _SENTENCE_MARK.search(line) else [])
    return LineStats(
        words=found,
        title_case=caps / content if content else 0.0,
        stopword_density=n_stop / len(found) if found else 0.0,
        sentence_ends=len(ends),
        full_stops=sum(1 for e in ends if e in FULL_STOPS),
        ends_sentence=ends_with(line, CLAUSE_ENDS, _CLOSING),
        ends_statement=ends_with(line, _STATEMENT_ENDS, _CLOSING),
    )


def content_words(words: tuple[str, ...] | list[str], stops: frozenset[str]) -> set[str]:
    """The words that carry topic, in their topic form: lower case, no possessive ("Turkey's"
    and "Turkey" are one topic word); not stopwords, not numbers, three letters or more.

    >>> sorted(content_words(["Turkey's", "the", "Turkey", "2024", "of", "talks"], frozenset({"the"})))
    ['talks', 'turkey']
    """
    out = set()
    for w in set(words):  # each word once: a body repeats its vocabulary
        lw = w.lower()
        if len(lw) < 3 or lw in stops or lw.isdigit():
            continue
        out.add(lw[:-2] if lw.endswith(("'s", "’s")) else lw)
    return out
