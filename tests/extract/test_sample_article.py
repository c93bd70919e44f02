"""The real Geiroon article text (shared/samples, copied into tests/fixtures/sites/_sources) inside full Jannah chrome."""
import datetime as dt
from pathlib import Path

import pytest

from crawler.extract import extract

from ._util import NOW, page_bytes

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "sites" / "_sources" / "geiroon-deir-ez-zor.txt"
COPY = Path(__file__).resolve().parents[1] / "fixtures" / "extract" / "pages" / "jannah-08-geiroon.html"


@pytest.fixture(scope="module")
def sample_paragraphs():
    lines = [l.strip() for l in SAMPLE.read_text(encoding="utf-8").splitlines() if l.strip()]
    return lines[2:lines.index("Author")]


@pytest.fixture(scope="module")
def result():
    return extract(page_bytes("jannah-08-geiroon.html"), "https://www.geiroon.net/archives/1085", now=NOW)


def test_body_is_exactly_the_article(result, sample_paragraphs):
    assert result.family == "jannah"
    assert result.text.split("\n\n") == sample_paragraphs


def test_body_starts_at_lead_and_ends_at_last_paragraph(result):
    assert result.lead.startswith("أفشل طيران التحالف الدولي محاولةَ قوات النظام")
    assert result.text.startswith(result.lead)
    assert result.text.endswith("وهي تضم معظم حقول النفط في المحافظة.")
    for chrome in ("Author", "الوسوم", "مقالات ذات صلة", "إغلاق", "تحقيقات وتقارير سياسية", "فيسبوك", "اترك تعليقاً"):
        assert chrome not in result.text


def test_metadata(result):
    assert result.title == "التحالف يُفشل محاولة تقدم لميليشيات النظام في دير الزور"
    assert result.section == "تحقيقات وتقارير سياسية"
    assert result.author == "حسام الجبلاوي"
    assert result.tags == ["دير الزور", "قسد", "التحالف الدولي"]
    assert result.published_at == dt.datetime.fromisoformat("2018-02-12T12:34:00+02:00")
    assert result.post_id == "1085"
    assert result.language == "ar"


def test_sources_in_order_of_appearance_without_militias(result):
    # Order of first appearance in the body; (قسد) after "ذكرت" is a party, not a source.
    assert result.sources == ["فرات بوست", "الشرق السوري", "عدالة حمورابي"]
    assert "قسد" not in result.sources and "جيرون" not in result.sources


def test_to_dict_is_json_ready(result):
    import json
    data = result.to_dict()
    assert data["published_at"] == "2018-02-12T12:34:00+02:00"  # Asia/Damascus was UTC+2 in winter 2018
    assert json.loads(json.dumps(data, ensure_ascii=False))["sources"] == result.sources
    assert set(data) >= {"url", "canonical_url", "title", "author", "published_at", "modified_at", "section",
                         "tags", "lead", "text", "language", "image_url", "post_id", "sources", "family",
                         "provenance", "warnings"}
