"""Word tokenizer and word shingles on normalised text (used by dedup and search).

A token is a maximal run of letters/digits (any script; Arabic diacritics and tatweel are
removed by normalisation first). Tokens carry their span on the ORIGINAL text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from .normalize import Normalized, normalize

__all__ = ["Token", "tokenize", "words", "shingles", "shingle_set"]

# \w in Python's re covers Arabic letters and digits; exclude "_".
_WORD_RE = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Token:
    text: str        # normalised form
    start: int       # span on the original text
    end: int


def tokenize(text: str | Normalized) -> list[Token]:
    """Tokens of *text* (normalised), each with its span on the original text."""
    n = text if isinstance(text, Normalized) else normalize(text)
    out = []
    for m in _WORD_RE.finditer(n.text):
        s, e = n.span(m.start(), m.end())
        out.append(Token(m.group(), s, e))
    return out


def words(text: str | Normalized) -> list[str]:
    """Normalised words only (fast: no span mapping)."""
    s = text.text if isinstance(text, Normalized) else normalize(text).text
    return _WORD_RE.findall(s)


def shingles(tokens: Iterable[str], k: int = 3) -> Iterator[str]:
    """Consecutive k-word shingles joined by a space. Fewer than k words -> one shingle
    of all words (none for an empty input)."""
    toks = tokens if isinstance(tokens, list) else list(tokens)
    if not toks:
        return
    if len(toks) < k:
        yield " ".join(toks)
        return
    if k < 1:
        for i in range(len(toks) - k + 1):
            yield " ".join(toks[i:i + k])
        return
    # the k-word windows as k staggered views zipped together (no slice per shingle)
    yield from map(" ".join, zip(*(toks[i:] if i else toks for i in range(k))))


def shingle_set(text: str, k: int = 3) -> set[str]:
    """Set of k-word shingles of the normalised words of *text*."""
    return set(shingles(words(text), k))
