"""Spider classes for outlets declared only in configuration (no module of their own).

Adding an outlet on standard WordPress needs no Python: a ``[outlets.<key>]`` table in
rasad.toml is enough, and ``scrapy list`` / ``scrapy crawl <key>`` / ``rasad crawl <key>`` see it.
"""
import pkgutil

import spiders
from crawler.config import get_config
from spiders.wordpress import WordPressSpider


def _modules_with_spiders() -> set[str]:
    return {m.name for m in pkgutil.iter_modules(spiders.__path__) if m.name not in ("wordpress", "configured")}


def _generate() -> dict[str, type]:
    own = _modules_with_spiders()
    generated = {}
    for key in get_config().outlets:
        if key in own:
            continue
        cls_name = "".join(part.capitalize() for part in key.split("_")) + "Spider"
        generated[cls_name] = type(cls_name, (WordPressSpider,), {"name": key, "__module__": __name__,
                                                                   "__doc__": f"Configured outlet {key}."})
    return generated


globals().update(_generate())
