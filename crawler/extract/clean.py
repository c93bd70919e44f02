"""Body cleaning with BeautifulSoup (lxml parser) on the article body container only.

Keeps paragraphs, lists (one item per line), blockquotes and h2-h4 subheads; drops theme
chrome (share bars, author boxes, tags, related posts, "Check also"/"إغلاق", newsletter boxes,
ads, scripts, captions, "اقرأ أيضاً" paragraphs, comments).
"""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

DROP_TAGS = _DROP_TAGS = {"script", "style", "noscript", "iframe", "form", "ins", "svg", "button", "input",
              "select", "textarea", "figure", "figcaption", "nav", "aside", "footer", "header",
              "video", "audio", "object", "embed", "canvas", "template", "amp-ad", "amp-img",
              "img", "picture", "source", "map", "link", "meta", "label", "time"}
_BOILER = re.compile(
    r"(?:^|[\s_-])(?:share|sharing|sharedaddy|social|share-buttons|post-share|share-links|"
    r"author-box|about-author|post-author|author-info|author-bio|authorbox|"
    r"tags?|tagcloud|post-tags|post-bottom-tags|td-tags|jeg_post_tags|"
    r"related|relatedposts|jp-relatedposts|td-related|yarpp|crp_related|"
    r"check-also|check-also-box|newsletter|subscribe|mc4wp|"
    r"ads?|advert|advertisement|adsbygoogle|banner|sponsor|"
    r"comments?|comment-respond|respond|disqus|wp-caption-text|caption|credit|"
    r"breadcrumbs?|pagination|post-navigation|nav-links|widget|sidebar|"
    r"print|whatsapp|telegram|facebook|twitter|"
    r"read-?more|read-?also|also-read|post-read-also|"
    r"jeg_share|jeg_ad|td-a-rec|td-post-sharing|vce-share|meta-share|post-meta|entry-meta|"
    r"td-post-source-tags|td-post-next-prev|post-footer|entry-footer|stream-item)(?:$|[\s_-])",
    re.I,
)
_READ_ALSO = re.compile(
    r"^\s*[\(\[«]?\s*(?:ا|إ|أ)?قر[أا]\s*(?:أ|ا)يض(?:اً|ا|ًا)?|^\s*(?:read also|read more|see also|related)\s*:?",
    re.I,
)
_CHROME_LINES = {"إغلاق", "اغلاق", "Author", "الوسوم", "مقالات ذات صلة", "شارك", "شارك هذا المقال",
                 "Share", "Close", "Check Also", "شاهد أيضاً", "شاهد أيضا", "اقرأ أيضاً", "اقرأ أيضا",
                 "Related Articles", "Tags", "Related", "إعلان", "اعلان", "Advertisement", "ADVERTISEMENT",
                 "شارك هذا:", "مشاركة", "تابعونا", "Share this:", "Share this article"}
_COUNTER = re.compile(r"^\d+\s*(?:of|من|/)\s*\d+$", re.I)  # gallery "1 of 6"
_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u200b\u2009\u202f]+")
# WordPress post_class() tokens name the post's taxonomy ("tag-social", "category-ads"), not chrome.
_WP_TAXONOMY = ("tag-", "category-", "format-", "status-", "type-", "postid-")
_PARA_TAGS = {"p", "h2", "h3", "h4", "pre", "dd", "dt", "h5", "h6"}


def _is_boiler(tag: Tag) -> bool:
    attrs = tag.attrs
    if not attrs:
        return False
    cls = attrs.get("class")
    if cls:
        tokens = cls if isinstance(cls, list) else str(cls).split()
        joined = " ".join(t for t in tokens if not t.startswith(_WP_TAXONOMY))
        if joined and _BOILER.search(joined):
            return True
    ident = attrs.get("id")
    if ident and _BOILER.search(str(ident)):
        return True
    role = attrs.get("role")
    if role in ("navigation", "complementary", "banner"):
        return True
    return False


def _has(tag: Tag, names: frozenset[str]) -> bool:
    """Cheap "has a descendant element named one of names" (bs4's find() builds a filter per call)."""
    for d in tag.descendants:
        if d.__class__ is Tag and d.name in names:
            return True
    return False


_BLOCK_INSIDE_PARA = frozenset({"p", "div", "ul", "ol", "blockquote"})
_BLOCK_INSIDE_DIV = frozenset({"p", "div", "ul", "ol", "blockquote", "h2", "h3", "h4", "table", "br"})
_QUOTE_INNER = frozenset({"p", "ul", "ol"})


def _link_only(tag: Tag) -> bool:
    """All of the element's text sits inside one or more links (and it is short)."""
    links = tag.find_all("a")
    if not links:
        return False
    total = _squash(tag.get_text(" "))
    if not total or len(total) > 200:
        return False
    linked = sum(len(_squash(a.get_text(" "))) for a in links)
    return linked >= len(total.replace(" ", "")) * 0.9 or linked >= len(total) * 0.95


def _squash(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _inline_text(tag: Tag) -> str:
    parts: list[str] = []
    for piece in tag.descendants:
        if isinstance(piece, NavigableString):
            if isinstance(piece, Comment):
                continue
            parts.append(str(piece))
        elif piece.name == "br":
            parts.append("\n")
    lines = [_squash(line) for line in "".join(parts).split("\n")]
    return "\n".join(line for line in lines if line)


class _Collector:
    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.loose: list[str] = []

    def flush(self) -> None:
        if self.loose:
            text = "".join(self.loose)
            for chunk in re.split(r"\n\s*\n", text):
                chunk = _squash(chunk.replace("\n", " "))
                if chunk:
                    self.blocks.append(chunk)
            self.loose = []

    def add(self, text: str) -> None:
        self.flush()
        text = text.strip()
        if text:
            self.blocks.append(text)

    def walk(self, node: Tag) -> None:
        for child in list(node.children):
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                self.loose.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name == "br":
                self.loose.append("\n")
                continue
            if name in _DROP_TAGS or _is_boiler(child):
                continue
            if name in _PARA_TAGS:
                if _has(child, _BLOCK_INSIDE_PARA):
                    self.flush()
                    self.walk(child)
                    self.flush()
                elif name == "p" and _link_only(child):
                    continue  # an inline "related article" link standing alone as a paragraph
                else:
                    self.add(_inline_text(child).replace("\n", " ") if name != "pre" else _inline_text(child))
            elif name in ("ul", "ol"):
                if self.blocks and _READ_ALSO.match(self.blocks[-1]) and not "".join(self.loose).strip() and all(
                        _link_only(li) for li in child.find_all("li", recursive=False)):
                    continue  # the list of links under an "اقرأ أيضاً" heading
                items = []
                for li in child.find_all("li", recursive=False):
                    if _is_boiler(li):
                        continue
                    t = _squash(_inline_text(li).replace("\n", " "))
                    if t:
                        items.append(t)
                if items:
                    self.add("\n".join(items))
            elif name == "blockquote":
                if _has(child, _QUOTE_INNER):
                    self.flush()
                    self.walk(child)
                    self.flush()
                else:
                    self.add(_squash(_inline_text(child).replace("\n", " ")))
            elif name in ("div", "section", "article", "main", "center", "table", "tbody", "tr",
                          "td", "th", "dl", "span", "font") and _has(child, _BLOCK_INSIDE_DIV):
                self.flush()
                self.walk(child)
                self.flush()
            elif name in ("div", "section", "article", "center", "td"):
                self.add(_squash(_inline_text(child).replace("\n", " ")))
            elif name in ("h1",):
                continue
            else:  # inline element inside loose text
                self.loose.append(_inline_text(child) if name != "a" else child.get_text())
        self.flush()


def clean_body(html: str, *, drop: tuple[str, ...] = ()) -> list[str]:
    """Return the body paragraphs of a container's HTML."""
    soup = BeautifulSoup(html, "lxml", multi_valued_attributes=None)  # class stays a string: faster
    root = soup.body or soup
    if drop:
        for sel in drop:
            for el in root.select(sel):
                el.decompose()
    collector = _Collector()
    collector.walk(root)
    return filter_paragraphs(collector.blocks)


def filter_paragraphs(blocks: list[str], *, title: str | None = None,
                      section: str | None = None) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for block in blocks:
        text = block.strip()
        if not text or text in _CHROME_LINES or _COUNTER.match(text):
            continue
        if _READ_ALSO.match(text):
            continue
        if title and text == title.strip():
            continue
        if section and text == section.strip():
            continue
        if not re.search(r"\w", text):
            continue
        if text in seen:
            continue
        seen.add(text)
        out.append(text)
    return out


def is_byline(text: str) -> bool:
    """Short byline lines such as "فرات بوست/أخبار", "خاص فرات بوست _", "البوكمال - فرات بوست:"."""
    t = text.strip()
    if not t or len(t) > 60 or len(t.split()) > 7 or re.search(r"[.!؟?»”\"]$", t):
        return False
    if t.startswith("خاص"):
        return True
    if "/" in t and not re.search(r"\d\s*/\s*\d", t):
        return True
    return bool(re.search(r"[_\-–—:|]\s*$", t))


def byline_name(text: str) -> str | None:
    """The outlet named in a byline line."""
    t = re.sub(r"^خاص\s*[-_:|–—]?\s*", "", text.strip())
    t = re.sub(r"[\s_\-–—:|]+$", "", t)
    if "/" in t:
        t = t.split("/")[0]
    elif re.search(r"\s[-–—|]\s", t):
        t = re.split(r"\s[-–—|]\s", t)[-1]
    t = t.strip(" -_–—:|")
    return t or None
