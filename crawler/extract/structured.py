"""Layer 1: structured data — JSON-LD, Open Graph / article:* meta, microdata, <time>, links."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field


ARTICLE_TYPES = {
    "newsarticle", "article", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "report", "webpage_article",
    "liveblogposting", "scholarlyarticle", "techarticle", "socialmediaposting",
}


@dataclass
class Structured:
    """Everything the page declares about itself. Values are raw strings; parsing happens later."""
    meta: dict[str, list[str]] = field(default_factory=dict)   # property/name/itemprop -> values
    jsonld: dict = field(default_factory=dict)                   # the best article node, resolved
    jsonld_ok: bool = False
    jsonld_repaired: bool = False
    time_datetime: str | None = None
    time_any: str | None = None
    canonical: str | None = None
    shortlink: str | None = None
    amphtml: str | None = None
    html_lang: str | None = None
    body_class: str = ""
    title_tag: str | None = None

    def first(self, *keys: str) -> tuple[str | None, str | None]:
        for key in keys:
            for value in self.meta.get(key, ()):
                value = value.strip()
                if value:
                    return value, key
        return None, None


_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _loads(raw: str) -> tuple[object | None, bool]:
    """Parse JSON-LD leniently. Returns (data, repaired?)."""
    try:
        return _loads_inner(raw)
    except RecursionError:  # absurdly nested arrays/objects: not a real article's JSON-LD
        return None, True


def _loads_inner(raw: str) -> tuple[object | None, bool]:
    raw = raw.strip()
    if not raw:
        return None, False
    try:
        return json.loads(raw, strict=False), False
    except ValueError:
        pass
    text = raw
    for junk in ("<!--", "-->", "<![CDATA[", "]]>", "//<![CDATA[", "//]]>"):
        text = text.replace(junk, "")
    text = _CTRL.sub(" ", text).strip().rstrip(";")
    text = _TRAILING_COMMA.sub(r"\1", text)
    try:
        return json.loads(text, strict=False), True
    except ValueError:
        pass
    # Several objects glued together, or garbage after the first object.
    decoder = json.JSONDecoder(strict=False)
    items, pos = [], 0
    while pos < len(text):
        start = text.find("{", pos)
        if start < 0:
            break
        try:
            obj, end = decoder.raw_decode(text, start)
        except ValueError:
            break
        items.append(obj)
        pos = end
    if items:
        return items, True
    return None, True


def _types(node: dict) -> set[str]:
    t = node.get("@type")
    if isinstance(t, str):
        return {t.lower()}
    if isinstance(t, list):
        return {x.lower() for x in t if isinstance(x, str)}
    return set()


def _walk(data, out: list[dict], ids: dict[str, dict], depth: int = 0) -> None:
    if depth > 8:
        return
    if isinstance(data, list):
        for item in data:
            _walk(item, out, ids, depth + 1)
    elif isinstance(data, dict):
        if isinstance(data.get("@id"), str):
            ids.setdefault(data["@id"], data)
        out.append(data)
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "hasPart", "itemListElement"):
            if key in data and isinstance(data[key], (list, dict)):
                _walk(data[key], out, ids, depth + 1)


def _resolve(value, ids: dict[str, dict]):
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and isinstance(value.get("@id"), str) \
            and value["@id"] in ids:
        return ids[value["@id"]]
    if isinstance(value, list):
        return [ids.get(v["@id"], v) if isinstance(v, dict) and set(v) <= {"@id", "@type"}
                and isinstance(v.get("@id"), str) else v for v in value[:50]]
    return value


def _pick_article(nodes: list[dict], ids: dict[str, dict]) -> dict:
    best, best_score = {}, -1
    for node in nodes:
        types = _types(node)
        if not types & ARTICLE_TYPES:
            continue
        score = sum(1 for k in ("headline", "datePublished", "articleBody", "author") if node.get(k))
        if "newsarticle" in types or "reportagenewsarticle" in types:
            score += 1
        if score > best_score:
            best, best_score = node, score
    if best:
        best = {k: _resolve(v, ids) for k, v in best.items()}
    return best


def read_structured(tree) -> Structured:
    """One pass over <meta>, <link>, <time> and <script> plus a few direct look-ups."""
    s = Structured()
    root = tree
    meta = s.meta
    scripts = []
    time_done = False
    for el in root.iter("meta", "link", "time", "script"):
        tag = el.tag
        if tag == "meta":
            key = el.get("property") or el.get("name") or el.get("itemprop")
            content = el.get("content")
            if key and content is not None:
                meta.setdefault(key.strip().lower(), []).append(content)
        elif tag == "link":
            href = el.get("href")
            if not href:
                continue
            rel = (el.get("rel") or "").lower().split()
            if "canonical" in rel and s.canonical is None:
                s.canonical = href.strip()
            elif "shortlink" in rel and s.shortlink is None:
                s.shortlink = href.strip()
            elif "amphtml" in rel and s.amphtml is None:
                s.amphtml = href.strip()
        elif tag == "script":
            if (el.get("type") or "").strip().lower() in ("application/ld+json", "application/json+ld"):
                scripts.append(el)
        elif not time_done:
            # <time datetime>: one marking the article's own date (inside <article>, or classed
            # as the entry/published date) first; the first anywhere only as a weaker candidate
            # (sidebars list other posts' dates).
            dt = (el.get("datetime") or "").strip()
            if not dt:
                continue
            if s.time_any is None:
                s.time_any = dt
            cls = el.get("class") or ""
            if ("published" in cls or "entry-date" in cls or el.get("itemprop") == "datePublished"
                    or any(a.tag == "article" for a in el.iterancestors())):
                s.time_datetime = dt
                time_done = True
    html = root if root.tag == "html" else root.getroottree().getroot()
    if html is not None and isinstance(html.tag, str):
        s.html_lang = (html.get("lang") or html.get("xml:lang") or "").strip() or None
    body = root.find("body")
    if body is None:
        body = root.find(".//body")
    if body is not None:
        s.body_class = body.get("class") or ""
    title = root.find("head/title")
    if title is None:
        title = root.find(".//title")
    if title is not None:
        s.title_tag = (title.text_content() or "").strip() or None
    # itemprop on non-meta elements (microdata): datePublished/dateModified.
    for el in root.xpath("//*[@itemprop='datePublished' or @itemprop='dateModified'][not(self::meta)]"):
        value = el.get("datetime") or el.get("content")
        if value:
            meta.setdefault(el.get("itemprop").lower(), []).append(value)
    nodes: list[dict] = []
    ids: dict[str, dict] = {}
    for script in scripts:
        data, repaired = _loads(script.text or "")
        s.jsonld_repaired |= repaired and data is not None
        if data is not None:
            _walk(data, nodes, ids)
    s.jsonld = _pick_article(nodes, ids)
    s.jsonld_ok = bool(s.jsonld)
    return s


def ld_text(value, _depth: int = 0) -> str | None:
    """A JSON-LD value as plain text: strings, {'name': ..}, {'@value': ..}, first of a list."""
    if _depth > 6:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict):
        return ld_text(value.get("name") or value.get("@value") or value.get("url"), _depth + 1)
    if isinstance(value, list):
        for item in value[:50]:
            text = ld_text(item, _depth + 1)
            if text:
                return text
    return None


def ld_list(value, _depth: int = 0) -> list[str]:
    if isinstance(value, str):
        return [p.strip() for p in re.split(r"[,،]", value) if p.strip()]
    if isinstance(value, list):
        if _depth > 3:
            return []
        out: list[str] = []
        for item in value[:200]:
            out.extend(ld_list(item, _depth + 1) if isinstance(item, (str, list))
                       else [t for t in [ld_text(item)] if t])
        return out
    text = ld_text(value)
    return [text] if text else []


def ld_image(value, _depth: int = 0) -> str | None:
    if _depth > 6:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return ld_image(value.get("url") or value.get("contentUrl") or value.get("@id"), _depth + 1)
    if isinstance(value, list):
        for item in value[:50]:
            url = ld_image(item, _depth + 1)
            if url:
                return url
    return None
