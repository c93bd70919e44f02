"""Watchlists: which articles alert which team.

Configured in rasad.toml::

    [watches.deir-ez-zor]
    description = "Deir ez-Zor governorate and everything in it"
    places = ["SY09"]     # p-codes or gazetteer names (any spelling); a place includes
                          # everything inside it (parent chain in the gazetteer)
    keywords = []         # optional keyword expressions (syntax below)
    min_score = 1.0
    enabled = true

A watch matches an article when
  - places is non-empty and the score of the accepted mentions of places inside the watch
    (formula in crawler.geo.matcher) is >= min_score, AND
  - keywords is empty, or at least one keyword expression is true.
A watch with no places is a pure keyword watch. A disabled watch never matches.
If the config has no watches at all, the built-in default ``deir-ez-zor`` is used.

Keyword expression syntax (evaluated on the normalised title + lead + text):
  - a word: هجوم, ISIS, داعش - matched as a whole word; Arabic words also match with the
    attached prefixes و ف ب ل ك (and combinations) and with or without the article ال
    (هجوم matches الهجوم, وبالهجوم, للهجوم); a trailing * matches any ending (هجوم*).
  - "a quoted phrase": consecutive words.
  - NOT x, x AND y, x OR y, parentheses. Operators are upper case. Adjacent terms without
    an operator are joined by AND. Precedence: NOT > AND > OR.
  Example: داعش AND (هجوم OR كمين) AND NOT "الرقة"
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from crawler.text.normalize import normalize_text

from .gazetteer import Gazetteer, default_gazetteer
from .matcher import MatchResult, score_matches

__all__ = ["Watch", "load_watches", "DEFAULT_WATCHES", "KeywordExpr", "parse_keywords"]

DEFAULT_WATCHES: dict[str, dict[str, Any]] = {
    "deir-ez-zor": {
        "description": "Deir ez-Zor governorate and everything in it",
        "places": ["SY09"],
        "keywords": [],
        "min_score": 1.0,
        "enabled": True,
    }
}
_KEYS = {"description", "places", "keywords", "min_score", "enabled"}

# --------------------------------------------------------------------------- keywords
_TOKEN_RE = re.compile(r'\s*(?:(\()|(\))|"([^"]*)"|([^\s()"]+))')
_AR_PREFIX = r"(?:[وف]?[بكل]?(?:ال)?|[وف]?لل)?"


def _term_regex(term: str) -> re.Pattern:
    words = normalize_text(term).split()
    if not words:
        raise ValueError("empty keyword term")
    star = words[-1].endswith("*") and len(words[-1]) > 1
    if star:
        words[-1] = words[-1][:-1]
    first = words[0]
    arabic = any("\u0600" <= c <= "\u06ff" for c in first)
    if arabic and first.startswith("ال") and len(first) > 3:
        first = first[2:]
    parts = [re.escape(first)] + [re.escape(w) for w in words[1:]]
    body = r"\s+".join(parts)
    pre = _AR_PREFIX if arabic else ""
    tail = "" if star else r"(?![^\W_])"
    return re.compile(r"(?<![^\W_])" + pre + body + tail)


class KeywordExpr:
    """A parsed keyword expression; ``expr(text_normalised) -> bool``."""

    def __init__(self, source: str, fn: Callable[[str], bool]):
        self.source = source
        self._fn = fn

    def __call__(self, normalised_text: str) -> bool:
        return self._fn(normalised_text)

    def __repr__(self) -> str:
        return f"KeywordExpr({self.source!r})"


def parse_keywords(source: str) -> KeywordExpr:
    toks: list[tuple[str, str]] = []
    pos = 0
    s = source.strip()
    while pos < len(s):
        m = _TOKEN_RE.match(s, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
        if m.group(1):
            toks.append(("(", "("))
        elif m.group(2):
            toks.append((")", ")"))
        elif m.group(3) is not None:
            toks.append(("TERM", m.group(3)))
        elif m.group(4) in ("AND", "OR", "NOT"):
            toks.append((m.group(4), m.group(4)))
        else:
            toks.append(("TERM", m.group(4)))
    if s[pos:].strip():
        raise ValueError(f"keyword expression {source!r}: cannot parse near {s[pos:]!r}")
    if not toks:
        raise ValueError("empty keyword expression")
    i = 0

    def peek() -> str | None:
        return toks[i][0] if i < len(toks) else None

    def take() -> tuple[str, str]:
        nonlocal i
        t = toks[i]
        i += 1
        return t

    def p_or():
        left = p_and()
        while peek() == "OR":
            take()
            right = p_and()
            left = (lambda a, b: lambda t: a(t) or b(t))(left, right)
        return left

    def p_and():
        left = p_not()
        while peek() in ("AND", "NOT", "TERM", "("):
            if peek() == "AND":
                take()
            right = p_not()
            left = (lambda a, b: lambda t: a(t) and b(t))(left, right)
        return left

    def p_not():
        if peek() == "NOT":
            take()
            inner = p_not()
            return lambda t: not inner(t)
        return p_atom()

    def p_atom():
        k = peek()
        if k is None:
            raise ValueError(f"keyword expression {source!r}: unexpected end")
        if k == "(":
            take()
            e = p_or()
            if peek() != ")":
                raise ValueError(f"keyword expression {source!r}: missing ')'")
            take()
            return e
        if k == "TERM":
            rx = _term_regex(take()[1])
            return lambda t: rx.search(t) is not None
        raise ValueError(f"keyword expression {source!r}: unexpected {toks[i][1]!r}")

    fn = p_or()
    if i != len(toks):
        raise ValueError(f"keyword expression {source!r}: unexpected {toks[i][1]!r}")
    return KeywordExpr(source, fn)


# --------------------------------------------------------------------------- watches
@dataclass
class Watch:
    name: str
    description: str = ""
    places: tuple[str, ...] = ()          # resolved p-codes
    keywords: tuple[str, ...] = ()
    min_score: float = 1.0
    enabled: bool = True
    scope: frozenset[str] = field(default_factory=frozenset)   # places + descendants
    _exprs: tuple[KeywordExpr, ...] = ()

    def score(self, res: MatchResult) -> float:
        """Score of the accepted mentions inside this watch's places."""
        return score_matches(res.places, set(self.scope))

    def keywords_match(self, title: str = "", lead: str = "", text: str = "") -> bool:
        if not self._exprs:
            return True
        t = normalize_text("\n".join(x for x in (title, lead, text) if x))
        return any(e(t) for e in self._exprs)

    def matches(self, res: MatchResult, title: str = "", lead: str = "", text: str = "") -> bool:
        if not self.enabled:
            return False
        if self.places and self.score(res) < self.min_score:
            return False
        if self._exprs:
            return self.keywords_match(title, lead, text)
        return bool(self.places)


def _build(name: str, table: Any, g: Gazetteer) -> Watch:
    if not isinstance(table, dict):
        raise ValueError(f"watch {name!r}: expected a table")
    unknown = set(table) - _KEYS
    if unknown:
        raise ValueError(f"watch {name!r}: unknown key(s) {', '.join(sorted(unknown))}")
    places = table.get("places", [])
    keywords = table.get("keywords", [])
    if isinstance(places, str):
        places = [places]
    if isinstance(keywords, str):
        keywords = [keywords]
    if not isinstance(places, list) or not all(isinstance(p, str) for p in places):
        raise ValueError(f"watch {name!r}: places must be a list of strings")
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        raise ValueError(f"watch {name!r}: keywords must be a list of strings")
    min_score = table.get("min_score", 1.0)
    if isinstance(min_score, bool) or not isinstance(min_score, (int, float)):
        raise ValueError(f"watch {name!r}: min_score must be a number")
    enabled = table.get("enabled", True)
    if not isinstance(enabled, bool):
        raise ValueError(f"watch {name!r}: enabled must be true or false")
    description = table.get("description", "")
    if not isinstance(description, str):
        raise ValueError(f"watch {name!r}: description must be a string")
    if not places and not keywords:
        raise ValueError(f"watch {name!r}: needs places or keywords")
    codes: list[str] = []
    for ref in places:
        hit = g.resolve(ref)
        if not hit:
            raise ValueError(f"watch {name!r}: unknown place {ref!r}")
        codes.extend(hit)
    codes = list(dict.fromkeys(codes))
    scope = {p for p in g.places if any(c in g.ancestors(p) for c in codes)}
    exprs = tuple(parse_keywords(k) for k in keywords)
    return Watch(name, description, tuple(codes), tuple(keywords), float(min_score), enabled,
                 frozenset(scope), exprs)


def load_watches(config: dict | None = None, gazetteer: Gazetteer | None = None) -> list[Watch]:
    """Watches from the ``[watches]`` table of rasad.toml (already parsed); the built-in
    default ``deir-ez-zor`` when *config* is None or empty. Raises ValueError on bad config."""
    g = gazetteer or default_gazetteer()
    if not config:
        config = DEFAULT_WATCHES
    if not isinstance(config, dict):
        raise ValueError("[watches] must be a table of tables")
    return [_build(str(name), table, g) for name, table in config.items()]
