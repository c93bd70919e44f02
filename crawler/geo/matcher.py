"""Find Deir ez-Zor places in an article and decide, with evidence, which mentions count.

Pipeline per field (title, lead, text):

1. ``normalize`` (crawler.text.normalize) - keeps a map to original offsets.
2. One Aho-Corasick pass (pyahocorasick) over the normalised text finds gazetteer names,
   blocker phrases, negative-context words and Euphrates/Jazira/tribe context terms.
   Each name is indexed as its normalised form, its no-space form (ديرالزور) and, for
   names with the article ال, the contracted form after ل (للميادين = ل + لميادين).
3. Boundaries: after a hit the next character must not be a letter/digit; before it,
   either a non-letter or one of the attached prefixes و ف ب ل ك وب ول فب فل وك فك
   (contracted forms only after ل ول فل). Latin names take no prefix.
   Overlapping name hits: the longest wins (ريف دير الزور الشرقي over دير الزور).
4. Disambiguation by rule (see crawler.geo.gazetteer): blocker > negative context >
   evidence (type word / anchor) - every candidate records accepted + evidence.

Relevance score (documented formula)::

    score = sum over distinct accepted places p (level != region) of
              W[best field of p] + 0.25 * min(mentions(p) - 1, 4)
    W = {"title": 3.0, "lead": 2.0, "text": 1.0}

so one body mention scores 1.0, a title mention 3.0, and each further distinct place adds
its own weight (more distinct places > one place mentioned many times).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

import ahocorasick

from crawler.text.normalize import Normalized, normalize, normalize_text

from . import context as ctx
from .gazetteer import Gazetteer, NameRule, Place, default_gazetteer

FIELDS = ("title", "lead", "text")
FIELD_WEIGHT = {"title": 3.0, "lead": 2.0, "text": 1.0}
MENTION_BONUS = 0.25
MAX_BONUS_MENTIONS = 4

PREFIXES = frozenset({"", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك", "فك"})
CONTRACT_PREFIXES = frozenset({"ل", "ول", "فل"})
_LEVEL_PRIORITY = {"governorate": 0, "town": 1, "village": 2, "neighbourhood": 3, "landmark": 4,
                   "subdistrict": 5, "district": 6, "region": 7}


@dataclass(slots=True)
class PlaceMatch:
    place: Place
    field: str
    span: tuple[int, int]          # on the ORIGINAL field text
    matched: str                   # original text of the span
    accepted: bool
    evidence: list[str]
    rule: str = "strong"

    @property
    def pcode(self) -> str:
        return self.place.pcode

    def to_dict(self, *, details: bool = False) -> dict:
        d = {"name_ar": self.place.name_ar, "name_en": self.place.name_en,
             "level": self.place.level, "pcode": self.place.pcode,
             "span": [self.span[0], self.span[1]], "field": self.field, "matched": self.matched}
        if details:
            d.update(accepted=self.accepted, evidence=list(self.evidence), rule=self.rule)
        return d


@dataclass(slots=True)
class MatchResult:
    places: list[PlaceMatch]                      # accepted mentions, reading order
    score: float
    _raw: list = field(default_factory=list, repr=False)
    _all: list[PlaceMatch] | None = field(default=None, repr=False)

    @property
    def candidates(self) -> list[PlaceMatch]:
        """Every candidate (accepted or not) with its evidence; built on first use."""
        if self._all is None:
            # reuse the accepted PlaceMatch objects, build the others now
            done = {(m.field, m.pcode, m.span[0]): m for m in self.places}
            out = []
            for c in self._raw:
                m = _to_match(c)
                out.append(done.get((m.field, m.pcode, m.span[0]), m))
            self._all = out
        return self._all

    @property
    def pcodes(self) -> list[str]:
        return list(dict.fromkeys(m.pcode for m in self.places))

    def distinct(self) -> list[PlaceMatch]:
        """First accepted mention of each place."""
        seen, out = set(), []
        for m in self.places:
            if m.pcode not in seen:
                seen.add(m.pcode)
                out.append(m)
        return out

    def to_dict(self, *, all_candidates: bool = False) -> dict:
        d = {"places": [m.to_dict() for m in self.places], "score": self.score}
        if all_candidates:
            d["candidates"] = [m.to_dict(details=True) for m in self.candidates]
        return d


_FIELD_ORDER = {f: i for i, f in enumerate(FIELDS)}


def _to_match(c) -> PlaceMatch:
    s, e = c.norm.span(c.start, c.end)
    return PlaceMatch(c.place, c.field, (s, e), c.norm.original[s:e], c.accepted, c.evidence,
                      c.rule.rule)


def score_matches(matches: Iterable[PlaceMatch], keep: set[str] | None = None) -> float:
    """The documented score over accepted mentions (optionally only pcodes in *keep*)."""
    best: dict[str, float] = {}
    count: dict[str, int] = {}
    for m in matches:
        if not m.accepted or m.place.level == "region":
            continue
        if keep is not None and m.pcode not in keep:
            continue
        w = FIELD_WEIGHT.get(m.field, 1.0)
        best[m.pcode] = max(best.get(m.pcode, 0.0), w)
        count[m.pcode] = count.get(m.pcode, 0) + 1
    s = sum(best[p] + MENTION_BONUS * min(count[p] - 1, MAX_BONUS_MENTIONS) for p in best)
    return float(round(s, 3))


# automaton payload kinds
_NAME, _BLOCK, _NEG, _REGION, _ANA = 0, 1, 2, 3, 4


@dataclass(slots=True)
class _Cand:
    start: int          # normalised offsets of the name (without prefix)
    end: int
    ws: int             # start of the word incl. prefix
    place: Place
    rule: NameRule
    key: str
    field: str
    norm: Normalized
    accepted: bool = False
    evidence: list = None  # type: ignore[assignment]
    typed: str | None = None   # type word before the name (or starting it); lazy
    prev: "_Cand | None" = None
    prep: str = ""       # preposition before an article-less Arabic name
    qualified: bool = False  # the matched name itself starts with a type word


# the word before a position: letters/digits, then at most 4 non-word characters
_PREV_WORD_RE = re.compile(r"(?<![^\W_])([^\W_]+)[\W_]{0,4}$")


def _is_arabic(s: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in s)


class Matcher:
    """Gazetteer matcher; build once (``Matcher.default()``) and reuse - thread-safe reads."""

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer
        self._type_ar = {normalize_text(w) for w in ctx.TYPE_WORDS_AR}
        self._type_en = {normalize_text(w) for w in ctx.TYPE_WORDS_EN}
        self._prep = {normalize_text(w) for w in ctx.PREPOSITIONS_AR}
        self._prep_en = set(ctx.PREPOSITIONS_EN)
        self._build()

    # ------------------------------------------------------------------ build
    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> "Matcher":
        return cls(default_gazetteer())

    def _build(self) -> None:
        g = self.gazetteer
        # surface -> (place, rule); resolve collisions by level priority
        names: dict[str, tuple[Place, NameRule]] = {}
        for p in g.places.values():
            for raw in p.names:
                n = normalize_text(raw).strip()
                n = " ".join(n.split())
                if len(n.replace(" ", "")) < 3:
                    continue
                rule = g.rule_for(p.pcode, raw)
                if rule.rule == "skip":
                    continue
                old = names.get(n)
                if old is None or _LEVEL_PRIORITY[p.level] < _LEVEL_PRIORITY[old[0].level]:
                    names[n] = (p, rule)
        self.names = names
        table: dict[str, list] = {}

        def add(key: str, payload: tuple) -> None:
            table.setdefault(key, []).append(payload)

        for n, (p, rule) in names.items():
            variants = {n: False}
            if _is_arabic(n):
                if " " in n:
                    variants.setdefault(n.replace(" ", ""), False)
                if n.startswith("ال") and len(n) > 3:
                    # ل + ال contracts to لل: "للميادين" (key includes the preposition's ل)
                    variants.setdefault("لل" + n[2:], True)
                    if " " in n:
                        variants.setdefault("لل" + n[2:].replace(" ", ""), True)
            else:
                for v in (n.replace("-", " "), n.replace(" ", "-"), n.replace("'", "")):
                    variants.setdefault(" ".join(v.split()), False)
            ar = _is_arabic(n)
            first = n.split(" ", 1)[0]
            qual = first if " " in n and (first in self._type_ar or first in self._type_en) else ""
            for v, contracted in variants.items():
                add(v, (_NAME, p, rule, contracted, n, ar, qual))
        for phrase in ctx.BLOCKERS:
            n = normalize_text(phrase)
            add(n, (_BLOCK, n))
            if _is_arabic(n) and " " in n:
                add(n.replace(" ", ""), (_BLOCK, n))
        for group, words in ctx.NEGATIVE.items():
            for w in words:
                add(normalize_text(w), (_NEG, group, normalize_text(w)))
        for t in ctx.REGION_TERMS:
            add(normalize_text(t), (_REGION, normalize_text(t)))
        for t in ctx.ANAPHORA:
            add(normalize_text(t), (_ANA, normalize_text(t)))
        A = ahocorasick.Automaton()
        for k, v in table.items():
            A.add_word(k, (len(k), tuple(v)))
        A.make_automaton()
        self._A = A

    # ------------------------------------------------------------------ scan
    @staticmethod
    def _prefix_ok(text: str, start: int, contracted: bool, arabic: bool) -> int:
        """Start of the word (incl. attached prefix) or -1 if the hit is inside a word."""
        if start == 0 or not text[start - 1].isalnum():
            return -1 if contracted else start
        if not arabic:
            return -1
        ws = start
        while ws > 0 and text[ws - 1].isalnum() and start - ws <= 3:
            ws -= 1
        if ws > 0 and text[ws - 1].isalnum():
            return -1
        pre = text[ws:start]
        if contracted:
            return ws if pre in CONTRACT_PREFIXES else -1
        return ws if pre in PREFIXES else -1

    def _scan(self, norm: Normalized, fname: str):
        text = norm.text
        n = len(text)
        cands: list[_Cand] = []
        hits: list[tuple] = []
        blocks: list[tuple[int, int, str]] = []
        negs: dict[str, list[tuple[int, int, str]]] = {}
        regions: list[tuple[int, int, str]] = []
        prefix_ok = self._prefix_ok
        for end_i, (klen, payloads) in self._A.iter(text):
            end = end_i + 1
            if end < n and text[end].isalnum():
                continue
            start = end - klen
            bound = start == 0 or not text[start - 1].isalnum()
            for pl in payloads:
                kind = pl[0]
                if kind == _NAME:
                    contracted, arabic = pl[3], pl[5]
                    if bound:
                        ws = start
                    elif not arabic:
                        continue
                    elif contracted:
                        # only و or ف may precede لل...
                        if text[start - 1] not in "وف" or (start > 1 and text[start - 2].isalnum()):
                            continue
                        ws = start - 1
                    else:
                        ws = prefix_ok(text, start, False, True)
                        if ws < 0:
                            continue
                    # contracted: the name starts at the article's ل (after the preposition)
                    hits.append((start + 1 if contracted else start, end, ws, pl))
                else:
                    if not bound:
                        ws = prefix_ok(text, start, False, True)
                        if ws < 0:
                            continue
                    if kind == _BLOCK:
                        blocks.append((start, end, pl[1]))
                    elif kind == _NEG:
                        lst = negs.get(pl[1])
                        if lst is None:
                            negs[pl[1]] = [(start, end, pl[2])]
                        else:
                            lst.append((start, end, pl[2]))
                    elif kind == _REGION:
                        regions.append((start, end, pl[1]))
                    else:
                        regions.append((start, end, "\x00" + pl[1]))   # anaphora marker
        # overlapping names: keep the longest of each overlapping run
        if len(hits) > 1:
            hits.sort(key=lambda h: (h[0], h[0] - h[1]))
            kept = [hits[0]]
            for h in hits[1:]:
                k = kept[-1]
                if h[0] < k[1]:
                    if h[1] - h[0] > k[1] - k[0]:
                        kept[-1] = h
                else:
                    kept.append(h)
            hits = kept
        for start, end, ws, pl in hits:
            cd = _Cand(start, end, ws, pl[1], pl[2], pl[4], fname, norm)
            if pl[6]:
                cd.qualified = True
                cd.typed = pl[6]
            cands.append(cd)
        return cands, blocks, negs, regions

    # ------------------------------------------------------------------ decide
    def _typed(self, c: _Cand) -> str:
        if c.typed is None:
            c.typed = self._type_word(c.norm.text, c, c.prev)
        return c.typed

    def _type_word(self, text: str, c: _Cand, prev: _Cand | None) -> str:
        m = _PREV_WORD_RE.search(text, max(0, c.ws - 40), c.ws)
        if m is None:
            return ""
        w = m.group(1)
        j, i = m.start(1), m.end(1)
        if _is_arabic(w):
            for cut in (0, 1, 2):
                if len(w) - cut >= 2 and (cut == 0 or w[:cut] in PREFIXES) and w[cut:] in self._type_ar:
                    return w[cut:]
            if not c.key.startswith("ال") and c.ws == c.start and w in self._prep:
                c.prep = w
            # coordination: "بلدتي هجين والشعفة" - previous name had a type word
            pre = text[c.ws:c.start]
            if prev is not None and pre.startswith("و") and prev.end == i and self._typed(prev):
                return prev.typed
            return ""
        if w in self._type_en:
            return w
        if w in self._prep_en and c.ws == c.start:
            c.prep = w
        if w == "of":   # "the town of Hajin"
            i2 = j
            while i2 > 0 and not text[i2 - 1].isalnum():
                i2 -= 1
            j2 = i2
            while j2 > 0 and text[j2 - 1].isalnum():
                j2 -= 1
            if text[j2:i2] in self._type_en:
                return text[j2:i2]
        if prev is not None and w == "and" and prev.end <= j and self._typed(prev):
            return prev.typed
        return ""

    def match(self, title: str = "", lead: str = "", text: str = "",
              **_: object) -> MatchResult:
        fields = (("title", title or ""), ("lead", lead or ""), ("text", text or ""))
        allc: list[_Cand] = []
        per_field = {}
        for fname, value in fields:
            if not value:
                continue
            norm = normalize(value)
            cands, blocks, negs, regions = self._scan(norm, fname)
            per_field[fname] = (norm, blocks, negs, regions)
            prev = None
            for c in cands:
                c.evidence = []
                c.prev = prev
                prev = c
            allc.extend(cands)
        if not allc:
            return MatchResult([], 0.0)

        W, RW = ctx.NEG_WINDOW, ctx.REGION_WINDOW
        pending: list[_Cand] = []
        # pass 1: blockers, negatives, unambiguous names, type-word evidence
        for c in allc:
            norm, blocks, negs, regions = per_field[c.field]
            blk = blocks and next((b for b in blocks if b[0] <= c.start and c.end <= b[1]
                                   and (b[1] - b[0]) > (c.end - c.start)), None)
            if blk:
                c.evidence.append(f"blocked:{blk[2]}")
                continue
            r = c.rule.rule
            if r == "region":
                c.evidence.append("context-only")
                continue
            if negs and c.rule.negative and not (c.qualified and r in ("type", "anchor", "neg")):
                neg = None
                lo, hi = c.start - W, c.end + W
                for g in c.rule.negative:
                    for x in negs.get(g, ()):
                        if x[0] < hi and x[1] > lo and (x[1] <= c.start or x[0] >= c.end):
                            neg = x
                            break
                    if neg:
                        break
                if neg:
                    c.evidence.append(f"negative:{neg[2]}")
                    continue
            if r in ("strong", "neg"):
                c.accepted = True
                c.evidence.append("unambiguous")
            elif r in ("type", "anchor") and self._typed(c):
                c.accepted = True
                c.evidence.append(f"type-word:{c.typed}")
            elif r == "anchor" and c.prep:   # set by _typed() above
                c.accepted = True
                c.evidence.append(f"preposition:{c.prep}")
            else:
                pending.append(c)
        # pass 2: anchors = places accepted in pass 1 (any field) + nearby context
        anchors = [c for c in allc if c.accepted]
        for c in pending:
            r = c.rule.rule
            if r == "type":
                c.evidence.append("no-type-word")
                continue
            if r == "type_anchor" and not self._typed(c):
                c.evidence.append("no-type-word")
                continue
            a = next((x for x in anchors if x.place.pcode != c.place.pcode
                      and x.place.name_ar != c.place.name_ar), None)
            ev = ""
            if a is not None:
                ev = f"anchor:{a.place.pcode}"
            else:
                _, _, _, regions = per_field[c.field]
                rg = next((x for x in regions if x[0] < c.end + RW and x[1] > c.start - RW
                           and (x[1] <= c.start or x[0] >= c.end)
                           and (r == "anchor" or not x[2].startswith("\x00"))), None)
                if rg is None:   # region-level gazetteer names (الفرات, الشامية ...) nearby
                    rg2 = next((x for x in allc if x.field == c.field and x.rule.rule == "region"
                                and not any(e.startswith("blocked") for e in x.evidence) and x is not c
                                and x.start < c.end + RW and x.end > c.start - RW), None)
                    if rg2 is not None:
                        ev = f"context:{rg2.key}"
                elif rg[2].startswith("\x00"):
                    ev = f"anaphora:{rg[2][1:]}"
                else:
                    ev = f"context:{rg[2]}"
                if not ev and r == "anchor":
                    # two different homograph places of the governorate side by side
                    # ("في الجلاء والسيال") - mutual evidence
                    co = next((x for x in pending if x is not c and x.field == c.field
                               and x.rule.rule == "anchor" and x.place.name_ar != c.place.name_ar
                               and x.start < c.end + 30 and x.end > c.start - 30), None)
                    if co is not None:
                        ev = f"co-occurs:{co.place.pcode}"
            if ev:
                c.accepted = True
                if c.typed:
                    c.evidence.append(f"type-word:{c.typed}")
                c.evidence.append(ev)
            else:
                c.evidence.append("no-anchor")
        # pass 3: another mention of a place accepted elsewhere in the article counts too
        # (title "قصف على الميادين" + body "مدينة الميادين"); not for "type" names.
        accepted_codes = {c.place.pcode for c in allc if c.accepted}
        for c in pending:
            if (not c.accepted and c.rule.rule in ("anchor", "anchor_only")
                    and c.place.pcode in accepted_codes and c.evidence == ["no-anchor"]):
                c.accepted = True
                c.evidence = ["same-place"]
        allc.sort(key=lambda c: (_FIELD_ORDER[c.field], c.start))
        acc = [_to_match(c) for c in allc if c.accepted and c.place.level != "region"]
        return MatchResult(acc, score_matches(acc), allc)


def match(title: str = "", lead: str = "", text: str = "") -> MatchResult:
    return Matcher.default().match(title=title, lead=lead, text=text)
