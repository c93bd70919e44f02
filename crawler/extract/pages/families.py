"""Site families seen among Syrian WordPress outlets (selectors from /work/shared/OUTLETS.md)."""
from __future__ import annotations

from .base import PageObject


class JannahPage(PageObject):
    """Jannah (TieLabs)."""
    family = "jannah"
    signatures = ("tie-schema-json", "the-post", "post-cat-wrap", "tie-body")
    detect = ("script#tie-schema-json", "article#the-post div.entry-content", "span.post-cat-wrap a.post-cat",
              "body#tie-body div.entry-content")
    title_sel = ("h1.post-title.entry-title", "h1.entry-title", "h1.post-title")
    subtitle_sel = ("h2.entry-sub-title",)
    author_sel = ("#single-post-meta span.meta-author a.author-name", "article#the-post span.meta-author a.author-name",
                  "span.meta-author a.author-name", "span.meta-author a")
    date_sel = ("#single-post-meta span.date.meta-item", "article#the-post span.date.meta-item", "span.date.meta-item",
                ".post-meta span.date")
    modified_sel = ("span.meta-item.last-updated",)
    section_sel = ("article#the-post .entry-header span.post-cat-wrap a.post-cat", "article#the-post a.post-cat",
                   "#breadcrumb a:nth-of-type(2)", "span.post-cat-wrap a.post-cat")
    tags_sel = ("div.post-bottom-tags span.tagcloud a", ".post-bottom-tags a", ".tagcloud a")
    body_sel = ("article#the-post div.entry-content", "div.entry-content.entry", "div.entry-content")
    body_drop = ("#related-posts", "#check-also-box", ".post-bottom-meta", ".share-buttons",
                 ".post-components", ".stream-item", ".about-author", "#inline-related-post")


class NewspaperPage(PageObject):
    """Newspaper (tagDiv), classic single template and tagDiv Composer blocks."""
    family = "newspaper"
    signatures = ("td-post-content", "tdb_single_content", "tdb-title-text", "td-category")
    detect = ("div.td-post-content", "div.tdb_single_content", "h1.tdb-title-text", "ul.td-category")
    title_sel = ("header.td-post-title h1.entry-title", "h1.tdb-title-text", "h1.entry-title")
    subtitle_sel = ("p.td-post-sub-title", "div.td-post-sub-title")
    author_sel = ("div.td-post-author-name a", "a.tdb-author-name", ".tdb-author-name")
    date_attr_sel = ("header.td-post-title time.entry-date[datetime]", ".td-post-header time.entry-date[datetime]",
                     ".tdb_single_date time[datetime]", "article time.entry-date[datetime]")
    date_sel = ("header.td-post-title time.entry-date", ".tdb_single_date time", "span.td-post-date")
    modified_sel = ("meta[itemprop=dateModified]",)
    section_sel = (".td-post-header ul.td-category a", "ul.td-category a", ".tdb_single_categories a.tdb-entry-category")
    tags_sel = ("ul.td-tags li a", ".tdb-tags li a", ".td-tags a")
    body_sel = ("div.td-post-content", "div.tdb_single_content div.tdb-block-inner")
    body_drop = (".td-a-rec", ".td-post-sharing", ".td-post-source-tags", ".td-related-title",
                 ".td_block_related_posts", ".td-post-featured-image", ".td-fix-index > .td-a-rec")


class SahifaPage(PageObject):
    """Sahifa (TieLabs' older theme; SANA)."""
    family = "sahifa"
    signatures = ("tie-date", "post-inner", "post-title")
    detect = ("span.tie-date", "div.post-inner div.entry", "h1.post-title span[itemprop=name]",
              "h1.name.post-title")
    title_sel = ("h1.post-title span[itemprop=name]", "h1.name.post-title", "h1.post-title")
    author_sel = (".post-inner .post-meta span.post-meta-author a", "span.post-meta-author a", ".post-meta-author")
    date_sel = (".post-inner .post-meta span.tie-date", "article .post-meta span.tie-date", ".post-meta span.tie-date")
    section_sel = (".post-inner .post-meta span.post-cats a", "span.post-cats a")
    tags_sel = ("p.post-tag a", ".post-tag a")
    body_sel = ("div.post-inner div.entry", "div.entry")
    body_drop = (".share-post", ".post-tag", "#related_posts", ".e3lan", ".post-navigation",
                 "#check-also-box", ".author-info")


class JNewsPage(PageObject):
    """JNews (Jegtheme)."""
    family = "jnews"
    signatures = ("jeg_post_title", "jeg_inner_content", "jeg_meta_date")
    detect = ("h1.jeg_post_title", "div.jeg_inner_content", ".jeg_meta_date")
    title_sel = ("h1.jeg_post_title",)
    subtitle_sel = ("h2.jeg_post_subtitle",)
    author_sel = (".entry-header .jeg_meta_author a", ".jeg_meta_container .jeg_meta_author a")
    date_sel = (".entry-header .jeg_meta_date a", ".jeg_meta_container .jeg_meta_date a", ".entry-header .jeg_meta_date")
    section_sel = (".entry-header .jeg_meta_category a", ".jeg_meta_container .jeg_meta_category a")
    tags_sel = (".jeg_post_tags a",)
    body_sel = (".entry-content .content-inner", ".content-inner")
    body_drop = (".jeg_share_button", ".jeg_post_tags", ".jnews_inline_related_post", ".jeg_ad",
                 ".jnews_prev_next_container", ".jnews_author_box_container", ".jnews_related_post_container")


class VoicePage(PageObject):
    """Meks Voice (Deir ez-Zor 24)."""
    family = "voice"
    signatures = ("vce-single", "voice-v_", "vce-main")
    detect = ("article.vce-single", "div.vce-single", "body[class*='voice-v_']", "#vce-main .entry-content")
    title_sel = ("article.vce-single h1.entry-title", "h1.entry-title")
    author_sel = ("article.vce-single div.meta-item.author a", "article.vce-single .entry-meta .author a")
    date_sel = ("article.vce-single div.meta-item.date span.updated", "article.vce-single div.meta-item.date",
                "article.vce-single .entry-meta .date")
    section_sel = ("article.vce-single span.meta-category a", "article.vce-single .meta-category a")
    tags_sel = ("div.meta-tags a", ".meta-tags a")
    body_sel = ("article.vce-single div.entry-content", "div.entry-content")
    body_drop = (".vce-share-bar", ".meta-tags", ".vce-related-box", "#vce-related", ".vce-ad",
                 ".vce-wrap-center", ".vce-author-card")


class AmpPage(PageObject):
    """AMP pages of the WordPress AMP plugin (legacy/"reader" templates)."""
    family = "amp"
    detect = ("div.amp-wp-article-content", "h1.amp-wp-title")
    title_sel = ("h1.amp-wp-title",)
    author_sel = (".amp-wp-author", ".amp-wp-byline .amp-wp-author")
    date_attr_sel = (".amp-wp-posted-on time[datetime]",)
    date_sel = (".amp-wp-posted-on",)
    section_sel = (".amp-wp-meta-taxonomy.amp-wp-tax-category a", ".amp-wp-tax-category a")
    tags_sel = (".amp-wp-tax-tag a",)
    body_sel = ("div.amp-wp-article-content",)
    body_drop = (".amp-wp-article-footer", "amp-social-share", ".amp-related-posts")

    @classmethod
    def matches(cls, tree) -> bool:
        root = tree.getroottree().getroot()
        return root.get("amp") is not None or root.get("⚡") is not None or super().matches(tree)
