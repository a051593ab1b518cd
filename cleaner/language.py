"""The language a document is written in: its script first, then its stopwords.

:func:`detect` names a document's language by its ISO 639-1 code, or ``""`` when it cannot
tell. It reads a bounded sample of the text, so its cost does not grow with the document:

1. The sample: the document's long lines (prose) from the start, up to ``SAMPLE_CHARS``
   characters. A page dumped whole opens with menus and link lists, short lines that carry
   few stopwords and often another language ("Home", "Login" on a German site); a text
   without enough long lines is read from its start instead.
2. The script: letters are counted by Unicode block over every third character of the
   sample. A script that one language writes names it (Hangul: ``ko``; Greek: ``el``; Thai:
   ``th``...); Han with kana is ``ja``, Han without ``zh``. A CJK character weighs as much
   as three letters of an alphabet (it holds about as much text), so a Japanese article
   quoting English stays Japanese.
3. Within the Latin, Cyrillic, Arabic and Devanagari scripts, the stopwords: the sample's
   words (split at white space and lower-cased, as justext matches its stoplists) are
   looked up in the stoplists justext ships, one per language. Each list is in order of
   frequency, so a word's probability in a language is estimated from its rank (Zipf's
   law), and a language's score is the log-likelihood of the words it lists against a word
   it does not: naive Bayes over the stopwords, each distinct word counted once (a menu
   that repeats "Plan" fifty times is one word). A frequent word says more than a rare one,
   and a word that several languages list says little between them. The sample's first
   paragraph is scored first and settles most texts; else the whole sample is. The best
   language must lead the next by ``MARGIN`` nats (e to that power times likelier) and have
   ``MIN_EVIDENCE`` of its own; else the answer is ``""``.

justext's lists come from Wikipedia and hold English words in many languages' lists (the
Sundanese list opens with "the"): English's words are taken out of every other Latin
list, so English text is English. isiZulu and isiXhosa, the South African news languages,
have no justext list; a short list of their function words, written for this module,
stands in for one (for detection only: :func:`stopwords_for` gives justext's lists).

Cost: each script's index is built once per process, on the first document of that
script (the Latin one, the largest, in about 55 ms, the Cyrillic one in 20 ms); a document
then costs about 20 microseconds whatever its length (``bench/language.py`` measures).
"""

from __future__ import annotations

import importlib.util
import marshal
import math
import re
import struct
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import regex

from . import cache as _cache
from .textstats import stopwords

__all__ = ["LANGUAGES", "detect", "language_code", "stoplist_name", "stopwords_for",
           "with_aliases"]

# --- the languages ---------------------------------------------------------------------

#: Code -> justext stoplist name, by the script the list is written in. These are the
#: languages :func:`detect` tells apart by their stopwords.
_STOPLISTS: dict[str, dict[str, str]] = {
    "Latin": {
        "af": "Afrikaans", "an": "Aragonese", "az": "Azerbaijani", "br": "Breton",
        "bs": "Bosnian", "ca": "Catalan", "cs": "Czech", "cy": "Welsh", "da": "Danish",
        "de": "German", "en": "English", "eo": "Esperanto", "es": "Spanish",
        "et": "Estonian", "eu": "Basque", "fi": "Finnish", "fr": "French",
        "fy": "West_Frisian", "ga": "Irish", "gl": "Galician", "hr": "Croatian",
        "ht": "Haitian", "hu": "Hungarian", "id": "Indonesian", "ig": "Igbo", "io": "Ido",
        "is": "Icelandic", "it": "Italian", "jv": "Javanese", "ku": "Kurdish", "la": "Latin",
        "lb": "Luxembourgish", "lt": "Lithuanian", "lv": "Latvian", "ms": "Malay",
        "mt": "Maltese", "nl": "Dutch", "nn": "Norwegian_Nynorsk", "no": "Norwegian_Bokmal",
        "oc": "Occitan", "pl": "Polish", "pt": "Portuguese", "qu": "Quechua",
        "ro": "Romanian", "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian",
        "su": "Sundanese", "sv": "Swedish", "sw": "Swahili", "tk": "Turkmen",
        "tl": "Tagalog", "tr": "Turkish", "uz": "Uzbek", "vi": "Vietnamese",
        "vo": "Volapuk", "wa": "Walloon", "yo": "Yoruba",
    },
    "Cyrillic": {
        "be": "Belarusian", "bg": "Bulgarian", "cv": "Chuvash", "kk": "Kazakh",
        "ky": "Kyrgyz", "mk": "Macedonian", "ru": "Russian", "sr": "Serbian",
        "uk": "Ukrainian",
    },
    "Arabic": {"ar": "Arabic", "fa": "Persian", "ur": "Urdu"},
    "Devanagari": {"hi": "Hindi", "mr": "Marathi", "ne": "Nepali"},
}

#: isiZulu's and isiXhosa's most frequent function words, most frequent first, for the
#: languages justext has no list of (South African papers publish in both). Words the two
#: share are in both lists; what tells them apart is futhi/kwaye, noma/okanye, uma/xa,
#: lapho/apho, manje/ngoku, ngesikhathi/ngexesha and the like.
_EXTRA_STOPWORDS: dict[str, tuple[str, ...]] = {
    "zu": tuple("""
        ukuthi futhi uma kodwa kanye noma ngoba lapho kakhulu khona kusho uthe wathi bathi
        lokhu lokho manje le nje kanti nokho ngesikhathi ngemuva emva ukuze njengoba ngakho
        abantu yakhe wakhe bakhe lakhe sakhe zakhe kwakhe kuphela phakathi ngenxa ngokusho
        kubo kuye yena bona thina mina nabo naye lapha ukuba leli lesi lezi laba kule kulo
        izindaba uhulumeni umphakathi eningizimu kuze kube yini
        """.split()),
    "xh": tuple("""
        ukuba kwaye kodwa xa okanye kuba kunye ukuze apho kakhulu ngoku le nje uthe wathi
        bathi emva ngexesha ngenxa phakathi oku oko lo eli esi ezi aba loo lowo yakhe wakhe
        bakhe lakhe lwakhe sakhe zakhe kwakhe kuphela abantu iindaba urhulumente uluntu
        nangona kunjalo kananjalo kwakhona njengoko ngoko noko kubo kuye yena bona thina
        mna nabo naye apha okokuba kwi malunga ngakumbi emzantsi ukuthi
        """.split()),
}
_EXTRA_SCRIPT = "Latin"

#: Languages with a justext list that are written in a script of their own: the script
#: names them, the list serves :func:`stopwords_for`.
_OWN_SCRIPT_STOPLISTS: dict[str, str] = {
    "bn": "Bengali", "el": "Greek", "gu": "Gujarati", "he": "Hebrew", "hy": "Armenian",
    "ka": "Georgian", "kn": "Kannada", "ko": "Korean", "ml": "Malayalam", "ta": "Tamil",
    "te": "Telugu",
}

#: Languages seldom written in news whose lists sit next to a larger neighbour's
#: (Luxembourgish by German, Aragonese by Spanish, Occitan by Catalan, Esperanto and Ido by
#: the Romance languages, Sundanese and Javanese by Indonesian, Turkmen by Turkish), or are
#: short and half English (Igbo, Yoruba): they start this many nats behind, so a short text
#: that fits both goes to the neighbour.
_RARE = frozenset("an br eo fy ht ig io jv la lb oc qu su tk vo wa yo".split())
RARE_PENALTY = 5.0

#: The scripts, each with the language it names when one language of news writes it ("" for
#: the four scripts of several languages, told apart by stopwords, and for Han and kana,
#: settled together as ``ja`` or ``zh``), and its letters as the UTF-8 bytes they start
#: with: the lead byte of a two-byte character (a block of 64 code points) or of a
#: three-byte one (4,096), or a three-byte character's first two bytes (64). The blocks are
#: the scripts' main ones, rounded to 64 code points (U+0500-053F counts as Cyrillic though
#: Armenian capitals start at U+0531).
_SCRIPTS: tuple[tuple[str, str, tuple[bytes, ...]], ...] = (
    ("Cyrillic", "", (b"\xd0", b"\xd1", b"\xd2", b"\xd3", b"\xd4")),  # U+0400-053F
    ("Arabic", "", (b"\xd8", b"\xd9", b"\xda", b"\xdb", b"\xdd")),  # U+0600-06FF, 0740-077F
    ("Han", "", (b"\xe4", b"\xe5", b"\xe6", b"\xe7", b"\xe8", b"\xe9")),  # U+4000-9FFF
    ("Kana", "", (b"\xe3\x81", b"\xe3\x82", b"\xe3\x83")),  # U+3040-30FF
    ("Hangul", "ko", (b"\xea", b"\xeb", b"\xec", b"\xed",  # U+A000-DFFF: syllables
                      b"\xe1\x84", b"\xe1\x85", b"\xe1\x86", b"\xe1\x87",  # jamo
                      b"\xe3\x84", b"\xe3\x85", b"\xe3\x86")),  # compatibility jamo
    ("Devanagari", "", (b"\xe0\xa4", b"\xe0\xa5")),
    ("Greek", "el", (b"\xce", b"\xcf", b"\xe1\xbc", b"\xe1\xbd", b"\xe1\xbe", b"\xe1\xbf")),
    ("Hebrew", "he", (b"\xd7",)),  # U+05C0-05FF
    ("Thai", "th", (b"\xe0\xb8", b"\xe0\xb9")),
    ("Bengali", "bn", (b"\xe0\xa6", b"\xe0\xa7")),
    ("Tamil", "ta", (b"\xe0\xae", b"\xe0\xaf")),
    ("Telugu", "te", (b"\xe0\xb0", b"\xe0\xb1")),
    ("Kannada", "kn", (b"\xe0\xb2", b"\xe0\xb3")),
    ("Malayalam", "ml", (b"\xe0\xb4", b"\xe0\xb5")),
    ("Gujarati", "gu", (b"\xe0\xaa", b"\xe0\xab")),
    ("Gurmukhi", "pa", (b"\xe0\xa8", b"\xe0\xa9")),
    ("Oriya", "or", (b"\xe0\xac", b"\xe0\xad")),
    ("Sinhala", "si", (b"\xe0\xb6", b"\xe0\xb7")),
    ("Lao", "lo", (b"\xe0\xba", b"\xe0\xbb")),
    ("Tibetan", "bo", (b"\xe0\xbc", b"\xe0\xbd", b"\xe0\xbe", b"\xe0\xbf")),
    ("Georgian", "ka", (b"\xe1\x83",)),  # U+10C0-10FF, the letters of modern Georgian
    ("Armenian", "hy", (b"\xd5", b"\xd6")),  # U+0540-05BF
    ("Ethiopic", "am", tuple(bytes([0xE1, b]) for b in range(0x88, 0x90))),  # U+1200-13FF
    ("Khmer", "km", (b"\xe1\x9e", b"\xe1\x9f")),
    ("Myanmar", "my", (b"\xe1\x80", b"\xe1\x81", b"\xe1\x82")),
    ("Thaana", "dv", (b"\xde",)),
)
#: Latin letters: ASCII ones, U+00C0-027F (lead bytes C3-C9) and U+1E00-1EFF (Vietnamese).
_LATIN_LEADS = bytes(range(0x41, 0x5B)) + bytes(range(0x61, 0x7B)) + bytes(range(0xC3, 0xCA))
_LATIN_PAIRS = (b"\xe1\xb8", b"\xe1\xb9", b"\xe1\xba", b"\xe1\xbb")
_CJK = frozenset({"Han", "Kana", "Hangul"})


def _lead_table() -> tuple[bytes, bytes, tuple[tuple[str, bytes, tuple[bytes, ...]], ...]]:
    """What :func:`_letters` counts with: the bytes.translate table and deletions that turn
    UTF-8 into one byte per letter of a known script (b"L" for a Latin letter, a script's
    class byte for a lead byte that names one script, the lead byte itself where the next
    byte decides: E0, E1, E3), and each script's class byte (b"" if none) and byte pairs."""
    table = bytearray(range(256))
    keep = set(_LATIN_LEADS) | {p[0] for p in _LATIN_PAIRS}
    for b in _LATIN_LEADS:
        table[b] = ord("L")
    classes = []
    for i, (name, _, prefixes) in enumerate(_SCRIPTS):
        # Continuation bytes (80-BF) are deleted before the table maps: free to reuse.
        mark = bytes([0x80 + i]) if any(len(p) == 1 for p in prefixes) else b""
        for prefix in prefixes:
            keep.add(prefix[0])
            if len(prefix) == 1:
                table[prefix[0]] = mark[0]
        classes.append((name, mark, tuple(p for p in prefixes if len(p) == 2)))
    return bytes(table), bytes(b for b in range(256) if b not in keep), tuple(classes)


_LEAD_TABLE, _NOT_LEADS, _SCRIPT_CLASSES = _lead_table()
_CODES = {name: code for name, code, _ in _SCRIPTS}

#: Every code :func:`detect` may return.
LANGUAGES: frozenset[str] = frozenset(
    [code for group in _STOPLISTS.values() for code in group] + list(_EXTRA_STOPWORDS)
    + [code for _, code, _ in _SCRIPTS if code] + ["ja", "zh"])

# --- the knobs ---------------------------------------------------------------------------

#: Characters of prose read per document; lines shorter than LONG_LINE are passed over while
#: enough long ones are found in the first SCAN_CHARS characters (else the text's start is
#: read as it is).
SAMPLE_CHARS = 2000
LONG_LINE = 60
SCAN_CHARS = 20_000
#: Words of the sample looked up (about what SAMPLE_CHARS holds in a European language).
MAX_WORDS = 400
#: Every STRIDE-th character of the sample is counted for the script.
STRIDE = 3
#: A CJK character counts as this many letters of an alphabet.
CJK_WEIGHT = 3
#: Han text is Japanese when kana make this share of its Han and kana.
KANA_SHARE = 0.1
#: Fewest letters (CJK weighted) of the sample's script to name a language at all.
MIN_LETTERS = 20
#: The sample's first FIRST_CHARS characters (a paragraph) are read first: a language that
#: leads there by DECISIVE nats (a likelihood ratio of e**40; a dozen stopwords no other
#: language lists) is the answer, the rest unread. On the development pages this settles
#: 98% of the texts, with the answer the whole sample gives, at half the cost.
FIRST_CHARS = 600
DECISIVE = 40.0
#: The best language must lead the runner-up by this many nats (a likelihood ratio of
#: e**3, about 20) and have MIN_EVIDENCE nats of stopwords (two or three listed words).
MARGIN = 3.0
MIN_EVIDENCE = 12.0

#: The stopword model: a word of rank r (from 0) in a list of n words has probability
#: COVERAGE / (r + ZIPF_OFFSET) / H(n), H normalising the list to COVERAGE (the share of
#: running text a stoplist covers); a word no list has is OTHER_WORD likely.
COVERAGE = 0.45
ZIPF_OFFSET = 10
OTHER_WORD = 1e-6
#: Words read from each list, most frequent first: the tails of the long lists (Finnish and
#: Estonian hold 6,000-7,000 words) are inflected forms and names, rare in any one text,
#: and reading them would slow the build for no answer changed on the development pages.
LIST_WORDS = 3000
#: Scores are summed as integers in units of 1 / SCALE nats, each language in a 16-bit field.
SCALE = 8
_FIELD_BITS = 16


# --- the stopword model ------------------------------------------------------------------

@cache
def _stoplist_dir() -> Path | None:
    """justext's stoplist folder, found without importing justext (and lxml)."""
    spec = importlib.util.find_spec("justext")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "stoplists"


def _ranked(name: str) -> list[str]:
    """A justext stoplist's words, lower case, most frequent first, each once."""
    folder = _stoplist_dir()
    if folder is None:
        return []
    try:
        text = (folder / f"{name}.txt").read_text(encoding="utf-8")
    except OSError:
        return []
    return list(dict.fromkeys(text.lower().split()))


@dataclass(frozen=True, slots=True)
class _Model:
    """One script's stopword index: each word's evidence for every language of the script,
    packed in one integer (language i in bits 16i to 16i+15), so that a document's evidence
    is a sum of integers, which Python adds in C."""

    codes: tuple[str, ...]
    index: dict[str, int]
    prior: int  # the head start of every language not in _RARE
    fields: struct.Struct

    def best(self, words: set[str]) -> tuple[str, int, int]:
        """(the likeliest language, its lead over the next, its own evidence), the two
        last in 1/SCALE nats."""
        total = sum(filter(None, map(self.index.get, words)), self.prior)
        scores = self.fields.unpack(total.to_bytes(self.fields.size, "little"))
        best = max(scores)
        i = scores.index(best)
        code = self.codes[i]
        lead = best - max(scores[:i] + scores[i + 1:], default=0)
        return code, lead, best - (0 if code in _RARE else round(SCALE * RARE_PENALTY))


@cache
def _model(script: str) -> _Model:
    """The stopword index of a script's languages, built on first use, or read from the
    per-user cache (cleaner.cache) when these stoplists were indexed before: building the
    Latin index takes about 50 ms, a noticeable part of one ``cleaner file.txt`` call."""
    names = sorted(_STOPLISTS[script].values())
    entry = _cache.key("language-model", script, _stoplists_fingerprint(names))
    stored = _cache.read_checked(entry)
    if stored is not None:
        try:
            codes, index, prior = marshal.loads(stored)
            return _Model(tuple(codes), index, prior, struct.Struct(f"<{len(codes)}H"))
        except (EOFError, ValueError, TypeError):
            pass
    model = _build_model(script)
    # marshal is what Python stores its own compiled modules in: fast to load, and the
    # entry's digest is checked before it is read.
    _cache.write_checked(entry, marshal.dumps((model.codes, model.index, model.prior)))
    return model


def _stoplists_fingerprint(names: list[str]) -> str:
    """What the index of these stoplists depends on: each file's name, size and time."""
    folder = _stoplist_dir()
    if folder is None:
        return "none"
    parts = []
    for name in names:
        try:
            st = (folder / f"{name}.txt").stat()
            parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{name}:-")
    return f"{folder}|" + "|".join(parts)


def _build_model(script: str) -> _Model:
    """The stopword index of a script's languages (see :func:`_model`)."""
    lists = {code: _ranked(name) for code, name in _STOPLISTS[script].items()}
    if script == _EXTRA_SCRIPT:
        lists.update((code, list(words)) for code, words in _EXTRA_STOPWORDS.items())
    # A word counts for a language only in the language's script: the Indic and Korean
    # lists hold English words, and Uzbek's a few Cyrillic ones. No numbers either.
    alien = regex.compile(rf"[^\p{{{script}}}\P{{L}}]|\d")
    plain_latin = script == "Latin"  # an ASCII word of letters needs no regex
    english = frozenset(lists.get("en", ()))
    codes = tuple(sorted(lists))
    index: dict[str, int] = {}
    heaviest = 0
    for i, code in enumerate(codes):
        words = [w for w in lists[code]
                 if (plain_latin and w.isascii() and w.isalpha()) or alien.search(w) is None]
        if english and code != "en":
            # Wikipedia's English in other lists: "the" heads the Sundanese one.
            words = [w for w in words if w not in english]
        words = words[:LIST_WORDS]
        if not words:
            continue
        # log(p / OTHER_WORD) with p = COVERAGE / (rank + ZIPF_OFFSET) / norm, in units.
        norm = sum(1 / (r + ZIPF_OFFSET) for r in range(len(words)))
        base = math.log(COVERAGE / norm / OTHER_WORD)
        units = [max(1, round(SCALE * (base - math.log(r + ZIPF_OFFSET))))
                 for r in range(len(words))]
        heaviest = max(heaviest, units[0])
        # One int object per weight and language: an int of a thousand bits per word would
        # double the index's memory.
        shifted = {u: u << (_FIELD_BITS * i) for u in set(units)}
        mine = dict(zip(words, map(shifted.__getitem__, units)))
        for word in index.keys() & mine.keys():  # listed by another language too
            mine[word] += index[word]
        index.update(mine)
    # No field may overflow into the next: MAX_WORDS distinct words at the heaviest weight,
    # and the prior, stay under 2**16.
    head = round(SCALE * RARE_PENALTY)
    if heaviest * MAX_WORDS + head >= 1 << _FIELD_BITS:
        raise AssertionError("stopword scores would overflow their fields")
    prior = sum(head << (_FIELD_BITS * i) for i, code in enumerate(codes) if code not in _RARE)
    return _Model(codes, index, prior, struct.Struct(f"<{len(codes)}H"))


# --- detection ---------------------------------------------------------------------------

_LONG_LINE = re.compile(rf"(?m)^[^\n]{{{LONG_LINE},}}")


def _sample(text: str) -> str:
    """Up to SAMPLE_CHARS of the document's prose: its long lines, or its start."""
    head = text[:SAMPLE_CHARS]
    if "\n" not in head:
        return head  # one line (a paragraph, a short text): no lines to choose from
    parts: list[str] = []
    size = 0
    for m in _LONG_LINE.finditer(text, 0, SCAN_CHARS):
        parts.append(m.group())
        size += m.end() - m.start() + 1
        if size >= SAMPLE_CHARS:
            break
    # Too little prose (a short text, a list): the start of the text as it is.
    if size < SAMPLE_CHARS // 4:
        return head
    return "\n".join(parts)[:SAMPLE_CHARS]


def _letters(sample: str) -> tuple[int, dict[str, int]]:
    """(Latin letters, {script: letters}) of every STRIDE-th character of the sample; the
    other scripts are not counted when they cannot outweigh the Latin letters.

    Counted on the UTF-8 bytes, where a script's letters are the characters starting with
    its bytes: bytes.translate keeps one byte per letter and count() tallies them, in C (a
    regular expression listing every letter costs more than the rest of the detection).

    >>> _letters("Москва, 2024")
    (0, {'Cyrillic': 2})
    """
    # Lone surrogates (broken input) encode as three bytes and count as no letter here.
    raw = sample[::STRIDE].encode("utf-8", "replace")
    leads = raw.translate(_LEAD_TABLE, _NOT_LEADS)
    latin = leads.count(b"L")
    others = len(leads) - latin
    if CJK_WEIGHT * others <= latin:
        return latin, {}
    refine = {lead: leads.count(lead) > 0 for lead in (b"\xe0", b"\xe1", b"\xe3")}
    if refine[b"\xe1"]:
        latin += sum(map(raw.count, _LATIN_PAIRS))
    counts: dict[str, int] = {}
    for name, mark, pairs in _SCRIPT_CLASSES:
        n = leads.count(mark) if mark else 0
        for pair in pairs:
            if refine[pair[:1]]:
                n += raw.count(pair)
        if n:
            counts[name] = n
            others -= n
            if others <= 0:  # every letter has its script
                break
    return latin, counts


def _script(sample: str) -> tuple[str, str, int]:
    """(script, the language it names or "", its letters) of the sample's dominant script.
    CJK characters weigh CJK_WEIGHT letters; Han and kana together are ``ja`` when kana
    make KANA_SHARE of them, else ``zh``. An ASCII sample is Latin without counting (its
    stopwords will tell whether it holds words)."""
    if sample.isascii():
        return "Latin", "", MIN_LETTERS
    latin, counts = _letters(sample)
    han, kana = counts.pop("Han", 0), counts.pop("Kana", 0)
    scored = {name: (n * CJK_WEIGHT if name in _CJK else n, code)
              for name, n in counts.items() for code in (_CODES[name],)}
    if han or kana:
        scored["CJK"] = (CJK_WEIGHT * (han + kana),
                         "ja" if kana >= KANA_SHARE * (han + kana) else "zh")
    scored["Latin"] = (latin, "")
    # Latin first on a tie: max keeps the first of equals, and dicts keep insertion order.
    best = max(reversed(scored), key=lambda name: scored[name][0])
    n, code = scored[best]
    return best, code, n * STRIDE


def detect(text: str) -> str:
    """The language ``text`` is written in, as an ISO 639-1 code (``"en"``, ``"de"``,
    ``"ja"``...; ``"no"`` is Norwegian Bokmål, ``"nn"`` Nynorsk), or ``""`` when it cannot
    tell: too few words, no letters, or no language clearly ahead.

    >>> detect("The government said on Monday that the new rules would take effect in May.")
    'en'
    >>> detect("Die Regierung hat am Montag mitgeteilt, dass die neuen Regeln im Mai gelten.")
    'de'
    >>> detect("政府は月曜日、新しい規則が5月に施行されると発表した。")
    'ja'
    >>> detect("Breaking"), detect("2024-05-01 12:00"), detect("")
    ('', '', '')
    """
    sample = _sample(text)
    script, code, letters = _script(sample)
    if letters < MIN_LETTERS:
        return ""
    if code or script not in _STOPLISTS:
        return code
    model = _model(script)
    # Most documents are settled by their first sentences: those are read first, the rest
    # of the sample only when no language is far ahead yet.
    cut = sample.find(" ", FIRST_CHARS) if len(sample) > FIRST_CHARS else -1
    if cut > 0:
        code, lead, _ = model.best(set(sample[:cut].lower().split()))
        if lead >= SCALE * DECISIVE:
            return code
    words = sample.lower().split()
    if len(words) > MAX_WORDS:
        words = words[:MAX_WORDS]
    elif len(sample) == SAMPLE_CHARS and words:
        words.pop()  # the sample may end inside a word
    code, lead, evidence = model.best(set(words))
    if lead < SCALE * MARGIN or evidence < SCALE * MIN_EVIDENCE:
        return ""
    return code


# --- stoplists for the filters -------------------------------------------------------------

_STOPLIST_NAMES: dict[str, str] = {
    **{code: name for group in _STOPLISTS.values() for code, name in group.items()},
    **_OWN_SCRIPT_STOPLISTS,
    "nb": "Norwegian_Bokmal",
    # justext's Serbo-Croatian list: not one detect() chooses (it tells hr, bs and sr
    # apart), but the list of a page that declares itself "sh".
    "sh": "Serbo_Croatian",
}


def stoplist_name(code: str) -> str | None:
    """The name of justext's stoplist for a language code (``None`` if justext has none).

    >>> stoplist_name("de"), stoplist_name("no"), stoplist_name("nb"), stoplist_name("ja")
    ('German', 'Norwegian_Bokmal', 'Norwegian_Bokmal', None)
    """
    return _STOPLIST_NAMES.get(code)


@lru_cache(maxsize=128)  # textstats keeps 8 lists; a batch may hold more languages
def stopwords_for(code: str) -> frozenset[str]:
    """justext's stoplist for a language code, lower case (empty if justext has none, as
    for ``ja``, ``zh`` and ``""``).

    >>> "und" in stopwords_for("de"), stopwords_for("ja")
    (True, frozenset())
    """
    name = stoplist_name(code)
    return stopwords(name) if name else frozenset()


#: Codes that name one language, as catalogs and detectors spell it: Norwegian Bokmål is
#: "no" (this module, langid, fundus) and "nb" (WordPress and Ghost locales).
ALIASES: dict[str, frozenset[str]] = {
    "no": frozenset({"no", "nb"}), "nb": frozenset({"no", "nb"}),
    "nn": frozenset({"nn", "no"}),
}


def with_aliases(code: str) -> frozenset[str] | None:
    """The codes a document of language ``code`` answers to; None for an unknown language.

    >>> sorted(with_aliases("no")), with_aliases("")
    (['nb', 'no'], None)
    """
    if not code:
        return None
    return ALIASES.get(code, frozenset({code}))


def language_code(value: str) -> str:
    """A language given as an ISO 639-1 code or as justext's stoplist name, as a code.

    >>> language_code("German"), language_code("de"), language_code("DE"), language_code("")
    ('de', 'de', 'de', '')
    """
    if value in _STOPLIST_NAMES or not value:
        return value
    for code, name in _STOPLIST_NAMES.items():
        if name == value:
            return code
    if re.fullmatch(r"[A-Za-z]{2,3}", value):
        return value.lower()
    raise ValueError(f"language must be 'auto', an ISO 639-1 code or a justext stoplist name, "
                     f"got {value!r}")
