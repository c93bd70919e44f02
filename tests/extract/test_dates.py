import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from crawler.extract import extract, parse_date
from crawler.extract.dates import check_date

from ._util import NOW

DAM = ZoneInfo("Asia/Damascus")


def d(*args, tz=DAM):
    return dt.datetime(*args, tzinfo=tz)


@pytest.mark.parametrize("text, expected", [
    ("2026-11-24T10:30:00+02:00", dt.datetime(2026, 11, 24, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))),
    ("2026-11-24T07:30:00Z", dt.datetime(2026, 11, 24, 7, 30, tzinfo=dt.timezone.utc)),
    ("2026-11-24T10:30:00", d(2026, 11, 24, 10, 30)),
    ("2026-11-24", d(2026, 11, 24)),
    ("الأحد 24 نوفمبر 2026", d(2026, 11, 24)),
    ("24 تشرين الثاني 2026", d(2026, 11, 24)),
    ("كانون ثاني 5, 2026", d(2026, 1, 5)),
    ("5 كانون الثاني 2026", d(2026, 1, 5)),
    ("تشرين اول 9, 2026", d(2026, 10, 9)),
    ("٢٤ تشرين2 ٢٠٢٦", d(2026, 11, 24)),
    ("تشرين الثاني/نوفمبر 24, 2026", d(2026, 11, 24)),
    ("24 تشرين الثاني/نوفمبر 2026", d(2026, 11, 24)),
    ("نوفمبر 24, 2026 - 10:30 م", d(2026, 11, 24, 22, 30)),
    ("٣ آذار ٢٠٢٦", d(2026, 3, 3)),
    ("1 آب 2025", d(2025, 8, 1)),
    ("الثلاثاء، 3 حزيران 2025، 14:05", d(2025, 6, 3, 14, 5)),
    ("السبت 1 شباط 2025 | 8:20 ص", d(2025, 2, 1, 8, 20)),
    ("12 ديسمبر، 2025", d(2025, 12, 12)),
    ("November 24, 2026 10:30 am", d(2026, 11, 24, 10, 30)),
    ("24 Nov 2026", d(2026, 11, 24)),
    ("24/11/2026", d(2026, 11, 24)),
    ("2026/11/24 09:15", d(2026, 11, 24, 9, 15)),
    ("10:30 24/11/2026", d(2026, 11, 24, 10, 30)),
    ("24.11.2026 - 18:05", d(2026, 11, 24, 18, 5)),
    ("آخر تحديث: 24 نوفمبر 2026 - 3:05 م", d(2026, 11, 24, 15, 5)),
    ("24 نوفمبر 2026 الساعة 15:05", d(2026, 11, 24, 15, 5)),
    ("Nov 24, 2026 at 3:05 pm", d(2026, 11, 24, 15, 5)),
    ("٢٠٢٦/١١/٢٤", d(2026, 11, 24)),
    ("2026-11-24T10:30:00.123+0300", dt.datetime(2026, 11, 24, 10, 30, 0, 123000,
                                                 tzinfo=dt.timezone(dt.timedelta(hours=3)))),
])
def test_absolute_forms(text, expected):
    assert parse_date(text, now=NOW) == expected


@pytest.mark.parametrize("text, delta", [
    ("منذ 3 ساعات", dt.timedelta(hours=3)),
    ("منذ ٣ ساعات", dt.timedelta(hours=3)),
    ("منذ ساعة", dt.timedelta(hours=1)),
    ("منذ ساعتين", dt.timedelta(hours=2)),
    ("منذ 10 دقائق", dt.timedelta(minutes=10)),
    ("منذ يوم", dt.timedelta(days=1)),
    ("منذ يومين", dt.timedelta(days=2)),
    ("منذ 4 أيام", dt.timedelta(days=4)),
    ("منذ أسبوعين", dt.timedelta(weeks=2)),
    ("قبل 5 ساعات", dt.timedelta(hours=5)),
    ("أمس", dt.timedelta(days=1)),
    ("3 hours ago", dt.timedelta(hours=3)),
    ("yesterday", dt.timedelta(days=1)),
])
def test_relative_forms(text, delta):
    assert parse_date(text, now=NOW) == NOW - delta


def test_naive_now_is_read_in_tz_and_results_are_aware():
    value = parse_date("منذ ساعة", now=dt.datetime(2026, 11, 27, 12, 0))
    assert value == d(2026, 11, 27, 11, 0)
    assert value.tzinfo is not None


def test_naive_dates_take_the_given_zone():
    value = parse_date("24 نوفمبر 2026 10:00", tz="Europe/Berlin")
    assert value.utcoffset() == dt.timedelta(hours=1)
    assert parse_date("24 نوفمبر 2026 10:00").utcoffset() == dt.timedelta(hours=3)


@pytest.mark.parametrize("text", ["", "   ", "لا يوجد تاريخ", "2026", "hello world", "99/99/9999", "x" * 500])
def test_garbage_is_none(text):
    assert parse_date(text, now=NOW) is None


def test_dateparser_fallback_for_odd_forms():
    # Not a form our reader knows; the reused ar-SY dateparser handles it.
    assert parse_date("2026 نوفمبر 24", now=NOW).date() == dt.date(2026, 11, 24)


def test_check_date_rejects_future_and_too_old():
    ok, warn = check_date(NOW - dt.timedelta(hours=1), now=NOW, not_before=None, label="published_at")
    assert ok and warn is None
    slop, warn = check_date(NOW + dt.timedelta(hours=5), now=NOW, not_before=None, label="published_at")
    assert slop and warn is None  # zone slop tolerated
    bad, warn = check_date(d(2027, 1, 1), now=NOW, not_before=None, label="published_at")
    assert bad is None and "future" in warn and "2027-01-01" in warn
    old, warn = check_date(d(2015, 1, 1), now=NOW, not_before=dt.date(2016, 7, 29), label="published_at")
    assert old is None and "before 2016-07-29" in warn


def _page(meta_date: str | None = None, visible: str = "") -> str:
    meta = f'<meta property="article:published_time" content="{meta_date}">' if meta_date else ""
    return (f"<html lang='ar'><head>{meta}<title>خبر</title></head><body><article><h1>خبر</h1>"
            f"<span class='date'>{visible}</span><p>" + "نص الخبر عن دير الزور وريفها الشرقي. " * 20 +
            "</p></article></body></html>")


def test_future_published_date_is_rejected_with_warning():
    result = extract(_page("2027-01-01T10:00:00+03:00"), "https://x.example/a/1", now=NOW)
    assert result.published_at is None
    assert any("published_at rejected: in the future (2027-01-01" in w for w in result.warnings)


def test_published_before_outlet_founding_is_rejected():
    result = extract(_page("2012-03-01T10:00:00+03:00"), "https://x.example/a/1", now=NOW,
                     not_before=dt.date(2016, 7, 29))
    assert result.published_at is None
    assert any("before 2016-07-29" in w for w in result.warnings)


def test_meta_date_wins_and_is_aware():
    result = extract(_page("2026-11-24T08:00:00+00:00"), "https://x.example/a/1", now=NOW)
    assert result.published_at == dt.datetime(2026, 11, 24, 11, 0, tzinfo=DAM)
    assert result.provenance["published_at"] == "meta:article:published_time"
    assert result.to_dict()["published_at"] == "2026-11-24T11:00:00+03:00"
