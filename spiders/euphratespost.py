"""Euphrates Post (فرات بوست), euphratespost.net: WordPress + Newspaper; Arabic slug permalinks."""
from spiders.wordpress import WordPressSpider


class EuphratesPostSpider(WordPressSpider):
    name = "euphratespost"
