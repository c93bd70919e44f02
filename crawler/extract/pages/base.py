"""Page-object base: one small class per site family, each field a small method.

A page object wraps the parsed lxml tree of one page. Selectors are class attributes so a
family is mostly data; ``matches`` is a cheap test used for auto-detection.
"""
from __future__ import annotations

import copy
import re
from functools import lru_cache

from lxml.cssselect import CSSSelector
from lxml import etree

from ..clean import DROP_TAGS, clean_body

_WS = re.compile(r"\s+")


@lru_cache(maxsize=512)
def css(selector: str) -> CSSSelector:
    return CSSSelector(selector, translator="html")


def text_of(el) -> str:
    return _WS.sub(" ", el.text_content() or "").strip()


def drop_keep_tail(el) -> None:
    """Remove an element but keep the text that follows it (its lxml tail)."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


_PRE_DROP = tuple(t for t in DROP_TAGS if t not in ("time",)) + (etree.Comment,)
_KEEP_ATTRS = ("class", "id", "role")


def prepare_container(el, drop: tuple[str, ...] = ()) -> str:
    """Copy the body container, drop theme chrome and never-text elements in lxml (fast), keep
    only the attributes the cleaner looks at, and serialise it for BeautifulSoup."""
    el = copy.deepcopy(el)
    for sel in drop:
        for junk in css(sel)(el):
            drop_keep_tail(junk)
    etree.strip_elements(el, *_PRE_DROP, with_tail=False)
    for node in el.iter():
        attrib = node.attrib if isinstance(node.tag, str) else None
        if attrib:
            for key in [k for k in attrib if k not in _KEEP_ATTRS]:
                del attrib[key]
    return etree.tostring(el, encoding="unicode", method="html", with_tail=False)


class PageObject:
    family = "base"
    detect: tuple[str, ...] = ()          # any of these present -> matches
    signatures: tuple[str, ...] | None = None  # raw-HTML substrings one of which every match contains
    title_sel: tuple[str, ...] = ()
    subtitle_sel: tuple[str, ...] = ()
    author_sel: tuple[str, ...] = ()
    date_attr_sel: tuple[str, ...] = ()   # elements with a machine-readable datetime/content attribute
    date_sel: tuple[str, ...] = ()        # visible date text
    modified_sel: tuple[str, ...] = ()
    section_sel: tuple[str, ...] = ()
    tags_sel: tuple[str, ...] = ()
    body_sel: tuple[str, ...] = ()
    body_drop: tuple[str, ...] = ()       # extra CSS selectors removed from the body container
    tag_labels = {"الوسوم", "الوسوم:", "وسوم", "وسوم:", "Tags", "Tags:", "الكلمات الدلالية", "كلمات مفتاحية:"}

    def __init__(self, tree, url: str = "") -> None:
        self.tree = tree
        self.url = url
        self.used: dict[str, str] = {}    # field -> selector that produced it

    @classmethod
    def matches(cls, tree) -> bool:
        return any(css(sel)(tree) for sel in cls.detect)

    @classmethod
    def may_match(cls, html_text: str) -> bool:
        """Cheap pre-filter on the raw HTML before running the CSS selectors of ``matches``."""
        return cls.signatures is None or any(sig in html_text for sig in cls.signatures)

    # -- helpers -------------------------------------------------------------------------------
    def _first(self, field: str, selectors: tuple[str, ...], scope=None) -> str | None:
        root = self.tree if scope is None else scope
        for sel in selectors:
            for el in css(sel)(root):
                value = text_of(el)
                if value:
                    self.used[field] = sel
                    return value
        return None

    def _all(self, field: str, selectors: tuple[str, ...]) -> list[str]:
        for sel in selectors:
            values = []
            for el in css(sel)(self.tree):
                value = text_of(el).lstrip("#").strip()
                if value and value not in self.tag_labels and value not in values:
                    values.append(value)
            if values:
                self.used[field] = sel
                return values
        return []

    # -- fields --------------------------------------------------------------------------------
    def title(self) -> str | None:
        return self._first("title", self.title_sel)

    def subtitle(self) -> str | None:
        return self._first("subtitle", self.subtitle_sel)

    def author(self) -> str | None:
        return self._first("author", self.author_sel)

    def date_machine(self) -> str | None:
        for sel in self.date_attr_sel:
            for el in css(sel)(self.tree):
                value = el.get("datetime") or el.get("content")
                if value and value.strip():
                    self.used["date_machine"] = sel
                    return value.strip()
        return None

    def date_text(self) -> str | None:
        return self._first("date_text", self.date_sel)

    def modified_text(self) -> str | None:
        for sel in self.modified_sel:
            for el in css(sel)(self.tree):
                value = el.get("datetime") or el.get("content") or text_of(el)
                if value and value.strip():
                    self.used["modified"] = sel
                    return value.strip()
        return None

    def section(self) -> str | None:
        return self._first("section", self.section_sel)

    def tags(self) -> list[str]:
        return self._all("tags", self.tags_sel)

    def body_element(self):
        for sel in self.body_sel:
            found = css(sel)(self.tree)
            if found:
                self.used["text"] = sel
                # Several matches (e.g. nested wrappers): the one holding most paragraphs.
                return max(found, key=lambda el: len(el.findall(".//p"))) if len(found) > 1 else found[0]
        return None

    def paragraphs(self) -> list[str] | None:
        el = self.body_element()
        if el is None:
            return None
        return clean_body(prepare_container(el, self.body_drop))
