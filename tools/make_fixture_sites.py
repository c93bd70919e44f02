"""Generate the saved-style outlet copies under tests/fixtures/sites/ (served by crawler.sitesrv).

    .venv/bin/python tools/make_fixture_sites.py            # all sites
    .venv/bin/python tools/make_fixture_sites.py geiroon    # one site

The output is committed; this script only exists so the pages stay consistent
(feeds, sitemaps, JSON and listings all agree with the article pages).  All
article texts are written for the fixtures, except the geiroon sample article
whose body is /work/shared/samples/geiroon-deir-ez-zor.txt (copied into
tests/fixtures/sites/_sources/ so the generator does not depend on /work/shared).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import json
import os
import pathlib
import shutil
import struct
import sys
import urllib.parse
import zlib

REPO = pathlib.Path(__file__).resolve().parent.parent
SITES = REPO / "tests" / "fixtures" / "sites"
TEXTS = SITES / "_sources"

TZ = dt.timezone(dt.timedelta(hours=3))
AR_MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس",
             "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]

esc = html.escape


def d(s: str) -> dt.datetime:
    """'2026-11-27 09:15' -> aware datetime in Damascus time (+03:00)."""
    return dt.datetime.strptime(s, "%Y-%m-%d %H:%M").replace(tzinfo=TZ)


def iso(t: dt.datetime) -> str:
    return t.isoformat()


def rfc822(t: dt.datetime) -> str:
    return t.strftime("%a, %d %b %Y %H:%M:%S %z")


def gmt_http(t: dt.datetime) -> str:
    return email.utils.format_datetime(t.astimezone(dt.timezone.utc), usegmt=True)


def ar_date(t: dt.datetime) -> str:
    return f"{t.day} {AR_MONTHS[t.month - 1]}، {t.year}"


def pct(slug: str) -> str:
    """WordPress-style lowercase percent-encoding of an Arabic slug."""
    q = urllib.parse.quote(slug, safe="-")
    out, i = [], 0
    while i < len(q):
        if q[i] == "%":
            out.append(q[i:i + 3].lower())
            i += 3
        else:
            out.append(q[i])
            i += 1
    return "".join(out)


def wp_json(obj) -> str:
    """Like PHP json_encode: \\uXXXX escapes and escaped slashes."""
    return json.dumps(obj, ensure_ascii=True).replace("/", "\\/")


def write(path: pathlib.Path, data, mtime: dt.datetime | None = None, encoding: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode(encoding)
    path.write_bytes(data)
    if mtime is not None:
        ts = mtime.timestamp()
        os.utime(path, (ts, ts))


def robots(origin: str, sitemaps: list[str]) -> str:
    lines = ["User-agent: *", "Disallow: /wp-admin/", "Allow: /wp-admin/admin-ajax.php", ""]
    lines += [f"Sitemap: {origin}{s}" for s in sitemaps]
    return "\n".join(lines) + "\n"


def excerpt(paras: list[str], n: int = 160) -> str:
    text = paras[0]
    return text if len(text) <= n else text[:n].rsplit(" ", 1)[0] + " [&hellip;]"


def rss(origin: str, site_name: str, desc: str, items: list[dict], self_path: str = "/feed/",
        last_build: dt.datetime | None = None) -> str:
    out = [f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
	xmlns:slash="http://purl.org/rss/1.0/modules/slash/"
	>

<channel>
	<title>{esc(site_name)}</title>
	<atom:link href="{origin}{self_path}" rel="self" type="application/rss+xml" />
	<link>{origin}</link>
	<description>{esc(desc)}</description>
	<lastBuildDate>{rfc822(last_build or max(i['date'] for i in items if i.get('date')))}</lastBuildDate>
	<language>ar</language>
	<sy:updatePeriod>
	hourly	</sy:updatePeriod>
	<sy:updateFrequency>
	1	</sy:updateFrequency>
	<generator>https://wordpress.org/?v=6.6.2</generator>
"""]
    for it in items:
        cats = "".join(f"\n\t\t<category><![CDATA[{c}]]></category>" for c in it.get("categories", []))
        pub = f"\n\t\t<pubDate>{rfc822(it['date'])}</pubDate>" if it.get("date") else ""
        out.append(f"""	<item>
		<title>{esc(it['title'], quote=False)}</title>
		<link>{it['link']}</link>
		<comments>{it['link']}#respond</comments>
		<dc:creator><![CDATA[{it['author']}]]></dc:creator>{pub}{cats}
		<guid isPermaLink="false">{it['guid']}</guid>

					<description><![CDATA[{it['description']}]]></description>
					<wfw:commentRss>{it['link']}feed/</wfw:commentRss>
			<slash:comments>{it.get('comments', 0)}</slash:comments>
		</item>
""")
    out.append("	</channel>\n</rss>\n")
    return "".join(out)


# ---------------------------------------------------------------------------
# geiroon — Jannah theme
# ---------------------------------------------------------------------------
GEIROON = "https://geiroon.net"

GEIROON_CATS = {
    21: ("أخبار", "news"),
    34: ("تحقيقات وتقارير سياسية", "political-reports"),
    41: ("اقتصاد", "economy"),
    47: ("مجتمع", "society"),
    52: ("حقوق وحريات", "rights"),
}
GEIROON_AUTHORS = {
    "jeroun": ("جيرون", 3, "فريق تحرير جيرون — مركز حرمون للدراسات المعاصرة."),
    "samer-alahmad": ("سامر الأحمد", 17, "صحفي سوري من دير الزور، يكتب في الشأن المحلي للمنطقة الشرقية."),
    "hiba-ezzedine": ("هبة عز الدين", 22, "صحفية سورية مهتمة بقضايا المجتمع والاقتصاد."),
}


def geiroon_articles() -> list[dict]:
    sample = (TEXTS / "geiroon-deir-ez-zor.txt").read_text(encoding="utf-8")
    paras = [p.strip() for p in sample.split("\n\n") if p.strip()]
    assert paras[0] == "تحقيقات وتقارير سياسية", paras[0]
    end = paras.index("Author")
    sample_title, sample_body = paras[1], paras[2:end]
    A = []
    A.append(dict(
        id=175201, cat=21, author="samer-alahmad", date=d("2026-11-20 10:05"), mod=d("2026-11-20 10:40"),
        title="انقطاع المياه عن أحياء في مدينة دير الزور لليوم الرابع على التوالي",
        tags=["دير الزور", "المياه", "خدمات"],
        body=[
            "تعاني أحياء الجورة والقصور وهرابش في مدينة دير الزور من انقطاع مياه الشرب لليوم الرابع على التوالي، بسبب عطل في محطة الضخ الرئيسية على نهر الفرات وتأخر وصول قطع التبديل.",
            "وقال أحد سكان حي الجورة لـ (جيرون) إن الأهالي باتوا يعتمدون على صهاريج خاصة يصل سعر الخزان الواحد منها إلى خمسين ألف ليرة سورية، وهو مبلغ يفوق قدرة معظم العائلات.",
            "وأوضح مصدر في مؤسسة المياه أن ورشات الصيانة تعمل على إصلاح العطل، وأن الضخ سيعود تدريجيًا خلال الأيام المقبلة، من دون أن يحدد موعدًا دقيقًا.",
            "ويشكو سكان المدينة منذ سنوات من تردي الخدمات الأساسية، في ظل انقطاع الكهرباء لساعات طويلة، وارتفاع أسعار المحروقات، وتراجع قدرة المؤسسات المحلية على الاستجابة.",
        ]))
    A.append(dict(
        id=175202, cat=41, author="hiba-ezzedine", date=d("2026-11-21 13:30"), mod=d("2026-11-21 13:30"),
        title="ارتفاع جديد في أسعار الخبز والمحروقات في دمشق",
        tags=["دمشق", "الأسعار", "الخبز"],
        body=[
            "شهدت أسواق العاصمة دمشق، خلال الأسبوع الحالي، ارتفاعًا جديدًا في أسعار الخبز السياحي والمحروقات، بعد قرار حكومي برفع سعر ليتر المازوت المخصص للأفران الخاصة.",
            "وقال تاجر في سوق الشعلان إن سعر ربطة الخبز السياحي ارتفع بنسبة تقارب عشرين في المئة، في حين بقي سعر الخبز المدعوم على حاله مع تقليص الكميات المخصصة لكل بطاقة.",
            "ويرى خبراء اقتصاديون أن موجة الغلاء الحالية مرتبطة بتراجع قيمة الليرة وارتفاع تكاليف النقل، وأن أثرها سيمتد إلى بقية السلع الغذائية خلال الشهر المقبل.",
        ]))
    A.append(dict(
        id=175203, cat=47, author="samer-alahmad", date=d("2026-11-22 09:45"), mod=d("2026-11-22 11:02"),
        title="مبادرة أهلية لترميم مدرسة في بلدة الشحيل بريف دير الزور الشرقي",
        tags=["دير الزور", "الشحيل", "التعليم"],
        body=[
            "أطلق شبان من بلدة الشحيل في ريف دير الزور الشرقي مبادرة أهلية لترميم مدرسة البلدة الابتدائية، التي تضررت خلال سنوات المعارك، بعد أن بقي مئات الأطفال من دون صفوف صالحة للدراسة.",
            "وقال أحد القائمين على المبادرة لـ (جيرون) إن الأهالي جمعوا تبرعات لشراء الإسمنت والنوافذ والمقاعد، وإن العمل يجري بجهود تطوعية من معلمين وحرفيين من أبناء البلدة.",
            "وتعاني مدارس ريف دير الزور الشرقي من نقص حاد في الكوادر والمستلزمات، إذ يضطر كثير من التلاميذ إلى الدراسة في خيام أو مبان غير مجهزة، بحسب ناشطين محليين.",
            "ويأمل القائمون على المبادرة أن تتوسع لتشمل مدارس أخرى في بلدات ذيبان والبصيرة، مع اقتراب منتصف العام الدراسي.",
        ]))
    A.append(dict(
        id=175204, cat=34, author="jeroun", date=d("2026-11-23 20:10"), mod=d("2026-11-24 08:00"),
        title=sample_title, tags=["دير الزور", "التحالف الدولي", "قسد", "الميليشيات الإيرانية"],
        body=sample_body, sample=True))
    A.append(dict(
        id=175205, cat=52, author="hiba-ezzedine", date=d("2026-11-24 16:20"), mod=d("2026-11-24 16:20"),
        title="حملة اعتقالات في مدينة الميادين تطال شبانًا بتهمة التخلف عن الخدمة",
        tags=["دير الزور", "الميادين", "اعتقالات"],
        body=[
            "شنّت الأجهزة الأمنية حملة اعتقالات في مدينة الميادين بريف دير الزور الشرقي، طالت أكثر من عشرين شابًا، بتهمة التخلف عن الخدمة الإلزامية والاحتياطية.",
            "وأفاد ناشطون من المدينة بأن الدوريات انتشرت عند مداخل الأسواق وفي محيط الجامع الكبير، وأن عددًا من المعتقلين نُقلوا إلى مدينة دير الزور.",
            "ويعيش سكان المدن الواقعة غرب الفرات حالة من القلق الدائم بسبب الحملات المتكررة، ما يدفع كثيرًا من الشبان إلى محاولة العبور نحو الضفة الشرقية أو مغادرة البلاد.",
        ]))
    A.append(dict(
        id=175206, cat=41, author="samer-alahmad", date=d("2026-11-25 11:00"), mod=d("2026-11-25 12:15"),
        title="تراجع إنتاج القمح في دير الزور والحسكة بسبب شح الأمطار",
        tags=["دير الزور", "الحسكة", "الزراعة", "القمح"],
        body=[
            "توقع مزارعون في ريفي دير الزور والحسكة تراجعًا كبيرًا في إنتاج القمح هذا الموسم، بسبب شح الأمطار وارتفاع تكاليف الري والأسمدة وانخفاض منسوب نهر الفرات.",
            "وقال مزارع من قرية الصور إن تكلفة ري الدونم الواحد تضاعفت خلال عامين، وإن كثيرًا من المزارعين تركوا أراضيهم من دون زراعة هذا العام.",
            "ويحذر مختصون من أن استمرار الجفاف سيؤثر في الأمن الغذائي للمنطقة الشرقية، التي كانت تعدّ سلة سورية الغذائية قبل عام 2011.",
        ]))
    A.append(dict(
        id=175207, cat=21, author="jeroun", date=d("2026-11-26 18:35"), mod=d("2026-11-26 18:35"),
        title="قصف مدفعي يستهدف قرى في ريف إدلب الجنوبي",
        tags=["إدلب", "قصف"],
        body=[
            "استهدفت قوات النظام بالقذائف المدفعية قرى في جبل الزاوية بريف إدلب الجنوبي، ما أدى إلى أضرار مادية في منازل المدنيين وحالة نزوح محدودة نحو المخيمات الحدودية.",
            "وذكرت فرق الدفاع المدني أنها استجابت لعدة مواقع مستهدفة، ولم تسجل إصابات بشرية حتى ساعة إعداد هذا الخبر.",
            "ويأتي التصعيد في ظل هدوء حذر تشهده خطوط التماس منذ أشهر، تتخلله خروقات متكررة من الطرفين.",
        ]))
    A.append(dict(
        id=175208, cat=21, author="samer-alahmad", date=d("2026-11-27 09:15"), mod=d("2026-11-27 09:50"),
        title="اشتباكات عشائرية في بلدة ذيبان شرق دير الزور تخلّف قتيلين",
        tags=["دير الزور", "ذيبان", "العشائر"],
        relative_date="منذ 4 ساعات",
        body=[
            "قُتل شخصان وأصيب ثلاثة آخرون، فجر اليوم الجمعة، في اشتباكات بين أبناء عشيرتين في بلدة ذيبان بريف دير الزور الشرقي، على خلفية نزاع قديم على أرض زراعية.",
            "وقال مصدر محلي لـ (جيرون) إن وجهاء من المنطقة تدخلوا لوقف الاشتباكات، وإن قوى الأمن الداخلي انتشرت في البلدة وأقامت حواجز على مداخلها.",
            "وتتكرر النزاعات العشائرية في ريف دير الزور الشرقي في ظل انتشار السلاح وضعف مؤسسات القضاء، بحسب ناشطين يطالبون بحلول تنهي دوامة الثأر.",
        ]))
    for a in A:
        a["link"] = f"{GEIROON}/archives/{a['id']}"
        a["shortlink"] = f"{GEIROON}/?p={a['id']}"
    return A


def jannah_head(title: str, canonical: str, extra: str, body_class: str, site_name: str, origin: str,
                desc: str) -> str:
    return f"""<!DOCTYPE html>
<html dir="rtl" lang="ar" class="" data-skin="light">
<head>
	<meta charset="UTF-8" />
	<link rel="profile" href="https://gmpg.org/xfn/11" />
	<title>{esc(title)}</title>
<meta name='robots' content='max-image-preview:large' />
<link rel='dns-prefetch' href='//fonts.googleapis.com' />
<link rel="alternate" type="application/rss+xml" title="{esc(site_name)} &laquo; الخلاصة" href="{origin}/feed/" />
<link rel="alternate" type="application/rss+xml" title="{esc(site_name)} &laquo; خلاصة التعليقات" href="{origin}/comments/feed/" />
<meta name="description" content="{esc(desc)}" />
<meta property="og:title" content="{esc(title)}" />
<meta property="og:type" content="{'article' if 'single-post' in body_class else 'website'}" />
<meta property="og:description" content="{esc(desc)}" />
<meta property="og:url" content="{canonical}" />
<meta property="og:site_name" content="{esc(site_name)}" />
<meta property="og:locale" content="ar_AR" />
<meta name="twitter:card" content="summary_large_image" />
<meta name="viewport" content="width=device-width, initial-scale=1.0" />
<link rel='stylesheet' id='tie-css-base-css' href='{origin}/wp-content/themes/jannah/assets/css/base.min.css?ver=7.1.0' type='text/css' media='all' />
<link rel='stylesheet' id='tie-css-styles-css' href='{origin}/wp-content/themes/jannah/assets/css/style.min.css?ver=7.1.0' type='text/css' media='all' />
<script type="text/javascript" src="{origin}/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" id="jquery-core-js"></script>
<link rel="https://api.w.org/" href="{origin}/wp-json/" />
<link rel="EditURI" type="application/rsd+xml" title="RSD" href="{origin}/xmlrpc.php?rsd" />
<meta name="generator" content="WordPress 6.6.2" />
{extra}<link rel="icon" href="{origin}/wp-content/uploads/2019/04/cropped-favicon-32x32.png" sizes="32x32" />
</head>

<body id="tie-body" class="{body_class}">
"""


def jannah_header(origin: str, site_name: str, logo_alt: str, menu: list[tuple[str, str]],
                  breaking: list[dict], handle: str = "geiroon") -> str:
    menu_html = "\n".join(
        f'\t\t\t\t<li id="menu-item-{100 + i}" class="menu-item menu-item-type-taxonomy menu-item-object-category menu-item-{100 + i}"><a href="{u}">{esc(t)}</a></li>'
        for i, (t, u) in enumerate(menu))
    ticker = "\n".join(
        f'\t\t\t\t\t<li><a href="{b["link"]}" title="{esc(b["title"])}">{esc(b["title"])}</a></li>'
        for b in breaking)
    return f"""<div class="background-overlay">
<div id="tie-container" class="site tie-container">
<div id="tie-wrapper">
<header id="theme-header" class="theme-header header-layout-3 main-nav-dark main-nav-default-dark main-nav-below no-stream-item top-nav-active top-nav-light top-nav-default-light top-nav-above has-shadow is-stretch-header has-normal-width-logo mobile-header-default">
	<nav id="top-nav" class="has-date-breaking-components top-nav header-nav has-breaking-news" aria-label="الشريط العلوي">
		<div class="container">
			<div class="topbar-wrapper">
				<div class="topbar-today-date">الجمعة, 27 نوفمبر 2026</div>
				<div class="tie-alignleft">
					<div class="breaking controls-is-active">
						<span class="breaking-title">
							<span class="tie-icon-bolt breaking-icon" aria-hidden="true"></span>
							<span class="breaking-title-text">عاجل</span>
						</span>
						<ul id="breaking-news-in-header" class="breaking-news" data-type="reveal" data-arrows="true">
{ticker}
						</ul>
					</div><!-- #breaking /-->
				</div><!-- .tie-alignleft /-->
				<div class="tie-alignright">
					<ul class="components">
						<li class="social-icons-item"><a class="social-link facebook-social-icon" rel="external noopener nofollow" target="_blank" href="https://www.facebook.com/{handle}"><span class="tie-social-icon tie-icon-facebook"></span><span class="screen-reader-text">فيسبوك</span></a></li>
						<li class="social-icons-item"><a class="social-link twitter-social-icon" rel="external noopener nofollow" target="_blank" href="https://twitter.com/{handle}"><span class="tie-social-icon tie-icon-twitter"></span><span class="screen-reader-text">X</span></a></li>
						<li class="social-icons-item"><a class="social-link telegram-social-icon" rel="external noopener nofollow" target="_blank" href="https://t.me/{handle}"><span class="tie-social-icon tie-icon-paper-plane"></span><span class="screen-reader-text">تيلقرام</span></a></li>
					</ul>
				</div>
			</div>
		</div>
	</nav><!-- #top-nav /-->
	<div class="container header-container">
		<div class="tie-row logo-row">
			<div class="logo-wrapper">
				<div class="tie-col-md-4 logo-container clearfix">
					<div id="logo" class="image-logo">
						<a title="{esc(site_name)}" href="{origin}/">
							<picture class="tie-logo-default tie-logo-picture"><img class="tie-logo-img-default tie-logo-img" src="{origin}/wp-content/uploads/logo.png" alt="{esc(logo_alt)}" width="300" height="90" /></picture>
						</a>
					</div><!-- #logo /-->
				</div>
			</div>
		</div>
	</div>
	<div class="main-nav-wrapper">
		<nav id="main-nav" class="main-nav header-nav" aria-label="القائمة الرئيسية">
			<div class="container">
				<div class="main-menu-wrapper">
					<div id="menu-components-wrap">
						<div class="main-menu main-menu-wrap tie-alignleft">
							<div id="main-nav-menu" class="main-menu header-menu"><ul id="menu-main" class="menu" role="menubar">
				<li id="menu-item-99" class="menu-item menu-item-type-custom menu-item-object-custom menu-item-home menu-item-99"><a href="{origin}/">الرئيسية</a></li>
{menu_html}
							</ul></div>
						</div>
						<ul class="components">
							<li class="search-compact-icon menu-item custom-menu-link"><a href="#" class="tie-search-trigger"><span class="tie-icon-search tie-search-icon" aria-hidden="true"></span><span class="screen-reader-text">بحث عن</span></a></li>
						</ul>
					</div>
				</div>
			</div>
		</nav><!-- #main-nav /-->
	</div>
</header>
"""


def jannah_sidebar(origin: str, popular: list[dict], latest: list[dict], tags: list[str]) -> str:
    def lst(items):
        return "\n".join(f"""					<li class="widget-single-post-item widget-post-list tie-standard">
						<div class="post-widget-thumbnail"><a aria-label="{esc(p['title'])}" href="{p['link']}" class="post-thumb"><img width="220" height="150" src="{origin}/wp-content/uploads/2026/11/{p['id']}-220x150.jpg" class="attachment-jannah-image-small size-jannah-image-small tie-small-image wp-post-image" alt="" /></a></div>
						<div class="post-widget-body ">
							<a class="post-title the-subtitle" href="{p['link']}">{esc(p['title'])}</a>
							<div class="post-meta"><span class="date meta-item tie-icon">{ar_date(p['date'])}</span></div>
						</div>
					</li>""" for p in items)
    tagc = " ".join(f'<a href="{origin}/archives/tag/{pct(t.replace(" ", "-"))}" class="tag-cloud-link" style="font-size: 12pt;">{esc(t)}</a>' for t in tags)
    return f"""	<aside class="sidebar tie-col-md-4 tie-col-xs-12 normal-side is-sticky" aria-label="القائمة الجانبية الرئيسية">
		<div class="theiaStickySidebar">
			<div id="posts-list-widget-2" class="container-wrapper widget posts-list">
				<div class="widget-title the-global-title"><div class="the-subtitle">الأكثر قراءة</div></div>
				<div class="widget-posts-list-wrapper"><div class="widget-posts-list-container"><ul class="posts-list-items widget-posts-wrapper">
{lst(popular)}
				</ul></div></div>
				<div class="clearfix"></div>
			</div><!-- .widget /-->
			<div id="posts-list-widget-3" class="container-wrapper widget posts-list">
				<div class="widget-title the-global-title"><div class="the-subtitle">آخر الأخبار</div></div>
				<div class="widget-posts-list-wrapper"><div class="widget-posts-list-container"><ul class="posts-list-items widget-posts-wrapper">
{lst(latest)}
				</ul></div></div>
				<div class="clearfix"></div>
			</div><!-- .widget /-->
			<div id="tag_cloud-2" class="container-wrapper widget widget_tag_cloud">
				<div class="widget-title the-global-title"><div class="the-subtitle">الوسوم</div></div>
				<div class="tagcloud">{tagc}</div>
				<div class="clearfix"></div>
			</div><!-- .widget /-->
			<div id="tie-newsletter-1" class="container-wrapper widget subscribe-widget">
				<div class="widget-inner-wrap">
					<span class="tie-icon-envelope newsletter-icon" aria-hidden="true"></span>
					<div class="subscribe-widget-content"><h4>النشرة البريدية</h4><p>اشترك في النشرة البريدية ليصلك كل جديد.</p></div>
					<form action="#" method="post" class="subscribe-form"><input class="subscribe-input required email" type="email" name="EMAIL" placeholder="عنوان البريد الإلكتروني" /><input class="button subscribe-submit" type="submit" value="اشترك" /></form>
				</div>
			</div>
		</div>
	</aside><!-- .sidebar /-->
"""


def jannah_footer(origin: str, site_name: str, copyright_: str, links: list[dict], extra_js: str) -> str:
    lst = "\n".join(f'\t\t\t\t\t\t<li><a href="{p["link"]}">{esc(p["title"])}</a></li>' for p in links)
    return f"""	<footer id="footer" class="site-footer dark-skin dark-widgetized-area">
		<div id="footer-widgets-container">
			<div class="container">
				<div class="footer-widget-area ">
					<div class="tie-row">
						<div class="tie-col-md-4 normal-side">
							<div id="text-2" class="container-wrapper widget widget_text"><div class="widget-title the-global-title"><div class="the-subtitle">عن الموقع</div></div>
								<div class="textwidget"><p>{esc(site_name)} — موقع إخباري سوري مستقل يهتم بالشأن السوري العام وأخبار المحافظات.</p></div>
							</div>
						</div>
						<div class="tie-col-md-4 normal-side">
							<div id="recent-posts-3" class="container-wrapper widget widget_recent_entries"><div class="widget-title the-global-title"><div class="the-subtitle">أحدث المقالات</div></div>
					<ul>
{lst}
					</ul>
							</div>
						</div>
					</div>
				</div>
			</div>
		</div>
		<div id="site-info" class="site-info site-info-layout-2">
			<div class="container">
				<div class="tie-row">
					<div class="tie-col-md-12">
						<div class="copyright-text copyright-text-first">{copyright_}</div>
						<div class="footer-menu"><ul id="menu-footer" class="menu"><li class="menu-item"><a href="{origin}/about/">من نحن</a></li><li class="menu-item"><a href="{origin}/contact/">اتصل بنا</a></li><li class="menu-item"><a href="{origin}/privacy-policy/">سياسة الخصوصية</a></li></ul></div>
					</div>
				</div>
			</div>
		</div><!-- .site-info /-->
	</footer><!-- #footer /-->
	<a id="go-to-top" class="go-to-top-button" href="#go-to-tie-body"><span class="tie-icon-angle-up"></span><span class="screen-reader-text">زر الذهاب إلى الأعلى</span></a>
	</div><!-- #tie-wrapper /-->
</div><!-- #tie-container /-->
</div><!-- .background-overlay /-->
<script type="text/javascript" id="tie-scripts-js-extra">
/* <![CDATA[ */
var tie = {{"is_rtl":"1","ajaxurl":"{origin.replace('/', chr(92) + '/')}\\/wp-admin\\/admin-ajax.php","is_taqyeem_active":"","is_sticky_video":"","mobile_menu_top":"","mobile_menu_active":"area","mobile_menu_parent":"","lightbox_all":"true","lightbox_gallery":"true","lightbox_skin":"dark","lightbox_thumb":"vertical","lightbox_arrows":"true","is_singular":"1","autoload_posts":"","reading_indicator":"true","lazyload":"","select_share":"true","select_share_twitter":"","select_share_facebook":"","select_share_linkedin":"","select_share_email":"","facebook_app_id":"5303202981","twitter_username":"","responsive_tables":"true","ad_blocker_detector":"","sticky_behavior":"default","sticky_desktop":"true","sticky_mobile":"true","sticky_mobile_behavior":"default","ajax_loader":"<div class=\\"loader-overlay\\"><div class=\\"spinner-circle\\"><\\/div><\\/div>","type_to_search":"","lang_no_results":"\\u0644\\u0645 \\u064a\\u062a\\u0645 \\u0627\\u0644\\u0639\\u062b\\u0648\\u0631 \\u0639\\u0644\\u0649 \\u0646\\u062a\\u0627\\u0626\\u062c","sticky_share_mobile":"true","sticky_share_post":""}};
/* ]]> */
</script>
<script type="text/javascript" src="{origin}/wp-content/themes/jannah/assets/js/scripts.min.js?ver=7.1.0" id="tie-scripts-js"></script>
{extra_js}</body>
</html>
"""


def geiroon_article_page(a: dict, arts: list[dict]) -> str:
    o = GEIROON
    cat_name, cat_slug = GEIROON_CATS[a["cat"]]
    aname, aid, abio = GEIROON_AUTHORS[a["author"]]
    others = [x for x in arts if x["id"] != a["id"]]
    newest = sorted(arts, key=lambda x: x["date"], reverse=True)
    related = [x for x in others if "دير الزور" in x["tags"]][:3] or others[:3]
    check_also = others[-1]
    desc = excerpt(a["body"], 150).replace(" [&hellip;]", "")
    schema = {
        "@context": "http://schema.org", "@type": "Article",
        "dateCreated": iso(a["date"]), "datePublished": iso(a["date"]), "dateModified": iso(a["mod"]),
        "headline": a["title"], "name": a["title"], "keywords": ",".join(a["tags"]),
        "url": a["link"], "description": desc,
        "copyrightYear": str(a["date"].year), "articleSection": cat_name, "articleBody": "\n".join(a["body"]),
        "publisher": {"@id": "#Publisher", "@type": "Organization", "name": "جيرون",
                      "logo": {"@type": "ImageObject", "url": f"{o}/wp-content/uploads/2019/04/logo.png"},
                      "sameAs": ["https://www.facebook.com/geiroon", "https://twitter.com/geiroon"]},
        "sourceOrganization": {"@id": "#Publisher"}, "copyrightHolder": {"@id": "#Publisher"},
        "mainEntityOfPage": {"@type": "WebPage", "@id": a["link"], "breadcrumb": {"@id": "#Breadcrumb"}},
        "author": {"@type": "Person", "name": aname, "url": f"{o}/archives/author/{a['author']}"},
        "image": {"@type": "ImageObject", "url": f"{o}/wp-content/uploads/2026/11/{a['id']}.jpg", "width": 1200, "height": 675},
    }
    extra = (f'<link rel="canonical" href="{a["link"]}" />\n'
             f'<link rel=\'shortlink\' href=\'{a["shortlink"]}\' />\n'
             f'<link rel="alternate" title="JSON" type="application/json" href="{o}/wp-json/wp/v2/posts/{a["id"]}" />\n'
             f'<link rel="alternate" type="application/json+oembed" href="{o}/wp-json/oembed/1.0/embed?url={urllib.parse.quote(a["link"], safe="")}" />\n'
             f'<meta property="og:image" content="{o}/wp-content/uploads/2026/11/{a["id"]}.jpg" />\n'
             f'<script id="tie-schema-json" type="application/ld+json">{json.dumps(schema, ensure_ascii=False).replace("/", chr(92) + "/")}</script>\n')
    head = jannah_head(f"{a['title']} - جيرون", a["link"], extra,
                       f"rtl post-template-default single single-post postid-{a['id']} single-format-standard "
                       f"tie-no-js wrapper-has-shadow block-head-1 magazine2 is-thumb-overlay-disabled is-desktop "
                       f"is-header-layout-3 sidebar-left has-sidebar post-layout-1 narrow-title-narrow-media "
                       f"is-standard-format has-mobile-share hide_share_post_top",
                       "جيرون", o, desc)
    menu = [(GEIROON_CATS[c][0], f"{o}/archives/category/{c}") for c in (21, 34, 41, 47, 52)]
    header = jannah_header(o, "جيرون", "جيرون", menu, newest[:4])
    date_text = a.get("relative_date") or ar_date(a["date"])
    body = "\n\n".join(f"<p>{esc(p, quote=False)}</p>" for p in a["body"])
    tags = "".join(f'<a href="{o}/archives/tag/{pct(t.replace(" ", "-"))}" rel="tag">{esc(t)}</a>' for t in a["tags"])
    share = f"""			<div id="share-buttons-bottom" class="share-buttons share-buttons-bottom">
				<div class="share-links  icons-only">
					<a href="https://www.facebook.com/sharer.php?u={a['link']}" rel="external noopener nofollow" title="فيسبوك" target="_blank" class="facebook-share-btn " data-raw="https://www.facebook.com/sharer.php?u={{post_link}}"><span class="share-btn-icon tie-icon-facebook"></span> <span class="screen-reader-text">فيسبوك</span></a>
					<a href="https://twitter.com/intent/tweet?text={urllib.parse.quote(a['title'])}&#038;url={a['shortlink']}" rel="external noopener nofollow" title="X" target="_blank" class="twitter-share-btn "><span class="share-btn-icon tie-icon-twitter"></span> <span class="screen-reader-text">X</span></a>
					<a href="https://api.whatsapp.com/send?text={urllib.parse.quote(a['title'])}%20{urllib.parse.quote(a['link'], safe='')}" rel="external noopener nofollow" title="واتساب" target="_blank" class="whatsapp-share-btn "><span class="share-btn-icon tie-icon-whatsapp"></span> <span class="screen-reader-text">واتساب</span></a>
					<a href="https://telegram.me/share/url?url={a['link']}&text={urllib.parse.quote(a['title'])}" rel="external noopener nofollow" title="تيلقرام" target="_blank" class="telegram-share-btn "><span class="share-btn-icon tie-icon-paper-plane"></span> <span class="screen-reader-text">تيلقرام</span></a>
					<a href="#" rel="external noopener nofollow" title="طباعة" target="_blank" class="print-share-btn "><span class="share-btn-icon tie-icon-print"></span> <span class="screen-reader-text">طباعة</span></a>
				</div><!-- .share-links /-->
			</div><!-- .share-buttons /-->"""
    rel = "\n".join(f"""				<div class="related-item tie-standard">
					<a aria-label="{esc(r['title'])}" href="{r['link']}" class="post-thumb"><img width="390" height="220" src="{o}/wp-content/uploads/2026/11/{r['id']}-390x220.jpg" class="attachment-jannah-image-large size-jannah-image-large wp-post-image" alt="" /></a>
					<h3 class="post-title"><a href="{r['link']}">{esc(r['title'])}</a></h3>
					<div class="post-meta clearfix"><span class="date meta-item tie-icon">{ar_date(r['date'])}</span></div><!-- .post-meta -->
				</div>""" for r in related)
    main = f"""<div id="content" class="site-content container"><div id="main-content-row" class="tie-row main-content-row">

<div class="main-content tie-col-md-8 tie-col-xs-12" role="main">

	<article id="the-post" class="container-wrapper post-content tie-standard">

		<header class="entry-header-outer">
			<nav id="breadcrumb"><a href="{o}/"><span class="tie-icon-home" aria-hidden="true"></span> الرئيسية</a><em class="delimiter">/</em><a href="{o}/archives/category/{a['cat']}">{esc(cat_name)}</a><em class="delimiter">/</em><span class="current">{esc(a['title'])}</span></nav>
			<div class="entry-header">
				<span class="post-cat-wrap"><a class="post-cat tie-cat-{a['cat']}" href="{o}/archives/category/{a['cat']}">{esc(cat_name)}</a></span>
				<h1 class="post-title entry-title">{esc(a['title'])}</h1>
				<div class="single-post-meta post-meta clearfix"><span class="author-meta single-author with-avatars"><span class="meta-item meta-author-wrapper meta-author-{aid}">
						<span class="meta-author-avatar">
							<a href="{o}/archives/author/{a['author']}"><img alt='صورة {esc(aname)}' src='https://secure.gravatar.com/avatar/{aid:032x}?s=140&#038;d=mm&#038;r=g' class='avatar avatar-140 photo' height='140' width='140' /></a>
						</span>
					<span class="meta-author"><a href="{o}/archives/author/{a['author']}" class="author-name tie-author-link" title="{esc(aname)}">{esc(aname)}</a></span></span></span><span class="date meta-item tie-icon">{date_text}</span><div class="tie-alignright"><span class="meta-comment tie-icon meta-item fa-before">{a['id'] % 3}</span><span class="meta-views meta-item "><span class="tie-icon-fire" aria-hidden="true"></span> {a['id'] % 997 + 120} </span><span class="meta-reading-time meta-item"><span class="tie-icon-bookmark" aria-hidden="true"></span> {max(1, len(' '.join(a['body']).split()) // 200)} دقائق</span></div></div><!-- .post-meta -->
			</div><!-- .entry-header /-->
		</header><!-- .entry-header-outer /-->

		<div class="featured-area"><div class="featured-area-inner"><figure class="single-featured-image"><img width="780" height="470" src="{o}/wp-content/uploads/2026/11/{a['id']}-780x470.jpg" class="attachment-jannah-image-post size-jannah-image-post wp-post-image" alt="" decoding="async" /><figcaption class="single-caption-text"><span class="tie-icon-camera" aria-hidden="true"></span> صورة أرشيفية</figcaption></figure></div></div>

		<div class="entry-content entry clearfix">

{body}

		</div><!-- .entry-content /-->

		<div id="post-extra-info">
			<div class="theiaStickySidebar">
				<div class="single-post-meta post-meta clearfix"><span class="date meta-item tie-icon">{ar_date(a['date'])}</span></div>
			</div>
		</div>
		<div class="clearfix"></div>
		<script id="tie-schema-json-breadcrumb" type="application/ld+json">{{"@context":"http:\\/\\/schema.org","@type":"BreadcrumbList","@id":"#Breadcrumb","itemListElement":[{{"@type":"ListItem","position":1,"item":{{"name":"\\u0627\\u0644\\u0631\\u0626\\u064a\\u0633\\u064a\\u0629","@id":"https:\\/\\/geiroon.net\\/"}}}}]}}</script>

{share}

	</article><!-- #the-post /-->

	<div class="post-components">

		<div class="about-author container-wrapper about-author-{aid}">
			<div class="author-box-title screen-reader-text">Author</div>
			<div class="author-avatar"><a href="{o}/archives/author/{a['author']}"><img alt='صورة {esc(aname)}' src='https://secure.gravatar.com/avatar/{aid:032x}?s=180&#038;d=mm&#038;r=g' class='avatar avatar-180 photo' height='180' width='180' /></a></div><!-- .author-avatar /-->
			<div class="author-info">
				<h3 class="author-name"><a href="{o}/archives/author/{a['author']}">{esc(aname)}</a></h3>
				<div class="author-bio">{esc(abio)}</div><!-- .author-bio /-->
				<ul class="social-icons"></ul>
			</div><!-- .author-info /-->
			<div class="clearfix"></div>
		</div><!-- .about-author /-->

		<div class="post-bottom-meta post-bottom-tags post-tags-modern"><div class="post-bottom-meta-title"><span class="tie-icon-tags" aria-hidden="true"></span> الوسوم</div><span class="tagcloud">{tags}</span></div>

		<div id="related-posts" class="container-wrapper has-extra-post">
			<div class="mag-box-title the-global-title"><h3>مقالات ذات صلة</h3></div>
			<div class="related-posts-list">
{rel}
			</div>
		</div><!-- #related-posts /-->

		<div id="comments" class="comments-area">
			<div id="add-comment-block" class="container-wrapper">
				<div id="respond" class="comment-respond">
					<h3 id="reply-title" class="comment-reply-title the-global-title">اترك تعليقاً <small><a rel="nofollow" id="cancel-comment-reply-link" href="{a['link']}#respond" style="display:none;">إلغاء الرد</a></small></h3>
					<form action="{o}/wp-comments-post.php" method="post" id="commentform" class="comment-form"><p class="comment-notes"><span id="email-notes">لن يتم نشر عنوان بريدك الإلكتروني.</span> الحقول الإلزامية مشار إليها بـ <span class="required">*</span></p><p class="comment-form-comment"><label for="comment">التعليق</label> <textarea id="comment" name="comment" cols="45" rows="8" maxlength="65525" required></textarea></p><p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="إرسال التعليق" /> <input type='hidden' name='comment_post_ID' value='{a['id']}' id='comment_post_ID' /></p></form>
				</div><!-- #respond -->
			</div><!-- #add-comment-block /-->
		</div><!-- .comments-area -->

	</div><!-- .post-components /-->

	<div id="check-also-box" class="container-wrapper check-also-right">
		<div class="widget-title the-global-title">
			<div class="the-subtitle">شاهد أيضاً</div>
			<a href="#" id="check-also-close" class="remove"><span class="screen-reader-text">إغلاق</span></a>
		</div>
		<div class="widget posts-list-big-first has-first-big-post">
			<ul class="posts-list-items">
				<li class="widget-single-post-item widget-post-list tie-standard">
					<div class="post-widget-thumbnail"><a aria-label="{esc(check_also['title'])}" href="{check_also['link']}" class="post-thumb"><img width="390" height="220" src="{o}/wp-content/uploads/2026/11/{check_also['id']}-390x220.jpg" alt="" /></a></div>
					<div class="post-widget-body "><a class="post-title the-subtitle" href="{check_also['link']}">{esc(check_also['title'])}</a><div class="post-meta"><span class="date meta-item tie-icon">{ar_date(check_also['date'])}</span></div></div>
				</li>
			</ul>
		</div>
	</div><!-- #related-posts /-->

</div><!-- .main-content -->

{jannah_sidebar(o, sorted(others, key=lambda x: x['id'] % 5)[:4], newest[:5], ['دير الزور', 'قسد', 'الحسكة', 'إدلب', 'دمشق', 'الاقتصاد'])}
	</div><!-- .main-content-row /--></div><!-- #content /-->
"""
    footer = jannah_footer(o, "جيرون", "&copy; حقوق النشر 2026، جميع الحقوق محفوظة &nbsp;|&nbsp; جيرون — مركز حرمون للدراسات المعاصرة",
                           newest[:5], "")
    return head + header + main + footer


def jannah_listing_items(o: str, arts: list[dict], cats: dict) -> str:
    return "\n".join(f"""					<li class="post-item  post-{a['id']} post type-post status-publish format-standard has-post-thumbnail category-{cats[a['cat']][1]} tie-standard">
						<a aria-label="{esc(a['title'])}" href="{a['link']}" class="post-thumb"><span class="post-cat-wrap"><span class="post-cat tie-cat-{a['cat']}">{esc(cats[a['cat']][0])}</span></span><img width="390" height="220" src="{o}/wp-content/uploads/2026/11/{a['id']}-390x220.jpg" class="attachment-jannah-image-large size-jannah-image-large wp-post-image" alt="" /></a>
						<div class="post-details">
							<div class="post-meta clearfix"><span class="author-meta single-author no-avatars"><span class="meta-item meta-author-wrapper"><span class="meta-author"><a href="{o}/{'archives/author/' + a['author'] if a['author'] in GEIROON_AUTHORS else 'author/' + a.get('aslug', '') + '/'}" class="author-name tie-author-link">{esc(GEIROON_AUTHORS[a['author']][0] if a['author'] in GEIROON_AUTHORS else a['author'])}</a></span></span></span><span class="date meta-item tie-icon">{ar_date(a['date'])}</span></div><!-- .post-meta -->
							<h2 class="post-title"><a href="{a['link']}">{esc(a['title'])}</a></h2>
							<p class="post-excerpt">{excerpt(a['body'], 140)}</p>
							<a class="more-link button" href="{a['link']}">أكمل القراءة &raquo;</a>
						</div>
					</li>""" for a in arts)


def geiroon_listing(arts: list[dict], title: str, canonical: str, body_class: str, page: int, pages: int,
                    base: str, all_arts: list[dict], o: str = GEIROON, cats: dict = GEIROON_CATS,
                    site: str = "جيرون", handle: str = "geiroon", copyright_: str | None = None,
                    menu: list | None = None) -> str:
    all_arts = all_arts or arts
    newest = sorted(all_arts, key=lambda x: x["date"], reverse=True)
    extra = f'<link rel="canonical" href="{canonical}" />\n'
    if page < pages:
        extra += f'<link rel="next" href="{base}page/{page + 1}/" />\n'
    if page > 1:
        prev = base if page == 2 else f"{base}page/{page - 1}/"
        extra += f'<link rel="prev" href="{prev}" />\n'
    head = jannah_head(title, canonical, extra, body_class, site, o, f"{site} — موقع إخباري سوري")
    menu = menu or [(GEIROON_CATS[c][0], f"{o}/archives/category/{c}") for c in (21, 34, 41, 47, 52)]
    header = jannah_header(o, site, site, menu, newest[:4], handle=handle)
    nav = ""
    if page < pages:
        nav += f'<span class="last-page first-last-pages"><a href="{base}page/{page + 1}/" ><span class="pagination-icon" aria-hidden="true"></span>الصفحة التالية</a></span>'
    if page > 1:
        prev = base if page == 2 else f"{base}page/{page - 1}/"
        nav += f'<span class="first-page first-last-pages"><a href="{prev}" ><span class="pagination-icon" aria-hidden="true"></span>الصفحة السابقة</a></span>'
    main = f"""<div id="content" class="site-content container"><div id="main-content-row" class="tie-row main-content-row">
<div class="main-content tie-col-md-8 tie-col-xs-12" role="main">
	<header class="entry-header-outer container-wrapper">
		<nav id="breadcrumb"><a href="{o}/"><span class="tie-icon-home" aria-hidden="true"></span> الرئيسية</a><em class="delimiter">/</em><span class="current">{esc(title.split(' - ')[0])}</span></nav>
		<h1 class="page-title">{esc(title.split(' - ')[0])}</h1>
	</header><!-- .entry-header-outer /-->
	<div class="mag-box wide-post-box">
		<div class="container-wrapper">
			<div class="mag-box-container clearfix">
				<ul id="posts-container" data-layout="default" data-settings="{{'uncropped_image':'jannah-image-post','category_meta':true,'post_meta':true,'excerpt':'true','excerpt_length':'20','read_more':'true'}}" class="posts-items">
{jannah_listing_items(o, arts, cats)}
				</ul><!-- #posts-container /-->
				<div class="clearfix"></div>
			</div><!-- .mag-box-container /-->
		</div><!-- .container-wrapper /-->
	</div><!-- .mag-box /-->
	<div class="pages-nav"><div class="pages-numbers pages-standard">{nav}</div></div>
</div><!-- .main-content /-->
{jannah_sidebar(o, newest[3:7], newest[:5], ['دير الزور', 'قسد', 'الحسكة', 'إدلب', 'دمشق'])}
	</div><!-- .main-content-row /--></div><!-- #content /-->
"""
    footer = jannah_footer(o, site, copyright_ or "&copy; حقوق النشر 2026، جميع الحقوق محفوظة &nbsp;|&nbsp; جيرون — مركز حرمون للدراسات المعاصرة",
                           newest[:5], "")
    return head + header + main + footer


def wp_rest_post(a: dict, cat_ids: list[int], author_id: int, slug: str) -> dict:
    def naive(t):
        return t.replace(tzinfo=None).isoformat()

    def gmt(t):
        return t.astimezone(dt.timezone.utc).replace(tzinfo=None).isoformat()
    content = "".join(f"<p>{esc(p, quote=False)}</p>\n" for p in a["body"])
    origin = a["link"].split("/", 3)
    origin = "/".join(origin[:3])
    return {
        "id": a["id"], "date": naive(a["date"]), "date_gmt": gmt(a["date"]),
        "guid": {"rendered": f"{origin}/?p={a['id']}"},
        "modified": naive(a["mod"]), "modified_gmt": gmt(a["mod"]),
        "slug": slug, "status": "publish", "type": "post", "link": a["link"],
        "title": {"rendered": esc(a["title"], quote=False)},
        "content": {"rendered": content, "protected": False},
        "excerpt": {"rendered": f"<p>{excerpt(a['body'])}</p>\n", "protected": False},
        "author": author_id, "featured_media": a["id"] + 90000, "comment_status": "open", "ping_status": "closed",
        "sticky": False, "template": "", "format": "standard", "meta": {"footnotes": ""},
        "categories": cat_ids, "tags": [],
        "_links": {"self": [{"href": f"{origin}/wp-json/wp/v2/posts/{a['id']}"}],
                   "collection": [{"href": f"{origin}/wp-json/wp/v2/posts"}],
                   "author": [{"embeddable": True, "href": f"{origin}/wp-json/wp/v2/users/{author_id}"}]},
    }


def sitemap_index(entries: list[tuple[str, dt.datetime | None]], wp_core: bool) -> str:
    style = ('<?xml-stylesheet type="text/xsl" href="https://geiroon.net/wp-sitemap-index.xsl" ?>\n' if wp_core else "")
    rows = "".join(f"<sitemap><loc>{u}</loc>" + (f"<lastmod>{iso(t)}</lastmod>" if t else "") + "</sitemap>"
                   for u, t in entries)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{style}<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</sitemapindex>\n'


def urlset(entries: list[tuple[str, dt.datetime | None]], style: str = "") -> str:
    rows = "".join(f"<url><loc>{u}</loc>" + (f"<lastmod>{iso(t)}</lastmod>" if t else "") + "</url>"
                   for u, t in entries)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{style}<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</urlset>\n'


def build_geiroon() -> None:
    root = SITES / "geiroon"
    if root.exists():
        shutil.rmtree(root)
    o = GEIROON
    arts = geiroon_articles()
    newest = sorted(arts, key=lambda x: x["date"], reverse=True)
    write(root / "_site.json", json.dumps({"origin": o, "aliases": ["https://www.geiroon.net", "http://geiroon.net",
                                                                   "http://www.geiroon.net"]}, indent=2) + "\n")
    # WordPress answers 404 past the last feed page
    write(root / "_faults.json", json.dumps({"/feed/?paged=3": {"status": 404}}, indent=2) + "\n")
    write(root / "robots.txt", robots(o, ["/wp-sitemap.xml"]))
    redirects = {f"/?p={a['id']}": f"/archives/{a['id']}" for a in arts}
    write(root / "_redirects.json", json.dumps(redirects, indent=2) + "\n")
    for a in arts:
        write(root / "archives" / f"{a['id']}.html", geiroon_article_page(a, arts), a["mod"])
    # feed: 5 newest on page 1, 3 older on page 2
    def item(a):
        return dict(title=a["title"], link=a["link"], guid=a["shortlink"], author=GEIROON_AUTHORS[a["author"]][0],
                    date=a["date"], categories=[GEIROON_CATS[a["cat"]][0]] + a["tags"],
                    description=f"<p>{excerpt(a['body'])}</p>\n<p>ظهرت المقالة <a rel=\"nofollow\" href=\"{a['link']}\">{esc(a['title'])}</a> أولاً على <a rel=\"nofollow\" href=\"{o}\">جيرون</a>.</p>",
                    comments=a["id"] % 3)
    desc = "موقع إخباري سوري"
    write(root / "feed" / "index.xml", rss(o, "جيرون", desc, [item(a) for a in newest[:5]], "/feed/",
                                           newest[0]["mod"]), newest[0]["mod"])
    write(root / "feed" / "index@paged=2.xml", rss(o, "جيرون", desc, [item(a) for a in newest[5:]], "/feed/",
                                                   newest[0]["mod"]), newest[0]["mod"])
    # REST API
    def rest(a):
        return wp_rest_post(a, [a["cat"]], GEIROON_AUTHORS[a["author"]][1], pct(a["title"].replace(" ", "-"))[:180])
    p1, p2 = wp_json([rest(a) for a in newest[:5]]), wp_json([rest(a) for a in newest[5:]])
    write(root / "wp-json" / "wp" / "v2" / "posts" / "index.json", p1, newest[0]["mod"])
    write(root / "wp-json" / "wp" / "v2" / "posts@page=2.json", p2, newest[0]["mod"])
    write(root / "index@rest_route=%2Fwp%2Fv2%2Fposts.json", p1, newest[0]["mod"])
    write(root / "index@rest_route=%2Fwp%2Fv2%2Fposts&page=2.json", p2, newest[0]["mod"])
    for a in arts:
        write(root / "wp-json" / "wp" / "v2" / "posts" / f"{a['id']}.json", wp_json(rest(a)), a["mod"])
    api_h = {"Content-Type": "application/json; charset=UTF-8", "X-WP-Total": "8", "X-WP-TotalPages": "2",
             "Access-Control-Expose-Headers": "X-WP-Total, X-WP-TotalPages, Link", "Allow": "GET"}
    headers = {
        "/wp-json/wp/v2/posts": dict(api_h, Link=f'<{o}/wp-json/wp/v2/posts?page=2>; rel="next"'),
        "/wp-json/wp/v2/posts?page=2": dict(api_h, Link=f'<{o}/wp-json/wp/v2/posts?page=1>; rel="prev"'),
        "/?rest_route=/wp/v2/posts": dict(api_h, Link=f'<{o}/?rest_route=/wp/v2/posts&page=2>; rel="next"'),
        "/?rest_route=/wp/v2/posts&page=2": dict(api_h, Link=f'<{o}/?rest_route=/wp/v2/posts&page=1>; rel="prev"'),
    }
    write(root / "_headers.json", json.dumps(headers, indent=2, ensure_ascii=False) + "\n")
    # sitemaps (WordPress core)
    write(root / "wp-sitemap.xml", sitemap_index([(f"{o}/wp-sitemap-posts-post-1.xml", None),
                                                  (f"{o}/wp-sitemap-taxonomies-category-1.xml", None)], True))
    style = '<?xml-stylesheet type="text/xsl" href="https://geiroon.net/wp-sitemap.xsl" ?>\n'
    write(root / "wp-sitemap-posts-post-1.xml", urlset([(a["link"], a["mod"]) for a in newest], style))
    write(root / "wp-sitemap-taxonomies-category-1.xml",
          urlset([(f"{o}/archives/category/{c}", None) for c in GEIROON_CATS], style))
    # category 21 listing: in this fixture a catch-all listing of all 8 posts, 5 per page
    base = f"{o}/archives/category/21/"
    write(root / "archives" / "category" / "21" / "index.html",
          geiroon_listing(newest[:5], "أخبار - جيرون", f"{o}/archives/category/21", "rtl archive category category-news category-21 tie-no-js is-desktop has-sidebar", 1, 2, base, arts))
    write(root / "archives" / "category" / "21" / "page" / "2" / "index.html",
          geiroon_listing(newest[5:], "أخبار - جيرون", f"{o}/archives/category/21/page/2", "rtl archive paged category category-news category-21 paged-2 category-paged-2 tie-no-js is-desktop has-sidebar", 2, 2, base, arts))
    # home
    write(root / "index.html", geiroon_listing(newest[:6], "جيرون - موقع إخباري سوري", f"{o}/",
                                               "rtl home blog tie-no-js is-desktop has-sidebar", 1, 1, f"{o}/", arts))


# ---------------------------------------------------------------------------
# euphratespost — Newspaper (tagDiv) theme, Arabic percent-encoded slugs
# ---------------------------------------------------------------------------
EUPH = "https://euphratespost.net"
EUPH_CATS = {"أخبار": ("akhbar", 3), "تقارير": ("reports", 7), "دير الزور": ("deir-ez-zor", 11),
             "الرقة": ("raqqa", 12)}


def euph_articles() -> list[dict]:
    A = [
        dict(id=48811, slug="ديرالزور-انفجار-لغم-من-مخلفات-الحرب-يقتل-طفلين-في-بادية-الميادين",
             title="ديرالزور: انفجار لغم من مخلفات الحرب يقتل طفلين في بادية الميادين",
             cats=["أخبار", "دير الزور"], author="محمد الخلف", date=d("2026-11-22 08:20"), mod=d("2026-11-22 08:20"),
             tags=["دير الزور", "الميادين", "مخلفات الحرب"],
             body=["فرات بوست/أخبار",
                   "قُتل طفلان شقيقان، صباح اليوم، بانفجار لغم أرضي من مخلفات الحرب أثناء رعيهما الأغنام في البادية الجنوبية لمدينة الميادين بريف ديرالزور الشرقي.",
                   "وقال مراسل فرات بوست إن الطفلين من أبناء قرية الطيبة، وإن الأهالي نقلوا جثتيهما إلى المشفى الوطني في الميادين، وسط غياب أي جهود جدية لإزالة الألغام من المنطقة.",
                   "وتتكرر حوادث انفجار الألغام والقذائف غير المنفجرة في بادية ديرالزور، التي شهدت معارك عنيفة خلال السنوات الماضية، ويدفع المدنيون ولا سيما الرعاة والأطفال ثمنها."]),
        dict(id=48830, slug="خاص-تهريب-المحروقات-عبر-معابر-نهر-الفرات-في-ريف-ديرالزور",
             title="خاص: تهريب المحروقات عبر معابر نهر الفرات في ريف ديرالزور",
             cats=["تقارير", "دير الزور"], author="فرات بوست", date=d("2026-11-23 15:00"), mod=d("2026-11-23 17:45"),
             tags=["دير الزور", "التهريب", "المحروقات", "نهر الفرات"],
             body=["خاص فرات بوست _",
                   "تنشط عمليات تهريب المحروقات عبر المعابر النهرية غير الرسمية بين ضفتي نهر الفرات في ريف ديرالزور، حيث تنقل القوارب يوميًا مئات البراميل من مناطق سيطرة قسد إلى مناطق سيطرة النظام.",
                   "وحصلت فرات بوست على معلومات من مصادر محلية تفيد بأن المعابر في بلدات الشحيل والعشارة والبوليل تخضع لإشراف قياديين محليين يتقاضون مبالغ عن كل برميل يعبر النهر.",
                   "وأوضحت المصادر أن أسعار المحروقات في الضفة الغربية تزيد بأكثر من الضعف عنها في الضفة الشرقية، ما يجعل التهريب تجارة مربحة رغم المخاطر وحوادث الغرق المتكررة.",
                   "ويشتكي سكان الضفة الشرقية من نقص المحروقات في محطاتهم بسبب التهريب، في حين تعلن الجهات المسيطرة بين حين وآخر عن حملات لضبط المعابر لا تلبث أن تتوقف."]),
        dict(id=48842, slug="الرقة-احتجاجات-على-تردي-خدمات-الكهرباء-في-حي-الدرعية",
             title="الرقة: احتجاجات على تردي خدمات الكهرباء في حي الدرعية",
             cats=["أخبار", "الرقة"], author="محمد الخلف", date=d("2026-11-24 12:10"), mod=d("2026-11-24 12:10"),
             tags=["الرقة", "الكهرباء", "احتجاجات"],
             body=["فرات بوست/أخبار",
                   "خرج عشرات من سكان حي الدرعية في مدينة الرقة، اليوم، في وقفة احتجاجية أمام مبنى مديرية الكهرباء، للمطالبة بتحسين ساعات التغذية التي لا تتجاوز أربع ساعات يوميًا.",
                   "ورفع المحتجون لافتات تطالب بمحاسبة المسؤولين عن توزيع الأمبيرات، واتهموا مستثمري المولدات برفع الأسعار بالاتفاق مع موظفين في المديرية.",
                   "ووعد مسؤول في المديرية بدراسة مطالب الأهالي، مشيرًا إلى أن انخفاض منسوب بحيرة الفرات أثّر في إنتاج سد الفرات من الطاقة."]),
        dict(id=48857, slug="قسد-تعلن-القبض-على-خلية-لتنظيم-داعش-في-بلدة-البصيرة",
             title="قسد تعلن القبض على خلية لتنظيم داعش في بلدة البصيرة",
             cats=["أخبار", "دير الزور"], author="فرات بوست", date=d("2026-11-25 19:30"), mod=d("2026-11-25 19:30"),
             tags=["دير الزور", "البصيرة", "داعش", "قسد"],
             body=["فرات بوست/أخبار",
                   "أعلنت قوات سوريا الديمقراطية (قسد)، مساء اليوم، القبض على خلية قالت إنها تابعة لتنظيم داعش في بلدة البصيرة بريف ديرالزور الشرقي، بعد عملية أمنية بمساندة من التحالف الدولي.",
                   "وذكر بيان لقسد أن الخلية مسؤولة عن اغتيالات طالت وجهاء وعناصر من مجلس ديرالزور العسكري خلال الأشهر الماضية، وأن العملية أسفرت عن مصادرة أسلحة وعبوات ناسفة.",
                   "في المقابل، قال ناشطون من البلدة إن المداهمات طالت منازل مدنيين لا علاقة لهم بالتنظيم، وإن عددًا من الموقوفين أُفرج عنهم بعد ساعات من التحقيق."]),
        dict(id=48869, slug="أسعار-الأعلاف-ترهق-مربي-الماشية-في-ريف-ديرالزور-الغربي",
             title="أسعار الأعلاف ترهق مربي الماشية في ريف ديرالزور الغربي",
             cats=["تقارير", "دير الزور"], author="سلمى العلي", date=d("2026-11-26 10:40"), mod=d("2026-11-26 11:05"),
             tags=["دير الزور", "الثروة الحيوانية", "الأسعار"],
             body=["خاص فرات بوست _",
                   "يواجه مربو الماشية في ريف ديرالزور الغربي صعوبات متزايدة بسبب الارتفاع الكبير في أسعار الأعلاف، ما دفع كثيرين منهم إلى بيع جزء من قطعانهم بأسعار زهيدة.",
                   "وقال مربٍّ من قرية الخريطة لفرات بوست إن سعر كيس النخالة تضاعف خلال ثلاثة أشهر، وإن المراعي الطبيعية لم تعد تكفي بسبب الجفاف وتراجع مساحات الزراعة المروية.",
                   "ويحذر مختصون من أن تراجع أعداد الأغنام سينعكس على أسعار اللحوم والألبان في أسواق المحافظة، وعلى دخل آلاف العائلات التي تعتمد على تربية الماشية."]),
        dict(id=48875, slug="حلب-الدفاع-المدني-يخمد-حريقا-في-سوق-المدينة-القديمة",
             title="حلب: الدفاع المدني يخمد حريقًا في سوق المدينة القديمة",
             cats=["أخبار"], author="سلمى العلي", date=d("2026-11-27 07:55"), mod=d("2026-11-27 07:55"),
             tags=["حلب", "حريق"],
             body=["فرات بوست/أخبار",
                   "اندلع حريق، فجر اليوم، في عدد من المحال التجارية في سوق المدينة القديمة بحلب، وتمكنت فرق الإطفاء من إخماده بعد ساعات من دون تسجيل إصابات.",
                   "وأرجعت مصادر محلية سبب الحريق إلى ماس كهربائي في أحد المحال، وسط مطالبات بتأهيل الشبكة الكهربائية المتهالكة في الأسواق الأثرية."]),
    ]
    for a in A:
        a["link"] = f"{EUPH}/{pct(a['slug'])}/"
        a["shortlink"] = f"{EUPH}/?p={a['id']}"
    return A


def td_module(o: str, a: dict) -> str:
    cat = a["cats"][0]
    return f"""<div class="td_module_flex td_module_flex_1 td_module_wrap td-animation-stack">
	<div class="td-module-container td-category-pos-above">
		<div class="td-image-container"><div class="td-module-thumb"><a href="{a['link']}" rel="bookmark" class="td-image-wrap " title="{esc(a['title'])}"><span class="entry-thumb td-thumb-css" style="background-image: url('{o}/wp-content/uploads/2026/11/{a['id']}-324x235.jpg')"></span></a></div></div>
		<div class="td-module-meta-info">
			<a href="{o}/category/{EUPH_CATS[cat][0]}/" class="td-post-category">{esc(cat)}</a>
			<h3 class="entry-title td-module-title"><a href="{a['link']}" rel="bookmark" title="{esc(a['title'])}">{esc(a['title'])}</a></h3>
			<div class="td-editor-date"><span class="td-author-date"><span class="td-post-author-name"><a href="{o}/author/{a['author_slug']}/">{esc(a['author'])}</a> <span>-</span> </span><span class="td-post-date"><time class="entry-date updated td-module-date" datetime="{iso(a['date'])}" >{ar_date(a['date'])}</time></span></span></div>
			<div class="td-excerpt">{excerpt(a['body'][1:], 120)}</div>
		</div>
	</div>
</div>"""


def td_head(title: str, extra: str, body_class: str, o: str, desc: str, og_type: str) -> str:
    return f"""<!doctype html >
<!--[if IE 8]>    <html class="ie8" lang="en"> <![endif]-->
<!--[if IE 9]>    <html class="ie9" lang="en"> <![endif]-->
<!--[if gt IE 8]><!--> <html dir="rtl" lang="ar"> <!--<![endif]-->
<head>
    <title>{esc(title)}</title>
    <meta charset="UTF-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <link rel="pingback" href="{o}/xmlrpc.php" />
    <meta name='robots' content='index, follow, max-image-preview:large, max-snippet:-1, max-video-preview:-1' />
<link rel="icon" type="image/png" href="{o}/wp-content/uploads/2020/01/favicon.png">
<meta name="description" content="{esc(desc)}" />
<meta property="og:locale" content="ar_AR" />
<meta property="og:type" content="{og_type}" />
<meta property="og:title" content="{esc(title)}" />
<meta property="og:description" content="{esc(desc)}" />
<meta property="og:site_name" content="فرات بوست" />
{extra}<meta name="twitter:card" content="summary_large_image" />
<meta name="twitter:site" content="@EuphratesPost" />
<link rel='dns-prefetch' href='//fonts.googleapis.com' />
<link rel="alternate" type="application/rss+xml" title="فرات بوست &laquo; الخلاصة" href="{o}/feed/" />
<link rel='stylesheet' id='td-theme-css' href='{o}/wp-content/themes/Newspaper/style.css?ver=12.6.5' type='text/css' media='all' />
<link rel='stylesheet' id='td-theme-rtl-css' href='{o}/wp-content/themes/Newspaper/rtl.css?ver=12.6.5' type='text/css' media='all' />
<script type="text/javascript" src="{o}/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" id="jquery-core-js"></script>
<link rel="https://api.w.org/" href="{o}/wp-json/" />
<meta name="generator" content="WordPress 6.5.5" />
<script>
    var tdBlocksArray = []; var tdLocalCache = {{}};
    var td_ajax_url="https:\\/\\/euphratespost.net\\/wp-admin\\/admin-ajax.php?td_theme_name=Newspaper&v=12.6.5";
    var td_get_template_directory_uri="https:\\/\\/euphratespost.net\\/wp-content\\/plugins\\/td-composer\\/legacy\\/common";
</script>
</head>

<body class="{body_class}" itemscope="itemscope" itemtype="https://schema.org/WebPage">

<div class="td-scroll-up" data-style="style1"><i class="td-icon-menu-up"></i></div>
<div class="td-menu-background" style="visibility:hidden"></div>
<div id="td-mobile-nav" style="visibility:hidden"></div>
<div id="td-outer-wrap" class="td-theme-wrap">
"""


def td_header(o: str, ticker: list[dict]) -> str:
    menu = "".join(f'<li class="menu-item menu-item-type-taxonomy menu-item-object-category td-menu-item td-normal-menu"><a href="{o}/category/{v[0]}/">{esc(k)}</a></li>'
                   for k, v in EUPH_CATS.items())
    tick = "\n".join(f'\t\t\t<div class="td-trending-now-post"><a class="td-trending-now-title" href="{t["link"]}">{esc(t["title"])}</a></div>' for t in ticker)
    return f"""<div class="td-header-template-wrap" style="position: relative">
<div class="td-header-desktop-wrap ">
	<div id="tdi_1" class="tdc-zone"><div class="tdc_zone tdi_2  wpb_row td-pb-row tdc-element-style">
	<div class="tdb-header-align">
		<div class="td_block_wrap tdb_header_logo tdi_5 td-pb-border-top td_block_template_1 tdb-header-align"><div class="tdb-block-inner td-fix-index"><a class="tdb-logo-a" href="{o}/"><span class="tdb-logo-img-wrap"><img class="tdb-logo-img" src="{o}/wp-content/uploads/2020/01/logo-euphrates.png" alt="فرات بوست" title="فرات بوست" width="300" height="80" /></span></a></div></div>
		<div class="td_block_wrap tdb_header_menu tdi_6 tds_menu_active1 tds_menu_sub_active1 td-pb-border-top td_block_template_1 tdb-header-align"><div id="tdi_6" class="td_block_inner td-fix-index"><div class="tdb-main-sub-icon-fake"></div><ul id="menu-main-menu-1" class="tdb-block-menu tdb-menu tdb-menu-items-visible"><li class="menu-item menu-item-type-custom menu-item-home td-menu-item td-normal-menu"><a href="{o}/">الرئيسية</a></li>{menu}<li class="menu-item td-menu-item td-normal-menu"><a href="{o}/about-us/">من نحن</a></li></ul></div></div>
	</div>
	<div class="td_block_wrap td_block_trending_now tdi_8 td-pb-border-top td_block_template_1">
		<div class="td-trending-now-wrapper" id="tdi_8" data-start="">
			<div class="td-trending-now-display-area">
			<span class="td-trending-now-title">الأخبار العاجلة</span>
{tick}
			</div>
		</div>
	</div>
	</div></div>
</div>
</div>
"""


def td_footer(o: str, latest: list[dict]) -> str:
    lst = "\n".join(td_module(o, a) for a in latest[:3])
    return f"""<div class="td-footer-template-wrap" style="position: relative">
	<div class="td-footer-wrap "><div id="tdi_80" class="tdc-zone"><div class="tdc_zone tdi_81 wpb_row td-pb-row">
		<div class="td_block_wrap td_flex_block_1 tdi_85 td-pb-border-top td_block_template_1 td_flex_block">
			<div class="td-block-title-wrap"><h4 class="td-block-title"><span>آخر الأخبار</span></h4></div>
			<div id="tdi_85" class="td_block_inner td-mc1-wrap">
{lst}
			</div>
		</div>
		<div class="td_block_wrap tdb_header_logo tdi_90"><div class="tdb-block-inner td-fix-index"><span class="tdb-logo-text-tagline">شبكة إخبارية مستقلة تغطي أخبار ديرالزور والرقة والحسكة</span></div></div>
		<div class="td_block_wrap td_block_text_with_title tdi_93 tagdiv-type"><div class="td_mod_wrap td-fix-index"><p>جميع الحقوق محفوظة &copy; فرات بوست 2026</p></div></div>
		<div class="td_block_wrap td_block_social_icons"><div class="tdm-social-wrapper"><a href="https://www.facebook.com/EuphratesPost" title="Facebook" class="tdm-social-item-wrap"><i class="td-icon-font td-icon-facebook"></i></a><a href="https://twitter.com/EuphratesPost" title="Twitter" class="tdm-social-item-wrap"><i class="td-icon-font td-icon-twitter"></i></a><a href="https://t.me/EuphratesPost" title="Telegram" class="tdm-social-item-wrap"><i class="td-icon-font td-icon-telegram"></i></a></div></div>
	</div></div></div>
</div>
</div><!--close td-outer-wrap-->
<script type="text/javascript" src="{o}/wp-content/plugins/td-composer/legacy/Newspaper/js/tagdiv_theme.min.js?ver=12.6.5" id="td-site-min-js"></script>
</body>
</html>
"""


def euph_article_page(a: dict, arts: list[dict]) -> str:
    o = EUPH
    others = [x for x in arts if x["id"] != a["id"]]
    newest = sorted(arts, key=lambda x: x["date"], reverse=True)
    desc = excerpt(a["body"][1:], 150).replace(" [&hellip;]", "")
    extra = (f'<link rel="canonical" href="{a["link"]}" />\n'
             f'<meta property="og:url" content="{a["link"]}" />\n'
             f'<meta property="article:publisher" content="https://www.facebook.com/EuphratesPost" />\n'
             f'<meta property="article:published_time" content="{iso(a["date"])}" />\n'
             f'<meta property="article:modified_time" content="{iso(a["mod"])}" />\n'
             f'<meta property="og:image" content="{o}/wp-content/uploads/2026/11/{a["id"]}.jpg" />\n'
             f'<meta name="author" content="{esc(a["author"])}" />\n'
             f"<link rel='shortlink' href='{a['shortlink']}' />\n"
             f'<link rel="alternate" title="JSON" type="application/json" href="{o}/wp-json/wp/v2/posts/{a["id"]}" />\n')
    cat_slugs = " ".join(f"category-{EUPH_CATS[c][0]}" for c in a["cats"])
    head = td_head(f"{a['title']} - فرات بوست", extra,
                   f"rtl post-template-default single single-post postid-{a['id']} single-format-standard "
                   f"td-standard-pack global-block-template-1 single_template_2 td-full-layout", o, desc, "article")
    cats = "".join(f'<li class="entry-category"><a href="{o}/category/{EUPH_CATS[c][0]}/">{esc(c)}</a></li>' for c in a["cats"])
    body = "\n".join(f"<p>{esc(p, quote=False)}</p>" for p in a["body"])
    tags = "".join(f'<li><a href="{o}/tag/{pct(t.replace(" ", "-"))}/">{esc(t)}</a></li>' for t in a["tags"])
    rel = "\n".join(f"""			<div class="td-related-span4">
				<div class="td_module_related_posts td-animation-stack td_mod_related_posts">
					<div class="td-module-image"><div class="td-module-thumb"><a href="{r['link']}" rel="bookmark" class="td-image-wrap" title="{esc(r['title'])}"><img class="entry-thumb" src="{o}/wp-content/uploads/2026/11/{r['id']}-218x150.jpg" alt="" width="218" height="150" /></a></div></div>
					<div class="item-details"><h3 class="entry-title td-module-title"><a href="{r['link']}" rel="bookmark" title="{esc(r['title'])}">{esc(r['title'])}</a></h3></div>
				</div>
			</div>""" for r in others[:3])
    enc = urllib.parse.quote(a["link"], safe="")
    main = f"""<div class="td-main-content-wrap td-container-wrap">
<div class="td-container td-post-template-2">
	<article id="post-{a['id']}" class="post-{a['id']} post type-post status-publish format-standard has-post-thumbnail {cat_slugs}" itemscope itemtype="https://schema.org/Article">
	<div class="td-pb-row">
		<div class="td-pb-span12">
			<div class="td-post-header">
				<div class="td-crumb-container"><div class="entry-crumbs"><span><a title="" class="entry-crumb" href="{o}/">الرئيسية</a></span> <i class="td-icon-right td-bread-sep"></i> <span><a title="عرض جميع المشاركات في {esc(a['cats'][0])}" class="entry-crumb" href="{o}/category/{EUPH_CATS[a['cats'][0]][0]}/">{esc(a['cats'][0])}</a></span></div></div>
				<ul class="td-category">{cats}</ul>
				<header class="td-post-title">
					<h1 class="entry-title">{esc(a['title'])}</h1>
					<div class="td-module-meta-info">
						<div class="td-post-author-name"><div class="td-author-by">بواسطة</div> <a href="{o}/author/{a['author_slug']}/">{esc(a['author'])}</a><div class="td-author-line"> - </div> </div>
						<span class="td-post-date"><time class="entry-date updated td-module-date" datetime="{iso(a['date'])}" >{ar_date(a['date'])}</time></span>
						<div class="td-post-views"><i class="td-icon-views"></i><span class="td-nr-views-{a['id']}">{a['id'] % 900 + 50}</span></div>
						<div class="td-post-comments"><a href="{a['link']}#respond"><i class="td-icon-comments"></i>0</a></div>
					</div>
				</header>
			</div>
		</div>
	</div> <!-- /.td-pb-row -->
	<div class="td-pb-row">
		<div class="td-pb-span8 td-main-content" role="main">
			<div class="td-ss-main-content">
				<div class="td-post-sharing-top"><div id="td_social_sharing_article_top" class="td-post-sharing td-ps-bg td-ps-notext td-post-sharing-style1 "><div class="td-post-sharing-visible"><a class="td-social-sharing-button td-social-sharing-button-js td-social-network td-social-facebook" href="https://www.facebook.com/sharer.php?u={enc}" title="Facebook" ><div class="td-social-but-icon"><i class="td-icon-facebook"></i></div><div class="td-social-but-text">Facebook</div></a><a class="td-social-sharing-button td-social-sharing-button-js td-social-network td-social-twitter" href="https://twitter.com/intent/tweet?text={urllib.parse.quote(a['title'])}&url={enc}&via=EuphratesPost" title="Twitter" ><div class="td-social-but-icon"><i class="td-icon-twitter"></i></div><div class="td-social-but-text">Twitter</div></a><a class="td-social-sharing-button td-social-sharing-button-js td-social-network td-social-whatsapp" href="https://api.whatsapp.com/send?text={urllib.parse.quote(a['title'])} %0A%0A {enc}" title="WhatsApp" ><div class="td-social-but-icon"><i class="td-icon-whatsapp"></i></div><div class="td-social-but-text">WhatsApp</div></a><a class="td-social-sharing-button td-social-sharing-button-js td-social-network td-social-telegram" href="https://telegram.me/share/url?url={enc}&text={urllib.parse.quote(a['title'])}" title="Telegram" ><div class="td-social-but-icon"><i class="td-icon-telegram"></i></div><div class="td-social-but-text">Telegram</div></a></div></div></div>
				<div class="td-post-featured-image"><a href="{o}/wp-content/uploads/2026/11/{a['id']}.jpg" data-caption=""><img width="696" height="392" class="entry-thumb td-modal-image" src="{o}/wp-content/uploads/2026/11/{a['id']}-696x392.jpg" alt="" title="{esc(a['title'])}" /></a></div>
				<div class="td-post-content tagdiv-type">
{body}
				</div>
				<footer>
					<div class="td-post-source-tags">
						<ul class="td-tags td-post-small-box clearfix"><li><span>الوسوم</span></li>{tags}</ul>
					</div>
					<div class="td-post-sharing-bottom"><div class="td-post-sharing-classic"><iframe title="bottomFacebookLike" frameBorder="0" src="https://www.facebook.com/plugins/like.php?href={enc}&amp;layout=button_count&amp;show_faces=false&amp;width=105&amp;action=like&amp;colorscheme=light&amp;height=21" style="border:none; overflow:hidden; width:105px; height:21px; background-color:transparent;"></iframe></div></div>
					<div class="td-block-row td-post-next-prev"><div class="td-block-span6 td-post-prev-post"><div class="td-post-next-prev-content"><span>المقال السابق</span><a href="{others[0]['link']}">{esc(others[0]['title'])}</a></div></div><div class="td-next-prev-separator"></div><div class="td-block-span6 td-post-next-post"><div class="td-post-next-prev-content"><span>المقال التالي</span><a href="{others[-1]['link']}">{esc(others[-1]['title'])}</a></div></div></div>
					<div class="author-box-wrap"><a href="{o}/author/{a['author_slug']}/" aria-label="author-photo"><img alt='{esc(a['author'])}' src='https://secure.gravatar.com/avatar/{a['id']:032x}?s=96&#038;d=mm&#038;r=g' class='avatar avatar-96 photo' height='96' width='96' /></a><div class="desc"><div class="td-author-name vcard author"><span class="fn"><a href="{o}/author/{a['author_slug']}/">{esc(a['author'])}</a></span></div><div class="td-author-description"></div><div class="td-author-social"></div><div class="clearfix"></div></div></div>
					<span class="td-page-meta" itemprop="author" itemscope itemtype="https://schema.org/Person"><meta itemprop="name" content="{esc(a['author'])}"><meta itemprop="url" content="{o}/author/{a['author_slug']}/"></span><meta itemprop="datePublished" content="{iso(a['date'])}"><meta itemprop="dateModified" content="{iso(a['mod'])}"><meta itemscope itemprop="mainEntityOfPage" itemType="https://schema.org/WebPage" itemid="{a['link']}"/><span class="td-page-meta" itemprop="publisher" itemscope itemtype="https://schema.org/Organization"><span class="td-page-meta" itemprop="logo" itemscope itemtype="https://schema.org/ImageObject"><meta itemprop="url" content="{o}/wp-content/uploads/2020/01/logo-euphrates.png"></span><meta itemprop="name" content="فرات بوست"></span><meta itemprop="headline " content="{esc(a['title'])}"><span class="td-page-meta" itemprop="image" itemscope itemtype="https://schema.org/ImageObject"><meta itemprop="url" content="{o}/wp-content/uploads/2026/11/{a['id']}.jpg"><meta itemprop="width" content="1200"><meta itemprop="height" content="675"></span>
				</footer>
				<div class="td_block_wrap td_block_related_posts tdi_60_rand_style td_with_ajax_pagination td-pb-border-top td_block_template_1" data-td-block-uid="tdi_60" >
					<h4 class="td-related-title td-block-title"><a id="tdi_61" class="td-related-left td-cur-simple-item" data-td_filter_value="" data-td_block_id="tdi_60" href="#">مقالات ذات صلة</a><a id="tdi_62" class="td-related-right" data-td_filter_value="td_related_more_from_author" data-td_block_id="tdi_60" href="#">المزيد من الكاتب</a></h4>
					<div id="tdi_60" class="td_block_inner">
						<div class="td-related-row">
{rel}
						</div>
					</div>
				</div>
				<div class="comments" id="comments">
					<div id="respond" class="comment-respond">
						<h3 id="reply-title" class="comment-reply-title">ترك الرد <small><a rel="nofollow" id="cancel-comment-reply-link" href="{a['link']}#respond" style="display:none;">إلغاء الرد</a></small></h3>
						<form action="{o}/wp-comments-post.php" method="post" id="commentform" class="comment-form"><div class="clearfix"></div><div class="comment-form-input-wrap td-form-comment"><textarea placeholder="التعليق:" id="comment" name="comment" cols="45" rows="8" aria-required="true"></textarea><div class="td-warning-comment">الرجاء إدخال تعليقك!</div></div><p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="إرسال التعليق" /> <input type='hidden' name='comment_post_ID' value='{a['id']}' id='comment_post_ID' /></p></form>
					</div><!-- #respond -->
				</div> <!-- /.content -->
			</div>
		</div>
		<div class="td-pb-span4 td-main-sidebar" role="complementary">
			<div class="td-ss-main-sidebar">
				<div class="td_block_wrap td_block_1 tdi_70 td-pb-border-top td_block_template_1 td-column-1">
					<div class="td-block-title-wrap"><h4 class="block-title td-block-title"><span class="td-pulldown-size">الأكثر قراءة</span></h4></div>
					<div id="tdi_70" class="td_block_inner">
{chr(10).join(td_module(o, x) for x in newest[:4])}
					</div>
				</div>
			</div>
		</div>
	</div> <!-- /.td-pb-row -->
	</article> <!-- /.post -->
</div> <!-- /.td-container -->
</div> <!-- /.td-main-content-wrap -->
"""
    return head + td_header(o, newest[:4]) + main + td_footer(o, newest)


def euph_home(arts: list[dict]) -> str:
    o = EUPH
    newest = sorted(arts, key=lambda x: x["date"], reverse=True)
    extra = (f'<link rel="canonical" href="{o}/" />\n<meta property="og:url" content="{o}/" />\n')
    head = td_head("فرات بوست - شبكة إخبارية مستقلة", extra,
                   "rtl home page-template-default page page-id-2 td-standard-pack global-block-template-1 tdb-template td-full-layout",
                   o, "فرات بوست شبكة إخبارية مستقلة تغطي أخبار ديرالزور والرقة والحسكة", "website")
    mods = "\n".join(td_module(o, a) for a in newest)
    main = f"""<div id="tdi_20" class="tdc-zone"><div class="tdc_zone tdi_21  wpb_row td-pb-row">
	<div class="vc_row tdi_22  wpb_row td-pb-row"><div class="vc_column tdi_24  wpb_column vc_column_container tdc-column td-pb-span8">
		<div class="td_block_wrap td_flex_block_1 tdi_25 td-pb-border-top td_block_template_1 td_flex_block" data-td-block-uid="tdi_25">
			<div class="td-block-title-wrap"><h4 class="td-block-title"><span>آخر الأخبار</span></h4></div>
			<div id="tdi_25" class="td_block_inner td-mc1-wrap">
{mods}
			</div>
			<div class="td-next-prev-wrap"><a href="#" class="td-ajax-prev-page ajax-page-disabled" aria-label="prev-page" id="prev-page-tdi_25" data-td_block_id="tdi_25"><i class="td-next-prev-icon td-icon-font td-icon-menu-left"></i></a><a href="#" class="td-ajax-next-page ajax-page-disabled" aria-label="next-page" id="next-page-tdi_25" data-td_block_id="tdi_25"><i class="td-next-prev-icon td-icon-font td-icon-menu-right"></i></a></div>
		</div>
	</div></div>
</div></div>
"""
    return head + td_header(o, newest[:4]) + main + td_footer(o, newest)


def build_euphratespost() -> None:
    root = SITES / "euphratespost"
    if root.exists():
        shutil.rmtree(root)
    o = EUPH
    arts = euph_articles()
    slugs = {"محمد الخلف": "mohammad-alkhalaf", "فرات بوست": "euphratespost", "سلمى العلي": "salma-alali"}
    authors = {"محمد الخلف": 4, "فرات بوست": 1, "سلمى العلي": 9}
    for a in arts:
        a["author_slug"] = slugs[a["author"]]
    newest = sorted(arts, key=lambda x: x["date"], reverse=True)
    write(root / "_site.json", json.dumps({"origin": o, "aliases": ["https://www.euphratespost.net", "http://euphratespost.net"]}, indent=2) + "\n")
    write(root / "robots.txt", robots(o, ["/sitemap_index.xml", "/news-sitemap.xml"]))
    write(root / "_faults.json", json.dumps({"/feed/": {"status": 403}}, indent=2) + "\n")
    write(root / "_redirects.json", json.dumps({f"/?p={a['id']}": a["link"].replace(o, "") for a in arts},
                                               indent=2, ensure_ascii=False) + "\n")
    for a in arts:
        write(root / a["slug"] / "index.html", euph_article_page(a, arts), a["mod"])
    write(root / "index.html", euph_home(arts), newest[0]["mod"])
    rest = [wp_rest_post(a, [EUPH_CATS[c][1] for c in a["cats"]], authors[a["author"]], pct(a["slug"])) for a in newest]
    write(root / "wp-json" / "wp" / "v2" / "posts" / "index.json", wp_json(rest), newest[0]["mod"])
    write(root / "_headers.json", json.dumps({"/wp-json/wp/v2/posts": {
        "Content-Type": "application/json; charset=UTF-8", "X-WP-Total": str(len(arts)), "X-WP-TotalPages": "1",
        "Access-Control-Expose-Headers": "X-WP-Total, X-WP-TotalPages, Link", "Allow": "GET"}}, indent=2) + "\n")
    yoast = '<?xml-stylesheet type="text/xsl" href="//euphratespost.net/main-sitemap.xsl"?>\n'
    write(root / "sitemap_index.xml", sitemap_index([(f"{o}/post-sitemap.xml", newest[0]["mod"]),
                                                     (f"{o}/category-sitemap.xml", newest[0]["mod"])], False)
          .replace('<?xml version="1.0" encoding="UTF-8"?>\n', '<?xml version="1.0" encoding="UTF-8"?>' + yoast))
    write(root / "post-sitemap.xml", urlset([(f"{o}/", newest[0]["mod"])] + [(a["link"], a["mod"]) for a in arts], yoast))
    write(root / "category-sitemap.xml", urlset([(f"{o}/category/{v[0]}/", newest[0]["mod"]) for v in EUPH_CATS.values()], yoast))
    news = "".join(f"""<url>
	<loc>{a['link']}</loc>
	<news:news>
		<news:publication>
			<news:name>فرات بوست</news:name>
			<news:language>ar</news:language>
		</news:publication>
		<news:publication_date>{iso(a['date'])}</news:publication_date>
		<news:title>{esc(a['title'], quote=False)}</news:title>
	</news:news>
</url>
""" for a in newest)
    write(root / "news-sitemap.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{news}</urlset>
""")


# ---------------------------------------------------------------------------
# sharqsouri — domain UNVERIFIED (alsharqnews.net is a guess); Jannah-like theme + Yoast
# ---------------------------------------------------------------------------
SHARQ = "https://alsharqnews.net"
SHARQ_CATS = {5: ("أخبار دير الزور", "deir-ez-zor-news"), 6: ("تقارير", "reports"), 8: ("سوريا", "syria")}


def sharq_articles() -> list[dict]:
    sample = (TEXTS / "geiroon-deir-ez-zor.txt").read_text(encoding="utf-8")
    paras = [p.strip() for p in sample.split("\n\n") if p.strip()]
    body = paras[2:paras.index("Author")]
    A = [
        dict(id=9120, slug="coalition-repels-regime-advance-deir-ezzor", cat=5, author="فريق التحرير", aslug="editor",
             date=d("2026-11-23 21:40"), mod=d("2026-11-23 22:05"),
             title="طيران التحالف يصدّ هجومًا لقوات النظام والميليشيات الإيرانية في ريف دير الزور",
             tags=["دير الزور", "التحالف الدولي", "قسد"],
             body=["صدّ طيران التحالف الدولي، أمس الأحد، هجومًا شنّته قوات النظام والميليشيات المدعومة من إيران على مواقع في ريف دير الزور، بعد أن حاولت التقدم نحو قرى الضفة الشرقية للفرات، فيما تصدى مقاتلون من أبناء المنطقة للهجوم وقتلوا وأسروا عددًا من المهاجمين."]
             + body[1:],
             republished_from="geiroon 175204"),
        dict(id=9131, slug="bread-prices-hajin-bakeries", cat=5, author="أحمد الحسن", aslug="ahmad-alhasan",
             date=d("2026-11-24 10:15"), mod=d("2026-11-24 10:15"),
             title="أزمة خبز في هجين وأهالٍ يشتكون من نقص مخصصات الطحين",
             tags=["دير الزور", "هجين", "الخبز"],
             body=["تشهد بلدة هجين في ريف دير الزور الشرقي أزمة خبز منذ أسبوع، بعد تقليص مخصصات الطحين الموزعة على الأفران، ما أدى إلى طوابير طويلة منذ ساعات الفجر.",
                   "وقال أحد السكان لـ (الشرق نيوز) إن الربطة باتت تباع في السوق السوداء بثلاثة أضعاف سعرها الرسمي، وإن كثيرًا من العائلات لم تحصل على حصتها منذ أيام.",
                   "وبررت لجنة الأفران في المجلس المحلي الأزمة بتأخر وصول شحنات القمح من صوامع الحسكة، ووعدت بعودة الكميات إلى طبيعتها خلال أيام."]),
        dict(id=9140, slug="iranian-militias-recruit-albukamal", cat=6, author="أحمد الحسن", aslug="ahmad-alhasan",
             date=d("2026-11-25 14:30"), mod=d("2026-11-25 15:00"),
             title="الميليشيات الإيرانية تكثف تجنيد الشبان في البوكمال مستغلة الفقر",
             tags=["دير الزور", "البوكمال", "الميليشيات الإيرانية"],
             body=["تكثف الميليشيات المدعومة من إيران حملات تجنيد الشبان في مدينة البوكمال وريفها على الحدود السورية العراقية، مستغلة تردي الأوضاع المعيشية وانعدام فرص العمل.",
                   "وأفادت مصادر محلية بأن مكاتب التجنيد تعرض رواتب شهرية وسلالًا غذائية وبطاقات أمنية تحمي حامليها من الاعتقال، وأن العشرات من أبناء المدينة انضموا خلال الشهر الماضي.",
                   "ويرى ناشطون أن هذه الحملات تهدف إلى ترسيخ النفوذ الإيراني في المنطقة وتحويل الشبان المحليين إلى واجهة لميليشيات يقودها عناصر أجانب."]),
        dict(id=9152, slug="assassination-daraa-countryside", cat=8, author="فريق التحرير", aslug="editor",
             date=d("2026-11-26 09:05"), mod=d("2026-11-26 09:05"),
             title="اغتيال عضو سابق في لجان المصالحة بريف درعا الغربي",
             tags=["درعا", "اغتيالات"],
             body=["اغتال مسلحون مجهولون، مساء أمس، عضوًا سابقًا في لجان المصالحة بإطلاق النار عليه أمام منزله في بلدة اليادودة بريف درعا الغربي.",
                   "وتشهد محافظة درعا منذ سنوات فلتانًا أمنيًا وعمليات اغتيال شبه يومية تطال عناصر سابقين في فصائل المعارضة ومتعاونين مع الأجهزة الأمنية على حد سواء."]),
        dict(id=9163, slug="deir-ezzor-university-students-exams", cat=5, author="ريم الخليل", aslug="reem-alkhalil",
             date=d("2026-11-27 11:20"), mod=d("2026-11-27 11:20"),
             title="طلاب جامعة الفرات في دير الزور يطالبون بتأجيل الامتحانات",
             tags=["دير الزور", "جامعة الفرات", "التعليم"],
             body=["طالب عشرات من طلاب جامعة الفرات في مدينة دير الزور بتأجيل امتحانات الفصل الأول، بسبب تأخر إصدار البرنامج الامتحاني وصعوبة المواصلات من الأرياف.",
                   "وقال طالب في كلية الهندسة المدنية إن تكاليف التنقل اليومي من ريف المدينة تفوق قدرة معظم الطلاب، في ظل ارتفاع أسعار المحروقات وقلة وسائل النقل.",
                   "ولم تصدر رئاسة الجامعة أي تعليق حتى الآن، في حين أشار مصدر إداري إلى أن البرنامج سيصدر خلال الأسبوع المقبل."]),
    ]
    for a in A:
        t = a["date"]
        a["link"] = f"{SHARQ}/{t:%Y}/{t:%m}/{t:%d}/{a['slug']}/"
        a["shortlink"] = f"{SHARQ}/?p={a['id']}"
    return A


def sharq_article_page(a: dict, arts: list[dict]) -> str:
    o = SHARQ
    cat_name, cat_slug = SHARQ_CATS[a["cat"]]
    newest = sorted(arts, key=lambda x: x["date"], reverse=True)
    others = [x for x in arts if x["id"] != a["id"]]
    desc = excerpt(a["body"], 150).replace(" [&hellip;]", "")
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "NewsArticle", "@id": f"{a['link']}#article", "isPartOf": {"@id": a["link"]},
         "author": {"name": a["author"], "@id": f"{o}/#/schema/person/{a['aslug']}"},
         "headline": a["title"], "datePublished": iso(a["date"]), "dateModified": iso(a["mod"]),
         "mainEntityOfPage": {"@id": a["link"]}, "wordCount": len(" ".join(a["body"]).split()),
         "publisher": {"@id": f"{o}/#organization"}, "keywords": a["tags"], "articleSection": [cat_name],
         "inLanguage": "ar"},
        {"@type": "WebPage", "@id": a["link"], "url": a["link"], "name": f"{a['title']} - الشرق نيوز",
         "isPartOf": {"@id": f"{o}/#website"}, "datePublished": iso(a["date"]), "dateModified": iso(a["mod"]),
         "breadcrumb": {"@id": f"{a['link']}#breadcrumb"}, "inLanguage": "ar"},
        {"@type": "BreadcrumbList", "@id": f"{a['link']}#breadcrumb", "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "الرئيسية", "item": f"{o}/"},
            {"@type": "ListItem", "position": 2, "name": a["title"]}]},
        {"@type": "WebSite", "@id": f"{o}/#website", "url": f"{o}/", "name": "الشرق نيوز",
         "publisher": {"@id": f"{o}/#organization"}, "inLanguage": "ar"},
        {"@type": "Organization", "@id": f"{o}/#organization", "name": "الشرق نيوز", "url": f"{o}/"},
        {"@type": "Person", "@id": f"{o}/#/schema/person/{a['aslug']}", "name": a["author"],
         "url": f"{o}/author/{a['aslug']}/"},
    ]}
    extra = (f'<link rel="canonical" href="{a["link"]}" />\n'
             f'<meta property="article:published_time" content="{iso(a["date"])}" />\n'
             f'<meta property="article:modified_time" content="{iso(a["mod"])}" />\n'
             f'<meta property="og:image" content="{o}/wp-content/uploads/2026/11/{a["slug"]}.jpg" />\n'
             f'<meta name="author" content="{esc(a["author"])}" />\n'
             f'<script type="application/ld+json" class="yoast-schema-graph">{json.dumps(graph, ensure_ascii=False)}</script>\n'
             f"<link rel='shortlink' href='{a['shortlink']}' />\n")
    head = jannah_head(f"{a['title']} - الشرق نيوز", a["link"], extra,
                       f"rtl post-template-default single single-post postid-{a['id']} single-format-standard "
                       f"tie-no-js wrapper-has-shadow block-head-4 is-desktop is-header-layout-1 sidebar-left has-sidebar post-layout-1",
                       "الشرق نيوز", o, desc)
    menu = [(v[0], f"{o}/category/{v[1]}/") for v in SHARQ_CATS.values()]
    header = jannah_header(o, "الشرق نيوز", "الشرق نيوز", menu, newest[:4], handle="alsharqnews")
    body = "\n\n".join(f"<p>{esc(p, quote=False)}</p>" for p in a["body"])
    tags = "".join(f'<a href="{o}/tag/{pct(t.replace(" ", "-"))}/" rel="tag">{esc(t)}</a>' for t in a["tags"])
    rel = "\n".join(f"""				<div class="related-item tie-standard">
					<a aria-label="{esc(r['title'])}" href="{r['link']}" class="post-thumb"><img width="390" height="220" src="{o}/wp-content/uploads/2026/11/{r['slug']}-390x220.jpg" alt="" /></a>
					<h3 class="post-title"><a href="{r['link']}">{esc(r['title'])}</a></h3>
					<div class="post-meta clearfix"><span class="date meta-item tie-icon">{ar_date(r['date'])}</span></div>
				</div>""" for r in others[:3])
    main = f"""<div id="content" class="site-content container"><div id="main-content-row" class="tie-row main-content-row">
<div class="main-content tie-col-md-8 tie-col-xs-12" role="main">
	<article id="the-post" class="container-wrapper post-content tie-standard">
		<header class="entry-header-outer">
			<nav id="breadcrumb"><a href="{o}/"><span class="tie-icon-home" aria-hidden="true"></span> الرئيسية</a><em class="delimiter">/</em><a href="{o}/category/{cat_slug}/">{esc(cat_name)}</a><em class="delimiter">/</em><span class="current">{esc(a['title'])}</span></nav>
			<div class="entry-header">
				<span class="post-cat-wrap"><a class="post-cat tie-cat-{a['cat']}" href="{o}/category/{cat_slug}/">{esc(cat_name)}</a></span>
				<h1 class="post-title entry-title">{esc(a['title'])}</h1>
				<div class="single-post-meta post-meta clearfix"><span class="author-meta single-author no-avatars"><span class="meta-item meta-author-wrapper"><span class="meta-author"><a href="{o}/author/{a['aslug']}/" class="author-name tie-author-link" title="{esc(a['author'])}">{esc(a['author'])}</a></span></span></span><span class="date meta-item tie-icon">{ar_date(a['date'])}</span><div class="tie-alignright"><span class="meta-views meta-item "><span class="tie-icon-fire" aria-hidden="true"></span> {a['id'] % 500 + 40} </span><span class="meta-reading-time meta-item"><span class="tie-icon-bookmark" aria-hidden="true"></span> أقل من دقيقة</span></div></div>
			</div>
		</header>
		<div class="featured-area"><div class="featured-area-inner"><figure class="single-featured-image"><img width="780" height="470" src="{o}/wp-content/uploads/2026/11/{a['slug']}.jpg" class="attachment-jannah-image-post size-jannah-image-post wp-post-image" alt="" /></figure></div></div>
		<div class="entry-content entry clearfix">

{body}

		</div><!-- .entry-content /-->
		<div class="post-bottom-meta post-bottom-tags post-tags-modern"><div class="post-bottom-meta-title"><span class="tie-icon-tags" aria-hidden="true"></span> الوسوم</div><span class="tagcloud">{tags}</span></div>
		<div id="share-buttons-bottom" class="share-buttons share-buttons-bottom"><div class="share-links "><a href="https://www.facebook.com/sharer.php?u={a['link']}" rel="external noopener nofollow" title="فيسبوك" target="_blank" class="facebook-share-btn large-share-button"><span class="share-btn-icon tie-icon-facebook"></span> <span class="social-text">فيسبوك</span></a><a href="https://twitter.com/intent/tweet?text={urllib.parse.quote(a['title'])}&#038;url={a['link']}" rel="external noopener nofollow" title="X" target="_blank" class="twitter-share-btn large-share-button"><span class="share-btn-icon tie-icon-twitter"></span> <span class="social-text">X</span></a><a href="https://api.whatsapp.com/send?text={urllib.parse.quote(a['title'])}%20{a['link']}" rel="external noopener nofollow" title="واتساب" target="_blank" class="whatsapp-share-btn "><span class="share-btn-icon tie-icon-whatsapp"></span> <span class="screen-reader-text">واتساب</span></a></div></div>
	</article><!-- #the-post /-->
	<div class="post-components">
		<div id="related-posts" class="container-wrapper has-extra-post">
			<div class="mag-box-title the-global-title"><h3>مقالات ذات صلة</h3></div>
			<div class="related-posts-list">
{rel}
			</div>
		</div>
		<div id="comments" class="comments-area"><div id="add-comment-block" class="container-wrapper"><div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title the-global-title">اترك تعليقاً</h3><form action="{o}/wp-comments-post.php" method="post" id="commentform" class="comment-form"><p class="comment-form-comment"><textarea id="comment" name="comment" cols="45" rows="8" required></textarea></p><p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="إرسال التعليق" /><input type='hidden' name='comment_post_ID' value='{a['id']}' id='comment_post_ID' /></p></form></div></div></div>
	</div>
	<div id="check-also-box" class="container-wrapper check-also-right"><div class="widget-title the-global-title"><div class="the-subtitle">شاهد أيضاً</div><a href="#" id="check-also-close" class="remove"><span class="screen-reader-text">إغلاق</span></a></div><div class="widget posts-list-big-first has-first-big-post"><ul class="posts-list-items"><li class="widget-single-post-item widget-post-list tie-standard"><div class="post-widget-body "><a class="post-title the-subtitle" href="{others[0]['link']}">{esc(others[0]['title'])}</a></div></li></ul></div></div>
</div><!-- .main-content -->
{jannah_sidebar(o, others[:3], newest[:5], ['دير الزور', 'البوكمال', 'الميادين', 'هجين', 'قسد']).replace('/wp-content/uploads/2026/11/', '/wp-content/uploads/2026/11/t')}
	</div></div><!-- #content /-->
"""
    footer = jannah_footer(o, "الشرق نيوز", "&copy; 2026 الشرق نيوز. جميع الحقوق محفوظة", newest[:5], "")
    return head + header + main + footer


def build_sharqsouri() -> None:
    root = SITES / "sharqsouri"
    if root.exists():
        shutil.rmtree(root)
    o = SHARQ
    arts = sharq_articles()
    newest = sorted(arts, key=lambda x: x["date"], reverse=True)
    write(root / "_site.json", json.dumps({"origin": o, "aliases": ["https://www.alsharqnews.net", "http://alsharqnews.net"],
                                           "unverified_domain": True}, indent=2) + "\n")
    write(root / "_faults.json", json.dumps({"/feed/?paged=2": {"status": 404}}, indent=2) + "\n")
    write(root / "robots.txt", robots(o, ["/sitemap_index.xml"]))
    write(root / "_redirects.json", json.dumps({f"/?p={a['id']}": a["link"].replace(o, "") for a in arts}, indent=2) + "\n")
    for a in arts:
        t = a["date"]
        write(root / f"{t:%Y}" / f"{t:%m}" / f"{t:%d}" / a["slug"] / "index.html", sharq_article_page(a, arts), a["mod"])
    items = [dict(title=a["title"], link=a["link"], guid=a["shortlink"], author=a["author"], date=a["date"],
                  categories=[SHARQ_CATS[a["cat"]][0]] + a["tags"],
                  description=f"{excerpt(a['body'])}", comments=0) for a in newest]
    write(root / "feed" / "index.xml", rss(o, "الشرق نيوز", "شبكة إخبارية من دير الزور", items, "/feed/", newest[0]["mod"]),
          newest[0]["mod"])
    yoast = '<?xml-stylesheet type="text/xsl" href="//alsharqnews.net/main-sitemap.xsl"?>\n'
    write(root / "sitemap_index.xml", sitemap_index([(f"{o}/post-sitemap.xml", newest[0]["mod"])], False)
          .replace('<?xml version="1.0" encoding="UTF-8"?>\n', '<?xml version="1.0" encoding="UTF-8"?>' + yoast))
    write(root / "post-sitemap.xml", urlset([(a["link"], a["mod"]) for a in arts], yoast))
    # home: Jannah listing
    home = geiroon_listing(newest, "الشرق نيوز - أخبار دير الزور", f"{o}/", "rtl home blog tie-no-js is-desktop has-sidebar",
                           1, 1, f"{o}/", arts, o=o, cats=SHARQ_CATS, site="الشرق نيوز", handle="alsharqnews",
                           copyright_="&copy; 2026 الشرق نيوز. جميع الحقوق محفوظة",
                           menu=[(v[0], f"{o}/category/{v[1]}/") for v in SHARQ_CATS.values()])
    write(root / "index.html", home, newest[0]["mod"])


# ---------------------------------------------------------------------------
# faulty — Twenty Twenty-One markup, every kind of bad input (see EXPECTED.md)
# ---------------------------------------------------------------------------
FAULTY = "https://faulty.example"


def faulty_cases() -> list[dict]:
    long_p = ("وأضاف المصدر أن الأهالي في قرى الريف الغربي لمدينة دير الزور يعانون منذ أشهر من انقطاع شبه كامل للكهرباء، "
              "ومن ارتفاع أسعار الأمبيرات التي يديرها مستثمرون مقربون من الأجهزة الأمنية، في حين تعجز العائلات عن تأمين "
              "مواد التدفئة مع اقتراب فصل الشتاء، ويضطر كثيرون إلى إشعال الحطب وبقايا البلاستيك داخل المنازل، ما يتسبب "
              "بحالات اختناق متكررة بين الأطفال وكبار السن، بحسب ما أفاد به عاملون في المراكز الصحية في المنطقة.")
    C = [
        dict(n=1, id=301, slug="cp1256-with-meta", date=d("2026-11-20 09:00"),
             title="ارتفاع أسعار الأدوية في صيدليات دير الزور بنسبة كبيرة",
             body=["رفعت صيدليات مدينة دير الزور أسعار الأدوية بنسبة تجاوزت ثلاثين في المئة، بعد قرار جديد من وزارة الصحة بتعديل التسعيرة.",
                   "وقال صيدلاني في حي القصور إن الأدوية المزمنة باتت خارج قدرة كثير من المرضى، وإن بعض الأصناف مفقودة من السوق منذ أسابيع.",
                   "ويلجأ مرضى إلى شراء أدوية مهربة من مناطق أخرى، رغم المخاطر المرتبطة بجودتها وطرق تخزينها."]),
        dict(n=2, id=302, slug="cp1256-mislabelled", date=d("2026-11-21 10:30"),
             title="نفوق أسماك في نهر الفرات قرب مدينة الميادين",
             body=["رصد صيادون نفوق كميات كبيرة من الأسماك في نهر الفرات قرب مدينة الميادين بريف دير الزور الشرقي، وسط مخاوف من تلوث المياه.",
                   "ويرجّح مهتمون بالبيئة أن يكون السبب تسرب مخلفات نفطية من الحراقات البدائية المنتشرة على ضفاف النهر.",
                   "وطالب الأهالي الجهات المعنية بإجراء تحاليل للمياه وتحذير السكان الذين يعتمدون على النهر للشرب والري."]),
        dict(n=3, id=303, slug="truncated-article", date=d("2026-11-22 12:00"),
             title="أزمة كهرباء ومحروقات تخنق ريف دير الزور الغربي مع اقتراب الشتاء",
             body=["يعيش سكان ريف دير الزور الغربي أوضاعًا صعبة مع اقتراب فصل الشتاء، في ظل أزمة كهرباء ومحروقات خانقة.",
                   long_p,
                   "وختم المصدر بالقول إن الوعود الرسمية بتحسين الواقع الخدمي لم تتحقق حتى الآن، وإن الأهالي فقدوا ثقتهم بالمؤسسات المحلية."]),
        dict(n=4, id=304, slug="no-date-article", date=None,
             title="افتتاح سوق شعبي جديد في مدينة دير الزور",
             body=["افتتح في حي الجورة بمدينة دير الزور سوق شعبي جديد يضم عشرات البسطات لبيع الخضار والملابس المستعملة.",
                   "ويأمل الباعة أن يخفف السوق من الأعباء المعيشية عبر أسعار أقل من المحال التجارية في وسط المدينة."]),
        dict(n=5, id=305, slug="deleted-article", date=d("2026-11-23 08:00"),
             title="خبر حُذف من الموقع", body=None),
        dict(n=6, id=306, slug="flaky-article", date=d("2026-11-24 13:15"),
             title="عودة العمل في معبر الصالحية بين ضفتي الفرات بعد إغلاق دام أسبوعًا",
             body=["أعيد فتح معبر الصالحية النهري بين ضفتي الفرات في ريف دير الزور بعد إغلاق دام أسبوعًا بسبب التوترات الأمنية.",
                   "وقال سائقون إن حركة عبور البضائع والمدنيين عادت تدريجيًا، مع تشديد في إجراءات التفتيش على الجانبين."]),
        dict(n=7, id=307, slug="slow-article", date=d("2026-11-25 17:40"),
             title="حملة لقاح ضد شلل الأطفال في مخيمات ريف الحسكة",
             body=["بدأت فرق صحية حملة تلقيح ضد شلل الأطفال في مخيمات ريف الحسكة، تستهدف آلاف الأطفال دون سن الخامسة.",
                   "وتستمر الحملة أسبوعًا، بحسب القائمين عليها، الذين دعوا الأهالي إلى التعاون مع الفرق الجوالة."]),
        dict(n=8, id=308, slug="good-article", date=d("2026-11-26 16:05"),
             title="مزارعو دير الزور يبدأون زراعة القمح وسط مخاوف من شح المياه",
             body=["بدأ مزارعو ريف دير الزور زراعة القمح للموسم الجديد، وسط مخاوف من شح مياه الري وارتفاع أسعار البذار والسماد.",
                   "وقال مزارع من بلدة الكسرة إن الجمعيات الفلاحية لم توزع الأسمدة حتى الآن، وإن المزارعين يشترونها من السوق بأسعار مرتفعة.",
                   "وتعدّ زراعة القمح مصدر الدخل الرئيسي لآلاف العائلات في المحافظة."]),
        dict(n=9, id=309, slug="empty-page", date=d("2026-11-27 08:10"),
             title="صفحة فارغة", body=None),
        dict(n=10, id=310, slug="binary-page", date=d("2026-11-27 09:30"),
             title="صفحة ليست HTML", body=None),
    ]
    for c in C:
        c["link"] = f"{FAULTY}/{c['slug']}/"
        c["shortlink"] = f"{FAULTY}/?p={c['id']}"
    return C


def tt1_page(c: dict, meta_charset: str | None) -> str:
    o = FAULTY
    date_meta = (f'<meta property="article:published_time" content="{iso(c["date"])}" />\n'
                 if c["date"] else "")
    charset = f'<meta charset="{meta_charset}" />\n' if meta_charset else ""
    posted = (f'<span class="posted-on">نُشر في <time class="entry-date published updated" datetime="{iso(c["date"])}">{ar_date(c["date"])}</time></span>'
              if c["date"] else "")
    body = "\n\n".join(f"<p>{esc(p, quote=False)}</p>" for p in c["body"])
    return f"""<!doctype html>
<html dir="rtl" lang="ar" >
<head>
	{charset}<meta name="viewport" content="width=device-width, initial-scale=1" />
	<title>{esc(c['title'])} &#8211; موقع تجريبي</title>
<meta name='robots' content='max-image-preview:large' />
<link rel="alternate" type="application/rss+xml" title="موقع تجريبي &laquo; الخلاصة" href="{o}/feed/" />
<link rel='stylesheet' id='twenty-twenty-one-style-css' href='{o}/wp-content/themes/twentytwentyone/style-rtl.css?ver=2.3' media='all' />
<link rel="canonical" href="{c['link']}" />
<link rel='shortlink' href='{c['shortlink']}' />
<meta property="og:type" content="article" />
<meta property="og:title" content="{esc(c['title'])}" />
<meta property="og:url" content="{c['link']}" />
{date_meta}</head>

<body class="rtl post-template-default single single-post postid-{c['id']} single-format-standard wp-embed-responsive is-light-theme no-js singular">
<div id="page" class="site">
	<a class="skip-link screen-reader-text" href="#content">التجاوز إلى المحتوى</a>
	<header id="masthead" class="site-header has-title-and-tagline" role="banner">
		<div class="site-branding"><p class="site-title"><a href="{o}/">موقع تجريبي</a></p><p class="site-description">أخبار محلية</p></div>
		<nav id="site-navigation" class="primary-navigation" role="navigation" aria-label="القائمة الرئيسية"><div class="primary-menu-container"><ul id="primary-menu-list" class="menu-wrapper"><li class="menu-item"><a href="{o}/">الرئيسية</a></li><li class="menu-item"><a href="{o}/category/news/">أخبار</a></li></ul></div></nav>
	</header><!-- #masthead -->
	<div id="content" class="site-content">
		<div id="primary" class="content-area">
			<main id="main" class="site-main">
<article id="post-{c['id']}" class="post-{c['id']} post type-post status-publish format-standard hentry category-news entry">
	<header class="entry-header alignwide">
		<h1 class="entry-title">{esc(c['title'])}</h1>
	</header><!-- .entry-header -->
	<div class="entry-content">
{body}
	</div><!-- .entry-content -->
	<footer class="entry-footer default-max-width">
		<div class="posted-by">{posted}<span class="byline">بواسطة <a href="{o}/author/admin/" rel="author">المحرر</a></span></div>
		<div class="post-taxonomies"><span class="cat-links">مصنفة كـ <a href="{o}/category/news/" rel="category tag">أخبار</a></span></div>
	</footer><!-- .entry-footer -->
</article><!-- #post-{c['id']} -->
<div id="comments" class="comments-area default-max-width show-avatars"><div id="respond" class="comment-respond"><h2 id="reply-title" class="comment-reply-title">اترك تعليقاً</h2><form action="{o}/wp-comments-post.php" method="post" id="commentform" class="comment-form" novalidate><p class="comment-form-comment"><label for="comment">التعليق</label> <textarea id="comment" name="comment" cols="45" rows="5" maxlength="65525" required></textarea></p><p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="إرسال التعليق" /></p></form></div></div>
			</main><!-- #main -->
		</div><!-- #primary -->
	</div><!-- #content -->
	<footer id="colophon" class="site-footer" role="contentinfo">
		<div class="site-info"><div class="site-name"><a href="{o}/">موقع تجريبي</a></div><div class="powered-by">فخورون باستخدام <a href="https://wordpress.org/">ووردبريس</a>.</div></div>
	</footer><!-- #colophon -->
</div><!-- #page -->
</body>
</html>
"""


def png_bytes() -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    w = h = 16
    raw = b"".join(b"\x00" + b"".join(bytes([x * 16, y * 16, 128]) for x in range(w)) for y in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def build_faulty() -> None:
    root = SITES / "faulty"
    expected = (root / "EXPECTED.md").read_bytes() if (root / "EXPECTED.md").exists() else None
    if root.exists():
        shutil.rmtree(root)
    o = FAULTY
    cases = faulty_cases()
    write(root / "_site.json", json.dumps({"origin": o, "aliases": ["http://faulty.example"]}, indent=2) + "\n")
    write(root / "robots.txt", robots(o, ["/wp-sitemap.xml"]))
    headers: dict = {}
    faults: dict = {}
    truncate_at = None
    for c in cases:
        page = root / c["slug"] / "index.html"
        mt = c["date"] or d("2026-11-21 00:00")
        if c["n"] == 1:
            write(page, tt1_page(c, "windows-1256"), mt, encoding="windows-1256")
            headers[f"/{c['slug']}/"] = {"Content-Type": "text/html; charset=windows-1256"}
        elif c["n"] == 2:
            write(page, tt1_page(c, None), mt, encoding="windows-1256")
            headers[f"/{c['slug']}/"] = {"Content-Type": "text/html; charset=utf-8"}
        elif c["n"] == 3:
            html_ = tt1_page(c, "UTF-8")
            data = html_.encode("utf-8")
            marker = c["body"][1][: len(c["body"][1]) // 2].encode("utf-8")
            truncate_at = data.index(marker) + len(marker)
            write(page, data, mt)
            faults[f"/{c['slug']}/"] = {"truncate": truncate_at}
        elif c["n"] == 5:
            continue  # no file: 404
        elif c["n"] == 6:
            write(page, tt1_page(c, "UTF-8"), mt)
            faults[f"/{c['slug']}/"] = {"sequence": [500, 200]}
        elif c["n"] == 7:
            write(page, tt1_page(c, "UTF-8"), mt)
            faults[f"/{c['slug']}/"] = {"delay": 3.0}
        elif c["n"] == 9:
            write(page, b"", mt)
        elif c["n"] == 10:
            write(page, png_bytes(), mt)
        else:
            write(page, tt1_page(c, "UTF-8"), mt)
    # the 1256 pages must really be 1256 (and not decodable as UTF-8)
    for n in ("cp1256-with-meta", "cp1256-mislabelled"):
        raw = (root / n / "index.html").read_bytes()
        try:
            raw.decode("utf-8")
            raise AssertionError(n)
        except UnicodeDecodeError:
            pass
    write(root / "_headers.json", json.dumps(headers, indent=2) + "\n")
    faults["/feed/?paged=2"] = {"status": 404}
    write(root / "_faults.json", json.dumps(faults, indent=2) + "\n")
    dated = [c for c in cases if c["date"]]
    newest = sorted(cases, key=lambda c: c["date"] or d("2026-11-20 00:00"), reverse=True)
    items = [dict(title=c["title"], link=c["link"], guid=c["shortlink"], author="المحرر", date=c["date"],
                  categories=["أخبار"], description=(excerpt(c["body"]) if c["body"] else c["title"]))
             for c in newest]
    write(root / "feed" / "index.xml", rss(o, "موقع تجريبي", "أخبار محلية", items, "/feed/",
                                           max(c["date"] for c in dated)))
    write(root / "wp-sitemap.xml", sitemap_index([(f"{o}/wp-sitemap-posts-post-1.xml", None)], False))
    write(root / "wp-sitemap-posts-post-1.xml", urlset([(c["link"], c["date"]) for c in newest]))
    links = "\n".join(f'<li><a href="{c["link"]}">{esc(c["title"])}</a></li>' for c in newest)
    write(root / "index.html", f"""<!doctype html>
<html dir="rtl" lang="ar"><head><meta charset="UTF-8" /><title>موقع تجريبي &#8211; أخبار محلية</title>
<link rel="alternate" type="application/rss+xml" title="موقع تجريبي &laquo; الخلاصة" href="{o}/feed/" /></head>
<body class="rtl home blog wp-embed-responsive is-light-theme no-js hfeed">
<div id="page" class="site"><header id="masthead" class="site-header"><div class="site-branding"><h1 class="site-title">موقع تجريبي</h1></div></header>
<div id="content" class="site-content"><main id="main" class="site-main"><ul class="wp-block-latest-posts__list">
{links}
</ul></main></div></div></body></html>
""")
    if expected is not None:
        write(root / "EXPECTED.md", expected)
    print("faulty: truncate at byte", truncate_at)


BUILDERS = {"geiroon": build_geiroon, "euphratespost": build_euphratespost, "sharqsouri": build_sharqsouri,
            "faulty": build_faulty}


def main(argv: list[str]) -> int:
    names = argv or list(BUILDERS)
    for n in names:
        BUILDERS[n]()
        print("built", SITES / n)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
