"""Registry: family name -> page-object class. Auto-detection tries them in this order."""
from __future__ import annotations

from .base import PageObject, css, text_of
from .families import AmpPage, JannahPage, JNewsPage, NewspaperPage, SahifaPage, VoicePage

REGISTRY: dict[str, type[PageObject]] = {
    "sahifa": SahifaPage,      # before Jannah: both are TieLabs themes sharing h1.post-title.entry-title
    "jannah": JannahPage,
    "newspaper": NewspaperPage,
    "jnews": JNewsPage,
    "voice": VoicePage,
    "amp": AmpPage,
}


def detect_family(tree, html_text: str | None = None) -> type[PageObject] | None:
    """The first registered family whose ``matches`` accepts the page (``html_text``, when given,
    lets each family skip its selectors if none of its signature strings occurs)."""
    for cls in REGISTRY.values():
        if html_text is not None and not cls.may_match(html_text):
            continue
        if cls.matches(tree):
            return cls
    return None


__all__ = ["REGISTRY", "PageObject", "detect_family", "css", "text_of"]
