"""Make a served copy of the geiroon fixture "publish" a new article: a new page and a new first
feed item, written while the SiteServer serves the directory (it reads files on every request).
Used by the service tests and by bench/alert_latency.py."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

TEMPLATE_ID = "175208"
TEMPLATE_TITLE = "اشتباكات عشائرية في بلدة ذيبان شرق دير الزور تخلّف قتيلين"
DAMASCUS = ZoneInfo("Asia/Damascus")

# Fresh Deir ez-Zor items (written for these tests); each is its own story.
PLACES = ["الميادين", "البوكمال", "هجين", "الشحيل", "العشارة", "موحسن", "البصيرة", "الصور", "ذيبان", "القورية"]
TOPICS = [
    ("افتتاح مخبز جديد في مدينة {p} بريف دير الزور", "افتتح المجلس المحلي مخبزاً آلياً جديداً في مدينة {p} بريف دير الزور الشرقي، "
     "بطاقة إنتاجية تصل إلى عشرة أطنان من الخبز يومياً، بعد أشهر من شكاوى الأهالي من الازدحام أمام الأفران القديمة."),
    ("انقطاع المياه عن أحياء في {p} شرق دير الزور", "اشتكى سكان أحياء في {p} شرقي دير الزور من انقطاع مياه الشرب منذ أسبوع، "
     "بسبب عطل في محطة الضخ الرئيسية على نهر الفرات، فيما وعدت الجهات المسؤولة بإصلاح العطل خلال أيام."),
    ("حملة لقاح ضد شلل الأطفال في {p} بدير الزور", "بدأت فرق صحية حملة تلقيح ضد شلل الأطفال في {p} وقراها بريف دير الزور، "
     "تستهدف آلاف الأطفال دون سن الخامسة، وتستمر أسبوعاً بحسب مديرية الصحة في المنطقة."),
    ("ارتفاع أسعار المحروقات في أسواق {p} بريف دير الزور", "سجلت أسواق {p} في ريف دير الزور ارتفاعاً جديداً في أسعار المازوت والبنزين، "
     "ما انعكس على أجور النقل وأسعار الخضار، وسط مطالبات بضبط الأسعار ومحاسبة المحتكرين."),
]


def _rfc822(when: dt.datetime) -> str:
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    w = when.astimezone(DAMASCUS)
    return f"{days[w.weekday()]}, {w.day:02d} {months[w.month - 1]} {w.year} {w:%H:%M:%S} +0300"


# Words for filler sentences: each item gets its own random sequence (seeded by its number), so
# no two items are near-duplicates of each other and each is its own story.
WORDS = ("الأهالي المجلس المحلي السوق الأسعار المياه الكهرباء المدرسة الطلاب الطريق الجسر النهر الفرات "
         "المزارعون القمح القطن الري المحطة الوقود المازوت الخبز الفرن الطحين المستشفى الأطباء الدواء "
         "اللقاح الأطفال النساء العمال الرواتب البلدية النظافة القمامة الشارع الحي القرية البادية "
         "الأغنام الرعاة المطر الشتاء الصيف الحرارة الغبار العاصفة الحريق الدفاع المدني المتطوعون "
         "المنظمة الإغاثة السلال الغذائية الخيام المخيم النازحين العائدين المنازل الترميم البناء "
         "الإسمنت الحديد الأجور النقل الحافلة السائقين الحاجز الأمن الشرطة المحكمة القاضي الدعوى "
         "الأرض الملكية العشيرة الوجهاء الصلح الاجتماع الاتفاق اللجنة التقرير الإحصاء السكان "
         "الجامعة الامتحانات الكلية المعهد المكتبة الكتب الإنترنت الهاتف الشبكة البث الإذاعة").split()
VERBS = ["أعلن", "قال", "أكد", "ذكر", "أوضح", "أفاد", "نقل", "طالب", "اشتكى", "رصد", "وثّق", "انتقد"]


def _sentence(rng, n_words: int) -> str:
    verb = rng.choice(VERBS)
    return verb + " " + " ".join(rng.choice(WORDS) for _ in range(n_words)) + "."


def item_text(n: int) -> tuple[str, list[str]]:
    import random
    rng = random.Random(n)
    place = PLACES[n % len(PLACES)]
    title, lead = TOPICS[n % len(TOPICS)]
    title = title.format(p=place) + f" ({n})"
    paragraphs = [lead.format(p=place) + " " + _sentence(rng, 14),
                  " ".join(_sentence(rng, rng.randint(10, 16)) for _ in range(3)),
                  f"وفي {place} " + " ".join(_sentence(rng, rng.randint(10, 16)) for _ in range(3))]
    return title, paragraphs


def publish(root: Path, n: int, when: dt.datetime | None = None) -> dict:
    """Write article /archives/<n> and put it first in /feed/; returns {url_path, title}."""
    when = (when or dt.datetime.now(DAMASCUS)).astimezone(DAMASCUS).replace(microsecond=0)
    title, paragraphs = item_text(n)
    page = (root / "archives" / f"{TEMPLATE_ID}.html").read_text(encoding="utf-8")
    page = page.replace(TEMPLATE_ID, str(n)).replace(TEMPLATE_TITLE, title)
    page = re.sub(r'"(dateCreated|datePublished|dateModified)": "[^"]+"',
                  lambda m: f'"{m.group(1)}": "{when.isoformat()}"', page)
    start = page.index('<div class="entry-content entry clearfix">')
    start = page.index(">", start) + 1
    end = page.index("</div><!-- .entry-content /-->", start)
    page = page[:start] + "\n" + "\n\n".join(f"<p>{p}</p>" for p in paragraphs) + "\n" + page[end:]
    page = re.sub(r'"description": "[^"]*"', f'"description": "{paragraphs[0]}"', page)
    (root / "archives" / f"{n}.html").write_text(page, encoding="utf-8")

    feed_path = root / "feed" / "index.xml"
    feed = feed_path.read_text(encoding="utf-8")
    first = feed.index("<item>")
    template = (root / "_feed_item_template.xml")
    if not template.exists():
        base = feed[first:feed.index("</item>", first) + len("</item>")]
        template.write_text(base, encoding="utf-8")
    item = template.read_text(encoding="utf-8")
    item = item.replace(TEMPLATE_ID, str(n)).replace(TEMPLATE_TITLE, title)
    item = re.sub(r"<pubDate>[^<]+</pubDate>", f"<pubDate>{_rfc822(when)}</pubDate>", item)
    item = re.sub(r"<description><!\[CDATA\[.*?\]\]></description>",
                  f"<description><![CDATA[<p>{paragraphs[0]}</p>]]></description>", item, flags=re.S)
    feed_path.write_text(feed[:first] + item + "\n\t" + feed[first:], encoding="utf-8")
    return {"path": f"/archives/{n}", "title": title}
