"""Date parsing for Arabic (Egyptian and Levantine month names), English and ISO forms.

Order: ISO fast path -> relative forms ("منذ 3 ساعات", "أمس", "3 hours ago") ->
our own day/month/year reader (covers the theme formats) -> dateparser (ar-SY locale, one
reused parser) as a fallback. Naive results are localised to ``tz``.
"""
from __future__ import annotations

import datetime as _dt
import re
import threading
from functools import lru_cache
from zoneinfo import ZoneInfo

_EASTERN = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_NOISE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u061c]")


def _norm(text: str) -> str:
    text = _NOISE.sub("", text.translate(_EASTERN))
    text = text.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا").replace("ى", "ي")
    text = text.replace("،", ",").replace("\xa0", " ")
    return re.sub(r"\s+", " ", text).strip()


# Month names after _norm (hamza-less alef, ى->ي). Longest alternatives first.
_MONTHS: dict[int, list[str]] = {
    1: ["كانون الثاني", "كانون ثاني", "كانون2", "كانون 2", "يناير", "جانفي", "january", "jan"],
    2: ["شباط", "فبراير", "فيفري", "february", "feb"],
    3: ["اذار", "مارس", "march", "mar"],
    4: ["نيسان", "ابريل", "افريل", "april", "apr"],
    5: ["ايار", "مايو", "ماي", "may"],
    6: ["حزيران", "يونيو", "يونيه", "جوان", "june", "jun"],
    7: ["تموز", "يوليو", "يوليه", "جويلية", "july", "jul"],
    8: ["اب", "اغسطس", "اغشت", "اوت", "august", "aug"],
    9: ["ايلول", "سبتمبر", "september", "sept", "sep"],
    10: ["تشرين الاول", "تشرين اول", "تشرين1", "تشرين 1", "اكتوبر", "october", "oct"],
    11: ["تشرين الثاني", "تشرين ثاني", "تشرين2", "تشرين 2", "نوفمبر", "november", "nov"],
    12: ["كانون الاول", "كانون اول", "كانون1", "كانون 1", "ديسمبر", "december", "dec"],
}
_MONTH_OF = {name: num for num, names in _MONTHS.items() for name in names}
_MONTH_ALT = "|".join(sorted(map(re.escape, _MONTH_OF), key=len, reverse=True))
# "(?<![\w])" so that "اب" does not match inside a word; digits may touch ("تشرين2").
_MONTH_RE = re.compile(rf"(?<![^\W\d_])({_MONTH_ALT})(?:\s*/\s*(?:{_MONTH_ALT}))?(?![^\W\d_])", re.I)
_TIME_RE = re.compile(
    r"(?<!\d)(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(ص|م|صباحا|مساء|ظهرا|am|pm|a\.m\.|p\.m\.)?(?![\w])",
    re.I,
)
_NUMERIC_YMD = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_NUMERIC_DMY = re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)")
_ISOISH = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$", re.I)

_UNITS = {
    "دقيقه": "minutes", "دقيقة": "minutes", "دقائق": "minutes", "دقيقتين": ("minutes", 2),
    "دقيقتان": ("minutes", 2),
    "ساعه": "hours", "ساعة": "hours", "ساعات": "hours", "ساعتين": ("hours", 2), "ساعتان": ("hours", 2),
    "يوم": "days", "ايام": "days", "يومين": ("days", 2), "يومان": ("days", 2),
    "اسبوع": "weeks", "اسابيع": "weeks", "اسبوعين": ("weeks", 2), "اسبوعان": ("weeks", 2),
    "شهر": "months", "اشهر": "months", "شهور": "months", "شهرين": ("months", 2),
    "سنه": "years", "سنة": "years", "سنوات": "years", "سنتين": ("years", 2), "عام": "years",
    "اعوام": "years", "عامين": ("years", 2),
    "second": "seconds", "seconds": "seconds", "sec": "seconds", "secs": "seconds",
    "minute": "minutes", "minutes": "minutes", "min": "minutes", "mins": "minutes",
    "hour": "hours", "hours": "hours", "hr": "hours", "hrs": "hours",
    "day": "days", "days": "days", "week": "weeks", "weeks": "weeks",
    "month": "months", "months": "months", "year": "years", "years": "years",
}
_WORD_NUMBERS = {"واحد": 1, "واحده": 1, "ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4, "خمس": 5,
                 "خمسه": 5, "ست": 6, "سته": 6, "سبع": 7, "سبعه": 7, "ثماني": 8, "ثمانيه": 8,
                 "تسع": 9, "تسعه": 9, "عشر": 10, "عشره": 10, "a": 1, "an": 1, "one": 1}
_UNIT_ALT = "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True))
_NUM_ALT = "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))
_REL_AR = re.compile(rf"^(?:نشر\s*)?(?:قبل|منذ)\s+(?:(\d+|{_NUM_ALT})\s+)?({_UNIT_ALT})$")
_REL_EN = re.compile(rf"^(\d+|{_NUM_ALT})\s+({_UNIT_ALT})\s+ago$", re.I)


@lru_cache(maxsize=16)
def _zone(tz: str) -> ZoneInfo:
    return ZoneInfo(tz)


def localise(value: _dt.datetime, tz: str = "Asia/Damascus") -> _dt.datetime:
    """Attach ``tz`` to a naive datetime; aware datetimes are returned unchanged."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        return value.replace(tzinfo=_zone(tz))
    return value


def _now(now: _dt.datetime | None, tz: str) -> _dt.datetime:
    if now is None:
        return _dt.datetime.now(_zone(tz))
    return localise(now, tz)


def _shift(base: _dt.datetime, unit: str, n: int) -> _dt.datetime:
    if unit == "months":
        return base - _dt.timedelta(days=30 * n)
    if unit == "years":
        return base - _dt.timedelta(days=365 * n)
    return base - _dt.timedelta(**{unit: n})


def _relative(text: str, now: _dt.datetime) -> _dt.datetime | None:
    low = text.lower()
    if low in ("امس", "البارحه", "البارحة", "yesterday") or low.startswith("امس "):
        return now - _dt.timedelta(days=1)
    if low in ("اول امس", "أول أمس"):
        return now - _dt.timedelta(days=2)
    if low in ("اليوم", "الان", "today", "now", "just now", "منذ لحظات", "قبل لحظات"):
        return now
    m = _REL_AR.match(low) or _REL_EN.match(low)
    if not m:
        return None
    num, unit_word = m.group(1), m.group(2)
    unit = _UNITS[unit_word]
    if isinstance(unit, tuple):
        unit, n = unit
    elif num is None:
        n = 1
    else:
        n = int(num) if num.isdigit() else _WORD_NUMBERS.get(num, 1)
    return _shift(now, unit, n)


def _time_of(text: str) -> tuple[int, int, int] | None:
    m = _TIME_RE.search(text)
    if not m:
        return None
    h, mi, s = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    mark = (m.group(4) or "").lower()
    if mark in ("م", "مساء", "pm", "p.m.", "ظهرا") and h < 12:
        h += 12
    elif mark in ("ص", "صباحا", "am", "a.m.") and h == 12:
        h = 0
    if h > 23 or mi > 59 or s > 59:
        return None
    return h, mi, s


def _build(y: int, mo: int, d: int, text: str) -> _dt.datetime | None:
    hms = _time_of(text) or (0, 0, 0)
    try:
        return _dt.datetime(y, mo, d, *hms)
    except ValueError:
        return None


def _absolute(text: str) -> _dt.datetime | None:
    m = _MONTH_RE.search(text)
    if m:
        month = _MONTH_OF[m.group(1).lower()]
        before, after = text[: m.start()], text[m.end():]
        year_m = re.search(r"(?<!\d)(\d{4})(?!\d)", after) or re.search(r"(?<!\d)(\d{4})(?!\d)", before)
        # Day: the number right before the month ("24 نوفمبر"), else right after ("نوفمبر 24, 2026").
        day_m = re.search(r"(?<![\d:])(\d{1,2})\s*$", before.rstrip(" ,.-"))
        if day_m is None:
            day_m = re.match(r"^\s*(\d{1,2})(?![\d:])", after)
        if year_m and day_m:
            # Remove the date numbers before looking for a time.
            return _build(int(year_m.group(1)), month, int(day_m.group(1)),
                          text.replace(year_m.group(0), " ", 1))
        return None
    m = _NUMERIC_YMD.search(text)
    if m:
        return _build(int(m.group(1)), int(m.group(2)), int(m.group(3)), text[: m.start()] + " " + text[m.end():])
    m = _NUMERIC_DMY.search(text)
    if m:
        return _build(int(m.group(3)), int(m.group(2)), int(m.group(1)), text[: m.start()] + " " + text[m.end():])
    return None


_parser_lock = threading.Lock()
_parsers: dict[str, object] = {}


def _dateparser(text: str) -> _dt.datetime | None:
    """Last resort: one reused dateparser per locale (first construction is slow)."""
    key = "en" if text.isascii() else "ar-SY"
    with _parser_lock:
        parser = _parsers.get(key)
        if parser is None:
            from dateparser.date import DateDataParser

            settings = {"DATE_ORDER": "DMY", "PREFER_DATES_FROM": "past",
                        "RETURN_AS_TIMEZONE_AWARE": False, "STRICT_PARSING": False}
            if key == "en":
                parser = DateDataParser(languages=["en"], settings=settings)
            else:
                parser = DateDataParser(locales=["ar-SY"], settings=settings)
            _parsers[key] = parser
    try:
        data = parser.get_date_data(text)  # type: ignore[attr-defined]
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    return data.date_obj if data and data.date_obj else None


def _iso(text: str) -> _dt.datetime | None:
    if not _ISOISH.match(text):
        return None
    t = text
    if t[-1] in "zZ":
        t = t[:-1] + "+00:00"
    try:
        return _dt.datetime.fromisoformat(t)
    except ValueError:
        return None


def parse_date(text: str, *, tz: str = "Asia/Damascus", now: _dt.datetime | None = None,
               fallback: bool = True) -> _dt.datetime | None:
    """Parse a date string into a timezone-aware datetime, or None.

    ``now`` anchors relative forms; naive results are localised to ``tz``.
    ``fallback=False`` skips dateparser (used for cheap probing).
    """
    if not text or not isinstance(text, str):
        return None
    raw = text.strip()
    if not raw or len(raw) > 200:
        return None
    value = _iso(raw)
    if value is None:
        norm = _norm(raw).strip(" -|•·")
        value = _iso(norm)
        if value is None:
            rel = _relative(norm, _now(now, tz))
            if rel is not None:
                return rel.replace(second=0, microsecond=0)
            value = _absolute(norm)
            if value is None and fallback and re.search(r"\d", norm) and not re.fullmatch(r"[\d\s]+", norm):
                value = _dateparser(norm)
    if value is None:
        return None
    return localise(value, tz)


def is_relative(text: str) -> bool:
    """True for forms such as "منذ 3 ساعات", "أمس", "3 hours ago" (their value depends on now)."""
    if not text or len(text) > 200:
        return False
    base = _dt.datetime(2000, 1, 1)
    return _relative(_norm(text).strip(" -|•·"), base) is not None


def check_date(value: _dt.datetime | None, *, now: _dt.datetime, not_before: _dt.date | None,
               label: str, tolerance: _dt.timedelta = _dt.timedelta(days=1)) -> tuple[_dt.datetime | None, str | None]:
    """Reject future or too-old dates; return (value or None, warning or None)."""
    if value is None:
        return None, None
    if value > now + tolerance:
        return None, f"{label} rejected: in the future ({value.isoformat()})"
    if not_before is not None and value.date() < not_before:
        return None, f"{label} rejected: before {not_before.isoformat()} ({value.isoformat()})"
    if value.year < 1990:
        return None, f"{label} rejected: implausible year ({value.isoformat()})"
    return value, None
