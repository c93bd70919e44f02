"""Near-duplicate decisions and the pinned signature scheme (crawler/neardup.py)."""
from __future__ import annotations

import datetime as dt

import numpy as np

from crawler import neardup
from crawler.neardup import (Doc, band_keys, band_keys_many, decide, is_candidate, shingle_set, signature,
                             signature_bytes, signature_from_bytes, strip_boilerplate)
from crawler.text.normalize import normalize_text

DAY = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=3)))

REPORT = (
    "قُتل ثلاثة مدنيين بينهم طفل وأصيب خمسة آخرون، صباح اليوم الإثنين، جراء قصف مدفعي لقوات النظام "
    "استهدف الأحياء السكنية في مدينة الميادين بريف دير الزور الشرقي.\n\n"
    "وقالت مصادر محلية إن القذائف سقطت على حي الجورة ومحيط السوق الشعبي وسط المدينة، ما أدى إلى "
    "أضرار مادية كبيرة في المنازل والمحال التجارية.\n\n"
    "وأضافت المصادر أن فرق الإسعاف نقلت المصابين إلى المشفى الوطني في الميادين، ووصفت حالة اثنين منهم بالحرجة."
)
SAME_PLACE_OTHER_EVENT = (
    "استهدفت طائرة مسيّرة مجهولة الهوية، مساء الخميس، سيارة عسكرية تابعة لميليشيا الحرس الثوري "
    "على الطريق الواصل بين مدينة الميادين وبلدة محكان بريف دير الزور الشرقي.\n\n"
    "وقالت مصادر محلية إن الضربة أدت إلى مقتل عنصرين من الميليشيا وتدمير السيارة بشكل كامل، "
    "فيما فرضت الميليشيا طوقاً أمنياً حول المكان.\n\n"
    "وأضافت المصادر أن عناصر الميليشيا أخلوا مقراً قريباً في حي الجورة خشية استهدافه."
)


def doc(text, days=0.0):
    return Doc.from_text(text, DAY + dt.timedelta(days=days))


def test_republished_copy_with_boilerplate_is_the_same_story():
    copy = "دير الزور – فرات بوست\n\n" + REPORT + "\n\nالمصدر: موقع جيرون\n\nتابعونا على قناتنا في تلغرام."
    d = decide(doc(REPORT), doc(copy, 0.1))
    assert d.same and d.jaccard > 0.95  # the boilerplate paragraphs are not compared


def test_lightly_edited_copy_is_the_same_story():
    edited = REPORT.replace("صباح اليوم الإثنين", "صباح الإثنين").replace("بالحرجة", "بالخطرة")
    assert decide(doc(REPORT), doc(edited + "\n\nولم يصدر أي تعليق رسمي.", 0.05)).same


def test_excerpt_is_the_same_story_by_containment():
    excerpt = REPORT.split("\n\n")[0] + "\n\n" + REPORT.split("\n\n")[1]
    d = decide(doc(REPORT), doc(excerpt))
    assert d.same and d.containment == 1.0


def test_different_event_in_the_same_place_and_week_is_not():
    d = decide(doc(REPORT), doc(SAME_PLACE_OTHER_EVENT, 3))
    assert not d.same and d.jaccard < 0.2


def test_same_template_with_other_figures_is_another_report():
    day1 = ("سجلت الليرة السورية تراجعاً جديداً أمام الدولار في أسواق دير الزور اليوم. وبلغ سعر مبيع الدولار "
            "14850 ليرة وسعر الشراء 14700 ليرة، وسجل غرام الذهب عيار 21 نحو 1310000 ليرة في سوق الصاغة بالمدينة.")
    day2 = day1.replace("14850", "14700").replace("14700 ليرة،", "14550 ليرة،").replace("1310000", "1295000")
    d = decide(doc(day1), doc(day2, 1))
    assert not d.same and d.reason == "different-figures" and d.jaccard > 0.4


def test_copies_far_apart_in_time_are_not_joined():
    d = decide(doc(REPORT), doc(REPORT, 30))
    assert not d.same and d.reason == "outside-window"


def test_short_texts_need_an_exact_match():
    assert decide(Doc.from_text("قصف على الميادين"), Doc.from_text("قصف على الميادين")).same
    assert not decide(Doc.from_text("قصف على الميادين"), Doc.from_text("قصف على البوكمال")).same


def test_boilerplate_paragraphs_are_stripped_but_never_everything():
    paragraphs = strip_boilerplate(normalize_text("جيرون – خاص\n\n" + REPORT + "\n\nجميع الحقوق محفوظة © 2026"))
    assert len(paragraphs) == 3 and paragraphs[0].startswith("قتل ثلاثه")
    assert strip_boilerplate("المصدر: جيرون") == ["المصدر: جيرون"]
    assert strip_boilerplate("البطاطا: 3800 ليرة\nالبندوره: 4500 ليرة") == ["البطاطا: 3800 ليرة", "البندوره: 4500 ليرة"]


def test_signature_scheme_is_pinned():
    """A datasketch upgrade that changes hashing must fail here, not silently split stories."""
    sig = signature(shingle_set("قصف مدفعي على مدينة الميادين في ريف دير الزور الشرقي صباح اليوم"))
    assert [int(x) for x in sig[:4]] == [283672657, 104254638, 616478693, 603353694]
    assert band_keys(sig)[:2] == [5299476423076867598, -3089433511676083629]
    assert neardup.SCHEME == ("datasketch-minhash:affine32:sha1_hash32:seed1:perm128:words3"
                              "|lsh:b32r4:splitmix64:v1")


def test_signature_round_trip_and_vectorised_band_keys_agree():
    sigs = [signature(shingle_set(t)) for t in (REPORT, SAME_PLACE_OTHER_EVENT)]
    for sig in sigs:
        assert np.array_equal(signature_from_bytes(signature_bytes(sig)), sig)
        assert len(signature_bytes(sig)) == 4 * neardup.NUM_PERM
    many = band_keys_many(np.stack(sigs))
    assert [list(map(int, row)) for row in many] == [band_keys(s) for s in sigs]
    assert len(set(band_keys(sigs[0]))) == neardup.BANDS


def test_candidates_copy_by_lsh_unrelated_not():
    a, b = doc(REPORT), doc("تابعونا\n\n" + REPORT)
    sa, sb = signature(a.shingles), signature(b.shingles)
    assert neardup.lsh_candidates(sa, sb)
    other = doc("أعلنت هيئة التربية في الرقة عن بدء امتحانات الفصل الأول في جميع المدارس الثانوية يوم الأحد المقبل "
                "وفق برنامج وزعته على المدارس، ودعت الطلاب إلى الالتزام بالمواعيد.")
    so = signature(other.shingles)
    assert not neardup.lsh_candidates(sa, so) and not is_candidate(sa, so, a.when, other.when)


def test_numpy_signature_is_datasketch_affine32_bit_for_bit():
    """signature() computes the pinned datasketch scheme itself (no MinHash object, no datasketch
    import in a crawl): the values must stay identical to datasketch's, or stored signatures and
    band keys would no longer match new ones."""
    import random

    from datasketch import MinHash
    from datasketch.hashfunc import sha1_hash32

    reference = MinHash(num_perm=neardup.NUM_PERM, seed=neardup.SEED, hashfunc=sha1_hash32, scheme="affine32")
    assert np.array_equal(reference.permutations[0], neardup._PERM_A)
    assert np.array_equal(reference.permutations[1], neardup._PERM_B)
    rnd = random.Random(7)
    vocabulary = ["قصف", "الميادين", "دير", "الزور", "٣٤", "Déjà", "x", "ﻻ", "🙂", "2026"]
    sets = [set(), {"قصف على الميادين"}, shingle_set(REPORT), shingle_set(SAME_PLACE_OTHER_EVENT)]
    sets += [{" ".join(rnd.choice(vocabulary) + str(rnd.randrange(10 ** 6)) for _ in range(3)) for _ in range(n)}
             for n in (1, 7, 300, 5000)]   # 5000 > one hashing block
    for shingles in sets:
        m = MinHash(num_perm=neardup.NUM_PERM, seed=neardup.SEED, hashfunc=sha1_hash32, scheme="affine32",
                    permutations=reference.permutations)
        if shingles:
            m.update_batch([s.encode("utf-8") for s in shingles])
        ours = signature(shingles)
        assert ours.dtype == np.uint32 and np.array_equal(ours, m.hashvalues)
        assert signature_bytes(ours) == np.asarray(m.hashvalues, dtype="<u4").tobytes()
        assert band_keys(ours) == band_keys(m.hashvalues)


def test_doc_words_numbers_and_boilerplate_are_tokenised_once_with_the_same_result():
    from crawler.text.tokens import words
    text = "جيرون – خاص\n\n" + REPORT + "\n\nقتل ٣ و 012 و ٣٤\n\nجميع الحقوق محفوظة © 2026"
    paragraphs = strip_boilerplate(normalize_text(text))
    doc = Doc.from_text(text)
    assert doc.words == [w for p in paragraphs for w in words(p)] == neardup.doc_words(text)
    assert {"3", "12", "34"} <= doc.numbers and "012" not in doc.numbers
    import re
    probe = ["٣", "x1", "00", "²", "12", "١٢", "0", "", "1.5"]
    assert neardup.numbers_in(probe) == {w.lstrip("0") or "0" for w in probe if re.match(r"^\d+$", w)} \
        == {"٣", "0", "12", "١٢"}
