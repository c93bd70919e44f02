"""Deir ez-Zor place matching: gazetteer, matcher, watchlists (see matcher.py for the score)."""

from .gazetteer import Gazetteer, Place, default_gazetteer, load_gazetteer
from .matcher import MatchResult, Matcher, PlaceMatch, match, score_matches
from .watch import DEFAULT_WATCHES, Watch, load_watches, parse_keywords

__all__ = ["Gazetteer", "Place", "default_gazetteer", "load_gazetteer", "MatchResult", "Matcher",
           "PlaceMatch", "match", "score_matches", "DEFAULT_WATCHES", "Watch", "load_watches",
           "parse_keywords"]
