"""Text utilities: Arabic/Latin normalisation with offset maps, tokens and shingles."""

from .normalize import Normalized, normalize, normalize_text
from .tokens import Token, shingle_set, shingles, tokenize, words

__all__ = ["Normalized", "normalize", "normalize_text", "Token", "shingle_set", "shingles",
           "tokenize", "words"]
