"""The shared text statistics and character classes."""

from __future__ import annotations

import re
import sys

import regex
from hypothesis import given
from hypothesis import strategies as st

from cleaner.textstats import ODD_SPACE, WORD, words_of


def test_odd_space_class_is_regex_whitespace_less_space_and_newline() -> None:
    # ODD_SPACE spells out for the re module what regex's \s means; the two must not drift.
    reference = regex.compile(r"[^\S \n]")
    differ = [hex(c) for c in range(sys.maxunicode + 1)
              if (ODD_SPACE.match(chr(c)) is None) != (reference.match(chr(c)) is None)]
    assert differ == []


def test_whitespace_string_is_exactly_what_regex_calls_whitespace() -> None:
    # WHITESPACE is what str.strip is given where a pattern said \s; the two must not drift.
    from cleaner.textstats import WHITESPACE

    reference = regex.compile(r"\s")
    differ = [hex(c) for c in range(sys.maxunicode + 1)
              if (chr(c) in WHITESPACE) != (reference.match(chr(c)) is not None)]
    assert differ == []


@given(st.text(alphabet=st.sampled_from(
    list("aZ09 '’-\n\t.,") + ["é", "ß", "İ", "二", "٣", "\u0301", "\U0001f600", "\u00a0",
                                   "Σ", "ж", "한", "カ", "\u2019", "¾"]), max_size=60)
    | st.text(max_size=60))
def test_words_of_finds_what_the_word_pattern_finds(text: str) -> None:
    # words_of takes a faster engine for ASCII lines; it must find the very same words.
    assert words_of(text) == WORD.findall(text)


def test_the_sentence_end_pre_check_admits_every_character_a_sentence_end_starts_with() -> None:
    # line_stats searches for sentence ends only in lines holding a terminal; a terminal the
    # pattern knows and the pre-check does not would make sentences vanish.
    from cleaner.textstats import _SENTENCE_MARK, SENTENCE_END

    missed = [hex(c) for c in range(sys.maxunicode + 1)
              if SENTENCE_END.match(chr(c) + " ") and not _SENTENCE_MARK.match(chr(c))]
    assert missed == []


@given(st.text(alphabet=st.sampled_from(
    list("aZ09 '’-\n\t.,") + ["é", "ß", "İ", "Σ", "二", "\u0301", "\U0001f600"]), max_size=60)
    | st.text(max_size=60))
def test_lowered_words_are_the_words_lower_cased(text: str) -> None:
    from cleaner.textstats import lowered_words_of

    assert lowered_words_of(text) == [w.lower() for w in WORD.findall(text)]


def test_re_safe_blocks_are_where_re_and_regex_agree_on_letters_and_digits() -> None:
    # Words in these blocks are found by re; the two modules must class every character of
    # them alike (a Python or regex upgrade that breaks this fails here, not in the output).
    from cleaner.textstats import RE_SAFE_BLOCKS

    block = re.compile(f"[{RE_SAFE_BLOCKS}]")
    alnum, letter = regex.compile(r"[\p{L}\p{N}]"), regex.compile(r"\p{L}")
    differ = [hex(c) for c in range(sys.maxunicode + 1) if block.match(chr(c)) and (
        bool(re.match(r"[^\W_]", chr(c))) != bool(alnum.match(chr(c)))
        or chr(c).isalpha() != bool(letter.match(chr(c))))]
    assert differ == []
