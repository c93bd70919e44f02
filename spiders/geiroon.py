"""Jeroun (جيرون), geiroon.net: WordPress + Jannah; articles at /archives/<id>."""
from spiders.wordpress import WordPressSpider


class GeiroonSpider(WordPressSpider):
    name = "geiroon"
