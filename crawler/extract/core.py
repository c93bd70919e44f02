"""extract(): HTML + URL in, fields out. Layers: structured data -> page object -> generic."""
from __future__ import annotations

import copy
import datetime as _dt
import re
from urllib.parse import parse_qs, urljoin, urlsplit

import lxml.html
from lxml import etree

from crawler.dedup import sane_canonical
from .clean import filter_paragraphs, is_byline
from .dates import _zone, check_date, is_relative, parse_date
from .encoding import decode_html
from .model import Extraction, ExtractionError
from .pages import REGISTRY, PageObject, css, detect_family
from .sources import find_sources
from .structured import Structured, ld_image, ld_list, ld_text, read_structured

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_HAS_TAG = re.compile(r"<\s*[A-Za-z!/?]")
_AUTHOR_PREFIX = re.compile(
    r"^\s*(?:بواسطة|بقلم|كتبه|كتبت|كتب|الكاتب|إعداد|اعداد|by)(?:\s*[:：\-–]\s*|\s+)", re.I)
_AUTHOR_WORDS = {"بواسطة", "بقلم", "كتب", "الكاتب", "by", "author", "admin", "الكاتب:"}
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LATIN = re.compile(r"[A-Za-z]")
_TRUNCATED_EXCERPT = re.compile(r"(?:\.\.\.|…|\[…\]|\[\.\.\.\])\s*$")


def _fail(url: str, why: str) -> ExtractionError:
    return ExtractionError(f"cannot read page {url}: {why}")


def _looks_binary(body: bytes) -> bool:
    head = body[:2048]
    if not head:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    for magic in (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b"):
        if head.startswith(magic):
            return True
    nul = head.count(b"\x00")
    return nul > len(head) // 100


def _parse(text: str, url: str):
    text = _XML_DECL.sub("", text, count=1).replace("\x00", "")
    if not _HAS_TAG.search(text[:100000]):
        raise _fail(url, "not HTML (no markup)")
    try:
        tree = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError, etree.XMLSyntaxError) as exc:
        raise _fail(url, f"unparseable HTML ({exc})") from None
    if tree is None or not isinstance(tree.tag, str):
        raise _fail(url, "unparseable HTML")
    return tree


def _clean_author(value: str | None) -> str | None:
    if not value:
        return None
    value = _AUTHOR_PREFIX.sub("", value.strip()).strip(" -|،,:")
    if not value or value.lower() in _AUTHOR_WORDS or value.startswith(("http://", "https://")) or len(value) > 80:
        return None
    return value


def _strip_site_suffix(title: str, site: str | None) -> str:
    if site:
        for sep in (" - ", " | ", " – ", " — ", " :: ", " « "):
            if title.endswith(sep + site):
                return title[: -len(sep + site)].strip()
            if title.startswith(site + sep):
                return title[len(site + sep):].strip()
    return title


def _language(s: Structured, text: str | None) -> tuple[str | None, str | None]:
    for value, how in ((s.html_lang, "html:lang"), (s.first("og:locale")[0], "og:locale"),
                       (ld_text(s.jsonld.get("inLanguage")) if s.jsonld else None, "jsonld:inLanguage")):
        if value:
            code = re.split(r"[-_]", value.strip())[0].lower()
            if re.fullmatch(r"[a-z]{2,3}", code):
                return code, how
    if text:
        sample = text[:3000]
        ar, la = len(_ARABIC.findall(sample)), len(_LATIN.findall(sample))
        if ar + la >= 20:
            return ("ar" if ar >= la else "en"), "guess:script"
    return None, None


def _post_id(s: Structured, url: str, tree) -> tuple[str | None, str | None]:
    if s.shortlink:
        try:
            q = parse_qs(urlsplit(s.shortlink).query)
        except ValueError:
            q = {}
        if q.get("p") and q["p"][0].isdigit():
            return q["p"][0], "link:shortlink"
    m = re.search(r"(?:^|\s)postid-(\d+)(?:\s|$)", s.body_class)
    if m:
        return m.group(1), "body:class"
    for candidate, how in ((url, "url"), (s.canonical or "", "canonical")):
        m = re.search(r"/archives/(\d+)(?:[/?#]|$)", candidate) or re.search(r"[?&]p=(\d+)(?:&|$)", candidate)
        if m:
            return m.group(1), how
    arts = tree.xpath("//article[starts-with(@id,'post-')]/@id")
    if arts:
        m = re.fullmatch(r"post-(\d+)", arts[0])
        if m:
            return m.group(1), "article:id"
    return None, None


def _generic_text(html) -> list[str]:
    """trafilatura on the decoded page (it reads a string better than our tree: measured on AEB)."""
    import trafilatura

    try:
        result = trafilatura.extract(html, include_comments=False, include_tables=True,
                                     favor_precision=False, deduplicate=False)
    except Exception:  # trafilatura can trip over pathological markup
        return []
    if not result:
        return []
    return [line.strip() for line in result.split("\n") if line.strip()]


def _generic_metadata(html):
    import trafilatura

    try:
        return trafilatura.extract_metadata(copy.deepcopy(html))
    except Exception:
        return None


def extract(body: bytes | str, url: str, *, encoding: str | None = None, theme: str | None = None,
            tz: str = "Asia/Damascus", not_before: _dt.date | None = None,
            now: _dt.datetime | None = None) -> Extraction:
    """Extract article fields from one page. Raises ExtractionError only if the page is unreadable.

    ``encoding`` is the HTTP charset (may be wrong), ``theme`` a family hint from the outlet's
    configuration, ``tz`` the zone for dates printed without one, ``not_before`` the outlet's
    founding date, ``now`` the reference for relative dates and the future check.
    """
    if body is None or (isinstance(body, (bytes, bytearray, str)) and not body.strip()):
        raise _fail(url, "empty body")
    if isinstance(body, bytearray):
        body = bytes(body)
    if not isinstance(body, (bytes, str)):
        raise _fail(url, f"unsupported body type {type(body).__name__}")
    if isinstance(body, bytes) and _looks_binary(body):
        raise _fail(url, "binary content, not HTML")
    html_text, _codec, warnings = decode_html(body, encoding)
    tree = _parse(html_text, url)
    tail = html_text[-4096:].lower()
    if "</html>" not in tail and "</body>" not in tail and "<html" in html_text[:4096].lower():
        warnings.append("html: truncated document (no </body></html>), fields may be incomplete")
    run = _Run(url, html_text, tree, tz=tz, not_before=not_before, now=now, warnings=warnings)
    run.choose_page(theme)
    run.title()
    run.author()
    run.taxonomy()
    run.dates()
    run.body()
    run.generic_metadata()
    run.links_and_ids()
    return run.out


class _Run:
    """One extraction: the parsed page, its structured data, the page object and the result."""

    def __init__(self, url: str, html_text: str, tree, *, tz: str, not_before: _dt.date | None,
                 now: _dt.datetime | None, warnings: list[str]) -> None:
        zone = _zone(tz)
        self.url, self.html_text, self.tree, self.tz, self.not_before = url, html_text, tree, tz, not_before
        self.now = _dt.datetime.now(zone) if now is None else (now if now.tzinfo else now.replace(tzinfo=zone))
        self.s: Structured = read_structured(tree)
        self.ld: dict = self.s.jsonld
        self.page: PageObject | None = None
        self.out = Extraction(url=url, warnings=list(warnings), tz=tz)
        if self.s.jsonld_repaired:
            self.out.warnings.append("jsonld: broken JSON repaired")
        og_site = self.s.first("og:site_name")[0]
        self.site_name = og_site or (ld_text(self.ld.get("publisher")) if self.ld else None)

    # -- helpers ---------------------------------------------------------------------------------
    def take(self, field: str, value, how: str | None) -> bool:
        if value in (None, "", []):
            return False
        setattr(self.out, field, value)
        self.out.provenance[field] = how or "?"
        return True

    def warn(self, message: str) -> None:
        self.out.warnings.append(message)

    def via(self, field: str) -> str:
        return f"{self.page.family}:{self.page.used.get(field)}" if self.page else "?"

    def first_date(self, field: str, candidates: list[tuple[str | None, str]]) -> None:
        """Take the first candidate that parses and passes the future/too-old checks."""
        for raw, how in candidates:
            if not raw:
                continue
            value = parse_date(raw, tz=self.tz, now=self.now)
            if value is None:
                continue
            value, warning = check_date(value, now=self.now, not_before=self.not_before, label=field)
            if warning:
                self.warn(f"{warning} from {how}")
                continue
            self.take(field, value, how)
            if is_relative(raw):
                self.warn(f"{field} approximate: relative date {raw!r} read against now")
            return

    # -- steps -----------------------------------------------------------------------------------
    def choose_page(self, theme: str | None) -> None:
        tree = self.tree
        hinted = REGISTRY.get(theme.lower()) if theme else None
        if theme and hinted is None:
            self.warn(f"theme: unknown family {theme!r}, auto-detecting")
        if hinted is not None and hinted.matches(tree):
            self.page = hinted(tree, self.url)
        else:
            detected = detect_family(tree, self.html_text)
            if detected is not None:
                if hinted is not None:
                    self.warn(f"theme: page does not look like {theme}, detected {detected.family}")
                self.page = detected(tree, self.url)
            elif hinted is not None and any(css(sel)(tree) for sel in hinted.body_sel):
                self.page = hinted(tree, self.url)  # nothing matched: trust the hint if its body exists
            elif hinted is not None:
                self.warn(f"theme: page does not look like {theme}, auto-detecting")
        if self.page:
            self.out.family = self.page.family
        else:
            self.out.family = "jsonld" if self.s.jsonld_ok else "generic"

    def title(self) -> None:
        s, ld, page = self.s, self.ld, self.page
        if page and self.take("title", page.title(), self.via("title")):
            return
        headline = ld_text(ld.get("headline") or ld.get("name")) if ld else None
        if headline:
            self.take("title", _strip_site_suffix(headline, self.site_name), "jsonld:headline")
        else:
            og, _ = s.first("og:title", "twitter:title")
            if og:
                self.take("title", _strip_site_suffix(og, self.site_name), "og:title")
            elif s.title_tag:
                self.take("title", _strip_site_suffix(s.title_tag, self.site_name), "html:title")
        if not page and self.out.provenance.get("title") in ("og:title", "html:title", None):
            # A site suffix we could not strip ("Title - Site" without og:site_name): the page's
            # own <h1> is the clean title when it is contained in the declared one.
            for h1 in self.tree.iter("h1"):
                h1_text = re.sub(r"\s+", " ", h1.text_content() or "").strip()
                if h1_text and (self.out.title is None or (h1_text in self.out.title and h1_text != self.out.title)):
                    self.take("title", h1_text, "html:h1")
                break

    def author(self) -> None:
        author = how = None
        if self.page:
            author, how = _clean_author(self.page.author()), self.via("author")
        if not author and self.ld:
            author, how = _clean_author(ld_text(self.ld.get("author") or self.ld.get("creator"))), "jsonld:author"
        if not author:
            value, key = self.s.first("author", "article:author", "twitter:creator", "dc.creator")
            author, how = _clean_author(value), f"meta:{key}"
        self.take("author", author, how)

    def taxonomy(self) -> None:
        s, ld, page = self.s, self.ld, self.page
        if not (page and self.take("section", page.section(), self.via("section"))):
            value, _ = s.first("article:section")
            if not self.take("section", value, "meta:article:section") and ld:
                self.take("section", ld_text(ld.get("articleSection")), "jsonld:articleSection")
        tags = page.tags() if page else []
        if tags:
            self.take("tags", tags, self.via("tags"))
        else:
            metatags = [t.strip() for t in s.meta.get("article:tag", []) if t.strip()]
            if not self.take("tags", list(dict.fromkeys(metatags)), "meta:article:tag") and ld:
                self.take("tags", list(dict.fromkeys(ld_list(ld.get("keywords")))), "jsonld:keywords")

    def dates(self) -> None:
        s, ld, page = self.s, self.ld, self.page
        published: list[tuple[str | None, str]] = [
            (s.first("article:published_time")[0], "meta:article:published_time"),
            (ld_text(ld.get("datePublished")) if ld else None, "jsonld:datePublished"),
        ]
        if page:
            published.append((page.date_machine(), f"{page.family}:{page.used.get('date_machine', 'datetime')}"))
        published += [
            (s.first("datepublished", "dc.date", "date", "pubdate", "publishdate", "og:published_time")[0],
             "meta:datePublished"),
            (s.time_datetime, "time[datetime]"),
            (None if page else s.time_any, "time[datetime]:first"),
        ]
        if page:
            published.append((page.date_text(), self.via("date_text")))
        self.first_date("published_at", published)
        modified = [
            (s.first("article:modified_time", "og:updated_time")[0], "meta:article:modified_time"),
            (ld_text(ld.get("dateModified")) if ld else None, "jsonld:dateModified"),
            (s.first("datemodified")[0], "meta:dateModified"),
        ]
        if page:
            modified.append((page.modified_text(), self.via("modified")))
        self.first_date("modified_at", modified)

    def body(self) -> None:
        page, ld, out = self.page, self.ld, self.out
        paragraphs = page.paragraphs() if page else None
        text_how = self.via("text") if page and paragraphs else None
        if page and not paragraphs:
            self.warn(f"text: {page.family} body container missing or empty, used generic extraction")
        if not paragraphs:
            paragraphs = _generic_text(self.html_text)
            text_how = "trafilatura"
            article_body = ld_text(ld.get("articleBody")) if ld else None
            if not paragraphs and article_body:
                paragraphs = [p.strip() for p in re.split(r"\n+", article_body) if p.strip()]
                text_how = "jsonld:articleBody"
        paragraphs = filter_paragraphs(paragraphs or [], title=out.title, section=out.section)
        bylines = []
        while paragraphs and is_byline(paragraphs[0]):
            bylines.append(paragraphs.pop(0))
        if bylines:
            out.provenance["byline"] = " | ".join(bylines)
        if paragraphs:
            self.take("text", "\n\n".join(paragraphs), text_how)
            # The lead is the first real paragraph: not a subhead, a list or a one-line label.
            lead_index = next((i for i, p in enumerate(paragraphs[:6])
                               if "\n" not in p and len(p.split()) >= 6), 0)
            self.take("lead", paragraphs[lead_index], f"{text_how}:paragraph-{lead_index + 1}")
        elif page and page.subtitle():
            self.take("lead", page.subtitle(), self.via("subtitle"))  # the theme's standfirst
        else:
            excerpt, key = self.s.first("og:description", "description")
            if excerpt and not _TRUNCATED_EXCERPT.search(excerpt):
                self.take("lead", excerpt.strip(), f"meta:{key}")
        out.sources = find_sources(paragraphs, bylines)
        if out.sources:
            out.provenance["sources"] = "body:patterns"

    def generic_metadata(self) -> None:
        """trafilatura's metadata, only for pages no page object knows and only if still missing."""
        out = self.out
        if self.page is not None or not (out.title is None or out.author is None or out.published_at is None):
            return
        md = _generic_metadata(self.tree)
        if md is None:
            return
        if out.title is None:
            self.take("title", md.title, "trafilatura:title")
        if out.author is None:
            self.take("author", _clean_author(md.author), "trafilatura:author")
        if out.published_at is None and md.date:
            value = parse_date(md.date, tz=self.tz, now=self.now, fallback=False)
            value, warning = check_date(value, now=self.now, not_before=self.not_before, label="published_at")
            if warning:
                self.warn(f"{warning} from htmldate")
            else:
                self.take("published_at", value, "trafilatura:htmldate")
        if not out.tags and md.tags:
            split = [p.strip() for t in md.tags if t for p in re.split(r"[,،]", t) if p.strip()]
            self.take("tags", list(dict.fromkeys(split)), "trafilatura:tags")
        if out.section is None and md.categories:
            self.take("section", md.categories[0], "trafilatura:categories")

    def links_and_ids(self) -> None:
        s, ld, url = self.s, self.ld, self.url
        canonical = sane_canonical(url, s.canonical)
        if canonical:
            self.take("canonical_url", canonical, "link:canonical")
        else:
            og_url = sane_canonical(url, s.first("og:url")[0])
            if og_url:
                self.take("canonical_url", og_url, "og:url")
            elif s.canonical:
                self.warn(f"canonical_url ignored: {s.canonical}")
        image, key = s.first("og:image", "og:image:url", "twitter:image")
        if image:
            self.take("image_url", urljoin(url, image), f"meta:{key}")
        elif ld and ld_image(ld.get("image")):
            self.take("image_url", urljoin(url, ld_image(ld.get("image"))), "jsonld:image")
        lang, how = _language(s, self.out.text)
        self.take("language", lang, how)
        pid, how = _post_id(s, url, self.tree)
        self.take("post_id", pid, how)
