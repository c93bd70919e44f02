import codecs

import pytest

from crawler.extract import ExtractionError, extract
from crawler.extract.encoding import decode_html

AR = "<html><head>{meta}<title>خبر من دير الزور</title></head><body><article><h1>خبر من دير الزور</h1><p>{p}</p></article></body></html>"
PARA = "توقفت محطة ضخ المياه في مدينة هجين بسبب انقطاع المازوت، وطالب الأهالي بحل عاجل للأزمة."


def page(meta: str = "") -> str:
    return AR.format(meta=meta, p=PARA)


def test_utf8_plain():
    text, codec, warnings = decode_html(page('<meta charset="utf-8">').encode("utf-8"), "utf-8")
    assert PARA in text and codec == "utf-8" and warnings == []


def test_bom_wins_over_wrong_header():
    body = codecs.BOM_UTF8 + page().encode("utf-8")
    text, codec, _ = decode_html(body, "windows-1256")
    assert PARA in text and not text.startswith("\ufeff")


def test_utf16_bom():
    body = codecs.BOM_UTF16_LE + page().encode("utf-16-le")
    result = extract(body, "https://x.example/a")
    assert PARA in result.text


def test_cp1256_with_meta_charset_and_no_header():
    body = page('<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">').encode("cp1256")
    text, codec, warnings = decode_html(body, None)
    assert PARA in text and codec == "cp1256" and warnings == []


def test_wrong_http_charset_is_corrected_and_warned():
    body = page('<meta charset="windows-1256">').encode("cp1256")
    result = extract(body, "https://x.example/a", encoding="utf-8")
    assert PARA in result.text
    assert "encoding: declared utf-8 but decoded as windows-1256" in result.warnings


def test_cp1256_without_any_declaration_is_guessed():
    body = page().encode("cp1256")
    text, codec, warnings = decode_html(body, None)
    assert PARA in text and codec == "cp1256"
    assert warnings and "windows-1256" in warnings[0]


def test_utf8_page_declared_as_cp1256_is_read_as_utf8():
    body = page('<meta charset="windows-1256">').encode("utf-8")
    result = extract(body, "https://x.example/a", encoding="windows-1256")
    assert PARA in result.text
    assert any("decoded as utf-8" in w for w in result.warnings)


def test_iso_8859_6_header():
    body = page().encode("iso8859_6", "ignore")
    text, codec, _ = decode_html(body, "ISO-8859-6")
    assert "دير الزور" in text and codec == "iso8859-6"


def test_truncated_utf8_mid_character_still_extracts():
    body = page('<meta charset="utf-8">').encode("utf-8")
    cut = body[: body.index("</p>".encode()) - 1]  # cuts inside a 2-byte Arabic letter
    result = extract(cut, "https://x.example/a", encoding="utf-8")
    assert result.title == "خبر من دير الزور"
    assert result.text and result.text.startswith("توقفت محطة")
    assert not any("replaced" in w for w in result.warnings)


def test_legacy_fixture_page_is_cp1256(labels):
    from ._util import page_bytes
    body = page_bytes("legacy-cp1256-02.html")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    result = extract(body, labels["legacy-cp1256-02.html"]["url"])
    assert result.title == labels["legacy-cp1256-02.html"]["title"]
    assert result.family == "sahifa"


@pytest.mark.parametrize("body", [b"", b"   \n", "", b"%PDF-1.4 binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00",
                                  b"\x00\x01\x02\x03" * 100, b"just some words, no markup at all"])
def test_unreadable_pages_raise_naming_the_url(body):
    url = "https://x.example/archives/42"
    with pytest.raises(ExtractionError) as info:
        extract(body, url)
    assert url in str(info.value)
