"""Near-duplicate detection: MinHash signatures, LSH band keys, and the exact decision.

Pure code (no I/O). :mod:`storage.stories` persists signatures and band keys and groups
articles into stories with it.

How two articles are compared:

1. Text: the body (title and lead only when there is no body), normalised by
   :func:`crawler.text.normalize.normalize_text`, without the paragraphs republishers add
   (datelines, bylines, "source:", "follow us", copyright: :func:`strip_boilerplate`), cut into
   words; a document is its set of 3-word shingles.
2. MinHash signature: 128 permutations, datasketch scheme ``affine32`` with ``sha1_hash32`` and
   seed 1, pinned explicitly (datasketch 2.0 changed the default scheme; ``SCHEME`` is stored
   with every persisted signature and a store with another scheme is re-signed, never mixed).
   The scheme is computed here with numpy (:func:`signature`), bit for bit what datasketch's
   ``MinHash(num_perm=128, seed=1, hashfunc=sha1_hash32, scheme="affine32").update_batch``
   gives (tests/dedup/test_neardup.py compares the two), without importing datasketch (and
   scipy, ~0.5 s) into every crawl or building a MinHash object per article.
3. LSH: 32 bands of 4 rows. Each band is hashed (splitmix64 over the band's 4 values, seeded
   with the band number) into one signed 64-bit key, so a single indexed integer column holds
   every band. Two documents are candidates when any band key is equal: P = 1-(1-J^4)^32,
   i.e. 0.23 at J=0.3, 0.87 at J=0.5, 0.98 at J=0.6. Rewrites (J 0.15-0.4) are found instead
   by comparing signatures with those of the articles of the last days
   (``RECENT_MIN_ESTIMATE``, storage/stories.py).
4. Exact verification of candidates (:func:`decide`): Jaccard and containment of the shingle
   sets, verbatim coverage (runs of >= 7 words copied), a figures check (different figures mean
   a different report) and a time window.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import Iterable

import numpy as np

from crawler.text.normalize import normalize_text
from crawler.text.tokens import shingles as _shingles
from crawler.text.tokens import words as _words

NUM_PERM = 128
SEED = 1
SHINGLE_WORDS = 3
BANDS = 32
ROWS = 4
SCHEME = (f"datasketch-minhash:affine32:sha1_hash32:seed{SEED}:perm{NUM_PERM}:words{SHINGLE_WORDS}"
          f"|lsh:b{BANDS}r{ROWS}:splitmix64:v1")

# Decision thresholds, tuned on tests/fixtures/dedup/pairs.jsonl; pairs_holdout.jsonl was
# written afterwards (bench/dedup.py prints both). A copy with boilerplate, an excerpt and a
# lightly edited copy pass on Jaccard or containment; a rewrite passes on verbatim coverage (the share of the shorter text that is
# inside runs of >= RUN_WORDS words copied verbatim), which a different event sharing one
# background sentence with it does not reach (the head check: outlets close every story about
# a place with the same background paragraph).
JACCARD_SAME = 0.40
CONTAINMENT_SAME = 0.55    # an excerpt, or a copy with a long added tail
JACCARD_FLOOR = 0.12       # below this, containment alone is not enough (shared formulas)
COVERAGE_SAME = 0.25       # a rewrite keeping a quarter of the text verbatim ...
HEAD_COVERAGE_SAME = 0.25  # ... and as much outside the closing background paragraph
RUN_WORDS = 7
MIN_SHINGLES = 8           # shorter texts: only a (near-)exact match counts
NUMBERS_MIN = 3            # the figures check applies when both texts carry this many figures
NUMBERS_AGREE = 0.70       # ... and then this share of the smaller set of figures must agree
NUMBERS_OVERRIDE = 0.80    # copies this close are the same even with changed figures (corrections)
WINDOW = dt.timedelta(days=7)
# Candidates besides LSH: articles of the time window whose signatures estimate this Jaccard
# (rewrites, J 0.15-0.4, that LSH bands tuned for ~0.45 would mostly miss).
RECENT_MIN_ESTIMATE = 0.08

# Paragraphs an outlet adds when it republishes (normalised, at the paragraph start).
_BOILERPLATE = re.compile(
    r"^\W*(?:المصدر|نقلا عن|نقلا من|اقرا ايضا|اقرا المزيد|للمزيد|تابعو|تابعونا|تابعوا|جميع الحقوق|للاشتراك|"
    r"بقلم|اعداد|تحرير|حقوق النشر|يمنع النسخ|رابط مختصر|شارك)")
_BOILERPLATE_ANYWHERE = re.compile(r"(?:©|جميع الحقوق محفوظه|بقلم|اعداد|خاص|متابعات)")

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def doc_text(title: str | None = None, lead: str | None = None, text: str | None = None) -> str:
    """What is compared: the body; title and lead only when there is no body."""
    if text and text.strip():
        return text
    return "\n".join(x for x in (title, lead) if x)


_PARAGRAPH_BREAK = re.compile(r"\n+")
_DIGIT = re.compile(r"\d")


def _is_boilerplate(paragraph: str, n_words: int) -> bool:
    if n_words < 30 and _BOILERPLATE.search(paragraph):
        return True
    return n_words < 9 and bool(_BOILERPLATE_ANYWHERE.search(paragraph)
                                or (n_words < 5 and not _DIGIT.search(paragraph)))


def _kept_paragraphs(normalised: str) -> list[tuple[str, list[str]]]:
    """(paragraph, its words) of :func:`strip_boilerplate`, each paragraph tokenised once."""
    paragraphs = [(p, _words(p)) for p in (q.strip() for q in _PARAGRAPH_BREAK.split(normalised)) if p]
    kept = [pw for pw in paragraphs if not _is_boilerplate(pw[0], len(pw[1]))]
    return kept or paragraphs


def strip_boilerplate(normalised: str) -> list[str]:
    """Paragraphs of a normalised text without what republishers add: datelines and bylines
    (short paragraphs naming the outlet/author), "source:"/"read also"/"follow us" lines and
    copyright footers. Keeps everything if nothing would be left."""
    return [p for p, _ in _kept_paragraphs(normalised)]


def doc_words(text: str) -> list[str]:
    """Normalised words of the text without republishers' boilerplate."""
    return [w for _, ws in _kept_paragraphs(normalize_text(text or "")) for w in ws]


def shingle_set(text: str) -> set[str]:
    """3-word shingles of the normalised words of ``text``."""
    return set(_shingles(doc_words(text), SHINGLE_WORDS))


def numbers_in(words: Iterable[str]) -> set[str]:
    """The figures a text states (casualties, prices, dates), as normalised digit strings."""
    # str.isdecimal() is re's \d (Unicode Nd) on a whole word (words hold no newline)
    return {w.lstrip("0") or "0" for w in words if w.isdecimal()}


# The affine32 scheme: a shingle's 32-bit hash h (the first 4 bytes of its SHA-1, little
# endian: datasketch's sha1_hash32) is mixed once with the MurmurHash3 32-bit finalizer, then
# permutation k maps it to (a_k * h + b_k) mod 2^32 (a_k odd: a bijection); the signature is
# the per-permutation minimum (2^32 - 1 for an empty set). The parameters come from numpy's
# legacy RandomState seeded with SEED: NUM_PERM values a' in [0, 2^31) (a = 2a' + 1), then
# NUM_PERM values b in [0, 2^32).
_U32_MAX = np.uint32(0xFFFFFFFF)


def _permutations(seed: int = SEED, num_perm: int = NUM_PERM) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.RandomState(seed)
    a = rng.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = rng.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


_PERM_A, _PERM_B = _permutations()   # computed once; identical for every signature


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (a bijection on uint32; products wrap mod 2^32)."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def shingle_hashes(shingle_set_: Iterable[str]) -> np.ndarray:
    """sha1_hash32 of every shingle (UTF-8), as uint32: the first 4 bytes of each 20-byte
    digest, read little endian, from one joined buffer."""
    sha1 = hashlib.sha1
    digests = b"".join([sha1(x.encode("utf-8")).digest() for x in shingle_set_])
    return np.frombuffer(digests, dtype="<u4")[::5].astype(np.uint32)


# shingles hashed per block: bounds the (block x NUM_PERM) temporary for very long texts
_BLOCK = 4096


def signature(shingle_set_: set[str]) -> np.ndarray:
    """MinHash signature (uint32 array of NUM_PERM) of a shingle set."""
    sig = np.full(NUM_PERM, _U32_MAX, dtype=np.uint32)
    if not shingle_set_:
        return sig
    h = _fmix32(shingle_hashes(shingle_set_))
    for i in range(0, len(h), _BLOCK):
        block = h[i:i + _BLOCK, None] * _PERM_A
        block += _PERM_B   # in place: a second temporary of this size costs more than the maths
        np.minimum(sig, block.min(axis=0), out=sig)
    return sig


def signature_bytes(sig: np.ndarray) -> bytes:
    return np.asarray(sig, dtype="<u4").tobytes()


def signature_from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u4").astype(np.uint64)


def _mix(x: np.ndarray) -> np.ndarray:
    x = x ^ (x >> np.uint64(30))
    x = x * _M1
    x = x ^ (x >> np.uint64(27))
    x = x * _M2
    return x ^ (x >> np.uint64(31))


def band_keys_many(sigs: np.ndarray) -> np.ndarray:
    """Band keys of many signatures at once: (n, NUM_PERM) -> (n, BANDS) signed int64."""
    sigs = np.asarray(sigs, dtype=np.uint64).reshape(-1, BANDS, ROWS)
    with np.errstate(over="ignore"):
        h = np.broadcast_to((np.arange(BANDS, dtype=np.uint64) + np.uint64(1)) * _GOLDEN,
                            sigs.shape[:2]).copy()
        for r in range(ROWS):
            h = _mix(h ^ (sigs[:, :, r] & np.uint64(0xFFFFFFFF)))
    return h.view(np.int64)


def band_keys(sig: np.ndarray) -> list[int]:
    """The BANDS signed 64-bit band keys of one signature (what the index stores)."""
    return [int(k) for k in band_keys_many(np.asarray(sig).reshape(1, -1))[0]]


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(np.asarray(a) == np.asarray(b))) / NUM_PERM


@dataclass
class Doc:
    """What the decision needs of one article."""
    shingles: set[str]
    numbers: set[str]
    when: dt.datetime | None = None
    words: list[str] | None = None
    head: list[str] | None = None     # words without the closing (background) paragraph

    @classmethod
    def from_text(cls, text: str, when: dt.datetime | None = None) -> "Doc":
        paragraphs = [ws for _, ws in _kept_paragraphs(normalize_text(text or ""))]
        words = [w for p in paragraphs for w in p]
        head = [w for p in paragraphs[:-1] for w in p] if len(paragraphs) >= 3 else words
        return cls(set(_shingles(words, SHINGLE_WORDS)), numbers_in(words), when, words, head)

    @classmethod
    def from_article(cls, title=None, lead=None, text=None, when=None) -> "Doc":
        return cls.from_text(doc_text(title, lead, text), when)


@dataclass(frozen=True)
class Decision:
    same: bool
    reason: str
    jaccard: float
    containment: float
    coverage: float = 0.0

    def __bool__(self) -> bool:
        return self.same


def similarity(a: set[str], b: set[str]) -> tuple[float, float]:
    """(Jaccard, containment of the smaller set in the larger) of two shingle sets."""
    if not a or not b:
        return 0.0, 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter), inter / min(len(a), len(b))


def verbatim_coverage(a: list[str], b: list[str], run: int = RUN_WORDS) -> float:
    """Share of the word sequence ``a`` lying in runs of >= ``run`` words that ``b`` contains
    verbatim (chains of 4-word shingles)."""
    k = 4
    if len(a) < max(run, k):
        return 0.0
    other = set(_shingles(b, k))
    hit = [x in other for x in _shingles(a, k)]   # len(a) >= k: one per window
    covered, i = 0, 0
    while i < len(hit):
        if hit[i]:
            j = i
            while j + 1 < len(hit) and hit[j + 1]:
                j += 1
            length = j - i + k
            if length >= run:
                covered += length
            i = j + 1
        else:
            i += 1
    return covered / len(a)


def _coverages(a: Doc, b: Doc) -> tuple[float, float]:
    """Verbatim coverage of the shorter text in the longer: of all of it, and of its head (all
    but the closing paragraph, where outlets put the same background sentence on every story
    about a place)."""
    if a.words is None or b.words is None:
        return 0.0, 0.0
    short, long_ = (a, b) if len(a.words) <= len(b.words) else (b, a)
    return (verbatim_coverage(short.words, long_.words),
            verbatim_coverage(short.head if short.head is not None else short.words, long_.words))


def decide(a: Doc, b: Doc) -> Decision:
    """Are ``a`` and ``b`` the same story (a republication, rewrite or edited copy)?"""
    j, c = similarity(a.shingles, b.shingles)
    if a.when and b.when and abs(a.when - b.when) > WINDOW:
        return Decision(False, "outside-window", j, c)
    if min(len(a.shingles), len(b.shingles)) < MIN_SHINGLES:
        return Decision(j >= 0.9, "short-text", j, c)
    cov, head_cov = _coverages(a, b)
    if j >= JACCARD_SAME:
        reason = "jaccard"
    elif c >= CONTAINMENT_SAME and j >= JACCARD_FLOOR:
        reason = "containment"
    elif cov >= COVERAGE_SAME and head_cov >= HEAD_COVERAGE_SAME:
        reason = "verbatim"
    else:
        return Decision(False, "different-text", j, c, cov)
    na, nb = a.numbers, b.numbers
    if len(na) >= NUMBERS_MIN and len(nb) >= NUMBERS_MIN and j < NUMBERS_OVERRIDE:
        agree = len(na & nb) / min(len(na), len(nb))
        if agree < NUMBERS_AGREE:
            return Decision(False, "different-figures", j, c, cov)
    return Decision(True, reason, j, c, cov)


def lsh_candidates(a: np.ndarray, b: np.ndarray) -> bool:
    """Would the LSH index return ``b`` for ``a`` (any equal band key)?"""
    return bool(set(band_keys(a)) & set(band_keys(b)))


def is_candidate(a: np.ndarray, b: np.ndarray, a_when=None, b_when=None) -> bool:
    """Would the story service verify ``b`` for ``a``: an LSH band hit, or a recent article
    (inside the window) with an estimated Jaccard of at least RECENT_MIN_ESTIMATE."""
    if lsh_candidates(a, b):
        return True
    recent = a_when is None or b_when is None or abs(a_when - b_when) <= WINDOW
    return recent and estimated_jaccard(a, b) >= RECENT_MIN_ESTIMATE
