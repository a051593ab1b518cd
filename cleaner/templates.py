"""Furniture as whole-line templates with typed slots, looked up, not tried one by one.

Most furniture is a line in a known form: ``Click to share on {network}``, ``Posted on {date}
by {name}``, ``{count} comments``, ``Zum Teilen auf {network} klicken``. A template pack holds
such forms, each with its entry's id, category, languages, examples and where the evidence
came from (a catalog of what a CMS prints, or the sites a line was seen on)::

    [pack]
    name = "furniture-share"
    stage = "lines"
    description = "Share and like widgets."

    [[template]]
    id = "share.click-to-share"
    category = "share"
    description = "A share button's label, one per network."
    evidence = "catalog: jetpack.tsv, 'Click to share on %s' (53 locales)"
    must_match = ["Click to share on Twitter (Opens in new window)"]
    must_not_match = ["Click to share your story with the newsroom."]
    [template.text]
    en = ["Click to share on {network}", "Click to share on {network} (opens in new window)"]
    de = "Zum Teilen auf {network} klicken"

A line is brought to its skeleton (:func:`skeleton`): its words lower-cased, punctuation and
bullets dropped, and the spans a closed slot stands for (a URL, an e-mail address, a date or
time, a number, a network's name) replaced by the slot. A template without an open slot is
then one dictionary lookup, whatever the number of templates. A template may hold one open
slot (``{name}``, ``{title}``, ``{site}``, ``{text}``, ``{list}``): it is found by its fixed
words before and after the slot, again by lookup, and the slot's text is checked for its
type (a name is capitalised words; a title has no sentence inside...). Every line's cost is
its skeleton and a handful of lookups: the same with ten entries or ten thousand.

Languages: a form of one or two words ("Home", "Weiter") is furniture in its language and
may be an ordinary word of another, so it applies only to documents of its language (see
cleaner.language) or of unknown language; a longer form applies to every document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

#: Slots whose text is recognised in any line, whatever the template: replaced by the slot
#: in the skeleton.
CLOSED_SLOTS = ("url", "email", "date", "count", "network")
#: Slots of free text, checked for their type once the words around them are found.
OPEN_SLOTS = ("name", "title", "site", "text", "list")
SLOTS = CLOSED_SLOTS + OPEN_SLOTS
#: Forms of this many words or more apply to documents of every language.
ANY_LANGUAGE_WORDS = 3
#: Lines longer than this are never furniture of a template.
MAX_LINE_CHARS = 300
#: A menu: this many lines in a row that templates take (see Template.alone).
MENU_RUN = 3

# What a date or time is made of, word by word: month and day names (the languages of the
# product's required set and of the catalogs' largest locales), the words around a time, and
# relative times. A run of such words is a date when it holds a month or day name beside a
# number, a numeric date (12.03.2024, 2024-03-12), a time (10:41) or a relative time ("2 hours
# ago", "vor 2 Stunden"); "May" alone is not a date, "May 5" is.
_MONTHS = frozenset("""
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
januar jänner februar märz mai juni juli oktober dezember okt dez
janvier février mars avril juin juillet août septembre octobre novembre décembre janv févr
avr juil déc
enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre
diciembre ene dic gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre gen
mag giu lug ago set ott janeiro fevereiro março maio junho julho setembro outubro dezembro fev
out januari februari maart mei augustus stycznia lutego marca kwietnia maja czerwca lipca
sierpnia września października listopada grudnia styczeń luty marzec kwiecień maj czerwiec
lipiec sierpień wrzesień październik listopad grudzień ocak şubat mart nisan mayıs haziran
temmuz ağustos eylül ekim kasım aralık января февраля марта апреля мая июня июля августа
сентября октября ноября декабря
""".split())
_DAYS = frozenset("""
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri
sat sun montag dienstag mittwoch donnerstag freitag samstag sonntag lundi mardi mercredi
jeudi vendredi samedi dimanche lunes martes miércoles jueves viernes sábado domingo lunedì
martedì mercoledì giovedì venerdì sabato domenica today yesterday heute gestern aujourd'hui
hier hoy ayer oggi ieri hoje ontem
""".split())
_RELATIVE_DAYS = frozenset("""
today yesterday heute gestern hoy ayer oggi ieri hoje ontem aujourd'hui
""".split())
_UNITS = frozenset("""
second seconds sec secs minute minutes min mins hour hours hr hrs day days week weeks month
months year years sekunde sekunden minute minuten stunde stunden tag tagen woche wochen monat
monaten jahr jahren seconde secondes heure heures jour jours semaine semaines mois an ans
année années segundo segundos minuto minutos hora horas día días semana semanas mes meses año
años secondi minuti ora ore giorno giorni settimana settimane mesi anno anni dia dias ano anos
""".split())
#: Words that sit inside a date or beside a time (at, um, à, a.m., a time zone) or introduce
#: a relative time (vor, hace, il y a, há; ago, fa after it).
_DATE_GLUE = frozenset("""
at um à a às alle de del of the am pm a.m. p.m. uhr h ago fa vor hace il y há utc gmt ist cet
cest edt est pdt pst bst cst mst et pt
""".split())
#: Words a date may begin with (a digit aside).
_DATE_STARTS = _MONTHS | _DAYS | _DATE_GLUE
#: Glue that may end a date ("10:41 a.m.", "2 hours ago", "12:00 IST"); other glue may not.
_DATE_TAIL = frozenset("""
am pm a.m. p.m. uhr h ago fa utc gmt ist cet cest edt est pdt pst bst cst mst et pt
""".split())
_NUMERIC_DATE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}(?:t[\d:+-]+z?)?|\d{1,2}[:.h]\d{2}(?:[:.]\d{2})?")
_ORDINAL = re.compile(r"\d{1,2}(?:st|nd|rd|th|er|º|\.)?")
#: Networks and share targets, as share bars and follow prompts name them (two-word names
#: as their words joined by a space). Not LINE: "line" is an ordinary word ("Business Line").
NETWORKS = frozenset({
    "facebook", "twitter", "x", "linkedin", "whatsapp", "telegram", "email", "e-mail", "mail",
    "print", "reddit", "pinterest", "tumblr", "pocket", "skype", "messenger", "flipboard",
    "instagram", "youtube", "tiktok", "threads", "bluesky", "mastodon", "snapchat", "viber",
    "sms", "xing", "vk", "vkontakte", "odnoklassniki", "weibo", "wechat", "qzone",
    "kakaotalk", "kakao", "naver", "google+", "google", "google news", "apple news", "digg",
    "evernote", "buffer", "hacker news", "mix", "微博", "微信", "新浪微博", "qq",
})
_NETWORK_PAIRS = frozenset(n for n in NETWORKS if " " in n)
#: Words that may begin a network's name (one word, or the first of two).
_NETWORK_FIRSTS = frozenset(n.split(" ", 1)[0] for n in NETWORKS)
# A line's words (re is exact here: the classes are plain), numbers with their inner
# separators kept (12.03.2024, 10:41, 1,200), and URLs and e-mail addresses, which are only
# looked for where a line holds "://", "www." or "@".
_WORD = re.compile(r"\d+(?:[.,:/'h-]\d+)*(?:st|nd|rd|th|er|º)?|\b[ap]\.m\.|[^\W_]+(?:['’][^\W_]+)*\+?",
                   re.IGNORECASE)
_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
#: Scripts written without spaces: each of their characters is a token of its own.
_NO_SPACES = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SLOT = re.compile(r"\{(\w+)\}")
#: Words that join the names of several authors, and particles names carry.
_NAME_JOINS = frozenset({
    "and", "&", "und", "et", "y", "e", "i", "og", "en", "ve", "и",
    "de", "da", "del", "della", "der", "den", "van", "von", "al", "el", "bin", "ibn", "la",
    "le", "du", "dos", "das", "di", "do", "ter", "ten", "zu", "af", "st",
})
_PARTICLE = re.compile(r"(?:al|el|ad|abu|bin|ibn|d|l|o|de|da|di|du|van|von)[-'’]", re.IGNORECASE)
_SENTENCE_INSIDE = re.compile(r"[.!?。！？](?=\s+[^\W\d_])")
_WORDS = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")


class TemplateError(ValueError):
    """A template that cannot be used (the loader adds its pack and id)."""


@dataclass(frozen=True)
class Skeleton:
    """A line's skeleton: its tokens (lower-case words and ``{slot}`` markers) and, for each,
    where it stands in the line."""

    tokens: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]


def skeleton(line: str) -> Skeleton:
    """The skeleton of a line: lower-case words, closed slots for what they stand for.

    >>> skeleton("Posted on March 5, 2024 by Jane Doe").tokens
    ('posted', 'on', '{date}', 'by', 'jane', 'doe')
    >>> skeleton("• Share on WhatsApp | 12 Comments").tokens
    ('share', 'on', '{network}', '{count}', 'comments')
    >>> skeleton("vor 2 Stunden").tokens, skeleton("12.03.2024, 10:41 Uhr").tokens
    (('{date}',), ('{date}',))
    """
    words: list[tuple[str, int, int]]
    if "://" in line or "www." in line or "@" in line:
        words = _words_around_addresses(line)
    elif _NO_SPACES.search(line) is None:
        # The common case: no address, no script written without spaces. An ASCII line is
        # lower-cased whole (its length, hence every span, stays the same).
        if line.isascii():
            lowered = line.lower()
            words = [(lowered[a:b], a, b) for a, b in (m.span() for m in _WORD.finditer(line))]
        else:
            # One apostrophe for all: "We’re Hiring" and "We're Hiring" are one line.
            words = [(m.group().lower().replace("’", "'"), m.start(), m.end())
                     for m in _WORD.finditer(line)]
    else:
        words = _line_words(line, 0, len(line))
    tokens: list[str] = []
    spans: list[tuple[int, int]] = []
    i, n = 0, len(words)
    date_starts = _DATE_STARTS
    while i < n:
        word, a, b = words[i]
        first = word[0]
        if first.isdigit() or word in date_starts:
            end = _date_end(words, i)
            if end > i:
                tokens.append("{date}")
                spans.append((a, words[end - 1][2]))
                i = end
                continue
            if first.isdigit():
                tokens.append("{count}")
                spans.append((a, b))
                i += 1
                continue
        if word in _NETWORK_FIRSTS:
            if i + 1 < n and f"{word} {words[i + 1][0]}" in _NETWORK_PAIRS:
                tokens.append("{network}")
                spans.append((a, words[i + 1][2]))
                i += 2
                continue
            if word in NETWORKS:
                tokens.append("{network}")
                spans.append((a, b))
                i += 1
                continue
        tokens.append(word)
        spans.append((a, b))
        i += 1
    return Skeleton(tuple(tokens), tuple(spans))


def _line_words(line: str, pos: int, end: int) -> list[tuple[str, int, int]]:
    """The words of ``line[pos:end]``, lower-cased, with their spans; a character of a script
    written without spaces is a word of its own."""
    out: list[tuple[str, int, int]] = []
    for m in _WORD.finditer(line, pos, end):
        word = m.group()
        if _NO_SPACES.search(word):
            base = m.start()
            out += [(ch.lower(), base + k, base + k + 1) for k, ch in enumerate(word)]
        else:
            out.append((word.lower().replace("’", "'"), m.start(), m.end()))
    return out


def _words_around_addresses(line: str) -> list[tuple[str, int, int]]:
    """The words of a line that holds URLs or e-mail addresses, each of those one token."""
    out: list[tuple[str, int, int]] = []
    pos = 0
    for m in _ADDRESS.finditer(line):
        a, b = m.span()
        out += _line_words(line, pos, a)
        out.append(("{email}" if "@" in line[a:b] and "://" not in line[a:b] else "{url}", a, b))
        pos = b
    return out + _line_words(line, pos, len(line))


def _date_end(words: list[tuple[str, int, int]], i: int) -> int:
    """Where a date starting at word ``i`` ends (``i`` when none starts there): the longest
    run of date words from ``i`` that holds a month or day name beside a number, a numeric
    date, a time, or a relative time. A date holds one day, one year and one time: a number
    past those ("March 5, 2024 · 12 min") is the next thing on the line, not the date's."""
    first = words[i][0]
    if not (first[0].isdigit() or first in _MONTHS or first in _DAYS or first in _DATE_GLUE):
        return i
    j = i
    named = strong = unit = False
    day = year = clock = 0
    best = i
    while j < len(words):
        w = words[j][0]
        if w[0].isdigit():
            if _NUMERIC_DATE.fullmatch(w):
                if ":" in w or "h" in w or (w.count(".") == 1 and "-" not in w and "/" not in w):
                    clock += 1  # 10:41, 10h41, 10.41
                else:
                    strong = True
                    day += 1
                    year += 1
            elif len(w) == 4 and w.isdigit():
                year += 1
            elif _ORDINAL.fullmatch(w):
                day += 1
            else:
                break
            if day > 1 or year > 1 or clock > 1:
                break
        elif w in _MONTHS or w in _DAYS:
            named = True
            if w in _RELATIVE_DAYS:
                strong = True
        elif w in _UNITS:
            if unit or not (day and _relative(words, i, j + 2)):
                break  # "5 min" is a reading time, "5 minutes ago" a date
            unit = True
        elif w not in _DATE_GLUE:
            break
        j += 1
        if strong or clock or (named and (day or year)) or (unit and _relative(words, i, j)):
            best = j
    # Trailing glue ("at", "de") is not part of the date.
    while best > i and words[best - 1][0] in _DATE_GLUE and words[best - 1][0] not in _DATE_TAIL:
        best -= 1
    return best


def _relative(words: list[tuple[str, int, int]], i: int, j: int) -> bool:
    """Whether words i..j read as a relative time: "2 hours ago", "vor 2 Stunden"."""
    run = [w for w, _, _ in words[i:j]]
    return bool(run) and (run[-1] in ("ago", "fa") or run[0] in ("vor", "hace", "há")
                          or run[:3] == ["il", "y", "a"])


def _form_tokens(text: str) -> tuple[tuple[str, ...], str | None, int]:
    """A form's tokens, its open slot (or None) and where that slot stands among them."""
    tokens: list[str] = []
    open_slot, at = None, -1
    pos = 0
    for m in _SLOT.finditer(text):
        tokens += skeleton(text[pos:m.start()]).tokens
        slot = m.group(1)
        if slot not in SLOTS:
            raise TemplateError(f"unknown slot {{{slot}}}; slots are {', '.join(SLOTS)}")
        if slot in OPEN_SLOTS:
            if open_slot is not None:
                raise TemplateError("a form holds at most one open slot "
                                    f"({', '.join(OPEN_SLOTS)})")
            open_slot, at = slot, len(tokens)
        else:
            tokens.append(f"{{{slot}}}")
        pos = m.end()
    tokens += skeleton(text[pos:]).tokens
    if sum(1 for t in tokens if not t.startswith("{")) == 0:
        raise TemplateError(f"form {text!r} holds no word: it would match any line of its slots")
    return tuple(tokens), open_slot, at


# --- open slots: is the text between the fixed words of the type the slot says? -------------


def _words(text: str) -> list[str]:
    return _WORDS.findall(text)


def _is_name(text: str) -> bool:
    """One or more names: capitalised words, with the particles and joins names carry."""
    words = _words(text)
    if not 1 <= len(words) <= 12 or len(text) > 120 or _ends_sentence(text):
        return False
    capitalised = 0
    for w in words:
        if w[0].isupper() or not w[0].isalpha():
            capitalised += 1
        elif w.lower() in _NAME_JOINS:
            continue
        else:
            # A particle joined to a capitalised name: al-Sayed, d'Artagnan, bin-Salman.
            m = _PARTICLE.match(w)
            if m is None or not w[m.end():m.end() + 1].isupper():
                return False
            capitalised += 1
    return capitalised > 0


def _is_title(text: str) -> bool:
    """A headline: 2 to 30 words, no second sentence inside."""
    words = _words(text)
    return 2 <= len(words) <= 30 and len(text) <= 250 and not _SENTENCE_INSIDE.search(text)


def _is_site(text: str) -> bool:
    """A site's name: a domain, or up to six words."""
    words = _words(text)
    return 1 <= len(words) <= 6 and len(text) <= 80 and not _ends_sentence(text)


def _is_text(text: str) -> bool:
    """Any short text without a sentence inside."""
    words = _words(text)
    return 1 <= len(words) <= 30 and len(text) <= 250 and not _SENTENCE_INSIDE.search(text)


def _is_list(text: str) -> bool:
    """A list of short items (tags, categories): separated by commas, bars or dots."""
    items = [i for i in re.split(r"\s*[,;|·•/]\s*|\s{2,}", text.strip()) if i]
    return bool(items) and all(1 <= len(_words(i)) <= 6 for i in items) and len(text) <= 300


def _ends_sentence(text: str) -> bool:
    return text.rstrip(" \"'”’)]").endswith((".", "!", "?", "。", "！", "？")) and not \
        text.rstrip().endswith(("Jr.", "Sr.", "Inc.", "Ltd.", "Co."))


_OPEN_CHECKS = {"name": _is_name, "title": _is_title, "site": _is_site, "text": _is_text,
                "list": _is_list}


# --- entries ------------------------------------------------------------------------------


class Form(NamedTuple):
    """One way an entry is written, in one language (``""``: any): its text, its skeleton's
    tokens, and its open slot with where it stands among them. (A named tuple: a pack of
    thousands of forms is rebuilt on every start.)"""

    language: str
    text: str
    tokens: tuple[str, ...]
    open_slot: str | None
    at: int

    @property
    def words(self) -> int:
        return sum(1 for t in self.tokens if not t.startswith("{"))

    @property
    def any_language(self) -> bool:
        return self.language == "" or self.words >= ANY_LANGUAGE_WORDS


@dataclass(frozen=True)
class Template:
    """One furniture entry: forms of one line, in one or more languages."""

    id: str
    category: str
    description: str
    #: Where the evidence that this is furniture came from: a catalog of what a program
    #: prints, or the sites (how many, which) the line was seen on.
    evidence: str
    forms: tuple[Form, ...]
    must_match: tuple[str, ...]
    must_not_match: tuple[str, ...]
    default: bool = True
    note: str = ""
    #: A line of this entry opens a section: "comments" (a comment section's heading or
    #: counter) or "bio" (an author bio box's heading), which filters.sections removes with
    #: what follows; or "list" (the heading of a list of other stories: "Related posts",
    #: "Mehr zum Thema"), which the tail stage reads as it reads its heading rules, and the
    #: lines stage leaves to it.
    section: str | None = None
    #: False: the form takes a line only inside a menu, a run of MENU_RUN lines or more that
    #: templates take ("Business", "Sport", "Travel" in a row are a menu; "Travel" alone
    #: between paragraphs may be the article's subheading).
    alone: bool = True
    #: The pack file it was read from.
    source: str = ""
    #: Template entries sit beside pattern rules and answer to the same names: they remove
    #: whole lines in the lines stage.
    scope: str = "template"
    stage: str = "lines"
    action: str = "remove"
    position: str = "anywhere"

    @property
    def pattern(self) -> str:
        """The forms, one per language and form, as the entry's readable pattern."""
        return " | ".join(f"{f.language or 'any'}: {f.text}" for f in self.forms)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.language for f in self.forms))

    def matches(self, line: str) -> bool:
        """Whether the entry takes ``line`` (a document of its language, or of unknown; an
        entry that takes lines only in menus is asked about the line as in a menu)."""
        return TemplateIndex([self]).match(line.strip()) is not None

    def examples_failing(self) -> list[str]:
        """The entry's own examples that it gets wrong (an empty list when all hold)."""
        bad = [f"must_match {ex!r} does not match" for ex in self.must_match
               if not self.matches(ex)]
        bad += [f"must_not_match {ex!r} matches" for ex in self.must_not_match
                if self.matches(ex)]
        return bad


def parse_templates(raw_entries: Sequence[Any], where: str,
                    fail: Any) -> list[Template]:
    """Validate a pack's ``[[template]]`` tables; ``fail(rule_id, reason)`` raises."""
    from .packs import CATEGORIES, _ID  # one id grammar and category list for all entries

    out: list[Template] = []
    keys = {"id", "category", "description", "evidence", "text", "must_match",
            "must_not_match", "default", "note", "section", "alone"}
    for raw in raw_entries:
        if not isinstance(raw, dict):
            fail(None, "each [[template]] must be a table")
        tid = raw.get("id")
        if not (isinstance(tid, str) and _ID.fullmatch(tid)):
            fail(tid if isinstance(tid, str) else None,
                 f"id must look like 'category.kebab-name', got {tid!r}")
        unknown = set(raw) - keys
        if unknown:
            fail(tid, f"unknown keys {sorted(unknown)}")
        category = raw.get("category")
        if category not in CATEGORIES:
            fail(tid, f"category must be one of {sorted(CATEGORIES)}, got {category!r}")
        if tid.split(".", 1)[0] != category:
            fail(tid, f"id must start with its category {category!r}")
        for key in ("description", "evidence"):
            if not (isinstance(raw.get(key), str) and raw[key].strip()):
                fail(tid, f"{key} must be a non-empty string" + (
                    " (a catalog, or the sites the line was seen on)"
                    if key == "evidence" else ""))
        text = raw.get("text")
        if not isinstance(text, Mapping) or not text:
            fail(tid, "text must be a table of language = form(s), e.g. en = \"Share on {network}\"")
        forms: list[Form] = []
        for lang, value in text.items():
            if not (lang == "any" or re.fullmatch(r"[a-z]{2,3}(?:-[a-z]{2,4})?", lang)):
                fail(tid, f"language {lang!r} is not an ISO 639 code (or 'any')")
            values = [value] if isinstance(value, str) else value
            if not (isinstance(values, list) and values and all(isinstance(v, str) for v in values)):
                fail(tid, f"text.{lang} must be a form or a list of forms")
            for v in values:
                try:
                    tokens, open_slot, at = _form_tokens(v)
                except TemplateError as exc:
                    fail(tid, str(exc))
                forms.append(Form("" if lang == "any" else lang, v, tokens, open_slot, at))
        examples = {}
        for key in ("must_match", "must_not_match"):
            # Mined entries (category learned) come with the lines seen, no near-miss yet.
            value = raw.get(key, [] if key == "must_not_match" and category == "learned" else None)
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)
                    and (value or key == "must_not_match" and category == "learned")):
                fail(tid, f"{key} must be a non-empty list of strings, got {value!r}")
            examples[key] = tuple(value)
        default = raw.get("default", True)
        if not isinstance(default, bool):
            fail(tid, "default must be true or false")
        note = raw.get("note", "")
        if not isinstance(note, str):
            fail(tid, "note must be a string")
        section = raw.get("section")
        if section not in (None, "comments", "bio", "list"):
            fail(tid, "section must be 'comments' (a comment section's heading or counter), "
                      "'bio' (an author bio box's heading) or 'list' (a list of other "
                      f"stories' heading), got {section!r}")
        alone = raw.get("alone", True)
        if not isinstance(alone, bool):
            fail(tid, "alone must be true or false")
        out.append(Template(id=tid, category=category, description=raw["description"].strip(),
                            evidence=raw["evidence"].strip(), forms=tuple(forms),
                            must_match=examples["must_match"],
                            must_not_match=examples["must_not_match"], default=default,
                            note=note, section=section, alone=alone, source=where))
    return out


# --- the index --------------------------------------------------------------------------------

_Hit = tuple[Template, Form]


class TemplateIndex:
    """Every form of a set of templates, for lookup by a line's skeleton.

    >>> t = parse_templates([{"id": "share.on", "category": "share", "description": "d",
    ...     "evidence": "s", "text": {"en": "Share on {network}", "de": "Teilen auf {network}"},
    ...     "must_match": ["Share on X"], "must_not_match": ["Share prices fell."]}],
    ...     "<doc>", lambda i, r: None)
    >>> index = TemplateIndex(t)
    >>> index.match("Teilen auf Facebook")[0].id
    'share.on'
    >>> index.match("Share prices fell.") is None
    True
    """

    def __init__(self, templates: Iterable[Template]) -> None:
        self.templates = tuple(templates)
        self._notes = {t.id: t.note for t in self.templates if t.note}
        self._forms = sum(len(t.forms) for t in self.templates)
        self._exact: dict[tuple[str, ...], list[_Hit]] = {}
        self._open: dict[tuple[tuple[str, ...], tuple[str, ...]], list[_Hit]] = {}
        pairs: set[tuple[int, int]] = set()
        self._first: set[str] = set()  # first tokens of forms that start with fixed words
        self._first_pairs: set[tuple[str, str]] = set()  # ... with two of them
        self._last: set[str] = set()  # last tokens of forms that start with an open slot
        self.max_tokens = 0
        for t in self.templates:
            for form in t.forms:
                if form.open_slot is None:
                    self._exact.setdefault(form.tokens, []).append((t, form))
                    self.max_tokens = max(self.max_tokens, len(form.tokens))
                else:
                    head, tail = form.tokens[:form.at], form.tokens[form.at:]
                    self._open.setdefault((head, tail), []).append((t, form))
                    pairs.add((len(head), len(tail)))
                    self.max_tokens = max(self.max_tokens, len(form.tokens) + 30)
                if form.open_slot is None or form.at > 0:
                    head = form.tokens[0]
                    second = form.tokens[1] if len(form.tokens) > 1 and form.at != 1 else "{"
                    if head.startswith("{") or second.startswith("{"):
                        self._first.add(head)
                    else:
                        # Two words are a far finer gate than one ("The cookie is set..."
                        # must not let in every line that starts with "The").
                        self._first_pairs.add((head, second))
                else:
                    self._last.add(form.tokens[-1])
        self._pairs = tuple(sorted(pairs))
        #: A line of more space-separated chunks than any form can take (its fixed words,
        #: an open slot's most, and a separator such as "|" beside each) is not looked at.
        self.max_words = 2 * self.max_tokens
        # Where two entries share a form, the one that opens a section answers first (the
        # sections stage asks about sections; the lines stage takes the line either way).
        for table in (self._exact, self._open):
            for hits in table.values():
                hits.sort(key=lambda hit: hit[0].section is None)
        #: Whether any entry opens a section (see filters.sections), or heads a list.
        self.has_sections = any(t.section in ("comments", "bio") for t in self.templates)
        self.has_lists = any(t.section == "list" for t in self.templates)
        # A line is read whole only when its first word could begin a form (or, for forms
        # that begin with an open slot, its last word could end one); a closed slot can begin
        # with a digit, a month, a network's name...
        self._first_slots = frozenset(t for t in self._first if t.startswith("{"))
        self._last_slots = frozenset(t for t in self._last if t.startswith("{"))

    def __len__(self) -> int:
        return self._forms

    def note_of(self, template_id: str) -> str:
        """The note of an entry (what the report carries with its removals)."""
        return self._notes.get(template_id, "")

    def _may_hold(self, line: str) -> bool:
        """A cheap look at a line's first and last words before its skeleton is made (the
        words read as the skeleton reads them: a character of a script written without
        spaces is a word, "Kommentar-Navigation" is two)."""
        head = _first_words(line)
        if not head:
            return False
        first = head[0]
        if first in self._first or (self._first_slots and _may_be_slot(first, self._first_slots)):
            return True
        if len(head) > 1 and head in self._first_pairs:
            return True
        if not self._last:
            return False
        last = _edge_word(line, -1)
        assert last is not None
        return last in self._last or bool(self._last_slots) and _may_be_slot(
            last, self._last_slots)

    def match(self, line: str, languages: frozenset[str] | None = None) -> _Hit | None:
        """The entry and form that take the whole stripped ``line``, or None. ``languages``:
        the document's (None or empty: unknown, every form applies)."""
        if (not line or len(line) > MAX_LINE_CHARS or line.count(" ") > self.max_words
                or not self._may_hold(line)):
            return None
        sk = skeleton(line)
        tokens = sk.tokens
        if not tokens:
            return None
        hits = self._exact.get(tokens)
        if hits:
            for hit in hits:
                if _applies(hit[1], languages):
                    return hit
        n = len(tokens)
        for p, s in self._pairs:
            if p + s >= n:
                continue
            key = (tokens[:p], tokens[n - s:] if s else ())
            found = self._open.get(key)
            if not found:
                continue
            start = sk.spans[p][0]
            end = sk.spans[n - s - 1][1]
            inner = line[start:end]
            for template, form in found:
                assert form.open_slot is not None
                if _applies(form, languages) and _OPEN_CHECKS[form.open_slot](inner):
                    return template, form
        return None


def _may_be_slot(word: str, slots: frozenset[str]) -> bool:
    """Whether a word could be part of one of these closed slots."""
    if word[0].isdigit():
        return True
    if "{date}" in slots and (word in _MONTHS or word in _DAYS or word in _DATE_GLUE):
        return True
    if "{network}" in slots and (word in NETWORKS or word in ("google", "apple", "hacker")):
        return True
    return ("{url}" in slots or "{email}" in slots) and ("@" in word or "." in word or
                                                        word in ("http", "https", "www"))


def _edge_word(line: str, end: int) -> str | None:
    """The first (``end`` 0) or last (``end`` -1) word of a line, lower-cased, as the
    skeleton reads words; None when the line has none.

    Most lines begin and end with a plain word, which str methods find (a regular
    expression costs several times more); the rest go through the skeleton's own word
    pattern.

    >>> _edge_word("Kommentar-Navigation", 0), _edge_word("分享到微博", 0), _edge_word("← Older", -1)
    ('kommentar', '分', 'older')
    """
    parts = line.split(None, 1) if end == 0 else line.rsplit(None, 1)
    if not parts:
        return None
    chunk = parts[end].strip(_EDGE_MARKS)
    if chunk.isalpha() and not _is_no_spaces(chunk[end]):
        return chunk.lower()
    if end == 0:
        m = _WORD.search(line)
        if m is None:
            return None
        word = m.group()
        return (word[0] if _NO_SPACES.match(word) else word).lower().replace("’", "'")
    tail = _WORD.findall(line[-80:]) or _WORD.findall(line)
    if not tail:
        return None
    word = tail[-1]
    return (word[-1] if _NO_SPACES.search(word[-1]) else word).lower().replace("’", "'")


#: Marks a word may stand between and the line's edge ("end.", "(Reuters)", "«Titel»").
_EDGE_MARKS = "\"'“”‘’«»()[]<>.,:;!?…*•·|-–—"


def _first_words(line: str) -> tuple[str, ...]:
    """The first two words of a line (one, or none, if it has fewer), lower-cased, as the
    skeleton reads words.

    >>> _first_words("The cookie is set"), _first_words("Kommentar-Navigation"), _first_words("")
    (('the', 'cookie'), ('kommentar', 'navigation'), ())
    """
    parts = line.split(None, 2)
    if len(parts) >= 2:
        a, b = parts[0].lstrip(_EDGE_MARKS), parts[1].rstrip(_EDGE_MARKS)
        if a.isalpha() and b.isalpha() and not (_is_no_spaces(a[0]) or _is_no_spaces(b[0])):
            return a.lower(), b.lower()
    words: list[str] = []
    for m in _WORD.finditer(line):
        word = m.group()
        if _NO_SPACES.match(word):
            words += word[:2 - len(words)]
        else:
            words.append(word)
        if len(words) >= 2:
            break
    return tuple(w.lower().replace("’", "'") for w in words[:2])


def _is_no_spaces(ch: str) -> bool:
    """Whether a character belongs to a script written without spaces (kana, Han)."""
    return "\u3040" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _applies(form: Form, languages: frozenset[str] | None) -> bool:
    return not languages or form.any_language or form.language in languages
