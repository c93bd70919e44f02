"""Al-Sharq al-Souri (الشرق السوري): domain UNVERIFIED (see rasad.toml / crawler/default.toml)."""
from spiders.wordpress import WordPressSpider


class SharqSouriSpider(WordPressSpider):
    name = "sharqsouri"
