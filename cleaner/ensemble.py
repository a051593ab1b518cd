"""Extraction as evidence: several extractors read one parse of a page, what each kept is
aligned to the page's blocks (paragraphs), and a small model shipped as data decides, block
by block, what is the article.

The blocks are the page's runs of text between block-level elements (a paragraph, a heading,
a list item, a table cell, a line after ``<br>``), in page order, each with what the markup
says about it (inside a link, a heading, a list, a ``<nav>`` or ``<footer>``, a container
whose class or id reads like furniture or like an article body). The extractors:

- ``trafilatura``: trafilatura with cleaner's settings (``favor_precision``), as the fast mode
  runs it;
- ``readability``: the readability algorithm (the port trafilatura ships of readability-lxml,
  which takes a parsed tree) on a copy of the same parse;
- ``justext``: justext's classification run on these very blocks, with the stoplist of the
  page's language;
- ``resiliparse``: resiliparse's main-content extraction (it parses the page itself, fast),
  when it is installed.

Each extractor's text is aligned to the blocks by word trigrams (a block of one or two words
by a whole line): a block's *coverage* by an extractor is the share of its trigrams the
extractor's text holds. The model (``cleaner/extraction_model.json``, fitted by
``bench/fit_extraction.py`` on the tuning half of the development pages and the public
benchmark) is a logistic regression over features that hold on any site: each extractor's
coverage of the block, of its neighbours and of its container, how much of the page each
extractor kept and how far they agree, the block's length, link density, stopword density
and markup. A block is kept when its probability reaches the model's threshold.

Everything here is deterministic: no randomness, no dependence on dict or set order beyond
insertion order, no clock.
"""

from __future__ import annotations

import json
import math
import operator
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from .errors import CleanerError
from .textstats import stopwords

_WORD = re.compile(r"\w+")

#: Elements that start and end a block: text on either side of one is not one paragraph.
BLOCK_TAGS = frozenset((
    "address article aside blockquote body br caption center dd details dialog div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li "
    "main menu nav ol p pre section summary table tbody td tfoot th thead tr ul"
).split())
#: Elements whose text is never article text (and is no one's to read): skipped whole.
SKIP_TAGS = frozenset((
    "head title script style noscript template select option textarea button iframe "
    "object embed svg math canvas video audio input label"
).split())

# Markup flags: what a block sits in. Each is a bit of Block.flags.
F_LINK = 1 << 0        # the block's element is inside a link
F_HEADING = 1 << 1
F_LIST = 1 << 2        # li, dd, dt
F_TABLE = 1 << 3       # td, th, caption
F_NAV = 1 << 4         # nav, header, menu
F_FOOTER = 1 << 5      # footer, address
F_ASIDE = 1 << 6       # aside
F_FORM = 1 << 7
F_FIGURE = 1 << 8      # figure, figcaption
F_QUOTE = 1 << 9       # blockquote, pre
F_NEGATIVE = 1 << 10   # a container whose class or id reads like furniture
F_POSITIVE = 1 << 11   # ... like an article body
F_ARTICLE = 1 << 12    # article, main
F_PARAGRAPH = 1 << 13  # the block is a <p>
F_COMMENT = 1 << 14    # a container whose class or id reads like readers' comments
F_NEAR_NEGATIVE = 1 << 15  # the nearest container with a telling class or id reads negative

_TAG_FLAGS = {
    "a": F_LINK, "h1": F_HEADING, "h2": F_HEADING, "h3": F_HEADING, "h4": F_HEADING,
    "h5": F_HEADING, "h6": F_HEADING, "li": F_LIST, "dd": F_LIST, "dt": F_LIST,
    "td": F_TABLE, "th": F_TABLE, "caption": F_TABLE, "nav": F_NAV, "header": F_NAV,
    "menu": F_NAV, "footer": F_FOOTER, "address": F_FOOTER, "aside": F_ASIDE, "form": F_FORM,
    "figure": F_FIGURE, "figcaption": F_FIGURE, "blockquote": F_QUOTE, "pre": F_QUOTE,
    "article": F_ARTICLE, "main": F_ARTICLE,
}
# Readability's tells, widened by what news pages name their furniture.
_NEGATIVE = re.compile(
    r"comment|meta|foot|footnote|nav|menu|sidebar|side-bar|widget|related|recommend|share|"
    r"social|promo|sponsor|advert|(?:^|[-_ ])ads?(?:$|[-_ ])|banner|newsletter|subscri|signup|"
    r"cookie|consent|popup|modal|breadcrumb|tags?(?:$|[-_ ])|byline|author|caption|credit|"
    r"teaser|most-?read|trending|outbrain|taboola|disqus|masthead|toolbar|pagination",
    re.IGNORECASE)
_COMMENT = re.compile(r"comment|disqus|discussion|respond|reply|replies|forum|reaction",
                      re.IGNORECASE)
_POSITIVE = re.compile(
    r"article|body|content|entry|main|post|story|text|blog|prose|richtext|paragraph",
    re.IGNORECASE)


@dataclass
class Block:
    """One paragraph of the page: its text (whitespace collapsed), its words as the metric
    counts them, the characters of it inside links, its markup flags, and the elements it
    belongs to (document-order numbers: its own block element and that element's parent)."""

    text: str
    words: list[str]
    link_chars: int
    flags: int
    element: int
    container: int
    signature: str  # the container's tag and class: one body split into parts shares it
    heading: bool = False
    cf_class: str = ""  # justext's context-free class
    class_type: str = ""  # justext's final class
    _density: tuple[Any, float] | None = field(default=None, repr=False)

    # justext reads paragraphs through these.
    #: justext calls a paragraph inside a <select> boilerplate; segment() skips those whole.
    dom_path = ""

    @property
    def is_heading(self) -> bool:
        return bool(self.flags & F_HEADING)

    def __len__(self) -> int:
        return len(self.text)

    @property
    def words_count(self) -> int:
        return len(self.text.split())

    @property
    def chars_count_in_links(self) -> int:
        return self.link_chars

    def stopwords_density(self, stopwords: Any) -> float:
        if self._density is None or self._density[0] is not stopwords:
            split = self.text.split()
            value = sum(w.lower() in stopwords for w in split) / len(split) if split else 0.0
            self._density = (stopwords, value)
        return self._density[1]

    def links_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0


_CLEAR_NEAR = 1 << 30  # marks "a positive container, nearer than any negative one"


def _inherit(parent: int, own: int) -> int:
    """A child's flags: its parent's and its own; the nearest telling class wins."""
    flags = parent | own
    if own & _CLEAR_NEAR:
        flags &= ~(F_NEAR_NEGATIVE | _CLEAR_NEAR)
    return flags


_FLAGS_SEEN: dict[tuple[str, str], int] = {}


def _own_flags(tag: str, names: str) -> int:
    """What an element says of the text inside it, by its tag and its class and id."""
    key = (tag, names)
    flags = _FLAGS_SEEN.get(key)
    if flags is not None:
        return flags
    flags = _TAG_FLAGS.get(tag, 0)
    if names.strip():
        negative = _NEGATIVE.search(names)
        positive = _POSITIVE.search(names)
        if negative:
            flags |= F_NEGATIVE
        if positive:
            flags |= F_POSITIVE
        if _COMMENT.search(names):
            flags |= F_COMMENT | F_NEGATIVE
            negative = True
        if negative and not positive:
            flags |= F_NEAR_NEGATIVE
        elif positive:
            flags |= _CLEAR_NEAR
    if len(_FLAGS_SEEN) > 100_000:  # pages of generated class names: bounded memory
        _FLAGS_SEEN.clear()
    _FLAGS_SEEN[key] = flags
    return flags


def segment(tree: Any) -> list[Block]:
    """The page's blocks in page order (an iterative walk: deep pages do not recurse).

    >>> from lxml import html
    >>> page = html.fromstring("<html><body><nav><a href='/'>Home</a></nav><div class='story'>"
    ...     "<p>First <b>bold</b> words.</p>Loose text<br>after a break</div></body></html>")
    >>> [(b.text, b.link_chars, bool(b.flags & F_NAV)) for b in segment(page)]
    [('Home', 4, True), ('First bold words.', 0, False), ('Loose text', 0, False), ('after a break', 0, False)]
    """
    blocks: list[Block] = []
    parts: list[str] = []
    link_chars = 0
    # The open elements: (flags so far, document-order number, is a block element,
    # container signature, its own tag and class); the block that text goes to is the
    # innermost block element's.
    stack: list[tuple[int, int, bool, str, str, str]] = [(0, -1, True, "", "", "")]
    block_at: list[int] = [0]  # indexes into stack of the open block elements
    link_depth = 0
    number = 0

    def flush() -> None:
        nonlocal link_chars
        if parts:
            text = " ".join("".join(parts).split())
            if text:
                flags, element, _, sig, _, _ = stack[block_at[-1]]
                container = stack[block_at[-2]][1] if len(block_at) > 1 else -1
                blocks.append(Block(text, _WORD.findall(text.lower()), min(link_chars, len(text)),
                                    flags, element, container, sig,
                                    heading=bool(flags & F_HEADING)))
            parts.clear()
        link_chars = 0

    def add(text: str) -> None:
        nonlocal link_chars
        parts.append(text)
        if link_depth:
            link_chars += len(" ".join(text.split()))

    # (element, True) opens it, (element, False) closes it; children are pushed in reverse.
    # The work list holds each element's proxy from its opening to its closing, so lxml
    # makes one proxy an element.
    work: list[tuple[Any, bool]] = [(tree, True)]
    pop, push, extend = work.pop, work.append, work.extend
    while work:
        el, opening = pop()
        tag = el.tag
        if not isinstance(tag, str):  # a comment or processing instruction: its tail counts
            if el.tail:
                add(el.tail)
            continue
        if opening:
            if tag in SKIP_TAGS:
                if el.tail:
                    add(el.tail)
                continue
            number += 1
            cls = el.get("class") or ""
            ident = el.get("id")
            own = _own_flags(tag, f"{cls} {ident}" if ident else cls)
            top = stack[-1]
            flags = top[0] | own
            if own & _CLEAR_NEAR:  # a positive container nearer than any negative one
                flags &= ~(F_NEAR_NEGATIVE | _CLEAR_NEAR)
            if tag in BLOCK_TAGS:
                flush()
                if tag == "p":
                    flags |= F_PARAGRAPH
                stack.append((flags, number, True, f"{top[4]}.{top[5]}" if top[4] else "",
                              tag, cls))
                block_at.append(len(stack) - 1)
            else:
                stack.append((flags, number, False, "", tag, cls))
            if tag == "a":
                link_depth += 1
            if el.text:
                add(el.text)
            push((el, False))
            if len(el):
                extend([(child, True) for child in reversed(el)])
        else:
            if stack[-1][2]:
                flush()
                block_at.pop()
            stack.pop()
            if tag == "a":
                link_depth -= 1
            if el.tail:
                add(el.tail)
    flush()
    return blocks


def _contended(index: TextIndex, matched: Iterable[Sequence[str]]) -> set[Any]:
    """The trigrams and lines that the blocks that matched ask for more often than the text
    holds them: only for blocks holding one does the order of taking matter."""
    want: Counter[Any] = Counter()
    for words in matched:
        if len(words) < 3:
            want[" ".join(words)] += 1
        else:
            want.update(zip(words, words[1:], words[2:], strict=False))
    return {key for key, count in want.items()
            if count > (index.lines.get(key, 0) if isinstance(key, str)
                        else index.trigrams.get(key, 0))}


class TextIndex:
    """An extractor's text as the alignment reads it: its word trigrams and its lines' words,
    each with how many times the text holds it, spent as blocks take them: a paragraph the
    page repeats is covered as many times as the text repeats it, the first ones first."""

    __slots__ = ("trigrams", "lines", "words")

    def __init__(self, text: str) -> None:
        lines = [_WORD.findall(line.lower()) for line in text.splitlines()]
        words = [w for line in lines for w in line]
        self.words = len(words)
        self.trigrams = Counter(zip(words, words[1:], words[2:], strict=False))
        self.lines = Counter(" ".join(line) for line in lines if line)

    def take(self, words: Sequence[str], before: Sequence[str] = (), after: Sequence[str] = (),
             spend: bool = True) -> float:
        """The share of a block's words this text holds, by trigrams, spending what it matched
        unless told not to. A block of one or two words (a table cell, a date, a menu item)
        counts whole as a line of the text; else, read with the words of the blocks around
        it (``before``, ``after``), it counts SHORT_IN_CONTEXT when a trigram that holds one
        of its words is in the text (a cell in a table row the text kept); else 0.

        >>> index = TextIndex("Officials said the talks would resume.\\nSport\\n| 22 | 20 |")
        >>> index.take("the talks would resume".split()), index.take(["sport"])
        (1.0, 1.0)
        >>> index.take("the talks would resume".split()), index.take(["sport"])
        (0.0, 0.0)
        >>> index.take(["20"], before=["sport", "22"]), index.take(["talks"], after=["today"])
        (0.75, 0.0)
        """
        n = len(words)
        if n == 0:
            return 0.0
        grams = self.trigrams
        if n < 3:
            key = " ".join(words)
            if self.lines.get(key, 0) > 0:
                if spend:
                    self.lines[key] -= 1
                return 1.0
            around = [*before[-2:], *words, *after[:2]]
            first, last = len(before[-2:]), len(before[-2:]) + n  # the block's words: [first, last)
            for i in range(max(0, first - 2), min(last, len(around) - 2)):
                if grams.get((around[i], around[i + 1], around[i + 2]), 0) > 0:
                    return SHORT_IN_CONTEXT
            return 0.0
        hits = 0
        for i in range(n - 2):
            gram = (words[i], words[i + 1], words[i + 2])
            if grams.get(gram, 0) > 0:
                if spend:
                    grams[gram] -= 1
                hits += 1
        return hits / (n - 2)


#: The coverage of a block of one or two words that the text holds inside a line, with the
#: words around it on the page: a table cell of a row the text kept.
SHORT_IN_CONTEXT = 0.75
#: Blocks either side of one that make its neighbourhood, for the alignment's order.
ALIGN_WINDOW = 2


def align(blocks: Sequence[Block], text: str) -> list[float]:
    """Each block's coverage by an extractor's text. A paragraph the page holds twice (a
    headline in a teaser and above the article) is given to the occurrence that, with its
    neighbourhood, the text covers best: blocks take what they match in that order (their own
    coverage plus their neighbourhood's), page order breaking ties.

    >>> from lxml import html
    >>> page = html.fromstring("<div><p>Teaser: Storm hits the coast</p><p>Storm hits the "
    ...     "coast</p><p>Winds of 100 km/h were measured overnight.</p></div>")
    >>> align(segment(page), "Storm hits the coast\\nWinds of 100 km/h were measured overnight.")
    [0.0, 1.0, 1.0]
    """
    index = TextIndex(text)
    n = len(blocks)
    words = [b.words for b in blocks]

    def around(i: int) -> tuple[Sequence[str], Sequence[str]]:
        # Two words either side, from as many neighbouring blocks as it takes.
        before: list[str] = []
        j = i - 1
        while j >= 0 and len(before) < 2:
            before[:0] = words[j][-2:]
            j -= 1
        after: list[str] = []
        j = i + 1
        while j < n and len(after) < 2:
            after += words[j][:2]
            j += 1
        return before[-2:], after[:2]

    first = [index.take(words[i], *around(i), spend=False) for i in range(n)]
    contended = _contended(index, (words[i] for i in range(n) if first[i]))
    if not contended:
        return first  # no word trigram or line is wanted more often than the text holds it

    def contends(w: list[str]) -> bool:
        if len(w) < 3:
            return " ".join(w) in contended
        return any(g in contended for g in zip(w, w[1:], w[2:], strict=False))

    # Only blocks that hold a contended trigram or line can come out differently: the
    # others keep their first reading, and what they take is never short.
    disputed = [i for i in range(n) if first[i] and contends(words[i])]
    weights = [len(w) for w in words]
    support = {}
    for i in disputed:
        lo, hi = max(0, i - ALIGN_WINDOW), min(n, i + ALIGN_WINDOW + 1)
        w = sum(weights[lo:hi])
        support[i] = sum(first[j] * weights[j] for j in range(lo, hi)) / w if w else 0.0
    out = list(first)
    for i in sorted(disputed, key=lambda i: (-first[i] - support[i], i)):
        out[i] = index.take(words[i], *around(i))
    return out


def justext_classes(blocks: list[Block], stoplist: frozenset[str]) -> None:
    """justext's classification of the blocks with its default settings: context-free by
    length, link density and stopword density (justext's ``classify_paragraphs``, here with
    each block's density counted once), then revised by the neighbours (justext's own
    ``revise_paragraph_classification``); sets each block's ``cf_class`` and ``class_type``."""
    from justext.core import revise_paragraph_classification

    for block in blocks:
        block.heading = block.is_heading
        length = len(block.text)
        density = block.stopwords_density(stoplist)
        if block.links_density() > 0.2 or "\xa9" in block.text or "&copy" in block.text:
            block.cf_class = "bad"
        elif length < 70:
            block.cf_class = "bad" if block.link_chars > 0 else "short"
        elif density >= 0.32:
            block.cf_class = "good" if length > 200 else "neargood"
        elif density >= 0.30:
            block.cf_class = "neargood"
        else:
            block.cf_class = "bad"
    revise_paragraph_classification(blocks, 200)


# --- the page's language ---------------------------------------------------------------

#: What a page with no stoplist of its language is read with: every stoplist at once
#: (trafilatura does the same), so that justext's stopword density still means something.
ALL_LANGUAGES = "*"


def html_language(tree: Any) -> str:
    """The ISO 639-1 code of the page's ``<html lang>`` (or ``xml:lang``), lower case; ""
    when it declares none.

    >>> from lxml import html
    >>> html_language(html.fromstring('<html lang="de-AT"><body><p>x</p></body></html>'))
    'de'
    """
    root = tree.getroottree().getroot() if hasattr(tree, "getroottree") else tree
    value = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang") or ""
    code = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    return code if re.fullmatch(r"[a-z]{2,3}", code) else ""


def stoplist_name(code: str) -> str:
    """justext's stoplist for an ISO 639-1 code: its name, ``ALL_LANGUAGES`` for a language
    it has none for, "" for no code. The one place the page's language meets justext: a
    detector of the text's language plugs in by handing its code here.

    >>> stoplist_name("de"), stoplist_name("ja"), stoplist_name("")
    ('German', '*', '')
    """
    if not code:
        return ""
    from .language import stoplist_name as named

    return named(code) or ALL_LANGUAGES


@cache
def stoplist(name: str) -> frozenset[str]:
    """justext's stoplist by name (``ALL_LANGUAGES``: all of them), lower case."""
    if name == ALL_LANGUAGES:
        import justext

        return frozenset(w for lang in sorted(justext.get_stoplists()) for w in stopwords(lang))
    return stopwords(name)


# --- features ---------------------------------------------------------------------------

#: The extractors whose texts are aligned to the blocks, in feature order; justext is the
#: third voice, read off the blocks themselves.
EXTRACTORS = ("trafilatura", "readability")
VOICES = (*EXTRACTORS, "justext")
#: Blocks either side of one whose coverage makes its context.
CONTEXT_WINDOW = 3
#: A page is taken for a script written without spaces when more than this share of its
#: word characters are kana or CJK ideographs.
SPACELESS_SHARE = 0.3
_SPACELESS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
#: An extractor that kept under this share of the page's words is taken to have missed.
LOW_SHARE = 0.1
_MARKUP = (("link", F_LINK), ("heading", F_HEADING), ("list", F_LIST), ("table", F_TABLE),
           ("nav", F_NAV), ("footer", F_FOOTER), ("aside", F_ASIDE), ("form", F_FORM),
           ("figure", F_FIGURE), ("quote", F_QUOTE), ("negative", F_NEGATIVE),
           ("positive", F_POSITIVE), ("article", F_ARTICLE), ("paragraph", F_PARAGRAPH),
           ("comment", F_COMMENT), ("near_negative", F_NEAR_NEGATIVE))
_JUSTEXT_CLASSES = ("good", "neargood", "short", "bad")
_END_OF_SENTENCE = re.compile(r"[.!?。！？\"”»]\s*$")


def _feature_names() -> tuple[str, ...]:
    names: list[str] = []
    for e in VOICES:
        names += [f"{e}", f"{e}_context", f"{e}_container", f"{e}_signature", f"{e}_span",
                  f"{e}_page"]
    names += ["voices", "agreement", "log_ratio", "log_words", "short", "link_density",
              "stopword_density"]
    names += [f"markup_{name}" for name, _ in _MARKUP]
    names += [f"justext_cf_{c}" for c in _JUSTEXT_CLASSES]
    names += ["repeat", "sentence_end", "position", "log_page_words",
              "trafilatura_but_missed", "in_trafilatura_span_not_kept"]
    for e in VOICES[1:]:
        names += [f"{e}_not_trafilatura", f"{e}_not_trafilatura_missed",
                  f"{e}_not_trafilatura_container"]
    names += ["comment_not_trafilatura", "near_negative_not_trafilatura",
              "near_negative_trafilatura", "spaceless", "spaceless_trafilatura"]
    return tuple(names)


#: Every feature, in the order of a model's weights.
FEATURES = _feature_names()


def _shares(keys: Sequence[Any], values: Sequence[float], weights: Sequence[int]) -> list[float]:
    """For each block, the word-weighted mean of ``values`` over the other blocks with the
    same key (0.5 when it is alone)."""
    num: dict[Any, float] = {}
    den: dict[Any, int] = {}
    for k, v, w in zip(keys, values, weights, strict=True):
        num[k] = num.get(k, 0.0) + v * w
        den[k] = den.get(k, 0) + w
    out = []
    for k, v, w in zip(keys, values, weights, strict=True):
        rest = den[k] - w
        out.append((num[k] - v * w) / rest if rest > 0 else 0.5)
    return out


def features(blocks: Sequence[Block], coverage: dict[str, list[float]],
             stop: frozenset[str]) -> list[list[float]]:
    """Each block's features, in FEATURES order. ``coverage`` holds each extractor's
    coverage of the blocks; justext's is read off the blocks' classes."""
    n = len(blocks)
    if not n:
        return []
    weights = [len(b.words) for b in blocks]
    total = sum(weights) or 1
    cov = {e: coverage[e] for e in EXTRACTORS}
    cov["justext"] = [1.0 if b.class_type == "good" else 0.0 for b in blocks]
    cum_w = [0]
    for w in weights:
        cum_w.append(cum_w[-1] + w)
    containers = [b.container for b in blocks]
    signatures = [b.signature for b in blocks]
    columns: list[list[float]] = []
    kept_share: dict[str, float] = {}
    kept: dict[str, list[bool]] = {}
    span: dict[str, list[float]] = {}
    container: dict[str, list[float]] = {}
    for e in VOICES:
        c = cov[e]
        k = [x >= 0.5 for x in c]
        kept[e] = k
        kept_share[e] = sum(w for w, x in zip(weights, k, strict=True) if x) / total
        cw = [x * w for x, w in zip(c, weights, strict=True)]
        cum = [0.0]
        for x in cw:
            cum.append(cum[-1] + x)
        context = []
        for i in range(n):
            lo, hi = max(0, i - CONTEXT_WINDOW), min(n, i + CONTEXT_WINDOW + 1)
            den = cum_w[hi] - cum_w[lo] - weights[i]
            context.append((cum[hi] - cum[lo] - cw[i]) / den if den > 0 else 0.0)
        idx = [i for i in range(n) if k[i]]
        lo, hi = (idx[0], idx[-1]) if idx else (n, -1)
        span[e] = [1.0 if lo <= i <= hi else 0.0 for i in range(n)]
        container[e] = _shares(containers, c, weights)
        columns += [c, context, container[e], _shares(signatures, c, weights), span[e],
                    [kept_share[e]] * n]
    voices = [float(sum(kept[e][i] for e in VOICES)) for i in range(n)]
    a, b = kept["trafilatura"], kept["readability"]
    both = sum(w for w, x, y in zip(weights, a, b, strict=True) if x and y)
    either = sum(w for w, x, y in zip(weights, a, b, strict=True) if x or y)
    agreement = both / either if either else 1.0
    ratio = math.log((kept_share["trafilatura"] + 0.01) / (kept_share["readability"] + 0.01))
    columns += [voices, [agreement] * n, [ratio] * n,
                [math.log1p(w) for w in weights], [1.0 if w < 3 else 0.0 for w in weights],
                [min(bl.links_density(), 1.0) for bl in blocks],
                [bl.stopwords_density(stop) for bl in blocks]]
    for _, bit in _MARKUP:
        columns.append([1.0 if bl.flags & bit else 0.0 for bl in blocks])
    for cls in _JUSTEXT_CLASSES:
        columns.append([1.0 if bl.cf_class == cls else 0.0 for bl in blocks])
    seen: set[str] = set()
    repeat = []
    for bl in blocks:
        repeat.append(1.0 if bl.text in seen else 0.0)
        seen.add(bl.text)
    t = cov["trafilatura"]
    missed = 1.0 if kept_share["trafilatura"] < LOW_SHARE else 0.0
    columns += [repeat, [1.0 if _END_OF_SENTENCE.search(bl.text) else 0.0 for bl in blocks],
                [i / max(n - 1, 1) for i in range(n)], [math.log1p(total)] * n,
                [x * missed for x in t],
                [(1 - x) * s for x, s in zip(t, span["trafilatura"], strict=True)]]
    for e in VOICES[1:]:
        other = [x * (1 - y) for x, y in zip(cov[e], t, strict=True)]
        columns += [other, [x * missed for x in other],
                    [x * s for x, s in zip(other, container["trafilatura"], strict=True)]]
    not_t = [1 - x for x in t]
    columns += [[y if bl.flags & F_COMMENT else 0.0 for bl, y in zip(blocks, not_t, strict=True)],
                [y if bl.flags & F_NEAR_NEGATIVE else 0.0
                 for bl, y in zip(blocks, not_t, strict=True)],
                [x if bl.flags & F_NEAR_NEGATIVE else 0.0 for bl, x in zip(blocks, t, strict=True)]]
    # A script written without spaces (Japanese, Chinese): its \w+ words are whole clauses,
    # the alignment and justext's stopwords see little, and trafilatura is to be trusted more.
    chars = sum(len(w) for bl in blocks for w in bl.words)
    written = sum(len(_SPACELESS.findall(bl.text)) for bl in blocks)
    spaceless = 1.0 if written > SPACELESS_SHARE * chars else 0.0
    columns += [[spaceless] * n, [x * spaceless for x in t]]
    return [list(row) for row in zip(*columns, strict=True)]


# --- the model --------------------------------------------------------------------------

#: The shipped model, beside this module.
MODEL_FILE = "extraction_model.json"
MODEL_FORMAT = "cleaner-extraction-model/1"


class ModelError(CleanerError, ValueError):
    """An extraction model file that cannot be used (not JSON, another format, features that
    are not the ones this code computes, a number that is not finite)."""


@dataclass(frozen=True)
class Model:
    """A logistic regression over FEATURES: each feature is standardised (``mean``,
    ``scale``), weighted, summed with ``bias``; a block is kept when the probability reaches
    ``threshold``."""

    weights: tuple[float, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    bias: float
    threshold: float
    about: dict[str, Any] = field(default_factory=dict, compare=False)

    def probabilities(self, rows: Iterable[Sequence[float]]) -> list[float]:
        coef, bias = self._folded
        out = []
        for row in rows:
            if len(row) != len(coef):
                raise ValueError(f"a row of {len(row)} features for {len(coef)} weights")
            z = bias + sum(map(operator.mul, coef, row))
            out.append(1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0)
        return out

    @property
    def _folded(self) -> tuple[list[float], float]:
        """The standardisation folded into the weights: one dot product a block."""
        folded = self.__dict__.get("_folded_cache")
        if folded is None:
            coef = [w / s for w, s in zip(self.weights, self.scales, strict=True)]
            bias = self.bias - sum(c * m for c, m in zip(coef, self.means, strict=True))
            folded = (coef, bias)
            object.__setattr__(self, "_folded_cache", folded)
        return folded

    def to_json(self) -> dict[str, Any]:
        return {"format": MODEL_FORMAT, "about": self.about, "bias": self.bias,
                "threshold": self.threshold,
                "features": [{"name": name, "weight": w, "mean": m, "scale": s}
                             for name, w, m, s in zip(FEATURES, self.weights, self.means,
                                                      self.scales, strict=True)]}


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ModelError(f"{what} must be a finite number, got {value!r}")
    return float(value)


def parse_model(data: Any, source: str = "model") -> Model:
    """A Model from its JSON form, checked: the format, every feature of FEATURES in order
    and nothing else, finite numbers, positive scales, a threshold strictly between 0 and 1.

    >>> parse_model({"format": "other"})
    Traceback (most recent call last):
    ...
    cleaner.ensemble.ModelError: model: format must be 'cleaner-extraction-model/1', got 'other'
    """
    def fail(message: str) -> ModelError:
        return ModelError(f"{source}: {message}")

    if not isinstance(data, dict):
        raise fail(f"a JSON object is expected, got {type(data).__name__}")
    if data.get("format") != MODEL_FORMAT:
        raise fail(f"format must be {MODEL_FORMAT!r}, got {data.get('format')!r}")
    rows = data.get("features")
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise fail("features must be a list of objects")
    names = [r.get("name") for r in rows]
    if names != list(FEATURES):
        missing = [f for f in FEATURES if f not in names]
        extra = [f for f in names if f not in FEATURES]
        raise fail("features do not match the ones this version computes "
                   f"(missing: {missing or 'none'}; unknown: {extra or 'none'}; "
                   "or out of order): refit with bench/fit_extraction.py")
    try:
        weights = tuple(_number(r.get("weight"), f"weight of {r['name']}") for r in rows)
        means = tuple(_number(r.get("mean"), f"mean of {r['name']}") for r in rows)
        scales = tuple(_number(r.get("scale"), f"scale of {r['name']}") for r in rows)
        bias = _number(data.get("bias"), "bias")
        threshold = _number(data.get("threshold"), "threshold")
    except ModelError as exc:
        raise fail(str(exc)) from None
    if any(s <= 0 for s in scales):
        raise fail("every scale must be positive")
    if not 0 < threshold < 1:
        raise fail(f"threshold must be between 0 and 1, got {threshold}")
    about = data.get("about") if isinstance(data.get("about"), dict) else {}
    return Model(weights, means, scales, bias, threshold, about)


def load_model(path: str | None = None) -> Model:
    """The model in ``path``, or the shipped one; a file that is not a usable model raises
    ModelError naming the file and what is wrong."""
    if path is None:
        return shipped_model()
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as exc:
        raise ModelError(f"{path}: cannot be read: {exc}") from None
    except ValueError as exc:
        raise ModelError(f"{path}: not JSON: {exc}") from None
    return parse_model(data, str(path))


@cache
def shipped_model() -> Model:
    """The model shipped with the package (read and checked once a process)."""
    try:
        text = resources.files("cleaner").joinpath(MODEL_FILE).read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, ValueError) as exc:
        raise ModelError(f"{MODEL_FILE} (shipped): cannot be read: {exc}") from None
    return parse_model(data, f"{MODEL_FILE} (shipped)")


# --- one page ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ExtractedBlock:
    """A paragraph of the page as extraction saw it: its text, whether it went into the
    extracted text, the extractors that kept it (coverage of half or more; justext: its
    class "good"), and the model's probability that it is the article's."""

    text: str
    kept: bool
    extractors: tuple[str, ...]
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "kept": self.kept, "extractors": list(self.extractors),
                "score": round(self.score, 4)}


class Evidence:
    """What the extractors said about one page: its blocks, each extractor's coverage of
    them, their features. Built by :func:`gather`."""

    __slots__ = ("blocks", "coverage", "rows", "stoplist", "texts")

    def __init__(self, blocks: list[Block], coverage: dict[str, list[float]],
                 rows: list[list[float]], stoplist: str, texts: dict[str, str]) -> None:
        self.blocks = blocks
        self.coverage = coverage
        self.rows = rows
        self.stoplist = stoplist
        self.texts = texts


def readability_text(tree: Any) -> str:
    """The readability algorithm's text (trafilatura's port of readability-lxml, which reads a
    parsed tree) of a copy of the tree (it changes the tree it reads)."""
    from copy import deepcopy

    from lxml import html as lxml_html
    from trafilatura.readability_lxml import Document

    summary = Document(deepcopy(tree), min_text_length=25).summary()
    if not summary:
        return ""
    # A line break at each block element, so that words of two paragraphs never join.
    summary = _BLOCK_OPEN.sub(r"\n\g<0>", summary)
    return lxml_html.fromstring(summary).text_content()


_BLOCK_OPEN = re.compile(r"</?(?:p|div|h[1-6]|li|br|tr|td|th|table|ul|ol|dl|dt|dd|blockquote|"
                         r"pre|section|article|figure|figcaption|header|footer)\b", re.IGNORECASE)


def gather(tree: Any, trafilatura_text: str, stoplist_name_: str) -> Evidence:
    """The evidence for one page: ``tree`` as cleaner's HTML path parses and prunes it,
    trafilatura's text of it, the justext stoplist's name for its language."""
    blocks = segment(tree)
    try:
        readability = readability_text(tree)
    except Exception:  # noqa: BLE001 - readability gives up on some pages: no vote
        readability = ""
    texts = {"trafilatura": trafilatura_text, "readability": readability}
    stop = stoplist(stoplist_name_)
    justext_classes(blocks, stop)
    coverage = {e: align(blocks, texts[e]) for e in EXTRACTORS}
    return Evidence(blocks, coverage, features(blocks, coverage, stop), stoplist_name_, texts)


def decide(evidence: Evidence, model: Model) -> tuple[str, tuple[ExtractedBlock, ...]]:
    """The extracted text (kept blocks in page order, a line each) and the block report."""
    probs = model.probabilities(evidence.rows)
    report = []
    lines = []
    for i, (block, p) in enumerate(zip(evidence.blocks, probs, strict=True)):
        voters = tuple(e for e in EXTRACTORS if evidence.coverage[e][i] >= 0.5)
        if block.class_type == "good":
            voters += ("justext",)
        keep = p >= model.threshold
        report.append(ExtractedBlock(block.text, keep, voters, p))
        if keep:
            lines.append(block.text)
    return "\n".join(lines), tuple(report)
