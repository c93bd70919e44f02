"""Load the Deir ez-Zor gazetteer (data/places.csv) and the name rules (data/ambiguous.csv).

Rules (ambiguous.csv, column ``rule``) decide when a name found in text is accepted:

- ``strong``      unambiguous: accepted unless inside a blocker phrase (default rule).
- ``neg``         strong unless a word of its negative groups is near.
- ``type``        accepted only with a place-type word before it ("قرية الخريطة").
- ``anchor``      accepted with a type word before it OR a Deir ez-Zor anchor (another
                  accepted place of the governorate in the article, or Euphrates/Jazira/
                  Shamiya/tribe context near it); rejected if a negative word is near.
- ``anchor_only`` accepted only with an anchor (a type word does not help: "مدينة الجنينة"
                  is in Darfur); rejected if a negative word is near.
- ``type_anchor`` needs both a type word and an anchor (generic neighbourhood names).
- ``region``      context only (Euphrates, Jazira/Shamiya banks): reported, never scored.
- ``skip``        not indexed.

A row applies to one place (``pcode``) or to a surface form everywhere (``pcode`` = ``*``);
``name`` = ``*`` means every name of the place. Surface rows win over place rows.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from crawler.text.normalize import normalize_text

from .context import WORD_SENSE_GROUPS

DATA = Path(__file__).resolve().parent / "data"
LEVELS = ("governorate", "district", "subdistrict", "town", "village", "neighbourhood",
          "landmark", "region")
RULES = ("strong", "neg", "type", "anchor", "anchor_only", "type_anchor", "region", "skip")


@dataclass(frozen=True, slots=True)
class Place:
    pcode: str
    name_ar: str
    name_en: str
    level: str
    parent: str
    names: tuple[str, ...]
    lat: float | None = None
    lon: float | None = None
    source: str = ""


@dataclass(frozen=True, slots=True)
class NameRule:
    rule: str
    negative: tuple[str, ...] = ()   # negative group names (without "@")
    note: str = ""


@dataclass
class Gazetteer:
    places: dict[str, Place]
    place_rules: dict[str, NameRule] = field(default_factory=dict)      # pcode -> rule
    name_rules: dict[tuple[str, str], NameRule] = field(default_factory=dict)  # (pcode|*, norm) -> rule

    def rule_for(self, pcode: str, name: str) -> NameRule:
        n = normalize_text(name)
        r = self.name_rules.get((pcode, n)) or self.name_rules.get(("*", n))
        if r is not None:
            return r
        r = self.place_rules.get(pcode)
        if r is None:
            return NameRule("strong")
        if (r.rule == "anchor" and r.negative and not any("\u0600" <= c <= "\u06ff" for c in n)
                and all(g in WORD_SENSE_GROUPS for g in r.negative)):
            # "Hajin" has no "hybrid" sense in Latin script
            return NameRule("strong", (), "latin form of " + r.note)
        return r

    def ancestors(self, pcode: str) -> list[str]:
        """pcode, its parent, grandparent ... up to the governorate."""
        out = []
        seen = set()
        while pcode in self.places and pcode not in seen:
            seen.add(pcode)
            out.append(pcode)
            pcode = self.places[pcode].parent
        return out

    def descendants(self, pcode: str) -> set[str]:
        return {p for p in self.places if pcode in self.ancestors(p)}

    def resolve(self, ref: str) -> list[str]:
        """P-code or any name (any spelling) -> p-codes."""
        if ref in self.places:
            return [ref]
        n = normalize_text(ref).strip()
        hits = [p.pcode for p in self.places.values()
                if n in {normalize_text(x) for x in (p.name_ar, p.name_en, *p.names)}]
        return hits


def _f(x: str) -> float | None:
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def load_gazetteer(places_csv: Path | None = None, ambiguous_csv: Path | None = None) -> Gazetteer:
    places_csv = places_csv or DATA / "places.csv"
    ambiguous_csv = ambiguous_csv or DATA / "ambiguous.csv"
    places: dict[str, Place] = {}
    with places_csv.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            names = [r["name_ar"], r["name_en"], *[a for a in r["alt_names"].split("|") if a]]
            places[r["pcode"]] = Place(r["pcode"], r["name_ar"], r["name_en"], r["level"],
                                       r["parent"], tuple(dict.fromkeys(n.strip() for n in names if n.strip())),
                                       _f(r["lat"]), _f(r["lon"]), r["source"])
    g = Gazetteer(places)
    with ambiguous_csv.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rule = r["rule"].strip()
            if rule not in RULES:
                raise ValueError(f"ambiguous.csv: unknown rule {rule!r}")
            negs = tuple(x.strip().lstrip("@") for x in r["negative"].split("|") if x.strip())
            nr = NameRule(rule, negs, r.get("note", ""))
            if r["name"].strip() == "*":
                g.place_rules[r["pcode"]] = nr
            else:
                g.name_rules[(r["pcode"], normalize_text(r["name"].strip()))] = nr
    return g


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return load_gazetteer()
