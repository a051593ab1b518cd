"""A generated corpus of several news sites, for learning site furniture.

Each site wraps its articles in its own furniture (credit lines, navigation, banners, footers,
a disclaimer, dated lines whose digits change, a "most read" block whose headlines change
every week). The articles are what learning must never touch: prose paragraphs, Title Case
subheadings that recur across a site's articles mid-text, stock closing lines, short quotes,
a sentence that is a paragraph on some pages and part of one on others, and a syndicated
story published by every site, updated on several pages of one of them.

``corpus(pages_per_site)`` returns records and the ground truth: which lines are furniture.
Deterministic for a given seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

WORDS = {
    "subject": ["The ministry", "The central bank", "The city council", "The company",
                "The union", "The coalition", "The regulator", "The court", "The mayor",
                "The opposition", "Health officials", "The committee", "Investors",
                "Farmers", "The airline", "Local residents", "The university"],
    "verb": ["announced", "rejected", "postponed", "approved", "criticised", "reviewed",
             "defended", "questioned", "welcomed", "delayed", "expanded", "challenged"],
    "object": ["a new budget plan", "the proposed rail link", "the tax reform",
               "a ban on night flights", "the water tariff", "the housing scheme",
               "the wage agreement", "a review of school funding", "the port expansion",
               "new rules for rental flats", "the emergency fund", "the energy subsidy"],
    "when": ["on Monday", "on Tuesday", "late on Wednesday", "this week", "after a long debate",
             "before the summer recess", "at a news conference", "in a written statement"],
    "tail": ["citing rising costs", "after months of talks", "despite strong objections",
             "in a move that surprised analysts", "following a court ruling",
             "amid growing public pressure", "as the deadline approached"],
    "place": ["Izmir", "Ankara", "Lagos", "Porto", "Leeds", "Kraków", "Lyon", "Accra",
              "Valencia", "Gdańsk", "Bursa", "Kumasi"],
}
SUBHEADINGS = ["What Comes Next", "The Background", "Why It Matters", "A Divided City"]
CLOSERS = ["The investigation continues.", "Talks will resume next week.",
           "The vote is expected next month.", "No date has been set."]
QUOTES = ["\u201cNo,\u201d he said.", "\u201cWe will see,\u201d she said.",
          "\u201cIt is a good day for the city,\u201d the mayor said."]
#: Printed as its own paragraph on some pages and inside a paragraph on others.
FLOATING = "Officials did not respond to a request for comment."


@dataclass(frozen=True)
class Site:
    domain: str
    head: tuple[str, ...]
    tail: tuple[str, ...]
    #: Furniture whose digits change from page to page ({d}, {y}, {m}, {h}, {n}).
    dated_head: tuple[str, ...] = ()
    most_read: str = ""
    #: A long sentence on every page: furniture, but shaped like prose, so never learned
    #: (nor taken for part of the article when judging where lines sit).
    disclaimer: str = ""


SITES = (
    Site("duvarenglish.example",
         head=("Duvar English / Anadolu Agency",),
         tail=("Duvar English is an independent news site and needs your support to stay so.",
               "Become a member of Duvar English"),
         dated_head=("Posted {d} {m} {y} {h}:{n} GMT+3",),
         most_read="Most Read"),
    Site("gazette.example",
         head=("Home", "World", "Business", "Sport", "Opinion", "ANALYSIS | The Gazette Desk"),
         tail=("Tips? Write to the newsroom at tips@gazette.example",
               "Gazette Media Group, 1 Harbour Road, Leeds LS1 4AP",
               "Privacy Policy | Terms of Use | Contact Us"),
         most_read="Trending on The Gazette"),
    Site("dailyherald.example",
         head=("Daily Herald \u2013 Your city, every day",),
         tail=("The views expressed by contributors are their own.",
               "Download the Herald app for iOS and Android"),
         dated_head=("Edition {n}/{y} \u00b7 Page {h}",)),
    Site("cronica.example",
         head=("Crónica Digital \u00b7 Noticias",),
         tail=("Síguenos en Telegram para más noticias",),
         disclaimer=("Queda prohibida la reproducción total o parcial de los contenidos de "
                     "este sitio sin la autorización expresa de Crónica Digital."),
         dated_head=("Actualizado el {d}/{h}/{y} a las {h}:{n}",)),
    # Too few pages to learn anything from (see the test).
    Site("tiny.example", head=("Tiny Times",), tail=("Tiny Times, a small paper",)),
)
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


@dataclass
class Corpus:
    records: list[dict[str, str]] = field(default_factory=list)
    #: (site, line) of every furniture line printed.
    furniture: set[tuple[str, str]] = field(default_factory=set)
    #: (site, line) of every article line printed.
    article: set[tuple[str, str]] = field(default_factory=set)
    #: (site, line) of furniture shaped like prose, which learning leaves by design.
    prose_furniture: set[tuple[str, str]] = field(default_factory=set)


def _sentence(rng: random.Random) -> str:
    w = WORDS
    return (f"{rng.choice(w['subject'])} {rng.choice(w['verb'])} {rng.choice(w['object'])} "
            f"in {rng.choice(w['place'])} {rng.choice(w['when'])}, {rng.choice(w['tail'])}.")


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 4)))


def _headline(rng: random.Random) -> str:
    w = WORDS
    return (f"{rng.choice(w['subject'])} {rng.choice(w['verb'])} "
            f"{rng.choice(w['object'])} in {rng.choice(w['place'])}")


def _story(rng: random.Random) -> list[str]:
    """An article body: paragraphs, maybe a subheading, a floating sentence, a closer."""
    body = [_headline(rng)]
    paragraphs = [_paragraph(rng) for _ in range(rng.randint(3, 6))]
    if rng.random() < 0.5:
        paragraphs.insert(rng.randint(1, len(paragraphs) - 1), rng.choice(SUBHEADINGS))
    if rng.random() < 0.3:
        paragraphs.insert(rng.randint(1, len(paragraphs)), FLOATING)
    elif rng.random() < 0.3:
        k = rng.randrange(len(paragraphs))
        if paragraphs[k] not in SUBHEADINGS:
            paragraphs[k] += " " + FLOATING
    body += paragraphs
    r = rng.random()
    if r < 0.15:
        body.append(rng.choice(CLOSERS))
    elif r < 0.3:
        body.append(rng.choice(QUOTES))
    return body


def _syndicated(rng: random.Random) -> list[str]:
    """One agency story, with a subheading of its own and a short line."""
    return ["Quake Shakes Coastal Towns", _paragraph(rng), "Rescue Efforts Under Way",
            _paragraph(rng), _paragraph(rng), "Aftershocks were felt overnight.",
            _paragraph(rng)]


def corpus(pages_per_site: int = 60, seed: int = 7, tiny_pages: int = 5,
           updates: int = 6) -> Corpus:
    """Records ``{"id", "url", "text"}`` for every site; ``updates`` pages of the first site
    carry successive versions of the syndicated story, which every other site prints once."""
    rng = random.Random(seed)
    out = Corpus()
    story = _syndicated(rng)
    for site in SITES:
        n = tiny_pages if site.domain.startswith("tiny.") else pages_per_site
        weeks = [[_headline(rng) for _ in range(5)] for _ in range(max(1, n // 20 + 1))]
        for k in range(n):
            if k < updates and site is SITES[0]:
                body = list(story)
                # Each update rewrites one paragraph and adds one.
                body[1 + (k % 3) * 2 if k else 1] = _paragraph(rng) if k else body[1]
                body += [_paragraph(rng) for _ in range(k)]
            elif k == updates and site is not SITES[0]:
                body = list(story)
            else:
                body = _story(rng)
            head = list(site.head)
            for template in site.dated_head:
                head.append(template.format(
                    d=rng.randint(1, 28), m=rng.choice(MONTHS), y=rng.randint(2019, 2024),
                    h=rng.randint(1, 12), n=rng.randint(10, 59)))
            tail = list(site.tail)
            if site.most_read:
                tail = [site.most_read, *weeks[k // 20], *tail]
            lines = [body[0], *head, *body[1:], *tail]
            if site.disclaimer:
                lines.append(site.disclaimer)
                out.prose_furniture.add((site.domain, site.disclaimer))
            for line in head + tail:
                out.furniture.add((site.domain, line))
            for line in body:
                out.article.add((site.domain, line))
            out.records.append({"id": f"{site.domain}/{k}",
                                "url": f"https://www.{site.domain}/news/{k}.html",
                                "text": "\n\n".join(lines)})
    return out
