"""Named sources quoted in the body: شبكة (X), موقع (X), وكالة (X), "نقلت شبكة (X)", "X/أخبار".

Decisions (documented for analysts):
* A parenthesised name counts only when introduced by a source noun (شبكة, موقع, وكالة, صحيفة,
  قناة, ...), optionally with one or two words between (e.g. "شبكة (عدالة حمورابي) المقربة"
  is fine; "مدير موقع (الشرق السوري)" is fine).
* After a reporting verb alone ("ذكرت (X)", "نقلت (X)", "بحسب (X)") X counts only if it looks
  like a media name (بوست, نيوز, 24, برس, تي في, ...): "ذكرت (قسد)" is a party's statement, not a
  media source, so armed groups are never returned unless a source noun introduces them.
* A byline line such as "فرات بوست/أخبار" or "خاص فرات بوست _" yields its outlet name; it is
  kept even when it is the site's own name, since it marks the piece's origin.
* Well-known outlets (KNOWN_OUTLETS) also count without brackets when a source noun or verb
  stands right before them ("بحسب المرصد السوري لحقوق الإنسان", "وفق وكالة سانا").
* Names are returned unique, in order of first appearance.
"""
from __future__ import annotations

import re

from .clean import byline_name, is_byline

_NOUNS = (
    "شبكة", "شبكه", "موقع", "وكالة", "وكاله", "وكالتا", "صحيفة", "صحيفه", "جريدة", "قناة", "قناه",
    "مجلة", "إذاعة", "اذاعة", "راديو", "تلفزيون", "منصة", "منصه", "مرصد", "المرصد", "الشبكة", "الموقع", "الوكالة", "الصحيفة", "القناة",
)
_VERBS = ("ذكرت", "ذكر", "نقلت", "نقل", "أفادت", "افادت", "أفاد", "قالت", "أكدت", "اكدت",
          "بحسب", "حسب", "وفق", "وفقاً", "وفقا", "أوردت", "اوردت", "نشرت", "بثت", "أشارت")
_OPEN, _CLOSE = r"[\(«\"“]", r"[\)»\"”]"
_NAME = r"([^()«»\"“”\n،,.:؛]{2,40}?)"
_NOUN_RE = re.compile(
    rf"(?<![\w])(?:[وفب]|ل)?(?:{'|'.join(_NOUNS)})(?:\s+[^\s()«»\"“”]+){{0,2}}?\s*{_OPEN}\s*{_NAME}\s*{_CLOSE}"
)
_VERB_RE = re.compile(rf"(?<![\w])(?:و)?(?:{'|'.join(_VERBS)})\s*(?:لـ?\s*)?{_OPEN}\s*{_NAME}\s*{_CLOSE}")
_MEDIA_HINT = re.compile(
    r"بوست|نيوز|برس|\b24\b|تي ?في|تيفي|أونلاين|اونلاين|الآن|الان|ميديا|ريبورت|نت$|انفو|إنفو|"
    r"news|post|press|tv|online|media|times|agency|\.(?:com|net|org)",
    re.I,
)
# Outlets often cited without brackets ("بحسب المرصد السوري لحقوق الإنسان", "وفق وكالة سانا").
# Matched only right after a source noun or reporting verb; extend freely.
KNOWN_OUTLETS = (
    "المرصد السوري لحقوق الإنسان", "المرصد السوري", "سانا", "نورث برس", "عنب بلدي", "فرات بوست",
    "دير الزور 24", "الشرق السوري", "جيرون", "تلفزيون سوريا", "السورية نت", "الخابور", "عين الفرات",
    "هاوار", "روداو", "رويترز", "فرانس برس", "أسوشيتد برس", "الأناضول", "الجزيرة", "العربية",
    "الحدث", "الشرق الأوسط", "العربي الجديد", "المدن", "الوطن", "صوت العاصمة", "ستيب نيوز",
    "الشرقية 24", "الشرق نيوز", "شبكة شام", "أورينت", "زمان الوصل", "بلدي نيوز", "نداء بوست",
)
_KNOWN_RE = re.compile(
    rf"(?<![\w])(?:[وفب]|ل)?(?:{'|'.join(_NOUNS + _VERBS)})\s+(?:\S+\s+)?(?:لـ?\s*)?"
    rf"({'|'.join(sorted(map(re.escape, KNOWN_OUTLETS), key=len, reverse=True))})(?![\w])"
)
_NOT_SOURCES = {"قسد", "داعش", "الجيش الحر", "النظام", "التحالف", "التحالف الدولي", "حزب الله",
                "قوات سورية الديمقراطية", "قوات سوريا الديمقراطية", "هيئة تحرير الشام", "الأسايش"}


def _clean(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip(" -_\u200f\u200e")


_OPEN_CHARS = "(«\"“"   # every _NOUN_RE / _VERB_RE match contains one of these (_OPEN)


def find_sources(paragraphs: list[str], bylines: list[str] = ()) -> list[str]:
    found: list[tuple[int, int, str]] = []  # (paragraph index, offset, name)
    # Exact pre-filters (the regexes are the cost, ~0.3 ms a page): a paragraph without an
    # opening bracket/quote cannot match _NOUN_RE or _VERB_RE, and _KNOWN_RE runs only when one
    # of KNOWN_OUTLETS occurs in the text at all.
    whole = "\n".join(paragraphs)
    known = any(o in whole for o in KNOWN_OUTLETS)
    for line in bylines:
        name = byline_name(line)
        if name:
            found.append((-1, 0, _clean(name)))
    leading = True  # only the opening lines can be bylines ("وحدد التجار مطالبهم بما يلي:" is not)
    for i, para in enumerate(paragraphs):
        if leading and is_byline(para):
            name = byline_name(para)
            if name:
                found.append((i, 0, _clean(name)))
            continue
        leading = False
        opening = any(c in para for c in _OPEN_CHARS)
        if opening:
            for m in _NOUN_RE.finditer(para):
                found.append((i, m.start(1), _clean(m.group(1))))
        if known:
            for m in _KNOWN_RE.finditer(para):
                found.append((i, m.start(1), m.group(1)))
        if opening:
            for m in _VERB_RE.finditer(para):
                name = _clean(m.group(1))
                if name not in _NOT_SOURCES and _MEDIA_HINT.search(name):
                    found.append((i, m.start(1), name))
    found.sort(key=lambda t: (t[0], t[1]))
    out: list[str] = []
    for _, _, name in found:
        if name and name not in out and len(name) >= 2:
            out.append(name)
    return out
